package gort.gc;

import gort.sched.G;
import gort.sched.Sched;

/**
 * The steps of one concurrent cycle (Go 1.5's gc(gcBackgroundMode), and the transitions Go 1.6
 * split out as gcStart and gcMarkDone), for a {@link CycleDriver} to take in order: {@link #begin}
 * (sweep termination with the world stopped, the concurrent stack scan, the ragged barrier that
 * installs the write barrier, mark 1 armed), {@link #toMark2} (globals rescanned, work caches
 * disposed at once, allocate-black, mark 2 armed), {@link #finish} (mark termination with the
 * world stopped, the next trigger, sweep started, the cycle's record and gctrace line).
 *
 * <p>Under the go16 marking, {@link #begin} is Go 1.6's gcStart instead: no scan phase; the roots
 * become {@link RootJobs} for the workers, and mark 1 is armed before the world restarts; mark 2's
 * globals rescan is a root job too, and the end of marking wakes the parked assists. gctrace's
 * scan and barrier-install clock fields are then 0 (Go 1.6's gctrace has no such fields).
 *
 * <p>Owns the in-flight cycle's times and heap figures. Invariants: the steps run in that order,
 * one cycle at a time (begin takes the world semaphore, finish gives it back, so a forced
 * collection or a GOMAXPROCS change waits for the cycle); begin and toMark2 run on goroutines;
 * mark 1's completion is recorded before toMark2, mark 2's before finish.
 */
final class ConcurrentCycle {
    private final Collector c;
    // the cycle in flight
    private int procs;
    private int stwprocs;
    private long tSweepTerm;
    private long tScan;
    private long tInstallWB;
    private long tMark;
    private long heap0;
    private long heapGoal;
    private long sweepTermPause;
    private CycleRecord.Completion c1;

    ConcurrentCycle(Collector c) {
        this.c = c;
    }

    /** Sweep termination, the concurrent scan and the barrier install; mark 1 is armed on return. */
    void begin() {
        Sched sched = c.sched;
        sched.semacquireWorld();
        while (c.heap.sweepone() != -1) {
            // pick up the remaining unswept spans concurrently
        }
        c.workers.startWorkers();
        procs = sched.gomaxprocs();
        stwprocs = TerminationMark.stwprocs(c);
        tSweepTerm = c.platform.nanotime();
        heap0 = c.heap.heapLive();
        if (sched.trace != null) sched.trace.gcStart(c.stats.numGC() + 1, false);

        // ---- sweep termination (world stopped) ----
        sched.stopTheWorldWithSema("GC sweep termination");
        c.heap.finishSweep();
        c.resetMarkState();
        c.controller.startCycle(procs, c.heap.heapLive(), c.heap.heapScan(), stackBytes(), (long) c.globals.count() * 8);
        heapGoal = c.controller.heapGoal();
        if (c.pacertrace) {
            c.traceOut.println(c.controller.startTrace());
        }
        c.work.prepareConcurrent(); // gcBgMarkPrepare: before assists are enabled
        c.mark1.disarm();
        c.mark2.disarm();
        if (c.marking == MarkingKind.GO16) {
            // Go 1.6's gcStart: the roots become jobs, the barrier goes on with the world stopped
            // (no scan phase, no ragged barrier), mark 1 is armed and blackening enabled before the
            // world restarts; the starting goroutine returns to its work.
            c.roots.prepare();
            c.setPhase(GcPhase.MARK);
            c.mark1.clear();
            tScan = tInstallWB = tMark = c.platform.nanotime();
            c.controller.assistsStarted(tScan);
            c.controller.markStarted(tMark);
            sweepTermPause = tScan - tSweepTerm;
            sched.startTheWorldWithSema();
            armed(c.mark1);
            return;
        }
        c.setPhase(GcPhase.SCAN); // the write barrier on, then blackening (assists)
        sched.startTheWorldWithSema();
        tScan = c.platform.nanotime();
        sweepTermPause = tScan - tSweepTerm;
        c.controller.assistsStarted(tScan);

        // ---- scan (concurrent): the globals, then every goroutine's stack (Go's gcscan_m) ----
        scan();
        tInstallWB = c.platform.nanotime();

        // ---- install the write barrier: every P observes the mark phase (a ragged barrier) ----
        c.setPhase(GcPhase.MARK);
        sched.forEachP(p -> {});
        tMark = c.platform.nanotime();
        c.controller.markStarted(tMark); // the fractional worker's clock
        c.mark1.clear();
        armed(c.mark1);
    }

    private void armed(MarkDoneSignal s) {
        java.util.function.Consumer<MarkDoneSignal> f = c.faults.onPhaseArmed;
        if (f != null) {
            f.accept(s);
        }
    }

    /** Bytes of every goroutine's stack in use (the roots' share of a cycle's scan work). World stopped. */
    private long stackBytes() {
        long n = 0;
        for (G gp : c.sched.allgs()) {
            if (gp.status() != G.DEAD && gp.local instanceof Stack st) {
                n += st.bytesInUse();
            }
        }
        return n;
    }

