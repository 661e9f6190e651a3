package gort.gc;

/**
 * The controller under GOGC=off: no concurrent cycle ever starts (the trigger is never reached),
 * and only a forced collection ({@code runtime.GC()}) runs. Holds nothing.
 */
final class OffController extends ForcedOnlyController {
    OffController() {
        super("under GOGC=off", "pacer: off (GOGC=off)");
    }

    @Override
    public long trigger() {
        return Long.MAX_VALUE;
    }

    @Override
    public long heapMinimum() {
        return 0;
    }

    @Override
    public long heapGoal() {
        return Long.MAX_VALUE;
    }

    @Override
    public long markDone(long bytesMarked, long heapLive, long scanWork) {
        return Long.MAX_VALUE; // a forced cycle under GOGC=off sets no trigger
    }
}
