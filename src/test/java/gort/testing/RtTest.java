package gort.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.Raw;
import gort.api.Runtime;
import gort.heap.Type;
import gort.sched.G;
import gort.sched.Sched;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The test harness's watchdog: a runtime that does not finish fails its test and is stopped, so
 * that its goroutines do not run on beside every later test in the JVM. What is asserted is the
 * runtime's state after the watchdog fired (its Ms ended, its goroutines dead), not a time.
 */
class RtTest {
    @Test
    void aRuntimeThatTripsTheWatchdogIsStoppedBeforeTheTestFails() {
        AtomicReference<Runtime> rt = new AtomicReference<>();
        assertThatThrownBy(() -> Rt.run(Config.defaults().withGomaxprocs(2), 1, () -> {
            rt.set((Runtime) Sched.current().env);
            Go.go("blocked", () -> Go.makeChan(Object.class, 0).recv());
            Go.go("allocator", () -> {
                for (;;) {
                    Raw.heap().allocArray(Type.SCALAR, 512); // garbage: the collector keeps cycling
                }
            });
            for (;;) {
                Go.poll(); // a main that never returns, but reaches safepoints
            }
        })).isInstanceOf(AssertionError.class).hasMessageContaining("watchdog: runtime did not finish within 1 s")
                .hasMessageContaining("; stopped\n");
        assertThat(rt.get()).isNotNull();
        assertThat(rt.get().sched().exiting()).isTrue();
        assertThat(rt.get().sched().liveMs()).as("Ms of the stopped runtime whose thread runs on").isZero();
        assertThat(rt.get().sched().allgs()).allMatch(g -> g.status() == G.DEAD, "every goroutine dead");
    }
}
