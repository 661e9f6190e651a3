package gort.gc;

/**
 * What the controllers that run no concurrent cycle share ({@link OffController} for GOGC=off,
 * {@link StwController} for the stop-the-world mode): only forced, stop-the-world cycles run, so
 * there are no workers, assists, credit or mark time, and a concurrent cycle's start or end is a
 * fatal error naming the mode. A subclass gives the trigger, the goal, heapminimum and what a
 * forced cycle's end sets.
 */
abstract class ForcedOnlyController implements GcController {
    /** Where the fatal error says the concurrent cycle came ("under GOGC=off"), and the pacer trace's line. */
    private final String where;
    private final String traceLine;

    ForcedOnlyController(String where, String traceLine) {
        this.where = where;
        this.traceLine = traceLine;
    }

    private IllegalStateException concurrent() {
        return new IllegalStateException("fatal error: a concurrent cycle " + where);
    }

    @Override
    public void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan) {
        throw concurrent();
    }

    @Override
    public void endCycle(long heapLive, int gomaxprocs, long now, long scanWork) {
        throw concurrent();
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
        return traceLine;
    }

    @Override
    public String endTrace() {
        return traceLine;
    }
}
