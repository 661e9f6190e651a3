package gort.gc;

import gort.heap.AddressSpace;
import gort.heap.MCache;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.platform.Platform;
import gort.platform.RuntimeMutex;
import gort.sched.G;
import gort.sched.M;
import gort.sched.Note;
import gort.sched.P;
import gort.sched.Sched;
import gort.sched.Sema;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The garbage collector of one runtime: Go 1.5's concurrent mark-sweep collector (mgc.go), with
 * its stop-the-world form ({@code GODEBUG=gcstoptheworld=1}, and {@code runtime.GC()}) kept as
 * the checking baseline.
 *
 * <p>A concurrent cycle, driven by the coordinator goroutine ({@link #backgroundgc}), which the
 * allocation that crosses the trigger readies and yields to:
 * <ol>
 *   <li>sweep termination (world stopped): finish sweeping, reset the cycle's state, start the
 *       pacer's cycle, turn the write barrier on, scan the roots (stacks and globals) into the work
 *       lists, enable blackening (workers and assists);
 *   <li>concurrent mark: background workers (dedicated, fractional, idle) and assists drain the
 *       work; the Dijkstra barrier greys pointers stored into the heap and globals; the
 *       coordinator waits for mark 1 completion by the run's {@link WakeupStrategy};
 *   <li>mark 2: rescan the globals, dispose work promptly, allocate black, flush every P's work
 *       cache with a {@link Sched#forEachP} ragged barrier, wait for mark 2 completion;
 *   <li>mark termination (world stopped): flush, close the pacer's cycle, rescan every root and
 *       drain in parallel on helper Ms, optionally checkmark, set the next trigger, turn the
 *       barrier off, start concurrent sweep.
 * </ol>
 *
 * <p>Owns: the trigger ({@code nextGC}), the phase flags (write barrier, blackening, prompt
 * disposal), the coordinator (its G, lock, working flag), each P's worker and work cache, the two
 * completion signals, the mark work state, the roots' globals, and the statistics and per-cycle
 * records. Invariants:
 * <ul>
 *   <li>one cycle at a time: a cycle (concurrent or forced) holds the world semaphore from start
 *       to end, so a forced collection or a GOMAXPROCS change waits for a concurrent cycle;
 *   <li>marking starts with every mark bit clear (the previous sweep finished); at mark
 *       termination every object reachable from a root is marked (checked by gccheckmark);
 *   <li>the write barrier is on from sweep termination to mark termination; blackening (workers,
 *       assists) only while it is on; allocate-black from mark 2 to mark termination;
 *   <li>an allocation does its GC work (trigger, assist, yield) <em>before</em> it allocates, so
 *       the address it returns is never exposed to a safepoint before the caller stores it.
 * </ul>
 *
 * <p>Simplified from Go 1.5, each said where it matters: stacks are scanned in the sweep
 * termination pause instead of one goroutine at a time (so Go's scan and install-WB phases take
 * no time); assists do not block on unpaid debt (Go as of the seeds, July 2015; the debt carries
 * over); assist time is published per assist, not batched.
 */
public final class Collector {
    /** Go's MemStats.PauseNs ring size. */
    public static final int PAUSE_RING = 256;
    /** Go's _MaxGcproc: at most this many Ms mark in stop-the-world mode (also capped at ncpu). */
    static final int MAX_GCPROCS = 32;
    /** Per-cycle records kept (the oldest are dropped beyond this). */
    static final int MAX_RECORDS = 1 << 16;

    /** Go's gcphase, as far as gort distinguishes it (Go's _GCstw is unused in Go too). */
    public enum Phase { OFF, SCAN, MARK, MARKTERMINATION }

    private final Sched sched;
    private final MHeap heap;
    private final Platform platform;
    private final Work work;
    private final Mark mark;
    private final Globals globals;
    private final int gogc;
    private final int gctrace;
    private final boolean checkmark;
    private final boolean pacertrace;
    private final boolean stopTheWorldMode;
    private final WakeupStrategy strategy;
    private final boolean assistBlock;
    private final Pacer pacer; // null when GOGC=off
    private final PrintStream traceOut;
    private final long startNanos;

    private volatile long nextGC;
    private volatile Phase phase = Phase.OFF;
    /** Go's writeBarrierEnabled. */
    private volatile boolean writeBarrier;
    /** Go's gcBlackenEnabled: background workers and assists may mark. */
    private volatile boolean blackenEnabled;
    /** Go's gcBlackenPromptly: mark 2, work caches are disposed at once. */
    private volatile boolean blackenPromptly;
    private final MarkDoneSignal mark1;
    private final MarkDoneSignal mark2;

    // the coordinator (Go's bggc)
    private final RuntimeMutex bggcLock;
    private G bggcG;
    private volatile int bggcWorking;
    private boolean bggcStarted; // under bggcLock
    private final Note bgMarkReady;

    // statistics
    private final AtomicInteger numGC = new AtomicInteger();
    private final long[] pauseNs = new long[PAUSE_RING];
    private final AtomicLong pauseTotalNs = new AtomicLong();
    private volatile long lastGCNanos;
    private final AtomicLong gcCpuNanos = new AtomicLong();
    private final ArrayList<CycleRecord> records = new ArrayList<>();

    // stop-the-world marking helpers
    private final Note alldone;
    private final AtomicInteger ndone = new AtomicInteger();
    private volatile int nhelpers;

    // background sweeper (Go's bgsweep): parked on sweepWake between cycles
    private final Sema sweepWake;

    /** Per-P collector state (hung on {@link P#gcLocal}). */
    private static final class PState {
        /** This P's background mark worker, parked between turns (Go's p.gcBgMarkWorker). */
        volatile G worker;
        /** The mode the scheduler picked for the worker's next turn (Go's p.gcMarkWorkerMode). */
        volatile CompleterKind mode;
    }

    /**
     * How one runtime's collector is set up. {@code assistBlock}: an assist that cannot pay its
     * debt sleeps and retries (Go 1.5.1 as released, {@code GODEBUG=gcassistblock=1}) instead of
     * carrying the debt over (the seeds' era, the default).
     */
    public record Settings(int gogc, int gctrace, boolean checkmark, boolean pacertrace, boolean stopTheWorld,
            WakeupStrategy wakeup, boolean assistBlock) {}

    public Collector(Sched sched, MHeap heap, Settings cfg, PrintStream traceOut) {
        this.sched = sched;
        this.heap = heap;
        this.platform = sched.platform();
        this.work = new Work(platform, sched::exiting);
        this.mark = new Mark(heap, work);
        this.globals = new Globals(sched.newMutex());
        this.gogc = cfg.gogc();
        this.gctrace = cfg.gctrace();
        this.checkmark = cfg.checkmark();
        this.pacertrace = cfg.pacertrace();
        this.stopTheWorldMode = cfg.stopTheWorld();
        this.strategy = cfg.wakeup();
        this.assistBlock = cfg.assistBlock();
        this.pacer = gogc < 0 ? null : new Pacer(gogc);
        this.traceOut = traceOut;
        this.alldone = sched.newNote();
        this.sweepWake = new Sema(sched, 0);
        this.bggcLock = sched.newMutex();
        this.bgMarkReady = sched.newNote();
        this.mark1 = new MarkDoneSignal(sched, strategy, heap::heapLive);
        this.mark2 = new MarkDoneSignal(sched, strategy, heap::heapLive);
        mark1.tracePhase = 1;
        mark2.tracePhase = 2;
        this.startNanos = sched.startNanos(); // the runtime's start: CycleRecords and the trace share this origin
        if (pacer != null) {
            heap.setRevise(() -> pacer.revise(heap.heapScan())); // Go calls revise as heap_scan grows
        }
        this.nextGC = gogc < 0 ? Long.MAX_VALUE : Pacer.heapMinimum(gogc);
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

    /** Whether blackening (workers and assists) is enabled now, for tests. */
    boolean blackenEnabledForTest() {
        return blackenEnabled;
    }

    /** The pacer (null under GOGC=off), for tests of its accounting. */
    Pacer pacer() {
        return pacer;
    }

    /** Whether an assist that cannot pay its debt blocks and retries (GODEBUG gcassistblock=1). */
    public boolean assistBlock() {
        return assistBlock;
    }

    public boolean stopTheWorldMode() {
        return stopTheWorldMode;
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

    /** Installs the per-P state this collector needs: an mcache, a gcWork and a worker slot. */
    public Sched.Hooks hooks() {
        return new Sched.Hooks() {
            @Override
            public G findRunnableGCWorker(P p) {
                return blackenEnabled ? Collector.this.findRunnableGCWorker(p) : null;
            }

            @Override
            public G findIdleGCWorker(P p) {
                return blackenEnabled ? Collector.this.findIdleGCWorker(p) : null;
            }

            @Override
            public void scanstack(G gp) {
                mark.scanstack(gp, (GcWork) Sched.currentM().p().gcw);
            }

            @Override
            public void pInit(P p) {
                p.mcache = heap.newMCache();
                p.gcw = new GcWork(work);
                p.gcLocal = new PState();
            }

            @Override
            public void pDestroy(P p) {
                MCache c = (MCache) p.mcache;
                if (c != null) {
                    c.releaseAll();
                    heap.freeMCache(c);
                    p.mcache = null;
                }
                if (p.gcw instanceof GcWork w) {
                    w.dispose();
                }
                if (p.gcLocal instanceof PState st) {
                    st.worker = null; // its worker stays parked for good (a system goroutine)
                }
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
        if (help && sched.trace != null) sched.trace.heapAlloc(heap.heapLive()); // a refill: Go traces HeapAlloc at span allocation
        if (help && gogc >= 0 && heap.heapLive() >= nextGC && bggcWorking == 0) {
            if (stopTheWorldMode) {
                gcStart(false);
            } else {
                startGC(false);
            }
        } else if (blackenEnabled) {
            gcAssistAlloc(m, m.curg(), gort.heap.SizeClasses.roundUpSize(size), help); // Go charges the rounded size
        } else if (help && bggcWorking != 0) {
            // The GC is starting up or shutting down: it cannot be assisted, but allocation
            // should not run unabated either. Yield so the coordinator gets scheduled (Go 1.5).
            sched.gosched();
        }
        return (MCache) Sched.currentM().mcache(); // we may have been rescheduled
    }

    /** True while pointer stores must shade their target (Go's writeBarrierEnabled). */
    public boolean writeBarrierEnabled() {
        return writeBarrier;
    }

    /**
     * The Dijkstra insertion barrier's shade: greys the object a pointer store is about to install
     * (Go's writebarrierptr → shade), into the current P's work cache; disposed at once in mark 2.
     */
    public void shade(long obj) {
        MSpan s = heap.spanOf(obj);
        int i;
        if (s == null || s.objAddr(i = s.objIndex(obj)) != obj) {
            throw new IllegalArgumentException("shade: 0x" + Long.toHexString(obj) + " is not an object's address");
        }
        shade(obj, s, i);
    }

    /**
     * {@link #shade(long)} for a caller that already checked obj and found its span and slot index
     * (Heap.storePtr): no second lookup on the mutator's store path.
     */
    public void shade(long obj, MSpan s, int idx) {
        if (faultNoWriteBarrier || s.isMarkedIndex(idx)) {
            return; // already grey or black: nothing to do, and no need to find our P
        }
        GcWork gcw = (GcWork) Sched.currentM().p().gcw;
        mark.greyobjectAt(obj, s, idx, gcw);
        if (blackenPromptly || phase == Phase.MARKTERMINATION) {
            gcw.dispose();
        }
    }

    /**
     * Charges size bytes to gp and, when allowed (a refill just happened), pays the assist debt
     * before the allocation goes on (Go 1.5.1's gcAssistAlloc): steals background scan credit,
     * else scans, as much as the debt asks and the work at hand allows. An assist that brings
     * marking to a completion point signals it (whether or not it is the first to); under
     * park-yield it then yields to the coordinator at once (seed 003), under park and note it
     * returns to its mutator. What it cannot pay: with {@code gcassistblock=1} (Go 1.5.1 as
     * released) it sleeps 100 µs on a runtime timer and tries again, until the debt is paid or
     * marking is over; with {@code gcassistblock=0} (the seeds' era, before seed 003 made blocking
     * possible) the debt stays owed and the next assist pays it.
     */
    private void gcAssistAlloc(M m, G gp, long size, boolean allowAssist) {
        gp.gcalloc += size;
        if (!allowAssist || gp.isSystem() || assistsDisabled || !m.preemptible()) {
            return; // Go: no assist in non-preemptible contexts, which could not block
        }
        double ratio = Math.max(pacer.assistRatio(), minAssistRatio);
        long scanWork = (long) (ratio * gp.gcalloc) - gp.gcscanwork;
        if (scanWork <= 0) {
            return;
        }
        for (;;) { // Go's retry label
            // Steal as much background credit as we can (racy: the credit may go below zero).
            long credit = pacer.bgScanCredit.get();
            if (credit > 0) {
                long stolen = Math.min(credit, scanWork);
                pacer.bgScanCredit.addAndGet(-stolen);
                scanWork -= stolen;
                gp.gcscanwork += stolen;
                if (scanWork == 0) {
                    return;
                }
            }
            if (!blackenEnabled) {
                return; // the cycle left marking since the check in malloc: ignore the debt
            }
            long t0 = platform.nanotime();
            if (sched.trace != null) sched.trace.assistStart();
            work.startWorking();
            GcWork gcw = (GcWork) m.p().gcw;
            long done = mark.gcDrainN(gcw, scanWork);
            if (sched.trace != null) sched.trace.assistDone();
            gp.gcscanwork += done;
            scanWork -= done;
            if (blackenPromptly) {
                gcw.dispose();
            }
            boolean completed = false;
            if (work.stopWorking()) {
                signalCompletion(CompleterKind.ASSIST);
                completed = true; // Go yields whether or not this call was the first completer
                assistCompletionPoints.incrementAndGet();
            }
            pacer.assistTime.addAndGet(platform.nanotime() - t0);
            if (completed && strategy == WakeupStrategy.PARK_YIELD) {
                // seed 003: the coordinator is runnable (in this P's runnext if we readied it): run it now
                assistYields.incrementAndGet();
                sched.gosched();
                if (!blackenEnabled) {
                    scanWork = 0; // the Gosched let the cycle finish: no point in waiting
                }
            }
            if (scanWork <= 0 || !assistBlock) {
                return;
            }
            // Go 1.5.1: we could neither steal nor do enough work to pay the debt; sleep 100 µs
            // (the getfull barrier's sleep) to let other mutators run, then go around again
            assistSleeps.incrementAndGet();
            sched.timeSleep(ASSIST_RETRY_NS);
            m = Sched.currentM(); // we may wake on another M
        }
    }

    /** Assists that reached a completion point, that then yielded (park-yield), that slept on unpaid debt (counts). */
    final AtomicLong assistCompletionPoints = new AtomicLong();
    final AtomicLong assistYields = new AtomicLong();
    final AtomicLong assistSleeps = new AtomicLong();

    /** How long an assist that could not pay its debt sleeps before it retries (Go's timeSleep(100 * 1000)). */
    static final long ASSIST_RETRY_NS = 100_000;

    /** Test knob: a floor under the assist ratio (so the first cycle, which has none, assists). */
    volatile double minAssistRatio;
    /** Test knob: no assists at all (to force a worker completion path). */
    volatile boolean assistsDisabled;

    // =====================================================================================
    // Starting a cycle
    // =====================================================================================

    /** runtime.GC(): a full stop-the-world collection, blocking the caller until it is done. */
    public void gc() {
        gcStart(true);
    }

    /**
     * Starts a concurrent cycle now, whatever the heap size (Go's startGC(gcBackgroundMode,
     * forceTrigger)), after the one running, if any, has ended; returns once the coordinator has
     * been readied (marking then runs while the caller goes on). For tests and experiments.
     */
    public void triggerConcurrentCycle() {
        if (stopTheWorldMode || gogc < 0) {
            throw new IllegalStateException("no concurrent collector: " + (gogc < 0 ? "GOGC=off" : "GODEBUG=gcstoptheworld=1"));
        }
        while (!startGC(true)) {
            sched.gosched(); // the coordinator is finishing a cycle: let it park first
        }
    }

    /**
     * Readies the coordinator (starting it the first time) if the heap reached the trigger and no
     * cycle is running, then yields to it (Go's startGC in background mode). Returns whether it
     * started a cycle.
     */
    private boolean startGC(boolean forceTrigger) {
        boolean readied = false;
        bggcLock.lock();
        // the trigger was checked speculatively: recheck under the lock
        if (!((forceTrigger || heap.heapLive() >= nextGC) && bggcWorking == 0)) {
            bggcLock.unlock();
            return false;
        }
        if (!bggcStarted) {
            bggcWorking = 1;
            bggcStarted = true;
            readied = true;
            sched.setSystem(sched.newproc(this::backgroundgc, "runtime.backgroundgc"));
        } else {
            bggcWorking = 1;
            readied = true;
            sched.ready(bggcG);
        }
        bggcLock.unlock();
        if (readied) {
            sched.gosched(); // switch to the coordinator
        }
        return readied;
    }

    /** The coordinator goroutine (Go's backgroundgc): one concurrent cycle per wakeup. */
    private void backgroundgc() {
        bggcG = Sched.getg();
        for (;;) {
            gcBackground();
            bggcLock.lock();
            bggcWorking = 0;
            sched.goparkunlock(bggcLock, "Concurrent GC wait");
        }
    }

    /** Makes sure every P has a background mark worker (Go's gcBgMarkStartWorkers). Holds worldsema. */
    private void gcBgMarkStartWorkers() {
        int procs = sched.gomaxprocs();
        for (int i = 0; i < procs; i++) {
            P p = sched.allp(i);
            PState st = (PState) p.gcLocal;
            if (st.worker == null) {
                sched.setSystem(sched.newproc(() -> gcBgMarkWorker(p, st), "runtime.gcBgMarkWorker"));
                sched.notetsleepg(bgMarkReady, -1);
                bgMarkReady.clear();
            }
        }
    }

    /**
     * The concurrent root scan (Go's gcscan_m), run by the coordinator with the world started: the
     * globals, then every goroutine's stack through {@link Sched#scang} (a goroutine that is not
     * running is scanned here; a running one scans itself at its next safepoint while this waits).
     * The coordinator waits as Go's does, on its M and holding its P; it is WAITING meanwhile so
     * that its own stack is scanned like the others. As in Go, what the globals reach goes to the
     * global work list at once (markroot's own gcWork, disposed), and what a stack reaches to the
     * work cache of the P that scanned it (scanstack uses the P's gcWork).
     */
    private void gcscan() {
        G self = Sched.getg();
        sched.casgstatusWaiting(self, "garbage collection scan");
        GcWork gcw = new GcWork(work);
        mark.markrootGlobals(globals, gcw, faultSkipGlobalRoots);
        gcw.dispose();
        for (G gp : sched.allgs()) {
            sched.scang(gp);
        }
        sched.casgstatusRunning(self);
    }

    // =====================================================================================
    // The concurrent cycle (Go's gc(gcBackgroundMode))
    // =====================================================================================

    private void gcBackground() {
        sched.semacquireWorld();
        // pick up the remaining unswept spans concurrently
        while (heap.sweepone() != -1) {
            // keep sweeping
        }
        gcBgMarkStartWorkers();
        int procs = sched.gomaxprocs();
        int stwprocs = stwprocs();
        long tSweepTerm = platform.nanotime();
        long heap0 = heap.heapLive();
        if (sched.trace != null) sched.trace.gcStart(numGC.get() + 1, false);

        // ---- sweep termination (world stopped) ----
        sched.stopTheWorldWithSema("GC sweep termination");
        heap.finishSweep();
        resetMarkState();
        pacer.startCycle(procs, heap.heapLive(), heap.heapScan());
        long heapGoal = pacer.heapGoal();
        if (pacertrace) {
            traceOut.println(pacer.startTrace());
        }
        phase = Phase.SCAN;
        writeBarrier = true;
        work.prepareConcurrent(); // gcBgMarkPrepare: before assists are enabled
        mark1.disarm();
        mark2.disarm();
        blackenEnabled = true;
        sched.startTheWorldWithSema();
        long tScan = platform.nanotime();
        long sweepTermPause = tScan - tSweepTerm;
        pacer.assistsStarted(tScan);

        // ---- scan (concurrent): the globals, then every goroutine's stack (Go's gcscan_m) ----
        gcscan();
        long tInstallWB = platform.nanotime();

        // ---- install the write barrier: every P observes the mark phase (a ragged barrier) ----
        phase = Phase.MARK;
        sched.forEachP(p -> {});
        long tMark = platform.nanotime();

        // ---- concurrent mark, until mark 1 completes ----
        pacer.markStarted(tMark); // the fractional worker's clock
        mark1.clear();
        await(mark1);
        CycleRecord.Completion c1 = completion(mark1);

        // ---- mark 2: rescan globals, dispose promptly, allocate black, flush every P ----
        GcWork g2 = new GcWork(work);
        mark.markrootGlobals(globals, g2, faultSkipGlobalRoots);
        g2.dispose();
        blackenPromptly = true;
        heap.allocBlack = true;
        sched.forEachP(p -> ((GcWork) p.gcw).dispose());
        mark2.clear();
        await(mark2);
        CycleRecord.Completion c2 = completion(mark2);

        // ---- mark termination (world stopped) ----
        long tMarkTerm = platform.nanotime();
        sched.stopTheWorldWithSema("GC mark termination");
        gcFlushGCWork();
        long heap1 = heap.heapLive();
        pacer.scanWork.set(work.scanWork.get());
        pacer.endCycle(heap1, procs, platform.nanotime());
        long hg = pacer.lastHg();
        if (pacertrace) {
            traceOut.println(pacer.endTrace());
        }
        blackenEnabled = false;
        blackenPromptly = false;
        phase = Phase.MARKTERMINATION;
        long marked = gcMarkTermination(stwprocs);
        long next = pacer.markDone(marked, heap.heapLive());
        finishCycle(marked, next);
        long tEnd = platform.nanotime();

        long markTermPause = tEnd - tMarkTerm;
        long assist = pacer.assistTime.get();
        long dedicated = pacer.dedicatedMarkTime.get();
        long fractional = pacer.fractionalMarkTime.get();
        long idle = pacer.idleMarkTime.get();
        long sweepTermCpu = (long) stwprocs * (tScan - tSweepTerm);
        long scanCpu = tInstallWB - tScan;
        long markTermCpu = (long) stwprocs * (tEnd - tMarkTerm);
        gcCpuNanos.addAndGet(sweepTermCpu + scanCpu + assist + dedicated + fractional + markTermCpu);
        int cycle = numGC.get() + 1; // one cycle at a time: we hold worldsema
        record(new CycleRecord(cycle, false, strategy.flag(), assistBlock, procs, tSweepTerm - startNanos, tEnd - startNanos, heap0,
                heapGoal, hg, heap1, marked, next, c1, c2, sweepTermPause, markTermPause, assist, dedicated, fractional, idle));
        endStats(sweepTermPause + markTermPause, tEnd); // the record exists before NumGC shows the cycle
        if (sched.trace != null) sched.trace.gcDone();
        sched.startTheWorldWithSema();
        sched.semreleaseWorld();
        sweepWake.release(); // wake the background sweeper
        if (gctrace > 0) {
            String clock = GoFormat.fmtNSAsMS(tScan - tSweepTerm) + "+" + GoFormat.fmtNSAsMS(tInstallWB - tScan) + "+" + GoFormat.fmtNSAsMS(tMark - tInstallWB) + "+"
                    + GoFormat.fmtNSAsMS(tMarkTerm - tMark) + "+" + GoFormat.fmtNSAsMS(tEnd - tMarkTerm);
            String cpu = GoFormat.fmtNSAsMS(sweepTermCpu) + "+" + GoFormat.fmtNSAsMS(scanCpu) + "+0+" + GoFormat.fmtNSAsMS(assist) + "/" + GoFormat.fmtNSAsMS(dedicated + fractional) + "/"
                    + GoFormat.fmtNSAsMS(idle) + "+" + GoFormat.fmtNSAsMS(markTermCpu);
            traceOut.println("gc " + cycle + " @" + GoFormat.itoaDiv((tSweepTerm - startNanos) / 1_000_000, 3) + "s " + utilization(tEnd) + "%: "
                    + clock + " ms clock, " + cpu + " ms cpu, " + (heap0 >> 20) + "->" + (heap1 >> 20) + "->" + (marked >> 20)
                    + " MB, " + (heapGoal >> 20) + " MB goal, " + procs + " P");
        }
    }

    /** Test knob: runs on the coordinator just before it waits for a completion. */
    volatile java.util.function.Consumer<MarkDoneSignal> beforeMarkWait;

    /**
     * Waits for the phase's completion. First, liveness (not in Go 1.5, where other goroutines
     * always ran): work on the global list wakes an idle P, whose idle worker will take it; and a
     * completion point reached with no worker ever running (no work at all) is signalled here,
     * since under the note strategy the coordinator's P goes idle without passing the scheduler's
     * own check.
     */
    private void await(MarkDoneSignal s) {
        s.enter(); // a preemption point, as Go's wait prologue

        java.util.function.Consumer<MarkDoneSignal> r = beforeMarkWait;
        if (r != null) {
            r.accept(s);
        }
        if (work.hasFull()) {
            sched.wakeIdleP();
        }
        if (work.atCompletionPoint()) {
            signalCompletion(CompleterKind.COORDINATOR);
        }
        s.await();
        if (gctrace > 0) {
            // the line the patched Go 1.5.1 anchor prints after each wait (its README), plus gort's detail
            traceOut.println("gcwakeup phase=" + (s == mark1 ? 1 : 2) + " by=" + s.completer().anchorCode() + " delay_ns="
                    + s.wakeupDelayNanos() + " completer=" + s.completer().name().toLowerCase(java.util.Locale.ROOT)
                    + " waited=\"" + s.waited().label() + "\" strategy=" + strategy.flag() + " assistblock=" + (assistBlock ? 1 : 0));
        }
    }

    private CycleRecord.Completion completion(MarkDoneSignal s) {
        return new CycleRecord.Completion(s.completer(), s.doneNanos() - startNanos, s.resumedNanos() - startNanos, s.doneHeap(),
                heap.heapLive(), s.waited());
    }

    /** Resets the cycle's counters (Go's gcResetMarkState and gcResetGState). World stopped. */
    private void resetMarkState() {
        if (work.hasFull()) {
            throw new IllegalStateException("fatal error: work.full not empty at the start of a cycle");
        }
        work.resetCounters();
        heap.takeBlackBytes();
        for (G gp : sched.allgs()) {
            gp.gcalloc = 0;
            gp.gcscanwork = 0;
        }
    }

    /** Disposes every P's work cache (Go's gcFlushGCWork). World stopped. */
    private void gcFlushGCWork() {
        int procs = sched.gomaxprocs();
        for (int i = 0; i < procs; i++) {
            ((GcWork) sched.allp(i).gcw).dispose();
        }
    }

    /**
     * Mark termination's mark (Go's gcMark), world stopped: every root again, and every grey
     * object left, drained in parallel on helper Ms; then the optional checkmark. Returns the
     * bytes marked this cycle (including objects allocated black).
     */
    private long gcMarkTermination(int stwprocs) {
        gcFlushGCWork();
        heap.flushAllMCaches();
        stwMark(stwprocs);
        if (checkmark) {
            checkmarkVerify();
        }
        for (int i = 0; i < sched.gomaxprocs(); i++) {
            if (!((GcWork) sched.allp(i).gcw).isEmpty()) {
                throw new IllegalStateException("fatal error: P has cached GC work at end of mark termination");
            }
        }
        pacer.scanWork.set(work.scanWork.get());
        return work.bytesMarked.get() + heap.takeBlackBytes();
    }

    /** Marks from every root with stwprocs Ms, the world stopped; leaves no grey object. */
    private void stwMark(int stwprocs) {
        if (sched.trace != null) sched.trace.gcScanStart(); // Go 1.5 traces its stop-the-world mark as the scan ("MARK")
        work.resetForTermination(stwprocs);
        int helpers = stwprocs - 1;
        nhelpers = helpers;
        ndone.set(0);
        alldone.clear();
        if (helpers > 0) {
            sched.helpgc(helpers, this::gchelper);
        }
        GcWork gcw = new GcWork(work);
        mark.markrootStacks(sched, gcw);
        mark.markrootGlobals(globals, gcw, faultSkipGlobalRoots);
        gcw.dispose(); // share the roots with the helpers right away
        mark.gcDrain(gcw, null);
        gcw.dispose();
        if (helpers > 0) {
            alldone.sleep(); // every helper flushed its counts
        }
        if (work.hasFull()) {
            throw new IllegalStateException("fatal error: work.full != 0 after mark termination");
        }
        if (sched.trace != null) sched.trace.gcScanDone();
    }

    private void gchelper() {
        GcWork gcw = new GcWork(work);
        mark.gcDrain(gcw, null);
        gcw.dispose();
        if (ndone.incrementAndGet() == nhelpers) {
            alldone.wakeup();
        }
    }

    /** Ms that mark with the world stopped (Go's gcprocs). */
    private int stwprocs() {
        return Math.max(1, Math.min(Math.min(sched.gomaxprocs(), platform.ncpu()), MAX_GCPROCS));
    }

    /** Ends marking and starts sweeping (end of gcMark, gcSweep). World stopped, caches released. */
    private void finishCycle(long marked, long next) {
        heap.setHeapLive(marked);
        heap.setHeapScan(work.scanWork.get()); // Go: heap_scan = gcController.scanWork
        nextGC = next;
        phase = Phase.OFF;
        writeBarrier = false;
        heap.allocBlack = false;
        heap.flushAllMCaches();
        heap.startSweep(next == Long.MAX_VALUE ? 0 : next - marked);
        if (sched.trace != null) sched.trace.heapAlloc(marked);
        if (sched.trace != null) sched.trace.nextGC(next);
    }

    /** Counts the cycle and its pause (memstats). Returns the cycle number. */
    private int endStats(long pause, long tEnd) {
        int cycle = numGC.incrementAndGet();
        pauseNs[(cycle - 1) % PAUSE_RING] = pause;
        pauseTotalNs.addAndGet(pause);
        lastGCNanos = tEnd;
        return cycle;
    }

    private long utilization(long tEnd) {
        double wall = Math.max(1, tEnd - startNanos) * (double) sched.gomaxprocs();
        return (long) (100.0 * gcCpuNanos.get() / wall);
    }

    private void record(CycleRecord r) {
        synchronized (records) {
            if (records.size() == MAX_RECORDS) {
                records.subList(0, MAX_RECORDS / 2).clear();
            }
            records.add(r);
        }
    }

    /** Every cycle's record so far, oldest first (at most {@value #MAX_RECORDS}). */
    public List<CycleRecord> cycleRecords() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    // =====================================================================================
    // Completion, workers and the scheduler's side
    // =====================================================================================

    /**
     * Signals a completion point of the current mark phase (mark 2 once blackening is prompt).
     * Returns true if this call won and signalled the coordinator.
     */
    private boolean signalCompletion(CompleterKind kind) {
        if (blackenPromptly) {
            if (!mark1.isDone()) {
                throw new IllegalStateException("fatal error: completing mark 2, but mark 1 is not done");
            }
            return mark2.complete(kind);
        }
        return mark1.complete(kind);
    }

    /** Test knob: which background worker modes may be started (bits of CompleterKind ordinals). */
    volatile int workerModes = (1 << CompleterKind.DEDICATED.ordinal()) | (1 << CompleterKind.FRACTIONAL.ordinal())
            | (1 << CompleterKind.IDLE.ordinal());

    /** Test knob: the scheduler may signal a completion point it finds (Go does). */
    volatile boolean schedulerCompletes = true;

    private boolean modeAllowed(CompleterKind k) {
        return (workerModes & (1 << k.ordinal())) != 0;
    }

    /**
     * Whether p should run its background mark worker now, and in which mode (Go's
     * gcControllerState.findRunnableGCWorker): a dedicated token first; else, if there is work,
     * the fractional token while under its utilization share. With no work and nobody working,
     * this is a completion point that nobody may be left to signal: signal it here.
     */
    private G findRunnableGCWorker(P p) {
        PState st = (PState) p.gcLocal;
        G w = st.worker;
        if (w == null || (mark1.isDone() && mark2.isDone())) {
            return null; // background mark is done (or not started): do not spin the worker
        }
        if (modeAllowed(CompleterKind.DEDICATED) && pacer.takeDedicated()) {
            st.mode = CompleterKind.DEDICATED;
            return w;
        }
        if (((GcWork) p.gcw).isEmpty() && !work.hasFull()) {
            if (schedulerCompletes && work.atCompletionPoint()) {
                signalCompletion(CompleterKind.SCHEDULER);
            }
            return null;
        }
        if (!modeAllowed(CompleterKind.FRACTIONAL) || !pacer.takeFractional(platform.nanotime())) {
            return null;
        }
        st.mode = CompleterKind.FRACTIONAL;
        return w;
    }

    /**
     * An idle P marks rather than sleeps, if there is work (Go 1.5's findrunnable idle-time
     * marking, with its gcMarkWorkAvailable check: the P's cache or the global list holds work).
     * It may run during the stack-scan phase too, as in Go; its completions count only once mark
     * 1 is armed.
     */
    private G findIdleGCWorker(P p) {
        PState st = (PState) p.gcLocal;
        G w = st.worker;
        if (w == null || !modeAllowed(CompleterKind.IDLE) || (((GcWork) p.gcw).isEmpty() && !work.hasFull())) {
            return null;
        }
        st.mode = CompleterKind.IDLE;
        return w;
    }

    /**
     * The background mark worker of p (Go's gcBgMarkWorker): parked until p's scheduler picks it;
     * then drains in the mode it was picked for, signals a completion point if it reached one, and
     * parks again at once. It never yields through preemption (that would put it on a run queue):
     * the fractional and idle modes stop draining when asked to yield, and park.
     */
    private void gcBgMarkWorker(P p, PState st) {
        G gp = Sched.getg();
        st.worker = gp;
        bgMarkReady.wakeup();
        for (;;) {
            sched.gopark((g, l) -> true, null, "GC worker (idle)");
            if (st.worker != gp) {
                return; // p died (procresize)
            }
            if (Sched.currentM().p() != p) {
                throw new IllegalStateException("fatal error: gcBgMarkWorker of P " + p.id + " running on another P");
            }
            if (!blackenEnabled) {
                throw new IllegalStateException("fatal error: gcBgMarkWorker: blackening not enabled");
            }
            CompleterKind mode = st.mode;
            if (sched.trace != null) sched.trace.markWorkerStart(mode.ordinal());
            long t0 = platform.nanotime();
            GcWork gcw = (GcWork) p.gcw;
            work.startWorking();
            boolean done;
            if (mode == CompleterKind.DEDICATED) {
                mark.gcDrain(gcw, pacer); // returns only at a completion point (it counted itself out)
                done = true;
                if (!gcw.isEmpty()) {
                    throw new IllegalStateException("fatal error: gcDrain returned with buffer");
                }
            } else {
                mark.gcDrainUntilPreempt(gcw, gp, pacer);
                if (blackenPromptly) {
                    gcw.dispose(); // before counting ourselves out, so nobody sees no work and no workers
                }
                done = work.stopWorking();
            }
            if (sched.trace != null) sched.trace.markWorkerStop(mode.ordinal());
            if (done) {
                signalCompletion(mode);
            }
            pacer.workerDone(mode, platform.nanotime() - t0);
        }
    }

    // =====================================================================================
    // The stop-the-world cycle (gcstoptheworld=1, runtime.GC())
    // =====================================================================================

    /** Runs one stop-the-world cycle, unless (when not forced) another goroutine just ran one. */
    private void gcStart(boolean force) {
        if (!force && gogc < 0) {
            return;
        }
        int n0 = numGC.get();
        long t0 = platform.nanotime();
        if (sched.trace != null) sched.trace.gcStart(numGC.get() + 1, true);
        sched.stopTheWorld("GC (stop the world)");
        if (!force && (numGC.get() != n0 || heap.heapLive() < nextGC)) {
            if (sched.trace != null) sched.trace.gcDone();
            sched.startTheWorld(); // someone else collected while we waited for the world
            return;
        }
        long tStopped = platform.nanotime();
        long heap0 = heap.heapLive();

        // sweep termination: finish the previous cycle's sweep; mark bits are then all clear
        heap.finishSweep();
        heap.flushAllMCaches();
        resetMarkState();
        if (pacer != null) {
            pacer.startForced(heap0);
        }
        long tMark = platform.nanotime();

        // mark, in parallel on helper Ms
        phase = Phase.MARKTERMINATION;
        int procs = stwprocs();
        stwMark(procs);
        if (checkmark) {
            checkmarkVerify();
        }
        long tMarkTerm = platform.nanotime();

        // mark termination
        long marked = work.bytesMarked.get();
        long goal;
        if (stopTheWorldMode || pacer == null) {
            goal = gogc < 0 ? Long.MAX_VALUE : Math.max(marked + marked * gogc / 100, Pacer.heapMinimum(gogc));
        } else {
            // the concurrent collector's trigger stays the pacer's
            pacer.scanWork.set(work.scanWork.get());
            goal = pacer.markDone(marked, heap.heapLive());
        }
        finishCycle(marked, goal);
        long tEnd = platform.nanotime();
        long pause = tEnd - tStopped;
        int cycle = numGC.get() + 1;
        record(new CycleRecord(cycle, true, strategy.flag(), assistBlock, sched.gomaxprocs(), t0 - startNanos, tEnd - startNanos, heap0,
                heap0, 0, heap0, marked, goal, null, null, 0, pause, 0, 0, 0, 0));
        endStats(pause, tEnd);
        if (sched.trace != null) sched.trace.gcDone();
        int helpers = procs - 1;
        gcCpuNanos.addAndGet((tEnd - tStopped) + (tMarkTerm - tMark) * helpers);
        sched.startTheWorld();
        sweepWake.release(); // wake the background sweeper
        if (gctrace > 0) {
            traceOut.println(gctraceLine(cycle, t0, tStopped, tMark, tMarkTerm, tEnd, heap0, marked, procs));
        }
    }

    // =====================================================================================
    // Checkmark (GODEBUG=gccheckmark=1)
    // =====================================================================================

    /** Fault injection for tests: the write barrier shades nothing (checkmark must notice a loss). */
    volatile boolean faultNoWriteBarrier;

    /** Fault injection for tests: the mark phase forgets the global roots (checkmark must notice). */
    volatile boolean faultSkipGlobalRoots;

    /** Objects checkmarked in the last verification (for tests). */
    private volatile long checkmarked;

    public long lastCheckmarked() {
        return checkmarked;
    }

    /**
     * Re-marks everything reachable from the roots with the checkmark bits, single-threaded, with
     * the world stopped, and dies if an object reached this way was left unmarked by the mark
     * phase (Go's gccheckmark: the baseline that catches a lost object before sweep frees it).
     */
    private void checkmarkVerify() {
        heap.clearCheckmarks();
        long[] stack = new long[1024];
        int sp = 0;
        long n = 0;
        ArrayList<long[]> rootSets = new ArrayList<>();
        ArrayList<String> rootNames = new ArrayList<>();
        for (G gp : sched.allgs()) {
            if (gp.status() != G.DEAD && gp.local instanceof Stack st) {
                rootSets.add(java.util.Arrays.copyOf(st.slots(), st.depth()));
                rootNames.add("stack of goroutine " + gp.goid());
            }
        }
        rootSets.add(java.util.Arrays.copyOf(globals.snapshot(), globals.count()));
        rootNames.add("globals");
        AddressSpace mem = heap.mem();
        for (int r = 0; r < rootSets.size(); r++) {
            for (long p : rootSets.get(r)) {
                if (p == 0) {
                    continue;
                }
                if (checkgrey(p, rootNames.get(r))) {
                    n++;
                    if (sp == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = p;
                }
                while (sp > 0) {
                    long obj = stack[--sp];
                    MSpan s = heap.spanOf(obj);
                    long info = s.slotInfoAt(s.objIndex(obj));
                    Type t = Type.byId((int) info);
                    int[] offs = t.ptrOffsets();
                    long nelem = t.isArray() ? (int) (info >>> 32) : 1;
                    for (long e = 0; e < nelem; e++) {
                        for (int off : offs) {
                            long q = mem.load(obj + e * t.sizeWords() + off);
                            if (q != 0 && checkgrey(q, t.name() + " object 0x" + Long.toHexString(obj) + " field " + (e * t.sizeWords() + off))) {
                                n++;
                                if (sp == stack.length) {
                                    stack = java.util.Arrays.copyOf(stack, sp * 2);
                                }
                                stack[sp++] = q;
                            }
                        }
                    }
                }
            }
        }
        checkmarked = n;
    }

    /** Checkmarks p; true if newly checkmarked. Dies if p is reachable but was not marked. */
    private boolean checkgrey(long p, String from) {
        MSpan s = heap.spanOfHeap(p);
        if (s == null || s.base(p) != p || s.typeIdAt(s.objIndex(p)) == 0) {
            throw new IllegalStateException("fatal error: checkmark found bad pointer 0x" + Long.toHexString(p) + " in " + from);
        }
        if (!s.setCheckmarked(p)) {
            return false;
        }
        if (!s.isMarked(p)) {
            throw new IllegalStateException("fatal error: checkmark found unmarked object 0x" + Long.toHexString(p) + " ("
                    + heap.typeOf(p).name() + "), reachable from " + from + ": the mark phase lost it");
        }
        return true;
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
    // Statistics and traces
    // =====================================================================================

    public int numGC() {
        return numGC.get();
    }

    public long nextGC() {
        return nextGC;
    }

    public long pauseTotalNs() {
        return pauseTotalNs.get();
    }

    /** The collector's flags and work counts, for hang reports. */
    public String debugState() {
        return "gc: phase=" + phase + " wb=" + writeBarrier + " blacken=" + blackenEnabled + " promptly=" + blackenPromptly
                + " bggcWorking=" + bggcWorking + " mark1.done=" + mark1.isDone() + " mark2.done=" + mark2.isDone()
                + " nwait=" + work.nwait.get() + " nproc=" + work.nproc + " full=" + work.hasFull() + " numGC=" + numGC.get();
    }

    /** Go's MemStats subset. */
    public MemStats readMemStats() {
        var st = heap.readStats();
        int n = numGC.get();
        long[] ring = pauseNs.clone();
        return new MemStats(st.heapAlloc(), st.heapSys(), st.heapObjects(), st.heapInuse(), n, ring,
                pauseTotalNs.get(), nextGC == Long.MAX_VALUE ? 0 : nextGC, st.totalAlloc(), st.mallocs(), st.frees(),
                lastGCNanos);
    }

    /**
     * Go 1.5's gctrace line for a stop-the-world cycle (gc(gcForceMode)): every phase after sweep
     * termination collapses into mark termination, the heap goal shown is the heap at the start,
     * and the line ends in "(forced)", as Go prints with GODEBUG=gcstoptheworld=1.
     */
    private String gctraceLine(int cycle, long tSweepTerm, long tStopped, long tMark, long tMarkTerm, long tEnd,
            long heap0, long marked, int procs) {
        long tScan = tMark; // tScan = tInstallWB = tMark = tMarkTerm in a forced cycle
        long sweepTermCpu = (long) procs * (tScan - tSweepTerm);
        long markTermCpu = (long) procs * (tEnd - tScan);
        String clock = GoFormat.fmtNSAsMS(tScan - tSweepTerm) + "+0+0+0+" + GoFormat.fmtNSAsMS(tEnd - tScan);
        String cpu = GoFormat.fmtNSAsMS(sweepTermCpu) + "+0+0+0/0/0+" + GoFormat.fmtNSAsMS(markTermCpu);
        return "gc " + cycle + " @" + GoFormat.itoaDiv((tSweepTerm - startNanos) / 1_000_000, 3) + "s " + utilization(tEnd) + "%: "
                + clock + " ms clock, " + cpu + " ms cpu, " + (heap0 >> 20) + "->" + (heap0 >> 20) + "->" + (marked >> 20)
                + " MB, " + (heap0 >> 20) + " MB goal, " + sched.gomaxprocs() + " P (forced)";
    }
}
