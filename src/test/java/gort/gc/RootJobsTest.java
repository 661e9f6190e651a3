package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Chan;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.sched.G;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Go 1.6's root jobs (go16 marking): a cycle's roots are jobs that the background workers claim
 * one at a time, so several workers share them, and every job a cycle hands out runs exactly
 * once — mark 1's globals and each goroutine's stack, then mark 2's globals again.
 */
class RootJobsTest {
    /**
     * One root job as a worker ran it: the cycle, how many jobs that phase handed out, the job, the
     * goroutine that ran it, and whether that goroutine was a registered background worker then (a
     * worker can leave later: Go 1.6's worker that loses its P's registration to a newer one exits).
     */
    record Ran(int cycle, int jobs, int job, G worker, boolean wasWorker) {}

    static final int PARKED = 60;
    static final int MIN_CYCLES = 5;
    static final int MAX_CYCLES = 200;

    @Test
    void rootJobsAreSharedByWorkersAndEachRunsOncePerHandingOut() {
        ConcurrentLinkedQueue<Ran> ran = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger lastCycle = new java.util.concurrent.atomic.AtomicInteger();
        Rt.run(AssistQueueTest.go16(4), 120, () -> {
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            int g = CompletionPathTest.buildList(h, 20_000);
            gc.faults.onRootJob = (w, job) -> ran.add(new Ran(gc.numGC() + 1, gc.work.markrootJobs, job, w, gc.workers.isWorker(w)));
            // many stacks to scan: goroutines parked on a channel, and a few running ones, which scan themselves
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            for (int i = 0; i < PARKED; i++) {
                Go.go("parked", never::recv);
            }
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < 2; i++) {
                Go.go("busy", () -> {
                    while (!stop.get()) {
                        Go.poll();
                    }
                });
            }
            for (int c = 0; c < MAX_CYCLES && !(c >= MIN_CYCLES && sharedInSomeCycle(ran)); c++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                AssistQueueTest.await(() -> gc.numGC() > n0, "cycle " + (n0 + 1) + " ended");
                if (CompletionPathTest.listLength(h, Raw.global(g)) != 20_000) {
                    throw new AssertionError("the live list was damaged by cycle " + gc.numGC());
                }
            }
            stop.set(true);
            gc.faults.onRootJob = null;
            lastCycle.set(gc.numGC());
        });
        List<Ran> all = ran.stream().filter(r -> r.cycle() <= lastCycle.get()).toList();
        assertThat(all).isNotEmpty();
        assertThat(all).as("every root job ran on a background worker").allMatch(Ran::wasWorker);
        // per cycle and handing out: jobs 0..jobs-1, each exactly once
        Map<Integer, Map<Integer, List<Integer>>> byCycle = new TreeMap<>();
        for (Ran r : all) {
            byCycle.computeIfAbsent(r.cycle(), k -> new TreeMap<>()).computeIfAbsent(r.jobs(), k -> new ArrayList<>()).add(r.job());
        }
        assertThat(byCycle.size()).isGreaterThanOrEqualTo(MIN_CYCLES);
        for (var cycle : byCycle.entrySet()) {
            Map<Integer, List<Integer>> phases = cycle.getValue();
            assertThat(phases.keySet()).as("cycle %d: mark 2's one job and mark 1's globals and stacks", cycle.getKey())
                    .hasSize(2).contains(1).anyMatch(n -> n > PARKED);
            for (var phase : phases.entrySet()) {
                List<Integer> jobs = new ArrayList<>(phase.getValue());
                jobs.sort(null);
                assertThat(jobs).as("cycle %d, %d jobs handed out: the jobs run", cycle.getKey(), phase.getKey())
                        .isEqualTo(IntStream.range(0, phase.getKey()).boxed().toList());
            }
        }
        assertThat(sharedInSomeCycle(ran)).as("some cycle's mark 1 jobs were run by two workers or more").isTrue();
    }

    /** Whether some cycle's mark 1 root jobs were run by two distinct workers. */
    static boolean sharedInSomeCycle(ConcurrentLinkedQueue<Ran> ran) {
        Map<Integer, Set<G>> by = new TreeMap<>();
        for (Ran r : ran) {
            if (r.jobs() > 1) {
                by.computeIfAbsent(r.cycle(), k -> new HashSet<>()).add(r.worker());
            }
        }
        return by.values().stream().anyMatch(s -> s.size() >= 2);
    }
}