    /**
     * The concurrent root scan (Go's gcscan_m), run with the world started: the globals, then every
     * goroutine's stack through {@link Sched#scang} (a goroutine that is not running is scanned
     * here; a running one scans itself at its next safepoint while this waits). The caller waits
     * as Go's coordinator does, on its M and holding its P; it is WAITING meanwhile so that its own
     * stack is scanned like the others. As in Go, what the globals reach goes to the global work
     * list at once (markroot's own gcWork, disposed), and what a stack reaches to the work cache of
     * the P that scanned it (scanstack uses the P's gcWork).
     */
    private void scan() {
        Sched sched = c.sched;
        G self = Sched.getg();
        sched.casgstatusWaiting(self, "garbage collection scan");
        GcWork gcw = new GcWork(c.work);
        c.mark.markrootGlobals(c.globals, gcw, c.faults.skipGlobalRoots);
        gcw.dispose();
        for (G gp : sched.allgs()) {
            sched.scang(gp);
        }
        sched.casgstatusRunning(self);
    }

    /**
     * Mark 1 completed (its record: {@code first}): rescan the globals, dispose work promptly,
     * allocate black, flush every P's cache with a ragged barrier; mark 2 is armed on return.
     */
    void toMark2(CycleRecord.Completion first) {
        this.c1 = first;
        if (c.marking == MarkingKind.GO16) {
            c.work.checkRootJobsDone("mark 1");
            c.roots.prepareGlobals(); // Go 1.6: the globals' rescan is a root job for the workers
        } else {
            GcWork g2 = new GcWork(c.work);
            c.mark.markrootGlobals(c.globals, g2, c.faults.skipGlobalRoots);
            g2.dispose();
        }
        c.setPhase(GcPhase.MARK2);
        if (c.faults.markDoneWithoutFlush) {
            c.sched.forEachP(p -> {}); // planted bug: the ragged barrier without the caches' flush
        } else {
            c.sched.forEachP(p -> ((GcWork) p.gcw).dispose());
        }
        c.mark2.clear();
        armed(c.mark2);
    }

    /**
     * Mark 2 completed (its record: {@code second}): mark termination with the world stopped, the
     * next trigger, concurrent sweep; the cycle's record, its gctrace line; the world semaphore is
     * given back.
     */
    void finish(CycleRecord.Completion second) {
        Sched sched = c.sched;
        if (c.marking == MarkingKind.GO16) {
            c.work.checkRootJobsDone("mark 2");
        }
        long tMarkTerm = c.platform.nanotime();
        sched.stopTheWorldWithSema("GC mark termination");
        if (c.marking == MarkingKind.GO16) {
            // Go 1.6's gcMarkDone, with the world stopped: no assist may park from now on; wake
            // those that did (they run once the world restarts, and find the cycle over)
            c.blackenEnabled = false;
            c.assistQueue.wakeAll();
        }
        c.gcFlushGCWork();
        long concurrentMarked = c.work.bytesMarked.get();
        c.terminationGreyObjects = c.work.fullObjects();
        long heap1 = c.heap.heapLive();
        c.controller.endCycle(heap1, procs, c.platform.nanotime(), c.work.scanWork.get());
        long hg = c.controller.lastHg();
        if (c.pacertrace) {
            c.traceOut.println(c.controller.endTrace());
        }
        c.setPhase(GcPhase.MARKTERMINATION); // blackening off; the barrier stays on until marking is over
        c.roots.clear();
        long marked = c.termination.mark(stwprocs);
        c.terminationMarkedBytes = c.work.bytesMarked.get() - concurrentMarked;
        long next = c.controller.markDone(marked, c.heap.heapLive(), c.work.scanWork.get());
        c.finishCycle(marked, next);
        long tEnd = c.platform.nanotime();

        long markTermPause = tEnd - tMarkTerm;
        GcController ctl = c.controller;
        long assist = ctl.assistTime();
        long dedicated = ctl.dedicatedTime();
        long fractional = ctl.fractionalTime();
        long idle = ctl.idleTime();
        long sweepTermCpu = (long) stwprocs * (tScan - tSweepTerm);
        long scanCpu = tInstallWB - tScan;
        long markTermCpu = (long) stwprocs * (tEnd - tMarkTerm);
        c.stats.addGcCpu(sweepTermCpu + scanCpu + assist + dedicated + fractional + markTermCpu);
        int cycle = c.stats.numGC() + 1; // one cycle at a time: we hold worldsema
        long start = c.startNanos;
        c.stats.record(new CycleRecord(cycle, false, c.strategy.flag(), c.assistBlock, procs, tSweepTerm - start, tEnd - start, heap0,
                heapGoal, hg, heap1, marked, next, c1, second, sweepTermPause, markTermPause, assist, dedicated, fractional, idle));
        c.stats.endCycle(sweepTermPause + markTermPause, tEnd); // the record exists before NumGC shows the cycle
        if (sched.trace != null) sched.trace.gcDone();
        sched.startTheWorldWithSema();
        sched.semreleaseWorld();
        c.sweepWake.release(); // wake the background sweeper
        if (c.gctrace > 0) {
            c.traceOut.println(Gctrace.concurrent(cycle, tSweepTerm - start, c.stats.utilization(tEnd), new long[] {tScan - tSweepTerm,
                    tInstallWB - tScan, tMark - tInstallWB, tMarkTerm - tMark, tEnd - tMarkTerm},
                    new long[] {sweepTermCpu, scanCpu, assist, dedicated + fractional, idle, markTermCpu}, heap0, heap1, marked, heapGoal,
                    procs));
        }
    }

    /** The record of a completed phase: who, when, where the coordinator (or the transition) waited. */
    CycleRecord.Completion completion(MarkDoneSignal s) {
        long start = c.startNanos;
        return new CycleRecord.Completion(s.completer(), s.doneNanos() - start, s.resumedNanos() - start, s.doneHeap(),
                c.heap.heapLive(), s.waited());
    }
}
