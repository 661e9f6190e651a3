package gort.workloads;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Alloc.loop with a chosen ring (what the JMH benchmarks run): the live set is ring × 64 objects. */
class AllocLoopTest {
    @Test
    void theLiveSetIsTheRingsChainsAfterACollection() {
        AtomicLong objects = new AtomicLong();
        Rt.run(Config.defaults().withGomaxprocs(2), () -> {
            Heap h = Raw.heap();
            int sink = Raw.newGlobal();
            Alloc.loop(h, sink, 3L * 64 * 64, 64); // three turns of a 64-entry ring
            Go.gc();
            Go.gc(); // its sweep termination finishes sweeping the first cycle's garbage
            objects.set(Go.readMemStats().heapObjects());
        });
        // 64 chains of 64 objects, the ring array itself, and the runtime's own few objects
        assertThat(objects.get()).isBetween(64L * 64 + 1, 64L * 64 + 64);
    }

    @Test
    void aRingThatIsNotAPowerOfTwoIsRefused() {
        Rt.run(Config.defaults().withGomaxprocs(1), () -> assertThatThrownBy(
                () -> Alloc.loop(Raw.heap(), Raw.newGlobal(), 10, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two, got 100"));
    }
}
