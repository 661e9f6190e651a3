package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Heap;
import gort.api.Raw;
import gort.sched.G;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker that took a phase transition itself (no coordinator) detached from its P and
 * re-attaches once parked; a cycle started meanwhile finds the P without a worker and starts a
 * new one. Registration by CAS (Go 1.6's gcBgMarkWorker) lets exactly one of the two keep the P
 * and the other exit; a plain store by the new worker could overwrite the old one's re-attach and
 * leave it parked for ever, owned by no P. Cycles back to back, as many as the bound allows, then:
 * every P has one registered worker, and no other worker goroutine is left.
 */
class WorkerRegistrationTest {
    static final int CYCLES = 400;

    @ParameterizedTest
    @EnumSource(MarkingKind.class)
    void cyclesBackToBackLeaveExactlyOneWorkerPerPAndNoOrphan(MarkingKind marking) {
        Config cfg = Config.defaults().withGomaxprocs(4).withWakeup(WakeupStrategy.NONE).withMarking(marking);
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicReference<int[]> counts = new AtomicReference<>();
        Rt.run(cfg, 120, () -> {
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            Sched sched = Sched.current();
            CompletionPathTest.buildList(h, 500);
            gc.faults.assistsDisabled = true; // workers take the transitions, detaching as they do
            for (int c = 0; c < CYCLES; c++) {
                gc.triggerConcurrentCycle(); // waits for the cycle before to end, and starts the next at once
            }
            int n0 = gc.numGC();
            AssistQueueTest.await(() -> gc.numGC() > n0 || !gc.driver.working(), "the last cycle ended");
            int procs = sched.gomaxprocs();
            // a worker that took the last transition re-attaches once it parks
            AssistQueueTest.await(() -> registered(sched).size() == procs, "every P has a worker");
            Set<G> reg = registered(sched);
            List<G> live = new ArrayList<>();
            for (G gp : sched.allgs()) {
                if (gp.status() != G.DEAD && gp.startName().equals("runtime.gcBgMarkWorker")) {
                    live.add(gp);
                }
            }
            counts.set(new int[] {procs, reg.size(), live.size()});
            for (G gp : live) {
                if (!reg.contains(gp)) {
                    problem.set("worker goroutine " + gp.goid() + " is " + gp + " and no P's worker");
                }
            }
        });
        assertThat(problem.get()).isNull();
        int[] c = counts.get();
        assertThat(c[1]).as("Ps with a registered worker, of %d", c[0]).isEqualTo(c[0]);
        assertThat(c[2]).as("worker goroutines left").isEqualTo(c[0]);
    }

    static Set<G> registered(Sched sched) {
        Set<G> s = new HashSet<>();
        for (int i = 0; i < sched.gomaxprocs(); i++) {
            G w = ((BgMarkWorkers.PState) sched.allp(i).gcLocal).worker;
            if (w != null) {
                s.add(w);
            }
        }
        return s;
    }
}
