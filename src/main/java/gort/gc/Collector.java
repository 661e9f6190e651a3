package gort.gc;

import gort.heap.MCache;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.platform.Platform;
import gort.sched.G;
import gort.sched.M;
import gort.sched.P;
import gort.sched.Sched;
import gort.sched.Sema;
import java.io.PrintStream;
import java.util.List;

/**
 * The garbage collector of one runtime: Go 1.5's concurrent mark-sweep collector (mgc.go), with
 * its stop-the-world form ({@code GODEBUG=gcstoptheworld=1}, and {@code runtime.GC()}) kept as
 * the checking baseline. This class is the collector's face and the owner of its policy and
 * phase; the mechanisms are each in their own file:
 * <ul>
 *   <li>the policy, chosen once from the settings, one registry per axis: the cycle driver
 *       ({@link WakeupStrategy} → {@link CycleDriver}: who takes a cycle through its phases and
 *       how completions reach it), the controller ({@link PacerKind} → {@link GcController}: the
 *       trigger, the goal, the assist ratio, the workers' share; {@link OffController} under
 *       GOGC=off, {@link StwController} in stop-the-world mode), the write barrier
 *       ({@link BarrierKind} → {@link WriteBarrier});
 *   <li>the cycle's steps ({@link ConcurrentCycle}, {@link StwCycle}, {@link TerminationMark},
 *       {@link Checkmark}), the background workers ({@link BgMarkWorkers}), the assists
 *       ({@link Assists}), the statistics and records ({@link GcStats}), gctrace's lines
 *       ({@link Gctrace}), the marking primitives ({@link Mark}, {@link Work}, {@link GcWork}).
 * </ul>
 *
 * <p>Owns: the phase ({@link GcPhase}, set only by {@link #setPhase}, which derives the write
 * barrier, blackening, prompt disposal and allocate-black flags from it), the two completion
 * signals, the roots' globals, each P's work cache, the background sweeper's semaphore, and the
 * settings. Invariants:
 * <ul>
 *   <li>one cycle at a time: a cycle (concurrent or forced) holds the world semaphore from start
 *       to end, so a forced collection or a GOMAXPROCS change waits for a concurrent cycle;
 *   <li>marking starts with every mark bit clear (the previous sweep finished); at mark
 *       termination every object reachable from a root is marked (checked by gccheckmark);
 *   <li>an allocation does its GC work (trigger, assist, yield) <em>before</em> it allocates, so
 *       the address it returns is never exposed to a safepoint before the caller stores it (Go does
 *       it after, in mallocgc's epilogue).
 * </ul>
 */
public final class Collector {
    /** Go's MemStats.PauseNs ring size. */
    public static final int PAUSE_RING = GcStats.PAUSE_RING;

