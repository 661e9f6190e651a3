package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.sched.G;
import gort.sched.P;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Go 1.6's background workers (go16 marking) give their P back when there is no work: the
 * scheduler picks no worker while {@code gcMarkWorkAvailable(p)} is false (and takes no worker
 * token for it), and a dedicated worker that ran out of work returns and parks instead of
 * waiting in getfull for others' buffers, so its P runs goroutines while marking goes on.
 *
 * <p>The test holds marking open the way an assist in progress does (it counts itself as
 * working, so no completion point can come), lets one dedicated worker take the root jobs and
 * drain the heap, and then looks at what the dedicated worker's P does, and whether any P's
 * scheduler still runs the dedicated worker (its time would grow).
 */
class Go16WorkersTest {
    @Test
    void aDedicatedWorkerWithNoWorkReturnsItsPAndTheSchedulerPicksNoWorkerWithoutWork() {
        AtomicReference<String> report = new AtomicReference<>("not run");
        Rt.run(AssistQueueTest.go16(4), () -> { // GOMAXPROCS=4: one dedicated worker, no fractional share
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            Sched sched = Sched.current();
            CompletionPathTest.buildList(h, 20_000);
            gc.faults.workerModes = 0;
            gc.faults.assistsDisabled = true;
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle();
            gc.work.startWorking(); // marking cannot complete while we count as working
            Pacer pacer = (Pacer) gc.controller();
            assertThat(pacer.dedicatedWorkersNeeded()).isEqualTo(1);

            // mutators on the other Ps, noting where they run
            Set<Integer> ranOn = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < 3; i++) {
                Go.go("busy", () -> {
                    while (!stop.get()) {
                        ranOn.add(Sched.currentM().p().id);
                        for (int k = 0; k < 1000; k++) {
                            Go.poll();
                        }
                    }
                });
            }
            gc.faults.workerModes = GcFaults.modes(CompleterKind.DEDICATED);

            // the dedicated worker takes the roots, drains the heap and, out of work, parks with its token back
            AssistQueueTest.await(() -> dedicatedP(sched) != null && !gc.work.rootJobsLeft() && !gc.work.hasFull()
                    && allCachesEmpty(sched) && pacer.dedicatedWorkersNeeded() == 1
                    && parkedIdle(state(dedicatedP(sched)).worker), "the dedicated worker ran and parked with no work left");
            P dp = dedicatedP(sched);
            long dedicatedNs = pacer.dedicatedMarkTime.get();
            assertThat(gc.blackenEnabledForTest()).as("marking still on").isTrue();

            // its P runs goroutines while marking goes on, and no P's scheduler runs a worker for nothing
            ranOn.clear();
            AssistQueueTest.await(() -> ranOn.contains(dp.id), "a goroutine ran on the dedicated worker's P " + dp.id);
            assertThat(parkedIdle(state(dp).worker)).isTrue();
            assertThat(pacer.dedicatedMarkTime.get()).as("dedicated worker time while there was no work").isEqualTo(dedicatedNs);

            // with no work at hand the scheduler picks no worker and leaves the token
            P mine = Sched.currentM().p();
            assertThat(gc.workers.gcMarkWorkAvailable(mine)).isFalse();
            assertThat(gc.workers.findRunnableGCWorker(mine)).isNull();
            assertThat(pacer.dedicatedWorkersNeeded()).as("dedicated tokens left").isEqualTo(1);
            assertThat(gc.numGC()).isEqualTo(n0);
            report.set("ok");

            // let the cycle end: we stop working as an assist would, and take the transition if it is ours
            stop.set(true);
            gc.faults.workerModes = GcFaults.modes(CompleterKind.DEDICATED, CompleterKind.FRACTIONAL, CompleterKind.IDLE);
            if (gc.work.stopWorking()) {
                gc.driver.complete(CompleterKind.ASSIST);
            }
            AssistQueueTest.await(() -> gc.numGC() > n0, "the cycle ended");
        });
        assertThat(report.get()).isEqualTo("ok");
    }

    static BgMarkWorkers.PState state(P p) {
        return (BgMarkWorkers.PState) p.gcLocal;
    }

    /** The P whose worker was picked as the dedicated one this cycle, or null. */
    static P dedicatedP(Sched sched) {
        for (int i = 0; i < sched.gomaxprocs(); i++) {
            if (state(sched.allp(i)).mode == CompleterKind.DEDICATED) {
                return sched.allp(i);
            }
        }
        return null;
    }

    static boolean allCachesEmpty(Sched sched) {
        for (int i = 0; i < sched.gomaxprocs(); i++) {
            if (!((GcWork) sched.allp(i).gcw).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static boolean parkedIdle(G w) {
        return w != null && w.status() == G.WAITING && w.waitReason().equals("GC worker (idle)");
    }
}
