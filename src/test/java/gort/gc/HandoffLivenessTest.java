package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.heap.Type;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * A cycle completes when every goroutine blocks while it marks. main starts a concurrent cycle and
 * at once calls runtime.GC, which waits for that cycle to end (the world semaphore) when it got
 * there first, so no goroutine is left to run; the coordinator scans, arms mark 1, and waits. Under note it hands its P off in a
 * note sleep, with the roots its scan greyed in that P's cache, or with no work left at all (the
 * idle worker drained it during the scan, or mark 2 found nothing): unless the handed-off P
 * passes through its scheduler (its worker for the work, the scheduler's check for none), nothing
 * ever runs again and the run hangs. Nobody completes the phase where it was
 * armed (ArmingTest), so this is the only way out.
 */
class HandoffLivenessTest {
    static final Type NODE = Type.struct("handoff.node", "ptr,scalar");

    /** Each wakeup strategy on Go 1.5's marking, and Go 1.6 (its marking hands the roots out as jobs). */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(WakeupStrategy.values()).map(s -> "gcwakeup=" + s.flag()),
                        java.util.stream.Stream.of("gcdesign=go1.6"))
                .flatMap(s -> java.util.stream.Stream.of(false, true).map(b -> org.junit.jupiter.params.provider.Arguments.of(s, b)));
    }

    /**
     * The live list hangs from a global (its roots go to the global list at the scan) or from a
     * slot of main's stack (main is parked in runtime.GC, so the coordinator scans it into its own
     * P's cache, which the P it hands off holds).
     */
    @ParameterizedTest(name = "{0}, list on main's stack: {1}")
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void aCycleThatEveryGoroutineWaitsForCompletes(String setup, boolean onStack) {
        Config cfg = gort.testing.Designs.apply(Config.defaults().withGomaxprocs(2).withGodebug(Map.of("gccheckmark", "1")), setup);
        AtomicInteger cycles = new AtomicInteger();
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
            int g = Raw.newGlobal();
            var st = Raw.stack();
            int f = st.push(1);
            for (int i = 0; i < 5_000; i++) {
                long node = h.alloc(NODE);
                if (onStack) {
                    h.storePtr(node, 0, st.get(f, 0));
                    st.set(f, 0, node);
                } else {
                    h.storePtr(node, 0, Raw.global(g));
                    Raw.setGlobal(g, node);
                }
            }
            for (int i = 0; i < 40; i++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                Go.gc(); // runtime.GC waits for a cycle under way (the world semaphore): nobody else runs
                if (gc.numGC() < n0 + 1) {
                    throw new AssertionError("runtime.GC returned before its own cycle had ended");
                }
            }
            cycles.set(gc.numGC());
            st.pop(f);
        });
        assertThat(cycles.get()).isGreaterThanOrEqualTo(40);
    }
}