    /**
     * How one runtime's collector is set up: GOGC, the GODEBUG switches, the policy's choices,
     * and the test-only faults ({@code assistBlock}: an assist that cannot pay its debt sleeps and
     * retries, Go 1.5.1 as released; {@code memoryLimit}: the soft limit in bytes, Long.MAX_VALUE
     * for none, for pacers that take one; {@code workerFraction}: the background workers' share
     * of GOMAXPROCS, Go's 0.25 unless the gcworkerfrac ablation changes it; {@code design}: the
     * design GODEBUG gcdesign named, or null, which the axes' label counts differences from).
     */
    public record Settings(int gogc, int gctrace, boolean checkmark, boolean pacertrace, boolean stopTheWorld,
            WakeupStrategy wakeup, boolean assistBlock, PacerKind pacer, BarrierKind barrier, MarkingKind marking, long memoryLimit,
            double workerFraction, GcFaults faults, Design design) {
        /** The switchable axes of these settings. */
        public Design.Axes axes() {
            return new Design.Axes(wakeup, assistBlock, pacer, barrier, marking);
        }

        /** How tables and records name these settings: {@code design}'s name, with what differs from it ({@link Design#label}). */
        public String designLabel() {
            return Design.label(design, axes());
        }

        /** A memory limit needs a pacer that takes one and the concurrent collector; the message names what is allowed. */
        public Settings {
            if (memoryLimit < 0) {
                throw new IllegalArgumentException("memory limit " + memoryLimit + " is invalid: must be at least 0 bytes");
            }
            if (memoryLimit != Long.MAX_VALUE) {
                if (!pacer.takesMemoryLimit()) {
                    throw new IllegalArgumentException("a memory limit (GOMEMLIMIT, --memlimit) needs --pacer "
                            + java.util.Arrays.stream(PacerKind.values()).filter(PacerKind::takesMemoryLimit).map(PacerKind::flag)
                                    .collect(java.util.stream.Collectors.joining(" or "))
                            + ": the " + pacer.flag() + " pacer has none");
                }
                if (stopTheWorld) {
                    throw new IllegalArgumentException("a memory limit (GOMEMLIMIT, --memlimit) needs the concurrent collector "
                            + "(GODEBUG gcstoptheworld=0): the stop-the-world baseline has no pacer");
                }
            }
        }

        /** Go 1.5's pacer and barrier, no memory limit, Go's worker share, no faults. */
        public Settings(int gogc, int gctrace, boolean checkmark, boolean pacertrace, boolean stopTheWorld, WakeupStrategy wakeup,
                boolean assistBlock) {
            this(gogc, gctrace, checkmark, pacertrace, stopTheWorld, wakeup, assistBlock, PacerKind.GO15, BarrierKind.DIJKSTRA,
                    MarkingKind.GO15, Long.MAX_VALUE, Pacer.GOAL_UTILIZATION, new GcFaults(), null);
        }
    }

    /** A write barrier that shades nothing: the {@link GcFaults#noWriteBarrier} fault. */
    private static final WriteBarrier NO_BARRIER = new WriteBarrier() {
        @Override
        public void store(long obj, MSpan s, int idx) {}

        @Override
        public boolean rescanStacks() {
            return true;
        }
    };

    // ---- the runtime and the settings ----
    final Sched sched;
    final MHeap heap;
    final Platform platform;
    final int gogc;
    final int gctrace;
    final boolean checkmark;
    final boolean pacertrace;
    final boolean stopTheWorldMode;
    final boolean assistBlock;
    final WakeupStrategy strategy;
    /** Every switchable axis, as set: a design's, or an ablation's ({@link Design#label}). */
    final Design.Axes axes;
    /** The axes' label: the design named in the settings, or the nearest, and what differs ({@link Design#label}). */
    private final String designLabel;
    /** The marking machinery (Go 1.5's or Go 1.6's roots, workers and assists). */
    final MarkingKind marking;
    final PrintStream traceOut;
    final long startNanos;
    final GcFaults faults;

    // ---- the policy ----
    final GcController controller;
    final WriteBarrier barrier;
    final CycleDriver driver;

    // ---- the mechanisms ----
    final Work work;
    final Mark mark;
    final Globals globals;
    final GcStats stats;
    final BgMarkWorkers workers;
    final Assists assists;
    /** Go 1.6's parked assists (used under the go16 marking only). */
    final AssistQueue assistQueue;
    /** Go 1.6's root jobs (used under the go16 marking only). */
    final RootJobs roots;
    /** Where background workers' scan credit goes: the controller's pool, or under go16 the assist queue first. */
    final java.util.function.LongConsumer bgCredit;
    final ConcurrentCycle cycle;
    final StwCycle stw;
    final TerminationMark termination;
    final Checkmark checkmarker;
    /** The background sweeper (Go's bgsweep) is parked on this between cycles. */
    final Sema sweepWake;
    /** The end of each phase of concurrent marking (made by the driver: it decides how waiters are woken). */
    MarkDoneSignal mark1;
    MarkDoneSignal mark2;

