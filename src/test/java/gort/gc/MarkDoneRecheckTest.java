package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Heap;
import gort.api.Raw;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Without a coordinator (gcwakeup=none, Go 1.6's gcMarkDone), the completer that won a phase
 * re-checks the completion point under the transition lock; when the re-check fails (here: an
 * object greyed onto the global list between the win and the re-check, as a write barrier can)
 * the phase is re-armed, the work is done, and a later completer takes the transition. Under both
 * markings: Go 1.5's root scan and Go 1.6's root jobs.
 */
class MarkDoneRecheckTest {
    /** Cycles whose re-check saw the planted work and re-armed mark 1, which the test needs. */
    static final int CYCLES = 3;
    /** The most cycles it runs to get them. */
    static final int MAX_CYCLES = 30;

    /** What the test plants in one cycle's mark 1, and what it saw. */
    static final class Plant {
        final long obj;
        volatile long greyedAt;
        volatile int laterChecks;
        volatile boolean markedAtLaterCheck = true;

        Plant(long obj) {
            this.obj = obj;
        }
    }

    @ParameterizedTest
    @EnumSource(MarkingKind.class)
    void aFailedRecheckReArmsThePhaseAndALaterCompleterTakesIt(MarkingKind marking) {
        Config cfg = Config.defaults().withGomaxprocs(2).withWakeup(WakeupStrategy.NONE).withMarking(marking)
                .withGodebug(Map.of("gccheckmark", "1"));
        AtomicReference<List<long[]>> out = new AtomicReference<>();
        Rt.run(cfg, 120, () -> {
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            int g = CompletionPathTest.buildList(h, 20_000);
            gc.faults.assistsDisabled = true; // workers complete the phases
            int modes = gc.faults.workerModes;
            AtomicReference<Plant> plant = new AtomicReference<>();
            gc.faults.beforeMarkDoneCheck = s -> {
                Plant p = plant.get();
                if (p == null || s != gc.mark1) {
                    return;
                }
                if (p.greyedAt == 0) {
                    // a white object greyed onto the global list after the win: the re-check must see it,
                    // unless a worker drains it first (taking the list's lock and reading the clock are
                    // points where another thread may run; on the real platform another P's worker may
                    // simply be quick): then the re-check rightly passes, no later re-check of mark 1
                    // comes, and this cycle does not count
                    p.greyedAt = gc.platform.nanotime() - gc.startNanos; // the records' origin
                    GcWork gcw = new GcWork(gc.work);
                    gc.mark.greyobject(p.obj, gcw, "the test's planted object");
                    gcw.dispose();
                } else {
                    p.laterChecks++;
                    p.markedAtLaterCheck &= gc.heap().isMarked(p.obj);
                }
            };
            List<long[]> results = new ArrayList<>();
            for (int c = 0, rearmed = 0; rearmed < CYCLES && c < MAX_CYCLES; c++) {
                int n0 = gc.numGC();
                gc.faults.workerModes = 0; // nobody marks until the plant is in place
                gc.triggerConcurrentCycle();
                Plant p = new Plant(h.alloc(AssistTest.NODE)); // allocated in mark 1: white, and reachable from nothing
                plant.set(p);
                gc.faults.workerModes = modes;
                AssistQueueTest.await(() -> gc.numGC() > n0, "cycle " + (n0 + 1) + " ended");
                plant.set(null);
                CycleRecord r = gc.cycleRecords().get(gc.cycleRecords().size() - 1);
                if (p.laterChecks > 0 || p.greyedAt == 0) { // re-armed (or never planted: then fail below)
                    rearmed++;
                    results.add(new long[] {p.greyedAt, r.mark1().doneNs(), p.laterChecks, p.markedAtLaterCheck ? 1 : 0});
                }
                if (CompletionPathTest.listLength(h, Raw.global(g)) != 20_000) {
                    throw new AssertionError("the live list was damaged by cycle " + gc.numGC());
                }
            }
            gc.faults.beforeMarkDoneCheck = null;
            out.set(results);
        });
        assertThat(out.get()).as("cycles whose re-check saw the planted work and re-armed the phase").hasSize(CYCLES);
        for (long[] r : out.get()) {
            assertThat(r[0]).as("the object was greyed at a mark 1 re-check").isPositive();
            assertThat(r[1]).as("mark 1's recorded completion came after the failed re-check").isGreaterThan(r[0]);
            assertThat(r[2]).as("re-checks of the re-armed mark 1").isGreaterThanOrEqualTo(1);
            assertThat(r[3]).as("the greyed object was marked when the phase was taken").isEqualTo(1);
        }
    }
}
