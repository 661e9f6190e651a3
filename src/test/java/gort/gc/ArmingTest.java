package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.heap.Type;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A phase of marking is not declared complete where it is armed. The roots a cycle's stack scan
 * greys go to the work cache of the P that scanned them, which the global list's emptiness says
 * nothing about; Go 1.5.1's coordinator never checks before it waits, and Go 1.6's gcStart never
 * checks before returning to the mutator (its root jobs are the first work). Here the live data
 * hangs from main's stack only (no global reaches it), so at arm time the global list is empty
 * and no marker runs, while a P's cache holds the list's head: a check at arming would find a
 * "completion point" with the whole heap unmarked, and mark 2 would do all the marking.
 */
class ArmingTest {
    static final Type NODE = Type.struct("arming.node", "ptr,scalar");
    static final int LIVE = 20_000;
    static final int CYCLES = 8;

    static Stream<String> designs() {
        return gort.testing.Designs.SETUPS.stream();
    }

    /**
     * CYCLES forced-trigger concurrent cycles over a list held by a slot of main's stack; main
     * allocates garbage while each runs (so that it assists). Returns the cycles' records.
     */
    static List<CycleRecord> run(String setup, boolean completeAtArming) {
        Config cfg = gort.testing.Designs.apply(Config.defaults().withGomaxprocs(2).withGodebug(Map.of("gccheckmark", "1")), setup);
        AtomicReference<List<CycleRecord>> out = new AtomicReference<>();
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
            gc.faults.completeAtArming = completeAtArming;
            var st = Raw.stack();
            int f = st.push(1);
            for (int i = 0; i < LIVE; i++) {
                long node = h.alloc(NODE);
                h.storePtr(node, 0, st.get(f, 0));
                h.storeInt(node, 1, i);
                st.set(f, 0, node);
            }
            for (int c = 0; c < CYCLES; c++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    h.alloc(NODE); // garbage: assist points
                    Go.poll();
                }
            }
            long n = 0;
            for (long p = st.get(f, 0); p != 0; p = h.loadPtr(p, 0)) {
                n++;
            }
            if (n != LIVE) {
                throw new AssertionError("the live list lost nodes: " + n);
            }
            st.pop(f);
            List<CycleRecord> recs = new ArrayList<>();
            for (CycleRecord r : gc.cycleRecords()) {
                if (!r.forced()) {
                    recs.add(r);
                }
            }
            out.set(recs);
        });
        return out.get();
    }

    static long armingCompletions(List<CycleRecord> recs) {
        return recs.stream().filter(r -> r.mark1().completer() == CompleterKind.COORDINATOR).count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void markOneIsCompletedByAMarkerNotByWhoeverArmedIt(String setup) {
        List<CycleRecord> recs = run(setup, false);
        assertThat(recs).hasSizeGreaterThanOrEqualTo(CYCLES);
        assertThat(armingCompletions(recs)).as("mark 1s completed where they were armed, of " + recs.size()).isZero();
        for (CycleRecord r : recs) {
            assertThat(r.mark1().completer()).isIn(CompleterKind.DEDICATED, CompleterKind.FRACTIONAL, CompleterKind.IDLE,
                    CompleterKind.ASSIST, CompleterKind.SCHEDULER);
        }
    }

    /** The check at arming put back (a planted fault): the test above would see it. */
    @Test
    void withTheCheckAtArmingPutBackMarkOneEndsWhereItWasArmed() {
        // (on Go 1.5's marking: under Go 1.6's the unclaimed root jobs are work, and no check at arming can pass)
        for (String s : List.of("gcdesign=go1.5.1,gcwakeup=park", "gcdesign=go1.6,gcmarking=go15")) {
            List<CycleRecord> recs = run(s, true);
            assertThat(armingCompletions(recs)).as(s + ": mark 1s completed at arming, of " + recs.size()).isPositive();
        }
    }
}