    // ---- the phase and the flags it implies (setPhase) ----
    private volatile GcPhase phase = GcPhase.OFF;
    /** Go's writeBarrierEnabled. */
    private volatile boolean writeBarrier;
    /** See {@link #terminationMarkedBytes()}; written by mark termination. */
    volatile long terminationMarkedBytes;
    /** See {@link #terminationGreyObjects()}; written by mark termination. */
    volatile long terminationGreyObjects;
    /** Go's gcBlackenEnabled: background workers and assists may mark. */
    volatile boolean blackenEnabled;
    /**
     * Go 1.19 allocates black in every phase of marking (mallocgc: gcphase != _GCoff), so its
     * heap_marked includes what mark 1 allocated; under the go118 pacer gort does too, so that the
     * pacer's inputs are Go 1.19's. Otherwise the phase decides (Go 1.5: mark 2 and termination).
     */
    private final boolean allocBlackWhileMarking;
    /** Go's gcBlackenPromptly: mark 2, work caches are disposed at once. */
    volatile boolean blackenPromptly;

    public Collector(Sched sched, MHeap heap, Settings cfg, PrintStream traceOut) {
        this.sched = sched;
        this.heap = heap;
        this.platform = sched.platform();
        this.gogc = cfg.gogc();
        this.gctrace = cfg.gctrace();
        this.checkmark = cfg.checkmark();
        this.pacertrace = cfg.pacertrace();
        this.stopTheWorldMode = cfg.stopTheWorld();
        this.assistBlock = cfg.assistBlock();
        this.strategy = cfg.wakeup();
        this.marking = cfg.marking();
        this.traceOut = traceOut;
        this.startNanos = sched.startNanos(); // the runtime's start: CycleRecords and the trace share this origin
        this.faults = cfg.faults();
        // GOGC=off runs no cycle, unless a memory limit is set: then only the limit paces the GC (Go 1.19)
        this.controller = gogc < 0 && cfg.memoryLimit() == Long.MAX_VALUE ? new OffController()
                : stopTheWorldMode ? new StwController(gogc) : cfg.pacer().create(gogc, cfg.memoryLimit(), cfg.workerFraction(), heap::readStats, platform);
        this.barrier = faults.noWriteBarrier ? NO_BARRIER : cfg.barrier().create(this);
        this.axes = cfg.axes();
        this.designLabel = cfg.designLabel();
        Design.check(axes, barrier);
        this.work = new Work(platform, sched::exiting);
        this.mark = new Mark(heap, work);
        this.globals = new Globals(sched.newMutex());
        this.stats = new GcStats(startNanos, sched::gomaxprocs);
        this.sweepWake = new Sema(sched, 0);
        this.workers = new BgMarkWorkers(this);
        this.assists = new Assists(this);
        this.assistQueue = new AssistQueue(this);
        this.roots = new RootJobs(this);
        this.bgCredit = marking == MarkingKind.GO16 ? assistQueue::flush : controller::addBgScanCredit;
        this.cycle = new ConcurrentCycle(this);
        this.stw = new StwCycle(this);
        this.termination = new TerminationMark(this);
        this.checkmarker = new Checkmark(this);
        this.driver = strategy.driver(this);
        if (mark1 == null) {
            throw new IllegalStateException("the " + strategy.flag() + " driver made no mark signals");
        }
        heap.setRevise(() -> controller.revise(heap.heapLive(), heap.heapScan())); // Go calls revise as heap_scan grows
        // Go 1.19's inputs for Go 1.19's pacer: heap_live counted at refills, objects black while marking
        heap.liveAtRefill = cfg.pacer().accountsLikeGo119();
        this.allocBlackWhileMarking = cfg.pacer().accountsLikeGo119();
    }

    /** Makes the two completion signals (the driver, as it is built, says how their waiters are woken). */
    void initSignals(MarkDoneSignal.Wake how, WakeupStrategy s) {
        mark1 = new MarkDoneSignal(sched, how, heap::heapLive);
        mark2 = new MarkDoneSignal(sched, how, heap::heapLive);
        mark1.faults = faults;
        mark2.faults = faults;
        mark1.tracePhase = 1;
        mark2.tracePhase = 2;
        mark1.traceStrategy = s.ordinal();
        mark2.traceStrategy = s.ordinal();
    }

