package gort.gc;

/**
 * The controller under GOGC=off: no concurrent cycle ever starts (the trigger is never reached),
 * and only a forced collection ({@code runtime.GC()}) runs. Holds nothing.
 */
final class OffController implements GcController {
    @Override
    public long trigger() {
        return Long.MAX_VALUE;
    }

    @Override
    public long heapMinimum() {
        return 0;
    }

    @Override
    public void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan) {
        throw new IllegalStateException("fatal error: a concurrent cycle under GOGC=off");
    }

    @Override
    public long heapGoal() {
        return Long.MAX_VALUE;
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
    public void endCycle(long heapLive, int gomaxprocs, long now, long scanWork) {}

    @Override
    public long markDone(long bytesMarked, long heapLive, long scanWork) {
        return Long.MAX_VALUE; // a forced cycle under GOGC=off sets no trigger
    }

    @Override
    public void startForced(long heapLive) {}

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
        return "pacer: off (GOGC=off)";
    }

    @Override
    public String endTrace() {
        return "pacer: off (GOGC=off)";
    }
}
