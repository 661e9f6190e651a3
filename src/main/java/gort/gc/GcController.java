package gort.gc;

/**
 * The GC controller (Go's gcControllerState): the single owner of the trigger and the goal, and
 * of what paces a cycle: the background workers' share, the assist ratio, the background scan
 * credit and the cycle's mark CPU time. One implementation per pacing design ({@link PacerKind}),
 * and {@link OffController} for GOGC=off.
 *
 * <p>Called by the collector: {@link #startCycle} and {@link #endCycle}/{@link #markDone} with
 * the world stopped; {@link #revise} under the heap lock whenever heap_scan or heap_live took an
 * mcache's counts; the worker, credit and assist calls concurrently from any P. Scan work is in
 * bytes; times are platform nanoseconds passed in, so tests drive an implementation without a
 * clock.
 */
public interface GcController {
    /** heap_live at which the next concurrent cycle starts (Go's next_gc trigger); Long.MAX_VALUE: never. */
    long trigger();

    /** The smallest trigger this controller sets (Go's heapminimum). */
    long heapMinimum();

    /**
     * A concurrent cycle starts (world stopped): heap_live and heap_scan now, and the scan work
     * the roots will take (stacks and globals, in bytes; Go 1.5's controller does not use them).
     */
    void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan);

    /** This cycle's heap goal. */
    long heapGoal();

    /** Assists are enabled from now on (the scan phase starts). */
    void assistsStarted(long now);

    /** Background marking starts now (after the scan phase). */
    void markStarted(long now);

    /** heap_scan or heap_live grew during the cycle: recompute the assist ratio. */
    void revise(long heapLive, long heapScan);

    /** Bytes of scan work an assist owes per byte allocated. */
    double assistRatio();

    /** Takes up to {@code want} bytes of background scan credit (racy, as Go's); returns what it took. */
    long stealBgScanCredit(long want);

    /** The background scan credit now (racy, as Go's atomic load of bgScanCredit); 0 for a controller without credit. */
    default long bgScanCredit() {
        return 0;
    }

    /** A background worker publishes scan work it did as credit for assists. */
    void addBgScanCredit(long scanWork);

    /**
     * Background scan work that paid parked assists directly (go16 marking's gcFlushBgCredit) and
     * so never reached {@link #addBgScanCredit}: counted as work done, not added to the credit.
     */
    default void countBgScanWork(long scanWork) {}

    /** An assist ran for ns. */
    void addAssistTime(long ns);

    /**
     * An assist did {@code scanWork} bytes of scan work (Go's gcDrainN publishing its heap scan
     * work), for a controller that revises the assist ratio on the work done so far. Workers'
     * work arrives through {@link #addBgScanCredit}. Go 1.5's controller does not use it.
     */
    default void addAssistScanWork(long scanWork) {}

    /**
     * Whether the GC CPU limiter is on now (Go 1.19's gcCPULimiter.limiting): assists are skipped
     * while it is. Controllers without a limiter never limit.
     */
    default boolean limiting() {
        return false;
    }

    /** Takes a dedicated worker token. */
    boolean takeDedicated();

    /** Takes the fractional worker token if that worker is under its share of time now. */
    boolean takeFractional(long now);

    /** A background worker in {@code mode} ran for ns; gives its token back. */
    void workerDone(CompleterKind mode, long ns);

    /** Concurrent marking ended (mark termination, world stopped): the feedback for the next trigger. */
    void endCycle(long heapLive, int gomaxprocs, long now, long scanWork);

    /**
     * Marking is over (world stopped): sets the next trigger from the bytes marked, heap_live and
     * the cycle's scan work, and returns it.
     */
    long markDone(long bytesMarked, long heapLive, long scanWork);

    /** A forced (stop-the-world) cycle starts at heap_live. */
    void startForced(long heapLive);

    /** H_g of the last cycle: heap marked in the cycle before × (1 + GOGC/100), as gcpacertrace prints it; 0 if none. */
    long lastHg();

    /** This cycle's assist time and each worker mode's time, in ns (for the records and gctrace). */
    long assistTime();

    long dedicatedTime();

    long fractionalTime();

    long idleTime();

    /** The line gcpacertrace prints as a cycle starts, and as concurrent marking ends. */
    String startTrace();

    String endTrace();
}