    /** Sets the phase and every flag it implies (Go's setGCPhase, with blackening and prompt disposal). */
    void setPhase(GcPhase p) {
        writeBarrier = p.writeBarrier;
        blackenPromptly = p.promptly;
        heap.allocBlack = p.allocBlack || (allocBlackWhileMarking && p.writeBarrier);
        blackenEnabled = p.blacken;
        phase = p;
    }

    /** Whether the barrier and markers hand grey objects to the global list at once (mark 2, mark termination). */
    boolean disposePromptly() {
        return blackenPromptly || phase == GcPhase.MARKTERMINATION;
    }

    public MHeap heap() {
        return heap;
    }

    public Globals globals() {
        return globals;
    }

    public WakeupStrategy strategy() {
        return strategy;
    }

    /** The design these settings are ("go1.5.1"), or what they are instead ("go1.5-dev + gcwakeup=park (no release)"). */
    public String design() {
        return designLabel;
    }

    /** Whether an assist that cannot pay its debt blocks and retries (GODEBUG gcassistblock=1). */
    public boolean assistBlock() {
        return assistBlock;
    }

    public boolean stopTheWorldMode() {
        return stopTheWorldMode;
    }

    /** The controller (for tests of its accounting). */
    GcController controller() {
        return controller;
    }

    /** The phase now, for tests. */
    GcPhase phaseForTest() {
        return phase;
    }

    /** Whether blackening (workers and assists) is enabled now, for tests. */
    boolean blackenEnabledForTest() {
        return blackenEnabled;
    }

    /** The shadow stack of a goroutine (created on first use). */
    public static Stack stackOf(G gp) {
        Object l = gp.local;
        if (l instanceof Stack s) {
            return s;
        }
        Stack s = new Stack();
        gp.local = s;
        return s;
    }

    /** Installs the per-P state this collector needs (an mcache, a gcWork, a worker slot) and its scheduler hooks. */
    public Sched.Hooks hooks() {
        return new Sched.Hooks() {
            @Override
            public G findRunnableGCWorker(P p) {
                return blackenEnabled ? workers.findRunnableGCWorker(p) : null;
            }

            @Override
            public G findIdleGCWorker(P p) {
                return blackenEnabled ? workers.findIdleGCWorker(p) : null;
            }

            /**
             * A P handed off while a phase of marking is armed and not complete is started on an M
             * if it or the global list has work (its findrunnable gives it its idle worker), or if
             * nobody has any and nobody is marking (its findrunnable runs the scheduler's
             * completion check, findIdleGCWorker). Go 1.6's handoffp starts a P that has GC work;
             * Go 1.5.1's starts none, and neither runs the check there. gort's liveness addition:
             * without it, a coordinator that hands its P off in a note sleep when every other
             * goroutine is blocked (main in runtime.GC or StopTrace, which wait for the cycle on
             * the world semaphore) leaves the roots its scan greyed in an idle P's cache, or the
             * completion point unsignalled, with no P left to schedule: the run hangs.
             */
            @Override
            public boolean startOnHandoff(P p) {
                if (!blackenEnabled || (mark1.isDone() && mark2.isDone())) {
                    return false;
                }
                if (!((GcWork) p.gcw).isEmpty() || work.hasFull() || work.rootJobsLeft()) {
                    return true; // Go 1.6's handoffp: gcMarkWorkAvailable(p)
                }
                if (driver.schedulerSignals() && work.atCompletionPoint()) {
                    BgMarkWorkers.startedForChecks(p);
                    return true;
                }
                return false;
            }

            @Override
            public void scanstack(G gp) {
                mark.scanstack(gp, (GcWork) Sched.currentM().p().gcw);
            }

            @Override
            public void goexit(G gp) {
                if (gp.local instanceof Stack st) {
                    HandleScope.exit(st); // the goroutine's handles die with it
                }
            }

            @Override
            public void pInit(P p) {
                p.mcache = heap.newMCache();
                p.gcw = new GcWork(work);
                p.gcLocal = new BgMarkWorkers.PState();
            }

            @Override
            public void pDestroy(P p) {
                MCache c = (MCache) p.mcache;
                if (c != null) {
                    c.releaseAllLive();
                    heap.freeMCache(c);
                    p.mcache = null;
                }
                if (p.gcw instanceof GcWork w) {
                    w.dispose();
                }
                BgMarkWorkers.forget(p);
            }
        };
    }

