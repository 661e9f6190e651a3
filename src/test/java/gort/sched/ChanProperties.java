package gort.sched;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Exact delivery over channels for random shapes: whatever the buffer size, the numbers of
 * producers and consumers and GOMAXPROCS, every sent value is received exactly once, and each
 * consumer sees each producer's values in order.
 */
class ChanProperties {

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void everyValueIsDeliveredExactlyOnce(
            @ForAll @IntRange(min = 0, max = 4) int cap,
            @ForAll @IntRange(min = 1, max = 4) int producers,
            @ForAll @IntRange(min = 1, max = 4) int consumers,
            @ForAll @IntRange(min = 0, max = 50) int perProducer,
            @ForAll @IntRange(min = 1, max = 2) int procs) {
        List<List<Integer>> got = ChanTest.producersConsumers(procs, cap, producers, consumers, perProducer);
        ChanTest.assertExactDelivery(got, producers, consumers, perProducer);
    }
}
