package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.testing.Rt;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Go 1.5.1's assists and their accounting, each against the behaviour that would differ without
 * it: the assist ratio revised as scannable heap is allocated during a cycle (gcController.revise
 * at every heap_scan update), heapminimum scaling with GOGC (setGCPercent), an assist that reached
 * a completion point yielding under park-yield whether or not it won the completion, and an assist
 * that cannot pay its debt sleeping and retrying with {@code gcassistblock=1} (and never without).
 */
class AssistTest {
    static final Type NODE = Type.struct("assist.node", "ptr,ptr,scalar");

    static Collector collector() {
        return CompletionPathTest.collector();
    }

    static Config config(int procs, WakeupStrategy s, String godebug) {
        return Config.defaults().withGomaxprocs(procs).withWakeup(s).withGodebug(Config.parseGodebug(godebug));
    }

    @Test
    void theAssistRatioRisesAsScannableHeapIsAllocatedDuringACycle() {
        AtomicReference<double[]> ratios = new AtomicReference<>();
        Rt.run(config(2, WakeupStrategy.PARK, "gcwakeup=park"), () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            CompletionPathTest.buildList(h, 20_000);
            // hold marking where it is: no workers, no assists, no scheduler completion
            gc.faults.workerModes = 0;
            gc.faults.assistsDisabled = true;
            gc.faults.schedulerCompletes = false;
            AtomicReference<MarkDoneSignal> armed = new AtomicReference<>();
            gc.faults.beforeMarkWait = armed::set;
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle();
            while (armed.get() == null) {
                Go.gosched();
            }
            double before = gc.controller().assistRatio();
            for (int i = 0; i < 200_000; i++) {
                h.alloc(NODE); // scannable garbage: the caches fold local_scan into heap_scan as they take spans
            }
            double after = gc.controller().assistRatio();
            gc.faults.assistsDisabled = false; // let marking finish
            while (gc.numGC() == n0) {
                h.alloc(NODE);
            }
            ratios.set(new double[] {before, after});
        });
        assertThat(ratios.get()[1]).as("the ratio after ~200k scannable objects, against %s before", ratios.get()[0])
                .isGreaterThan(ratios.get()[0] * 1.5);
    }

    /** Cycles run, and the trigger after the last, for a goroutine that allocates 64 MB of garbage beside a small live set. */
    static long[] cyclesWith(int gogc) {
        AtomicReference<long[]> out = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withGogc(gogc), () -> {
            Heap h = Raw.heap();
            CompletionPathTest.buildList(h, 2_000); // ~64 KB live
            int n0 = collector().numGC();
            for (int i = 0; i < 2_000_000; i++) {
                h.alloc(NODE);
            }
            Go.gc();
            out.set(new long[] {collector().numGC() - n0, Go.readMemStats().nextGC()});
        });
        return out.get();
    }

    @Test
    void aLowGogcTriggersUnderTheDefaultHeapMinimumBecauseHeapMinimumScalesWithIt() {
        long[] at100 = cyclesWith(100);
        long[] at1 = cyclesWith(1);
        // GOGC=100: the trigger never goes under the 4 MB minimum; GOGC=1: 41 KB, so it follows the ~64 KB live set
        assertThat(at100[1]).isGreaterThanOrEqualTo(4L << 20);
        assertThat(at1[1]).as("the trigger at GOGC=1").isLessThan(1L << 20);
        // (how many cycles each runs is bounded by how long a cycle takes on the host, not by the
        // trigger: the trigger is what this test checks)
        assertThat(at1[0]).as("cycles at GOGC=1").isPositive();
    }

    /** Runs cycles under s with assists doing all the marking, the coordinator held until assists passed extra completion points. */
    static long[] assistsAtCompletionPoints(WakeupStrategy s) {
        AtomicReference<long[]> out = new AtomicReference<>();
        Rt.run(config(2, s, "gccheckmark=1"), () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            CompletionPathTest.buildList(h, 20_000);
            gc.faults.workerModes = 0;
            gc.faults.minAssistRatio = 64;
            gc.faults.schedulerCompletes = false;
            AtomicReference<MarkDoneSignal> armed = new AtomicReference<>();
            gc.faults.beforeMarkWait = sig -> {
                armed.set(sig);
                // the phase is done once an assist won it; wait until assists reached two more completion points
                long seen = gc.assists.completionPoints.get();
                Rt.spinUntil(() -> sig.isDone() && gc.assists.completionPoints.get() >= seen + 3, 10_000);
            };
            for (int c = 0; c < 4; c++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    MarkDoneSignal phase = armed.get();
                    if (phase != null && (!phase.isDone() || gc.blackenEnabledForTest())) {
                        h.alloc(NODE);
                    } else {
                        Go.gosched();
                    }
                }
            }
            long wins = gc.cycleRecords().stream().filter(r -> !r.forced())
                    .flatMap(r -> java.util.stream.Stream.of(r.mark1(), r.mark2()))
                    .filter(cp -> cp.completer() == CompleterKind.ASSIST).count();
            out.set(new long[] {gc.assists.completionPoints.get(), gc.assists.yields.get(), wins});
        });
        return out.get();
    }

    @Test
    void underParkYieldEveryAssistAtACompletionPointYieldsEvenWhenItLostTheRace() {
        long[] r = assistsAtCompletionPoints(WakeupStrategy.PARK_YIELD);
        assertThat(r[0]).as("completion points reached by assists, against %s won", r[2]).isGreaterThan(r[2]);
        assertThat(r[1]).as("assists that yielded").isEqualTo(r[0]);
    }

    @Test
    void underParkAnAssistAtACompletionPointReturnsToItsMutator() {
        long[] r = assistsAtCompletionPoints(WakeupStrategy.PARK);
        assertThat(r[0]).isPositive();
        assertThat(r[1]).as("assists that yielded").isZero();
    }

    /** Assists' sleeps on unpaid debt over a few cycles where assists must do all the marking. */
    static long assistSleeps(String godebug) {
        AtomicLong n = new AtomicLong();
        Rt.run(config(2, WakeupStrategy.PARK, godebug), () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            CompletionPathTest.buildList(h, 20_000);
            gc.faults.workerModes = 0;
            gc.faults.minAssistRatio = 64; // far more debt than the heap has work
            gc.faults.schedulerCompletes = false;
            for (int c = 0; c < 3; c++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    h.alloc(NODE);
                }
            }
            n.set(gc.assists.sleeps.get());
        });
        return n.get();
    }

    @Test
    void withBlockingAssistsAnAssistWithUnpaidDebtAndNoWorkSleepsAndRetries() {
        assertThat(assistSleeps("gcassistblock=1")).isPositive();
    }

    @Test
    void withoutBlockingAssistsTheDebtCarriesOverAndNoAssistSleeps() {
        assertThat(assistSleeps("gcassistblock=0")).isZero();
    }

    @Test
    void gcassistblockTakesOnlyZeroOrOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parseGodebug("gcassistblock=2"))
                .hasMessageContaining("GODEBUG gcassistblock=2 is invalid: must be an integer from 0 to 1");
        assertThat(Config.parseGodebug("gcassistblock=1")).isEqualTo(Map.of("gcassistblock", "1"));
        assertThat(List.of(Config.defaults().collectorSettings().assistBlock())).containsExactly(false);
    }
}