    // =====================================================================================
    // Allocation: the trigger, assists, and the write barrier
    // =====================================================================================

    /**
     * Allocates on behalf of the goroutine running on m (a safepoint already passed). When the
     * P's cache just took a new span, or while marking, the GC's share comes first (Go's mallocgc
     * epilogue, moved before the allocation: see the class note).
     */
    public long mallocgc(M m, Type t, int n) {
        MCache c = (MCache) m.mcache();
        if (c == null) {
            throw noCache(m);
        }
        if (c.shouldhelpgc || blackenEnabled) {
            c = mallocPrologue(m, c, t.objectWords(n) << 3);
        }
        return heap.mallocgc(c, t, n);
    }

    public long allocString(M m, byte[] bytes) {
        MCache c = (MCache) m.mcache();
        if (c == null) {
            throw noCache(m);
        }
        if (c.shouldhelpgc || blackenEnabled) {
            c = mallocPrologue(m, c, Type.BYTES.objectWords(bytes.length) << 3);
        }
        return heap.allocString(c, bytes);
    }

    /** An allocation on an M holding no P: inside a system call (Go: "malloc during syscall"), or off a goroutine. */
    private static IllegalStateException noCache(M m) {
        return new IllegalStateException("fatal error: malloc on " + m + ", which holds no P (inside a system call?)");
    }

    /** Trigger, assist or yield, as Go's mallocgc does after a refill; returns the (then) current P's cache. */
    private MCache mallocPrologue(M m, MCache c, long size) {
        boolean help = c.shouldhelpgc;
        c.shouldhelpgc = false;
        if (help) {
            // the bytes the cache took are the work the platform's cost model charges (none on the
            // real platform); on a simulated one this is the allocating thread's decision point
            long b = c.unreportedBytes;
            c.unreportedBytes = 0;
            platform.allocated(b);
            c = (MCache) m.mcache(); // (the M keeps its P: the platform does not run the scheduler)
        }
        if (help && sched.trace != null) sched.trace.heapAlloc(heap.heapLive()); // a refill: Go traces HeapAlloc at span allocation
        // Go's startGC/gcStart return at once on an M that must not block (mp.locks; Go 1.6 also
        // preemptoff): starting a cycle parks or runs the cycle's first steps on the caller
        if (help && heap.heapLive() >= controller.trigger() && !driver.working() && m.preemptible()) {
            if (stopTheWorldMode) {
                stw.run(false);
            } else {
                driver.startCycle(false);
            }
        } else if (blackenEnabled) {
            assists.gcAssistAlloc(m, m.curg(), gort.heap.SizeClasses.roundUpSize(size), help); // Go charges the rounded size
        } else if (help && driver.working()) {
            // The GC is starting up or shutting down: it cannot be assisted, but allocation
            // should not run unabated either. Yield so the cycle's goroutine gets scheduled (Go 1.5).
            sched.gosched();
        }
        return (MCache) Sched.currentM().mcache(); // we may have been rescheduled
    }

    /** True while pointer stores must go through the write barrier (Go's writeBarrierEnabled). */
    public boolean writeBarrierEnabled() {
        return writeBarrier;
    }

    /** Stores into a global slot (checked: nil or an object's address), with the write barrier. */
    public void setGlobal(int i, long addr) {
        if (addr != 0) {
            MSpan s = heap.spanOfHeap(addr);
            if (s == null || s.base(addr) != addr || !heap.isAllocated(addr)) { // a freed slot too, as storePtr
                throw new IllegalArgumentException("global slot " + i + ": 0x" + Long.toHexString(addr) + " is not an object's address"
                        + (s != null && s.base(addr) == addr ? " (the slot is free: a stale address of a freed object?)" : ""));
            }
            if (writeBarrier) {
                shade(addr);
            }
        }
        globals.setRaw(i, addr);
    }

