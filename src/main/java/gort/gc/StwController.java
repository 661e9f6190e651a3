package gort.gc;

/**
 * The controller of the stop-the-world mode ({@code GODEBUG=gcstoptheworld=1}, the checking
 * baseline): every cycle is a forced one, and the next trigger is the heap marked × (1 +
 * GOGC/100), at least heapminimum. Not quite Go 1.5's: in that mode Go keeps the concurrent
 * pacer's formula with its initial trigger ratio, 7/8, for the growth. Concurrent-cycle calls
 * never come (the collector runs no concurrent cycle in this mode).
 */
final class StwController implements GcController {
    private final int gogc;
    private volatile long trigger;

    StwController(int gogc) {
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
    public long markDone(long bytesMarked, long heapLive, long scanWork) {
        trigger = Math.max(bytesMarked + bytesMarked * gogc / 100, heapMinimum());
        return trigger;
    }

    @Override
    public void startForced(long heapLive) {}

    private static IllegalStateException concurrent() {
        return new IllegalStateException("fatal error: a concurrent cycle in stop-the-world mode");
    }

    @Override
    public void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan) {
        throw concurrent();
    }

    @Override
    public long heapGoal() {
        return trigger;
    }

    @Override
    public void assistsStarted(long now) {}

    @Override
    public void markStarted(long now) {}

    @Override
    public void revise(long heapLive, long heapScan) {}

    @Override
    public double assistRatio() {
        return 0;
    }

    @Override
    public long stealBgScanCredit(long want) {
        return 0;
    }

    @Override
    public void addBgScanCredit(long scanWork) {}

    @Override
    public void addAssistTime(long ns) {}

    @Override
    public boolean takeDedicated() {
        return false;
    }

    @Override
    public boolean takeFractional(long now) {
        return false;
    }

    @Override
    public void workerDone(CompleterKind mode, long ns) {}

    @Override
    public void endCycle(long heapLive, int gomaxprocs, long now, long scanWork) {
        throw concurrent();
    }

    @Override
    public long lastHg() {
        return 0;
    }

    @Override
    public long assistTime() {
        return 0;
    }

    @Override
    public long dedicatedTime() {
        return 0;
    }

    @Override
    public long fractionalTime() {
        return 0;
    }

    @Override
    public long idleTime() {
        return 0;
    }

    @Override
    public String startTrace() {
        return "pacer: stop-the-world mode";
    }

    @Override
    public String endTrace() {
        return "pacer: stop-the-world mode";
    }
}
