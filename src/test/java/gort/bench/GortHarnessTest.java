package gort.bench;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.heap.Type;
import gort.sched.FatalError;
import gort.sched.Sched;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JMH harness: tasks run on one goroutine in order, the collector runs between them, errors come back. */
class GortHarnessTest {
    @Test
    @Timeout(60)
    void tasksRunInOrderOnTheMainGoroutineAndTheCollectorRunsBetweenThem() {
        List<Long> goids = new ArrayList<>();
        long[] cycles = new long[2];
        try (GortHarness rt = new GortHarness(Config.defaults().withGomaxprocs(2), () -> goids.add(Sched.getg().goid()))) {
            rt.call(() -> {
                goids.add(Sched.getg().goid());
                cycles[0] = Go.readMemStats().numGC();
            });
            rt.call(() -> {
                for (int i = 0; i < 500_000; i++) {
                    Raw.heap().alloc(Type.SCALAR); // 4 MB of garbage (8-byte class): past the 4 MiB minimum goal
                }
                Go.gc();
                goids.add(Sched.getg().goid());
                cycles[1] = Go.readMemStats().numGC();
            });
        }
        assertThat(goids).hasSize(3).containsOnly(goids.getFirst());
        assertThat(cycles[1]).isGreaterThan(cycles[0]);
    }

    @Test
    @Timeout(60)
    void aTaskThatPanicsEndsTheRuntimeAndEveryCallSaysSo() {
        GortHarness rt = new GortHarness(Config.defaults().withGomaxprocs(1), () -> { });
        assertThatThrownBy(() -> rt.call(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(FatalError.class).hasMessageContaining("boom");
        assertThatThrownBy(() -> rt.call(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended");
        rt.close(); // returns at once: nothing to stop
    }

    @Test
    @Timeout(60)
    void aFatalErrorFromAnotherGoroutineReachesTheCallerInsteadOfHanging() {
        GortHarness rt = new GortHarness(Config.defaults().withGomaxprocs(1), () -> { });
        assertThatThrownBy(() -> rt.call(() -> {
            Go.go(() -> {
                throw new IllegalArgumentException("from another goroutine");
            });
            Go.makeChan(Long.class, 0).recv(); // blocks; the other goroutine's panic ends the runtime
        })).isInstanceOf(FatalError.class).hasMessageContaining("from another goroutine");
    }
}