    /**
     * Pins addr (nil or an object's address) in a global slot until {@link #unpinGlobal}: a root
     * the runtime holds for a while (a pending timer's captured pointers). Shades addr while the
     * barrier is on, as a pointer store does.
     */
    public int pinGlobal(long addr) {
        if (addr != 0 && writeBarrier) {
            shade(addr);
        }
        return globals.pin(addr);
    }

    public void unpinGlobal(int slot) {
        globals.unpin(slot);
    }

    /**
     * Roots the object at addr while owner is reachable on the JVM heap (a channel's managed
     * buffer, owned by the channel); shades it while the barrier is on. Call before the next
     * safepoint after allocating addr.
     */
    public void keepAlive(Object owner, long addr) {
        if (writeBarrier) {
            shade(addr);
        }
        globals.keepAlive(owner, addr);
    }

    /** The write barrier for a store of obj (Go's writebarrierptr): checks obj and calls the barrier. */
    public void shade(long obj) {
        MSpan s = heap.spanOf(obj);
        int i;
        if (s == null || s.objAddr(i = s.objIndex(obj)) != obj) {
            throw new IllegalArgumentException("shade: 0x" + Long.toHexString(obj) + " is not an object's address");
        }
        barrier.store(obj, s, i);
    }

    /**
     * {@link #shade(long)} for a caller that already checked obj and found its span and slot index
     * (Heap.storePtr): no second lookup on the mutator's store path.
     */
    public void shade(long obj, MSpan s, int idx) {
        barrier.store(obj, s, idx);
    }

    // =====================================================================================
    // Starting cycles
    // =====================================================================================

    /**
     * runtime.GC() (Go 1.5's gcForceBlockMode): a full stop-the-world collection that also finishes
     * the sweep before it returns, so the garbage it found is free (MemStats show it) when the
     * caller goes on.
     */
    public void gc() {
        stw.run(true);
    }

    /**
     * Starts a concurrent cycle now, whatever the heap size (Go's startGC(gcBackgroundMode,
     * forceTrigger)), after the one running, if any, has ended; returns once the cycle is under
     * way (marking then runs while the caller goes on). For tests and experiments.
     */
    public void triggerConcurrentCycle() {
        if (stopTheWorldMode || controller instanceof OffController) {
            throw new IllegalStateException("no concurrent collector: " + (stopTheWorldMode ? "GODEBUG=gcstoptheworld=1" : "GOGC=off"));
        }
        while (!driver.startCycle(true)) {
            // a cycle is under way: block until it ends, as a forced collection waits (the cycle
            // holds the world semaphore from sweep termination to its end), rather than polling;
            // the instants before it takes the semaphore and after it lets go, its goroutine is
            // runnable or running, so yield to it (and through the platform, a choice point)
            sched.semacquireWorld();
            sched.semreleaseWorld();
            sched.gosched();
            platform.osyield();
        }
    }

    // =====================================================================================
    // What the cycles' steps share
    // =====================================================================================

    /** Resets the cycle's counters (Go's gcResetMarkState and gcResetGState). World stopped. */
    void resetMarkState() {
        if (work.hasFull()) {
            throw new IllegalStateException("fatal error: work.full not empty at the start of a cycle");
        }
        work.resetCounters();
        heap.takeBlackBytes();
        for (G gp : sched.allgs()) {
            gp.gcalloc = 0;
            gp.gcscanwork = 0;
            gp.gcAssistBytes = 0; // Go 1.6's gcResetMarkState
        }
    }

    /** Disposes every P's work cache (Go's gcFlushGCWork). World stopped. */
    void gcFlushGCWork() {
        int procs = sched.gomaxprocs();
        for (int i = 0; i < procs; i++) {
            ((GcWork) sched.allp(i).gcw).dispose();
        }
    }

