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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cycle completes when every goroutine blocks while it marks. main starts a concurrent cycle and
 * at once calls runtime.GC, which waits for that cycle to end (the world semaphore) when it got
 * there first, so no goroutine is left to run; the coordinator scans, arms mark 1, and waits. Under note it hands its P off in a
 * note sleep, with the roots its scan greyed in that P's cache (or no work at all): unless the
 * handed-off P passes through its scheduler (a worker for the work, the scheduler's check for
 * none), nothing ever runs again and the run hangs. Nobody completes the phase where it was
 * armed (ArmingTest), so this is the only way out.
 */
class HandoffLivenessTest {
    static final Type NODE = Type.struct("handoff.node", "ptr,scalar");

    @ParameterizedTest(name = "{0}")
    @EnumSource(WakeupStrategy.class)
    void aCycleThatEveryGoroutineWaitsForCompletes(WakeupStrategy s) {
        Config cfg = Config.defaults().withGomaxprocs(2).withWakeup(s).withGodebug(Map.of("gccheckmark", "1"));
        AtomicInteger cycles = new AtomicInteger();
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
            int g = Raw.newGlobal();
            for (int i = 0; i < 5_000; i++) {
                long node = h.alloc(NODE);
                h.storePtr(node, 0, Raw.global(g));
                Raw.setGlobal(g, node);
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
        });
        assertThat(cycles.get()).isGreaterThanOrEqualTo(40);
    }
}
