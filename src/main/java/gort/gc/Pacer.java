package gort.gc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Go 1.5's GC pacing controller ({@code gcControllerState} in mgc.go; Clements, "Go 1.5 concurrent
 * garbage collector pacing", 2015): when to trigger the next cycle, how much background marking to
 * schedule, and how much scan work each allocated byte owes as an assist.
 *
 * <p>Owns: the trigger ratio (carried across cycles), the per-cycle counters (scan work,
 * background scan credit, assist time, worker time by mode), the heap goal, the worker tokens, the
 * assist ratio, and the heap figures the controller reasons about (heap_marked, heap_reachable,
 * next_gc; heap_scan is the heap's, passed in). Scan work is counted in bytes, as Go counts it.
 * Invariants, as Go's:
 * <ul>
 *   <li>after the first {@link #endCycle}, {@code 0 <= triggerRatio <= 0.95 × GOGC/100}: there is
 *       always a margin, so the assist ratio is finite (the first cycle starts from Go's initial
 *       guess, 7/8, whatever GOGC is);
 *   <li>{@code heapGoal = heap_reachable × (1 + GOGC/100)}; {@code next_gc >= heapminimum}, which
 *       is 4 MiB × GOGC/100 (Go's setGCPercent);
 *   <li>dedicated workers = floor(0.25 × GOMAXPROCS) (the goal utilization), plus one fractional worker token when the
 *       product has a fraction, which runs while its share of wall time is under the remainder;
 *   <li>assist ratio = expected scan work / (heap goal − heap at cycle start), the distance
 *       floored at 1 MiB.
 * </ul>
 * Times are platform nanoseconds passed in by the caller, so tests and a simulated platform drive
 * it without a clock.
 */
public final class Pacer implements GcController {
    /** Go's gcGoalUtilization: background marking's share of GOMAXPROCS. */
    public static final double GOAL_UTILIZATION = 0.25;
    /** Proportional gain of the trigger controller (Go's triggerGain). */
    public static final double TRIGGER_GAIN = 0.5;
    /** Go's defaultHeapMinimum: the heap minimum at GOGC=100 (it scales with GOGC). */
    public static final long DEFAULT_HEAP_MINIMUM = 4L << 20;
    /** Go's sweepMinHeapDistance: room left for concurrent sweep before the next trigger. */
    public static final long SWEEP_MIN_HEAP_DISTANCE = 1L << 20;
    /** Bytes of scan work a background worker batches before publishing it as credit (gcBgCreditSlack). */
    public static final long BG_CREDIT_SLACK = 2000;

    private final int gcpercent;
    /**
     * Go 1.6's controller (the go16 pacer) rather than Go 1.5's: the goal is at least 1 MiB above
     * heap_live at the start, and revise divides the scan work still expected
     * (heap_scan − the cycle's scan work so far, at least 1000 bytes) by the heap still to go
     * (goal − heap_live now, at least 1 byte), where Go 1.5's divides all of heap_scan by the
     * distance from the cycle's start. Everything else (the trigger feedback, the goal from the
     * reachable heap, the workers) is the same in both releases.
     */
    private final boolean go16;
    /** Go 1.6's gcController.scanWork: the scan work workers and assists did this cycle so far (go16). */
    private final AtomicLong scanWorkDone = new AtomicLong();
    /**
     * Background marking's share of GOMAXPROCS, which the trigger feedback also aims at:
     * {@link #GOAL_UTILIZATION} in Go; other values are the gcworkerfrac ablation (not Go).
     */
    private final double goalUtilization;
    /** Go's heapminimum: {@link #DEFAULT_HEAP_MINIMUM} × GOGC/100 (setGCPercent). */
    private final long heapMinimum;

    private double triggerRatio = 7 / 8.0;

    // per cycle
    /** The cycle's scan work, as the collector last reported it (for gcpacertrace). */
    private volatile long scanWork;
    final AtomicLong bgScanCredit = new AtomicLong();
    final AtomicLong assistTime = new AtomicLong();
    final AtomicLong dedicatedMarkTime = new AtomicLong();
    final AtomicLong fractionalMarkTime = new AtomicLong();
    final AtomicLong idleMarkTime = new AtomicLong();
    final AtomicLong dedicatedMarkWorkersNeeded = new AtomicLong();
    final AtomicLong fractionalMarkWorkersNeeded = new AtomicLong();
    private volatile long bgMarkStartTime;
    private volatile long assistStartTime;
    private volatile long heapGoal;
    private volatile double fractionalUtilizationGoal;
    private volatile double assistRatio;

    // the heap figures of memstats the controller uses
    private long heapMarked;
    private long heapReachable;
    /** heap_scan as the last revise saw it (the heap owns heap_scan), for gcpacertrace. */
    private volatile long heapScan;
    private volatile long nextGC;
    private long initialHeapLive;

    /** @param gcpercent GOGC (must be >= 0; GOGC=off never starts a cycle and needs no pacer) */
    public Pacer(int gcpercent) {
        this(gcpercent, GOAL_UTILIZATION);
    }

    /** A pacer whose background workers aim at {@code goalUtilization} of GOMAXPROCS, in (0, 1]. */
    public Pacer(int gcpercent, double goalUtilization) {
        this(gcpercent, goalUtilization, false);
    }

    /** A pacer as above; {@code go16}: Go 1.6's controller, else Go 1.5's. */
    public Pacer(int gcpercent, double goalUtilization, boolean go16) {
        this.go16 = go16;
        if (gcpercent < 0) {
            throw new IllegalArgumentException("the pacer needs GOGC >= 0, got " + gcpercent);
        }
        if (!(goalUtilization > 0 && goalUtilization <= 1)) {
            throw new IllegalArgumentException("the pacer's goal utilization must be in (0, 1], got " + goalUtilization);
        }
        this.goalUtilization = goalUtilization;
        this.gcpercent = gcpercent;
        this.heapMinimum = heapMinimum(gcpercent);
        this.nextGC = heapMinimum;
    }

    /** Go's setGCPercent: heapminimum = defaultHeapMinimum × GOGC/100. */
    public static long heapMinimum(int gcpercent) {
        return DEFAULT_HEAP_MINIMUM * gcpercent / 100;
    }

    /** This pacer's heapminimum. */
    @Override
    public long heapMinimum() {
        return heapMinimum;
    }

    /**
     * Resets the per-cycle state and computes this cycle's goal and worker counts (Go's
     * startCycle). The world is stopped; {@code heapLive} and {@code heapScan} are heap_live and
     * heap_scan at the start of the cycle.
     */
    @Override
    public void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan) {
        startCycle(gomaxprocs, heapLive, heapScan);
    }

    /** {@link #startCycle(int, long, long, long, long)}: Go 1.5's controller does not count the roots' scan work. */
    public void startCycle(int gomaxprocs, long heapLive, long heapScan) {
        scanWork = 0;
        bgScanCredit.set(0);
        assistTime.set(0);
        dedicatedMarkTime.set(0);
        fractionalMarkTime.set(0);
        idleMarkTime.set(0);
        initialHeapLive = heapLive;
        // On the first cycle or a tiny heap, fake heap_marked so next_gc looks like the right
        // growth from it (the real one is meaningless or gives a huge error response).
        if (nextGC <= heapMinimum) {
            heapMarked = (long) (nextGC / (1 + triggerRatio));
            heapReachable = heapMarked;
        }
        heapGoal = heapReachable + heapReachable * gcpercent / 100;
        if (go16 && heapGoal < heapLive + (1 << 20)) {
            heapGoal = heapLive + (1 << 20); // Go 1.6: the trigger was late, or GOGC is tiny
        }
        scanWorkDone.set(0);
        double total = gomaxprocs * goalUtilization;
        long dedicated = (long) total;
        dedicatedMarkWorkersNeeded.set(dedicated);
        fractionalUtilizationGoal = total - dedicated;
        fractionalMarkWorkersNeeded.set(fractionalUtilizationGoal > 0 ? 1 : 0);
        revise(heapLive, heapScan);
    }

    /**
     * Starts a forced (stop-the-world) cycle: only the heap at its start matters, for
     * {@link #markDone}'s estimate of the reachable heap (Go's gcResetMarkState in any mode).
     */
    @Override
    public void startForced(long heapLive) {
        scanWork = 0;
        initialHeapLive = heapLive;
    }

    /**
     * Recomputes the assist ratio from the current estimates (Go's revise): called at the start of
     * a cycle, and whenever heap_scan grows (the heap folds an mcache's scannable allocation into
     * it when the cache takes a span from the heap, under the heap lock), so the ratio rises as
     * scannable heap is allocated during a cycle.
     */
    @Override
    public void revise(long heapLive, long heapScan) {
        if (!go16) {
            revise(heapScan);
            return;
        }
        this.heapScan = heapScan;
        long scanWorkExpected = Math.max(heapScan - scanWorkDone.get(), 1000);
        long heapDistance = Math.max(heapGoal - heapLive, 1);
        assistRatio = (double) scanWorkExpected / heapDistance;
    }

    /** {@link #revise(long, long)}: Go 1.5's ratio depends on heap_scan only (the distance is the cycle's). */
    public void revise(long heapScan) {
        this.heapScan = heapScan;
        long scanWorkExpected = heapScan;
        long heapDistance = heapGoal - initialHeapLive;
        if (heapDistance <= 1 << 20) {
            heapDistance = 1 << 20; // the trigger was late or the goal close: floor the distance
        }
        assistRatio = (double) scanWorkExpected / heapDistance;
    }

    /** Assists are enabled from now on (Go's gcController.assistStartTime, set as the scan phase starts). */
    @Override
    public void assistsStarted(long now) {
        assistStartTime = now;
    }

    /** Background marking starts now, after the scan phase (Go's gcController.bgMarkStartTime). */
    @Override
    public void markStarted(long now) {
        bgMarkStartTime = now;
    }

    /**
     * Adjusts the trigger ratio by this cycle's error, at the end of concurrent marking (Go's
     * endCycle): how far the heap grew past the trigger, scaled by how far GC CPU utilization was
     * from the goal (25%), compared with the GOGC growth.
     */
    @Override
    public void endCycle(long heapLive, int gomaxprocs, long now, long scanWork) {
        this.scanWork = scanWork;
        double goalGrowthRatio = gcpercent / 100.0;
        double actualGrowthRatio = (double) heapLive / heapMarked - 1;
        long assistDuration = now - assistStartTime;
        double utilization = goalUtilization; // assume background marking hit its goal
        if (assistDuration > 0) {
            utilization += (double) assistTime.get() / ((double) assistDuration * gomaxprocs);
        }
        double triggerError = goalGrowthRatio - triggerRatio
                - utilization / goalUtilization * (actualGrowthRatio - triggerRatio);
        lastEnd = new EndState(triggerRatio, actualGrowthRatio, heapLive, utilization, heapMarked, nextGC, scanWork);
        triggerRatio += TRIGGER_GAIN * triggerError;
        if (triggerRatio < 0) {
            triggerRatio = 0;
        } else if (triggerRatio > goalGrowthRatio * 0.95) {
            triggerRatio = goalGrowthRatio * 0.95;
        }
    }

    /** What endCycle saw, for gcpacertrace (printed in terms of the pacing design document). */
    private volatile EndState lastEnd;

    private record EndState(double hT, double hA, long heapLive, double uA, long heapMarkedPrev, long trigger, long scanWork) {}

    /**
     * Sets next_gc from this cycle's marking (the end of Go's gcMark): the reachable heap at the
     * start of the cycle is estimated as the bytes marked less the bytes allocated during the
     * cycle; the next trigger is that times (1 + triggerRatio), at least 4 MiB, and at least
     * enough above the live heap for concurrent sweeping. Returns next_gc.
     */
    @Override
    public long markDone(long bytesMarked, long heapLiveAtTermination, long scanWork) {
        this.scanWork = scanWork;
        return markDone(bytesMarked, heapLiveAtTermination);
    }

    /** {@link #markDone(long, long, long)} without the scan work (Go 1.5 takes heap_scan from it at the next start). */
    public long markDone(long bytesMarked, long heapLiveAtTermination) {
        long allocatedDuringCycle = heapLiveAtTermination - initialHeapLive;
        heapReachable = bytesMarked >= allocatedDuringCycle ? bytesMarked - allocatedDuringCycle : 0;
        long next = (long) (heapReachable * (1 + triggerRatio));
        if (next < heapMinimum) {
            next = heapMinimum;
        }
        heapMarked = bytesMarked;
        long minNextGC = bytesMarked + SWEEP_MIN_HEAP_DISTANCE * gcpercent / 100;
        if (next < minNextGC) {
            next = minNextGC;
        }
        nextGC = next;
        return next;
    }

    /** Takes a dedicated-worker token (Go's decIfPositive on dedicatedMarkWorkersNeeded). */
    @Override
    public boolean takeDedicated() {
        return decIfPositive(dedicatedMarkWorkersNeeded);
    }

    /**
     * Takes the fractional-worker token if the fractional worker is at or under its share of wall
     * time since background marking started; returns it otherwise.
     */
    @Override
    public boolean takeFractional(long now) {
        if (!decIfPositive(fractionalMarkWorkersNeeded)) {
            return false;
        }
        long then = now - bgMarkStartTime;
        long used = fractionalMarkTime.get();
        if (then > 0 && (double) used / then > fractionalUtilizationGoal) {
            fractionalMarkWorkersNeeded.incrementAndGet(); // we'd overshoot the utilization goal
            return false;
        }
        return true;
    }

    /** A background worker in mode {@code kind} ran for {@code ns}; gives its token back. */
    @Override
    public void workerDone(CompleterKind kind, long ns) {
        switch (kind) {
            case DEDICATED -> {
                dedicatedMarkTime.addAndGet(ns);
                dedicatedMarkWorkersNeeded.incrementAndGet();
            }
            case FRACTIONAL -> {
                fractionalMarkTime.addAndGet(ns);
                fractionalMarkWorkersNeeded.incrementAndGet();
            }
            case IDLE -> idleMarkTime.addAndGet(ns);
            default -> throw new IllegalArgumentException("not a worker: " + kind);
        }
    }

    private static boolean decIfPositive(AtomicLong v) {
        if (v.get() > 0) {
            if (v.decrementAndGet() >= 0) {
                return true;
            }
            v.incrementAndGet(); // lost a race
        }
        return false;
    }

    public double triggerRatio() {
        return triggerRatio;
    }

    @Override
    public long heapGoal() {
        return heapGoal;
    }

    public long nextGC() {
        return nextGC;
    }

    @Override
    public long trigger() {
        return nextGC;
    }

    @Override
    public double assistRatio() {
        return assistRatio;
    }

    /** The scan work workers and assists did this cycle so far, as the go16 pacer counts it (for tests). */
    long scanWorkDone() {
        return scanWorkDone.get();
    }

    @Override
    public long bgScanCredit() {
        return bgScanCredit.get();
    }

    @Override
    public long stealBgScanCredit(long want) {
        long credit = bgScanCredit.get();
        if (credit <= 0) {
            return 0;
        }
        long stolen = Math.min(credit, want);
        bgScanCredit.addAndGet(-stolen); // racy, as Go's: the credit may go below zero
        return stolen;
    }

    @Override
    public void addBgScanCredit(long work) {
        scanWorkDone.addAndGet(work);
        bgScanCredit.addAndGet(work);
    }

    @Override
    public void countBgScanWork(long work) {
        scanWorkDone.addAndGet(work);
    }

    @Override
    public void addAssistScanWork(long work) {
        scanWorkDone.addAndGet(work);
    }

    @Override
    public void addAssistTime(long ns) {
        assistTime.addAndGet(ns);
    }

    @Override
    public long assistTime() {
        return assistTime.get();
    }

    @Override
    public long dedicatedTime() {
        return dedicatedMarkTime.get();
    }

    @Override
    public long fractionalTime() {
        return fractionalMarkTime.get();
    }

    @Override
    public long idleTime() {
        return idleMarkTime.get();
    }

    public long heapMarked() {
        return heapMarked;
    }

    public double fractionalUtilizationGoal() {
        return fractionalUtilizationGoal;
    }

    public long dedicatedWorkersNeeded() {
        return dedicatedMarkWorkersNeeded.get();
    }

    public long fractionalWorkersNeeded() {
        return fractionalMarkWorkersNeeded.get();
    }

    /** The line GODEBUG=gcpacertrace=1 prints at the start of a cycle (Go's format). */
    @Override
    public String startTrace() {
        return "pacer: assist ratio=" + GoFormat.printfloat(assistRatio) + " (scan " + (heapScan >> 20) + " MB in " + (initialHeapLive >> 20)
                + "->" + (heapGoal >> 20) + " MB) workers=" + dedicatedMarkWorkersNeeded.get() + "+"
                + fractionalMarkWorkersNeeded.get();
    }

    /**
     * H_g of the last {@link #endCycle}: heap marked in the previous cycle × (1 + GOGC/100), the
     * goal gcpacertrace prints; 0 before the first.
     */
    @Override
    public long lastHg() {
        EndState e = lastEnd;
        return e == null ? 0 : (long) (e.heapMarkedPrev * (1 + gcpercent / 100.0));
    }

    /** The line GODEBUG=gcpacertrace=1 prints at the end of concurrent marking (Go's format). */
    @Override
    public String endTrace() {
        EndState e = lastEnd;
        if (e == null) {
            return "pacer: (no cycle ended yet)";
        }
        double hG = gcpercent / 100.0;
        return "pacer: H_m_prev=" + e.heapMarkedPrev + " h_t=" + GoFormat.printfloat(e.hT) + " H_T=" + e.trigger + " h_a="
                + GoFormat.printfloat(e.hA) + " H_a=" + e.heapLive + " h_g=" + GoFormat.printfloat(hG) + " H_g="
                + (long) (e.heapMarkedPrev * (1 + hG)) + " u_a=" + GoFormat.printfloat(e.uA) + " u_g=" + GoFormat.printfloat(goalUtilization)
                + " W_a=" + e.scanWork + " goalΔ=" + GoFormat.printfloat(hG - e.hT) + " actualΔ=" + GoFormat.printfloat(e.hA - e.hT)
                + " u_a/u_g=" + GoFormat.printfloat(e.uA / goalUtilization);
    }
}