    /** Ends marking and starts sweeping (end of gcMark, gcSweep). World stopped, caches released. */
    void finishCycle(long marked, long next) {
        heap.setHeapLive(marked);
        heap.setHeapScan(work.scanWork.get()); // Go: heap_scan = gcController.scanWork
        setPhase(GcPhase.OFF);
        heap.flushAllMCaches();
        heap.startSweep(next == Long.MAX_VALUE ? 0 : next - marked);
        if (sched.trace != null) sched.trace.heapAlloc(marked);
        if (sched.trace != null) sched.trace.nextGC(next);
    }

    // =====================================================================================
    // Background sweeping
    // =====================================================================================

    /** Body of the background sweeper goroutine (Go's bgsweep): sweeps a span, yields, repeats. */
    public void bgsweep() {
        for (;;) {
            if (sched.trace != null) sched.trace.gcSweepStart();
            while (heap.sweepone() != -1) {
                if (sched.trace != null) sched.trace.gcSweepDone();
                Sched.current().gosched();
                if (sched.trace != null) sched.trace.gcSweepStart();
            }
            if (sched.trace != null) sched.trace.gcSweepDone();
            sweepWake.acquire(); // "GC sweep wait" until the next cycle ends
        }
    }

    // =====================================================================================
    // Statistics
    // =====================================================================================

    public int numGC() {
        return stats.numGC();
    }

    /** The next trigger (Go's next_gc), Long.MAX_VALUE when none will come (GOGC=off). */
    public long nextGC() {
        return controller.trigger();
    }

    public long pauseTotalNs() {
        return stats.pauseTotalNs();
    }

    /**
     * Bytes the last concurrent cycle's mark termination marked itself (its rescan of the roots
     * and its drain, after every cache was flushed): with {@link #terminationGreyObjects}, what
     * concurrent marking had left when its completion was declared. Go 1.5's design allows it
     * (termination rescans because the Dijkstra barrier does not cover stacks); a program whose
     * goroutines never hide a white pointer from the barrier leaves nothing, so that for such a
     * program anything here is a completion declared early.
     */
    public long terminationMarkedBytes() {
        return terminationMarkedBytes;
    }

    /** The runtime's test-only faults (Go's behaviour unless a test set some). */
    GcFaults faults() {
        return faults;
    }

    /** Assists so far that slept on a debt they could not pay (gcassistblock=1), and that parked on the assist queue (go16 marking). */
    public long[] assistBlocks() {
        return new long[] {assists.sleeps.get(), assistQueue.parks.get()};
    }

    /** Grey objects the last concurrent cycle's mark termination found queued (every P's cache flushed) before it marked. */
    public long terminationGreyObjects() {
        return terminationGreyObjects;
    }

    /** Objects checkmarked by the last verification (GODEBUG=gccheckmark=1), for tests. */
    public long lastCheckmarked() {
        return checkmarker.lastCheckmarked();
    }

    /** Every cycle's record so far, oldest first (the newest {@value GcStats#MAX_RECORDS} at most). */
    public List<CycleRecord> cycleRecords() {
        return stats.records();
    }

    /** The collector's flags and work counts, for hang reports. */
    public String debugState() {
        return "gc: phase=" + phase + " wb=" + writeBarrier + " blacken=" + blackenEnabled + " promptly=" + blackenPromptly
                + " working=" + driver.working() + " mark1.done=" + mark1.isDone() + " mark2.done=" + mark2.isDone()
                + " nwait=" + work.nwait.get() + " nproc=" + work.nproc + " full=" + work.hasFull() + " numGC=" + stats.numGC();
    }

    /** Go's MemStats subset. */
    public MemStats readMemStats() {
        var st = heap.readStats();
        long next = controller.trigger();
        return new MemStats(st.heapAlloc(), st.heapSys(), st.heapObjects(), st.heapInuse(), stats.numGC(), stats.pauses(),
                stats.pauseTotalNs(), next == Long.MAX_VALUE ? 0 : next, st.totalAlloc(), st.mallocs(), st.frees(), stats.lastGCNanos(),
                st.totalScan());
    }
}
