package gort.gc;

import gort.heap.HeapStats;
import gort.platform.Platform;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Go 1.18's GC pacer (its "GC pacer redesign" proposal) with Go 1.19's soft memory limit and
 * GC CPU limiter, as Go 1.19's runtime has them: mgcpacer.go's gcControllerState.{init,
 * startCycle, revise, endCycle, resetLive, commit, heapGoalInternal, memoryLimitHeapGoal,
 * trigger, markWorkerStop} and findRunnableGCWorker's choice of worker, its piController.next,
 * and mgclimit.go's gcCPULimiterState.{startGCTransition, finishGCTransition, needUpdate,
 * update, updateLocked, accumulate, resetCapacity, limiting}. The rest of the collector stays Go
 * 1.5's (the cycle driver, the assists' accounting, the workers' drain loops).
 *
 * <p>Owns: the cons/mark estimate and its smoothing controller, the runway, the heap figures the
 * controller reasons about (heap_marked, the last cycle's heap and stack scan work, the globals'
 * scan size), the trigger and the goal, the per-cycle counters (scan work done, background
 * credit, assist and worker time), the worker split, the assist ratio, and the CPU limiter.
 * Invariants, as Go's:
 * <ul>
 *   <li>GOGC's goal = heap_marked + (heap_marked + last stack scan + globals scan) × GOGC/100, at
 *       least heapminimum (4 MiB × GOGC/100); with a memory limit the goal is the smaller of that
 *       and {@link #memoryLimitHeapGoal}; outside the memory-limited regime the goal is raised to
 *       the sweep distance (heap_marked + 1 MiB after a cycle) and to 64 KiB above the point the
 *       cycle triggered at;
 *   <li>runway = cons/mark × (1 − 0.25) / 0.25 × (last heap scan + last stack scan + globals);
 *       trigger = goal − runway, within [max(heap_marked + 45/64 × (goal − heap_marked), sweep
 *       distance), max(heap_marked + 61/64 × (goal − heap_marked), goal − 4 MiB)], never above the
 *       goal (with the lower bound winning over the upper one, as Go's);
 *   <li>assist ratio = remaining expected scan work (at least 1000 bytes) / heap left to the goal
 *       (at least 1 byte); the expected work is the last cycle's, or, once the cycle has done more
 *       than that, all the scannable heap with the goal extrapolated and capped at (1 + GOGC/100)
 *       × goal (the hard goal); past even that goal, 1.1 × it;
 *   <li>dedicated workers = round(0.25 × GOMAXPROCS), and when that is more than 30% off, one
 *       fewer if it was too many, plus a fractional share per P of the rest;
 *   <li>the limiter's bucket fill stays in [0, GOMAXPROCS × 1 s]; it limits (assists are skipped)
 *       exactly while the bucket is full, i.e. while GC CPU time has outrun mutator time by that
 *       much: over a long window, GC CPU is held near 50%.
 * </ul>
 * Times are platform nanoseconds passed in, so tests drive it without a clock.
 *
 * <p>Where gort cannot follow Go, this simplifies (docs/ARCHITECTURE.md lists each with its
 * effect):
 * <ul>
 *   <li><em>Stacks and globals.</em> gort's stacks are shadow stacks of root slots: the stack
 *       scan is 8 bytes per slot in use at sweep termination, which serves both as Go's
 *       allocated-stack bound (maxStackScan) and as the cycle's stack scan work; the globals' is 8
 *       bytes per global slot. Both are counted as scan work done when the scan phase ends (gort
 *       scans the roots before background marking starts), and the termination mark's stack
 *       rescan (Go 1.5's barrier; Go 1.8+ has none) is not counted.
 *   <li><em>Inputs.</em> Under this pacer the heap and the cycle give it Go 1.19's inputs
 *       ({@link PacerKind#accountsLikeGo119}): heap_live counted at refills, objects allocated
 *       black in every phase of marking, and heap_scan fixed while marking, so the scannable heap
 *       at a cycle's start bounds its heap scan work, as in Go.
 *   <li><em>Mapped memory.</em> gort accounts only its arena: mapped memory is the pages of
 *       object and manual spans; free pages count as returned, because gort has no scavenger (as
 *       if Go's returned them at once), so non-heap memory is the manual spans plus the free slots
 *       in spans in use. Memory the host JVM holds for gort (span metadata, mark bits, work
 *       buffers) is not counted. The memory-limit goal is evaluated with the world stopped (at
 *       sweep termination for the cycle's goal, at mark termination for the next trigger), not on
 *       every call as Go's: gort's span statistics are read by walking the spans under the heap
 *       lock.
 *   <li><em>Workers.</em> The fractional share is checked over all Ps together (the controller's
 *       calls carry no P), and a fractional worker drains until it is preempted (Go 1.5's loop);
 *       idle workers are not capped.
 *   <li><em>The limiter</em> sees the background workers' 25% while the GC is on, assist time,
 *       and idle-mark time; it does not see idle Ps' time or the stop-the-world pauses (no
 *       scheduler hook), and it is updated at the GC transitions and from the scheduler's worker
 *       check (at most every 10 ms, as Go's), not after every assist.
 *   <li><em>Assists</em> keep Go 1.5.1's accounting (debt = ratio × bytes the goroutine allocated
 *       this cycle − work it did; no 64 KiB over-assist): a rise of the ratio during a cycle
 *       reprices the goroutine's whole allocation, where Go 1.6+ converts only unpaid bytes. An
 *       assist that can neither steal credit nor find work does not park on an assist queue
 *       until background credit arrives (Go 1.19's gcParkAssist): under gort's default
 *       {@code gcassistblock=0} the goroutine allocates on with its debt owed, and
 *       {@code gcassistblock=1} (Go 1.5.1's 100 µs sleep and retry) is the nearest gort has.
 *   <li><em>The cycle</em> around this controller is Go 1.5's (a coordinator or, with
 *       {@code --wakeup none}, Go 1.6's transitions; mark 1, then mark 2 with its ragged barrier),
 *       not Go 1.19's single mark phase: what the mutator allocates between mark 1's completion
 *       and mark termination, when there is little work left to assist with, is over the goal.
 * </ul>
 */
public final class Go118Pacer implements GcController {
    /** Go's gcBackgroundUtilization (= gcGoalUtilization): background marking's share of GOMAXPROCS. */
    public static final double BACKGROUND_UTILIZATION = 0.25;
    /** The background workers' share of GOMAXPROCS this pacer plans with. */
    private final double backgroundUtilization;
    /** Go's defaultHeapMinimum: heapminimum at GOGC=100 (it scales with GOGC), and the upper trigger bound's margin. */
    public static final long DEFAULT_HEAP_MINIMUM = 4L << 20;
    /** Go's sweepMinHeapDistance: room left for concurrent sweep above the live heap (Go 1.19 does not scale it by GOGC). */
    public static final long SWEEP_MIN_HEAP_DISTANCE = 1L << 20;
    /** Go's memoryLimitHeapGoalHeadroom: what the memory-limit goal keeps back for pacing errors. */
    public static final long MEMORY_LIMIT_HEADROOM = 1L << 20;
    /** Go's minRunway: the goal's least distance above the point a cycle triggered at. */
    public static final long MIN_RUNWAY = 64 << 10;
    /** The trigger bounds as fractions of the way from heap_marked to the goal: 45/64 (~0.7) and 61/64 (~0.95). */
    public static final int TRIGGER_RATIO_DEN = 64;
    public static final int MIN_TRIGGER_RATIO_NUM = 45;
    public static final int MAX_TRIGGER_RATIO_NUM = 61;
    /** revise's margin once the heap is past even the extrapolated goal (Go's maxOvershoot). */
    static final double MAX_OVERSHOOT = 1.1;
    /** revise's floor under the remaining scan work. */
    static final long MIN_SCAN_WORK_REMAINING = 1000;
    /** How far rounding the dedicated workers may miss the 25% before fractional workers make it up (Go's maxUtilError). */
    static final double MAX_UTIL_ERROR = 0.3;
    /** revise's stand-in for GOGC when GOGC=off (Go's: "act like GOGC is huge"). */
    static final int GOGC_OFF_FOR_REVISE = 100_000;
    /** Go's ^uint64(0) for "not in a cycle" (triggered). */
    static final long NONE = Long.MAX_VALUE;

    private final int gcPercent;
    private final long memoryLimit;
    private final long heapMinimum;
    private final Supplier<HeapStats> memory;
    private final ConsMarkController consMarkController = new ConsMarkController();
    final GcCpuLimiter limiter;

    // ---- set at commit and resetLive (world stopped) ----
    private double consMark;
    private volatile long runway;
    private volatile long gcPercentHeapGoal;
    private volatile long sweepDistMinTrigger;
    /** The memory-limit goal at its last evaluation (Long.MAX_VALUE without a limit). */
    private volatile long memoryLimitGoal = Long.MAX_VALUE;
    private volatile long trigger;
    private volatile long heapMarked;
    private long lastHeapScan;
    private long lastStackScan;
    private volatile long globalsScan;

    // ---- the cycle ----
    /** The precomputed trigger the cycle started from (Go 1.19's triggered), NONE outside a cycle. */
    private volatile long triggered = NONE;
    /** The cycle's heap goal, fixed at its start (Go's heapGoal() with triggered set). */
    private volatile long goal;
    /** The goal the start line reports (trigger()'s, before triggered is set). */
    private long startGoal;
    private long lastHeapGoal;
    private long initialHeapLive;
    /** heap_scan at the start of the cycle (for the start line; revise takes the larger of it and heap_scan now). */
    private volatile long heapScan;
    private volatile long maxStackScan;
    private long cycleStackScan;
    final AtomicLong heapScanWork = new AtomicLong();
    private volatile long stackScanWork;
    private volatile long globalsScanWork;
    final AtomicLong bgScanCredit = new AtomicLong();
    final AtomicLong assistTime = new AtomicLong();
    final AtomicLong dedicatedMarkTime = new AtomicLong();
    final AtomicLong fractionalMarkTime = new AtomicLong();
    final AtomicLong idleMarkTime = new AtomicLong();
    final AtomicLong dedicatedMarkWorkersNeeded = new AtomicLong();
    private volatile int dedicatedWorkers;
    private volatile double fractionalUtilizationGoal;
    private volatile long markStartTime;
    private volatile int procs = 1;
    private volatile double assistWorkPerByte;
    private volatile long lastHg;
    private volatile EndState lastEnd;

    /** What endCycle saw, for gcpacertrace (Go 1.19's end-of-cycle line). */
    private record EndState(boolean updated, double utilization, long heapScanWork, long stackScanWork, long globalsScanWork,
            long expected, long triggered, long heapLive, long lastHeapGoal, double oldConsMark, boolean reset) {}

    /**
     * @param gogc GOGC (>= 0), or -1 for off, which needs a memory limit (GOGC=off alone runs no
     *     cycle: {@link OffController})
     * @param memoryLimit the soft memory limit in bytes (>= 0), Long.MAX_VALUE for none
     * @param memory gort's heap statistics now (read only with a memory limit, with the world stopped)
     */
    public Go118Pacer(int gogc, long memoryLimit, Supplier<HeapStats> memory, Platform platform) {
        this(gogc, memoryLimit, BACKGROUND_UTILIZATION, memory, platform);
    }

    /**
     * As {@link #Go118Pacer(int, long, Supplier, Platform)} with the background workers' share of GOMAXPROCS
     * (Go's gcBackgroundUtilization, {@value #BACKGROUND_UTILIZATION}; other values are the
     * gcworkerfrac ablation, not Go), which also sets the runway's and the limiter's assumption.
     */
    public Go118Pacer(int gogc, long memoryLimit, double backgroundUtilization, Supplier<HeapStats> memory, Platform platform) {
        if (!(backgroundUtilization > 0 && backgroundUtilization <= 1)) {
            throw new IllegalArgumentException("background utilization must be in (0, 1], got " + backgroundUtilization);
        }
        this.backgroundUtilization = backgroundUtilization;
        this.limiter = new GcCpuLimiter(backgroundUtilization, platform);
        if (gogc < -1) {
            throw new IllegalArgumentException("the go118 pacer needs GOGC >= 0 or off (-1), got " + gogc);
        }
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memory limit " + memoryLimit + " is invalid: must be >= 0");
        }
        if (gogc < 0 && memoryLimit == Long.MAX_VALUE) {
            throw new IllegalArgumentException("GOGC=off without a memory limit runs no cycle: that is OffController's");
        }
        this.gcPercent = gogc;
        this.memoryLimit = memoryLimit;
        this.heapMinimum = gogc < 0 ? 0 : DEFAULT_HEAP_MINIMUM * gogc / 100; // setGCPercent
        this.memory = memory;
        commit(true); // Go's init: no sweep before the first cycle
    }

    // =====================================================================================
    // The goal and the trigger
    // =====================================================================================

    /**
     * Recomputes GOGC's goal, the runway and the trigger (Go's commit): at construction (sweep
     * done) and at every mark termination (heap_marked and the last scan figures just reset). The
     * world is stopped.
     */
    private void commit(boolean sweepDone) {
        sweepDistMinTrigger = sweepDone ? 0 : heapMarked + SWEEP_MIN_HEAP_DISTANCE; // heap_live = heap_marked here
        long g = Long.MAX_VALUE;
        if (gcPercent >= 0) {
            g = heapMarked + (heapMarked + lastStackScan + globalsScan) * gcPercent / 100;
        }
        if (g < heapMinimum) {
            g = heapMinimum;
        }
        gcPercentHeapGoal = g;
        long expected = lastHeapScan + lastStackScan + globalsScan;
        double rw = consMark * (1 - backgroundUtilization) / backgroundUtilization * expected;
        // Go stores uint64(rw): a negative estimate (the smoothing can overshoot below zero) wraps
        // on amd64 to more than any goal, which puts the trigger at its lower bound
        runway = rw < 0 ? Long.MAX_VALUE : (long) rw;
        memoryLimitGoal = memoryLimitHeapGoal();
        trigger = computeTrigger()[0];
    }

    /**
     * The goal from the memory limit (Go's memoryLimitHeapGoal): the limit less the non-heap
     * memory and less what mapped memory is over the limit, less 1 MiB of headroom, at least
     * heap_marked; heap_marked when the non-heap memory alone takes the limit. Long.MAX_VALUE
     * without a limit. See the class note for what gort counts as mapped and non-heap memory.
     */
    long memoryLimitHeapGoal() {
        if (memoryLimit == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        HeapStats s = memory.get();
        long mapped = s.heapInuse() + s.manualInuse();
        long nonHeap = Math.max(0, mapped - s.heapAlloc());
        long overage = Math.max(0, mapped - memoryLimit);
        if (nonHeap + overage >= memoryLimit) {
            return heapMarked; // nothing left for the heap: collect continuously, and let the CPU limiter rein it in
        }
        long g = memoryLimit - (nonHeap + overage);
        if (g < MEMORY_LIMIT_HEADROOM || g - MEMORY_LIMIT_HEADROOM < MEMORY_LIMIT_HEADROOM) {
            g = MEMORY_LIMIT_HEADROOM;
        } else {
            g -= MEMORY_LIMIT_HEADROOM;
        }
        return Math.max(g, heapMarked);
    }

    /** The goal and the least trigger it allows (Go's heapGoalInternal): {goal, minTrigger}, minTrigger <= goal. */
    private long[] heapGoalInternal() {
        long g = gcPercentHeapGoal;
        long minTrigger = 0;
        long limitGoal = memoryLimitGoal;
        if (limitGoal < g) {
            g = limitGoal; // the memory-limited regime: none of the adjustments below, which could push the goal up
        } else {
            long sweepDist = sweepDistMinTrigger;
            if (sweepDist > g) {
                g = sweepDist;
            }
            minTrigger = sweepDist;
            long t = triggered;
            if (t != NONE && g < t + MIN_RUNWAY) {
                g = t + MIN_RUNWAY;
            }
        }
        return new long[] {g, minTrigger};
    }

    /** The trigger and the goal (Go's trigger()): {trigger, goal}, trigger <= goal. */
    private long[] computeTrigger() {
        long[] gm = heapGoalInternal();
        long g = gm[0];
        long minTrigger = gm[1];
        long marked = heapMarked;
        if (marked >= g) {
            return new long[] {g, g}; // collect continuously at the goal
        }
        if (minTrigger < marked) {
            minTrigger = marked;
        }
        long lower = (g - marked) / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + marked;
        if (minTrigger < lower) {
            minTrigger = lower;
        }
        long maxTrigger = (g - marked) / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + marked;
        if (g > DEFAULT_HEAP_MINIMUM && g - DEFAULT_HEAP_MINIMUM > maxTrigger) {
            maxTrigger = g - DEFAULT_HEAP_MINIMUM;
        }
        if (maxTrigger < minTrigger) {
            maxTrigger = minTrigger;
        }
        long rw = runway;
        long t = rw > g ? minTrigger : g - rw;
        t = Math.min(Math.max(t, minTrigger), maxTrigger);
        if (t > g) {
            throw new IllegalStateException("fatal error: produced a trigger greater than the heap goal (trigger=" + t + " heapGoal=" + g
                    + " minTrigger=" + minTrigger + " maxTrigger=" + maxTrigger + ")");
        }
        return new long[] {t, g};
    }

    @Override
    public long trigger() {
        return trigger;
    }

    /** Go's heapminimum: 4 MiB × GOGC/100, the least GOGC goal (the trigger may be below it: its bounds lie under the goal). */
    @Override
    public long heapMinimum() {
        return heapMinimum;
    }

    @Override
    public long heapGoal() {
        return goal;
    }

    // =====================================================================================
    // A cycle
    // =====================================================================================

    /**
     * Resets the per-cycle state, fixes the cycle's trigger point and goal, splits the 25% into
     * dedicated and fractional workers, and sets the first assist ratio (Go's startCycle). The
     * world is stopped.
     */
    @Override
    public void startCycle(int gomaxprocs, long heapLive, long heapScan, long stackScan, long globalsScan) {
        heapScanWork.set(0);
        stackScanWork = 0;
        globalsScanWork = 0;
        bgScanCredit.set(0);
        assistTime.set(0);
        dedicatedMarkTime.set(0);
        fractionalMarkTime.set(0);
        idleMarkTime.set(0);
        procs = gomaxprocs;
        initialHeapLive = heapLive;
        this.heapScan = heapScan;
        this.globalsScan = globalsScan;
        this.maxStackScan = stackScan;
        this.cycleStackScan = stackScan;
        memoryLimitGoal = memoryLimitHeapGoal();
        // Go 1.19 starts the cons/mark measurement from the precomputed trigger, not the heap now
        long[] tg = computeTrigger();
        startGoal = tg[1];
        triggered = tg[0];
        goal = heapGoalInternal()[0];

        double total = gomaxprocs * backgroundUtilization;
        long dedicated = (long) (total + 0.5);
        double utilError = dedicated / total - 1;
        double fractional = 0;
        if (utilError < -MAX_UTIL_ERROR || utilError > MAX_UTIL_ERROR) {
            if (dedicated > total) {
                dedicated--; // rounding gave too many dedicated workers
            }
            fractional = (total - dedicated) / gomaxprocs;
        }
        dedicatedWorkers = (int) dedicated;
        dedicatedMarkWorkersNeeded.set(dedicated);
        fractionalUtilizationGoal = fractional;
        revise(heapLive, heapScan);
    }

    /** Assists and workers may run from now on (Go's markStartTime, and the limiter's transition to GC on). */
    @Override
    public void assistsStarted(long now) {
        markStartTime = now;
        if (limiter.nprocs != procs) {
            limiter.resetCapacity(now, procs);
        }
        limiter.startGcTransition(true, now);
        limiter.finishGcTransition(now);
    }

    /** The scan phase is over: the roots' scan work (stacks, globals) is done. */
    @Override
    public void markStarted(long now) {
        stackScanWork = cycleStackScan;
        globalsScanWork = globalsScan;
    }

    /**
     * Recomputes the assist ratio (Go's revise): the scan work still expected over the heap left
     * to the goal, extrapolating the goal (up to the hard goal) once the cycle has done more work
     * than the last one, and past even that goal pacing to 1.1 × it against all the scannable
     * heap. The scannable heap is heap_scan as it is now (Go fixes it at the cycle's start: see
     * the class note). Racy, as Go's: concurrent calls may publish a slightly stale ratio.
     */
    @Override
    public void revise(long heapLive, long heapScanNow) {
        long gp = gcPercent < 0 ? GOGC_OFF_FOR_REVISE : gcPercent;
        long work = heapScanWork.get() + stackScanWork + globalsScanWork;
        long g = goal;
        long t = triggered == NONE ? initialHeapLive : triggered;
        long expected = lastHeapScan + lastStackScan + globalsScan;
        long maxScanWork = heapScanNow + maxStackScan + globalsScan; // heap_scan is fixed while marking (the class note)
        if (work > expected) {
            // more work than the last cycle: the heap is growing; stretch the runway to all the scannable heap
            // (with no expected work at all, the extrapolation is unbounded: the hard goal)
            double hardGoal = (1.0 + gp / 100.0) * g;
            double ext = expected == 0 ? hardGoal : (double) (g - t) / expected * maxScanWork + t;
            expected = maxScanWork;
            g = (long) Math.min(ext, hardGoal);
        }
        if (heapLive > g) {
            g = (long) (g * MAX_OVERSHOOT); // past even that goal: leave some runway so that we finish by then
            expected = maxScanWork;
        }
        long remaining = Math.max(expected - work, MIN_SCAN_WORK_REMAINING);
        long heapRemaining = g - heapLive;
        if (heapRemaining <= 0) {
            heapRemaining = 1;
        }
        assistWorkPerByte = (double) remaining / heapRemaining;
    }

    @Override
    public double assistRatio() {
        return assistWorkPerByte;
    }

    /**
     * Concurrent marking ended (world stopped): measures this cycle's cons/mark ratio (bytes
     * allocated past the trigger per byte of scan work, weighted by the CPU each had) and feeds it
     * to the smoothing controller (Go's endCycle); the limiter's GC-off transition.
     */
    @Override
    public void endCycle(long heapLive, int gomaxprocs, long now, long scanWork) {
        lastHeapGoal = goal;
        lastHg = gcPercent < 0 ? 0 : heapMarked + (heapMarked + lastStackScan + globalsScan) * gcPercent / 100;
        limiter.startGcTransition(false, now);
        limiter.finishGcTransition(now);
        long assistDuration = now - markStartTime;
        double utilization = backgroundUtilization; // assume background marking hit its goal
        if (assistDuration > 0) {
            utilization += (double) assistTime.get() / ((double) assistDuration * gomaxprocs);
        }
        long t = triggered;
        long expected = lastHeapScan + lastStackScan + globalsScan;
        long stack = stackScanWork;
        long globals = globalsScanWork;
        heapScanWork.set(scanWork); // every cache is flushed: the exact figure
        if (heapLive <= t) {
            // the cycle was too short to say anything (or forced below the trigger): no update
            lastEnd = new EndState(false, utilization, scanWork, stack, globals, expected, t, heapLive, lastHeapGoal, consMark, false);
            return;
        }
        double idleUtilization = 0;
        if (assistDuration > 0) {
            idleUtilization = (double) idleMarkTime.get() / ((double) assistDuration * gomaxprocs);
        }
        long work = scanWork + stack + globals;
        double currentConsMark = ((double) (heapLive - t) * (utilization + idleUtilization)) / ((double) work * (1 - utilization));
        double old = consMark;
        double next = consMarkController.next(consMark, currentConsMark, 1.0);
        boolean ok = consMarkController.ok;
        consMark = ok ? next : 0; // the error ran away: start over
        lastEnd = new EndState(true, utilization, scanWork, stack, globals, expected, t, heapLive, lastHeapGoal, old, !ok);
    }

    /**
     * Marking is over (world stopped): heap_marked and the last scan figures reset from this
     * cycle (Go's resetLive), then the goal, runway and trigger recomputed (commit, with the
     * sweep still to do). Returns the next trigger.
     */
    @Override
    public long markDone(long bytesMarked, long heapLive, long scanWork) {
        heapMarked = bytesMarked;
        heapScan = scanWork;
        lastHeapScan = scanWork;
        lastStackScan = cycleStackScan;
        triggered = NONE;
        commit(false);
        return trigger;
    }

    /** A forced (stop-the-world) cycle: no pacing, only markDone's reset and commit. */
    @Override
    public void startForced(long heapLive) {
        initialHeapLive = heapLive;
    }

    // =====================================================================================
    // Workers, credit and assists
    // =====================================================================================

    /** Takes a dedicated-worker token (Go's decIfPositive on dedicatedMarkWorkersNeeded). */
    @Override
    public boolean takeDedicated() {
        for (;;) {
            long v = dedicatedMarkWorkersNeeded.get();
            if (v <= 0) {
                return false;
            }
            if (dedicatedMarkWorkersNeeded.compareAndSet(v, v - 1)) {
                return true;
            }
        }
    }

    /**
     * Whether a P should run a fractional worker now (findRunnableGCWorker): only when there is a
     * fractional share, and while the Ps' fractional time since marking started is under it. First
     * gives the CPU limiter its periodic update, as Go's findRunnableGCWorker does.
     */
    @Override
    public boolean takeFractional(long now) {
        if (limiter.needUpdate(now)) {
            limiter.update(now);
        }
        double share = fractionalUtilizationGoal;
        if (share == 0) {
            return false;
        }
        long delta = now - markStartTime;
        int ps = Math.max(1, procs - dedicatedWorkers);
        return !(delta > 0 && (double) fractionalMarkTime.get() / ((double) delta * ps) > share);
    }

    /** A worker stopped (Go's markWorkerStop): its time, a dedicated token back; idle marking is idle time to the limiter. */
    @Override
    public void workerDone(CompleterKind mode, long ns) {
        switch (mode) {
            case DEDICATED -> {
                dedicatedMarkTime.addAndGet(ns);
                dedicatedMarkWorkersNeeded.incrementAndGet();
            }
            case FRACTIONAL -> fractionalMarkTime.addAndGet(ns);
            case IDLE -> {
                idleMarkTime.addAndGet(ns);
                limiter.addIdleTime(ns);
            }
            default -> throw new IllegalArgumentException("not a worker: " + mode);
        }
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

    /** A worker's scan work: credit for assists, and scan work done (Go's gcDrain flushes both). */
    @Override
    public void addBgScanCredit(long scanWork) {
        heapScanWork.addAndGet(scanWork);
        bgScanCredit.addAndGet(scanWork);
    }

    @Override
    public void addAssistScanWork(long scanWork) {
        heapScanWork.addAndGet(scanWork);
    }

    @Override
    public void countBgScanWork(long scanWork) {
        heapScanWork.addAndGet(scanWork);
    }

    @Override
    public void addAssistTime(long ns) {
        assistTime.addAndGet(ns);
        limiter.addAssistTime(ns);
    }

    /** Whether the CPU limiter is on: assists are skipped. */
    @Override
    public boolean limiting() {
        return limiter.limiting();
    }

    // =====================================================================================
    // Figures
    // =====================================================================================

    /** GOGC's goal for the cycle that last ended, without heapminimum: heap_marked before it + (that + stacks + globals) × GOGC/100. */
    @Override
    public long lastHg() {
        return lastHg;
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

    public double consMark() {
        return consMark;
    }

    public long runway() {
        return runway;
    }

    public long heapMarked() {
        return heapMarked;
    }

    /** GOGC's goal for the next cycle (Long.MAX_VALUE under GOGC=off). */
    public long gcPercentHeapGoal() {
        return gcPercentHeapGoal;
    }

    /** The memory-limit goal at its last evaluation (Long.MAX_VALUE without a limit). */
    public long memoryLimitGoal() {
        return memoryLimitGoal;
    }

    /** The trigger bounds for the next cycle's goal: {lower, upper}, as trigger() computes them. */
    public long[] triggerBounds() {
        long[] gm = heapGoalInternal();
        long g = gm[0];
        long marked = heapMarked;
        if (marked >= g) {
            return new long[] {g, g};
        }
        long lower = Math.max(Math.max(gm[1], marked), (g - marked) / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + marked);
        long upper = (g - marked) / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + marked;
        if (g > DEFAULT_HEAP_MINIMUM && g - DEFAULT_HEAP_MINIMUM > upper) {
            upper = g - DEFAULT_HEAP_MINIMUM;
        }
        return new long[] {lower, Math.max(lower, upper)};
    }

    /** The next cycle's goal as it stands (the trigger's). */
    public long nextGoal() {
        return computeTrigger()[1];
    }

    public long dedicatedWorkers() {
        return dedicatedWorkers;
    }

    public double fractionalUtilizationGoal() {
        return fractionalUtilizationGoal;
    }

    /** The line GODEBUG=gcpacertrace=1 prints at the start of a cycle, in Go 1.19's format. */
    @Override
    public String startTrace() {
        return "pacer: assist ratio=" + GoFormat.printfloat(assistWorkPerByte) + " (scan " + (heapScan >> 20) + " MB in "
                + (initialHeapLive >> 20) + "->" + (startGoal >> 20) + " MB) workers=" + dedicatedWorkers + "+"
                + GoFormat.printfloat(fractionalUtilizationGoal);
    }

    /**
     * The line GODEBUG=gcpacertrace=1 prints as concurrent marking ends, in Go 1.19's format (the
     * heap at mark termination and its distance to the goal, in bytes). Go prints none for a cycle
     * that ended at or below its trigger; gort says so in a line of its own.
     */
    @Override
    public String endTrace() {
        EndState e = lastEnd;
        if (e == null) {
            return "pacer: (no cycle ended yet)";
        }
        if (!e.updated()) {
            return "pacer: no cons/mark update: the heap (" + e.heapLive() + " B) ended at or below the trigger (" + e.triggered() + " B)";
        }
        return "pacer: " + (int) (e.utilization() * 100) + "% CPU (" + (int) (backgroundUtilization * 100) + " exp.) for "
                + e.heapScanWork() + "+" + e.stackScanWork() + "+" + e.globalsScanWork() + " B work (" + e.expected() + " B exp.) in "
                + e.triggered() + " B -> " + e.heapLive() + " B (\u2206goal " + (e.heapLive() - e.lastHeapGoal()) + ", cons/mark "
                + GoFormat.printfloat(e.oldConsMark()) + ")" + (e.reset() ? "[controller reset]" : "");
    }
}
