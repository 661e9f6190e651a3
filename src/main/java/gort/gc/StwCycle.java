package gort.gc;

import gort.sched.Sched;

/**
 * A stop-the-world cycle (Go 1.5's gc(gcForceMode)): {@code runtime.GC()}, and every cycle in the
 * stop-the-world mode ({@code GODEBUG=gcstoptheworld=1}, the checking baseline). The whole cycle
 * runs inside one pause: finish the sweep, mark from every root on the helper Ms, optionally
 * checkmark, let the controller set the next trigger, start sweeping. Owns nothing but the steps.
 */
final class StwCycle {
    private final Collector c;

    StwCycle(Collector c) {
        this.c = c;
    }

    /** Runs one cycle, unless (when not forced) another goroutine just ran one or the heap is under the trigger. */
    void run(boolean force) {
        if (!force && c.gogc < 0) {
            return;
        }
        Sched sched = c.sched;
        int n0 = c.stats.numGC();
        long t0 = c.platform.nanotime();
        if (sched.trace != null) sched.trace.gcStart(n0 + 1, true);
        sched.stopTheWorld("GC (stop the world)");
        if (!force && (c.stats.numGC() != n0 || c.heap.heapLive() < c.controller.trigger())) {
            if (sched.trace != null) sched.trace.gcDone();
            sched.startTheWorld(); // someone else collected while we waited for the world
            return;
        }
        long tStopped = c.platform.nanotime();
        long heap0 = c.heap.heapLive();

        // sweep termination: finish the previous cycle's sweep; mark bits are then all clear
        c.heap.finishSweep();
        c.heap.flushAllMCaches();
        c.resetMarkState();
        c.controller.startForced(heap0);
        long tMark = c.platform.nanotime();

        // mark, in parallel on helper Ms
        c.setPhase(GcPhase.MARKTERMINATION);
        int procs = TerminationMark.stwprocs(c);
        c.termination.stwMark(procs, true);
        if (c.checkmark) {
            c.checkmarker.verify();
        }
        long tMarkTerm = c.platform.nanotime();

        // mark termination: the controller sets the next trigger
        long marked = c.work.bytesMarked.get();
        long next = c.controller.markDone(marked, c.heap.heapLive(), c.work.scanWork.get());
        c.finishCycle(marked, next);
        if (force) {
            // runtime.GC(): Go 1.5's gcSweep in gcForceBlockMode sweeps every span with the world
            // stopped, so the caller sees the heap swept when GC() returns
            while (c.heap.sweepone() != -1) {
                // sweep the next span
            }
        }
        long tEnd = c.platform.nanotime();
        long pause = tEnd - tStopped;
        int cycle = c.stats.numGC() + 1;
        long start = c.startNanos;
        c.stats.record(new CycleRecord(cycle, true, c.strategy.flag(), c.assistBlock, sched.gomaxprocs(), t0 - start, tEnd - start,
                heap0, heap0, 0, heap0, marked, next, null, null, 0, pause, 0, 0, 0, 0));
        c.stats.endCycle(pause, tEnd);
        if (sched.trace != null) sched.trace.gcDone();
        c.stats.addGcCpu((tEnd - tStopped) + (tMarkTerm - tMark) * (procs - 1));
        sched.startTheWorld();
        c.sweepWake.release(); // wake the background sweeper
        if (c.gctrace > 0) {
            c.traceOut.println(Gctrace.forced(cycle, t0 - start, c.stats.utilization(tEnd), tMark - t0, tEnd - tMark, procs, heap0,
                    marked, sched.gomaxprocs()));
        }
    }
}
