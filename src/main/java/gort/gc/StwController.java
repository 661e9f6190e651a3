package gort.gc;

/**
 * The controller of the stop-the-world mode ({@code GODEBUG=gcstoptheworld=1}, the checking
 * baseline): every cycle is a forced one, and the next trigger is the heap marked × (1 +
 * GOGC/100), at least heapminimum. Not quite Go 1.5's: in that mode Go keeps the concurrent
 * pacer's formula with its initial trigger ratio, 7/8, for the growth. Concurrent-cycle calls
 * never come (the collector runs no concurrent cycle in this mode).
 */
final class StwController extends ForcedOnlyController {
    private final int gogc;
    private volatile long trigger;

    StwController(int gogc) {
        super("in stop-the-world mode", "pacer: stop-the-world mode");
        this.gogc = gogc;
        this.trigger = Pacer.heapMinimum(gogc);
    }

    @Override
    public long trigger() {
        return trigger;
    }

    @Override
    public long heapMinimum() {
        return Pacer.heapMinimum(gogc);
    }

    @Override
    public long heapGoal() {
        return trigger;
    }

    @Override
    public long markDone(long bytesMarked, long heapLive, long scanWork) {
        trigger = Math.max(bytesMarked + bytesMarked * gogc / 100, heapMinimum());
        return trigger;
    }
}
