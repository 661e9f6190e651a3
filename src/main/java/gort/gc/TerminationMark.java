package gort.gc;

import gort.sched.Note;
import gort.sched.Sched;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mark with the world stopped (Go's gcMark, run at mark termination and for a forced
 * cycle): every root again (stacks rescanned, as the Dijkstra barrier needs) and every grey object
 * left, drained in parallel on helper Ms woken by {@link Sched#helpgc}; then the optional
 * checkmark. Owns the helpers' rendezvous. Simplified from Go: helpers are capped at the CPU count.
 */
final class TerminationMark {
    /** Go's _MaxGcproc: at most this many Ms mark with the world stopped (also capped at ncpu). */
    static final int MAX_GCPROCS = 32;

    private final Collector c;
    private final Note alldone;
    private final AtomicInteger ndone = new AtomicInteger();
    private volatile int nhelpers;

    TerminationMark(Collector c) {
        this.c = c;
        this.alldone = c.sched.newNote();
    }

    /** Ms that mark with the world stopped (Go's gcprocs). */
    static int stwprocs(Collector c) {
        return Math.max(1, Math.min(Math.min(c.sched.gomaxprocs(), c.platform.ncpu()), MAX_GCPROCS));
    }

    /**
     * Mark termination's mark, world stopped: caches flushed, every root, every grey object, the
     * optional checkmark. Returns the bytes marked this cycle (including objects allocated black).
     */
    long mark(int stwprocs) {
        c.gcFlushGCWork();
        c.heap.flushAllMCaches();
        stwMark(stwprocs, c.barrier.rescanStacks());
        if (c.checkmark) {
            c.checkmarker.verify();
        }
        Sched sched = c.sched;
        for (int i = 0; i < sched.gomaxprocs(); i++) {
            if (!((GcWork) sched.allp(i).gcw).isEmpty()) {
                throw new IllegalStateException("fatal error: P has cached GC work at end of mark termination");
            }
        }
        return c.work.bytesMarked.get() + c.heap.takeBlackBytes();
    }

    /**
     * Marks from the roots (the stacks too if {@code stacks}: always for a forced cycle, and at mark
     * termination when the barrier needs the rescan) with stwprocs Ms, the world stopped; leaves no
     * grey object.
     */
    void stwMark(int stwprocs, boolean stacks) {
        Sched sched = c.sched;
        if (sched.trace != null) sched.trace.gcScanStart(); // Go 1.5 traces its stop-the-world mark as the scan ("MARK")
        Work work = c.work;
        work.resetForTermination(stwprocs);
        int helpers = stwprocs - 1;
        nhelpers = helpers;
        ndone.set(0);
        alldone.clear();
        if (helpers > 0) {
            sched.helpgc(helpers, this::gchelper);
        }
        GcWork gcw = new GcWork(work);
        if (stacks) {
            c.mark.markrootStacks(sched, gcw);
        }
        c.mark.markrootGlobals(c.globals, gcw, c.faults.skipGlobalRoots);
        gcw.dispose(); // share the roots with the helpers right away
        c.mark.gcDrain(gcw, null);
        gcw.dispose();
        if (helpers > 0) {
            // every helper flushed its counts (an M woken to help while the runtime ends stops
            // without helping: the runtime's exit ends this wait too)
            sched.notesleepUnlessExiting(alldone);
        }
        if (work.hasFull()) {
            throw new IllegalStateException("fatal error: work.full != 0 after mark termination");
        }
        if (sched.trace != null) sched.trace.gcScanDone();
    }

    private void gchelper() {
        GcWork gcw = new GcWork(c.work);
        c.mark.gcDrain(gcw, null);
        gcw.dispose();
        if (ndone.incrementAndGet() == nhelpers) {
            alldone.wakeup();
        }
    }
}
