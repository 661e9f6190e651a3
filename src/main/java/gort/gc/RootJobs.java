package gort.gc;

import gort.sched.G;
import gort.sched.Sched;
import java.util.List;

/**
 * The roots as jobs that background workers share (Go 1.6's gcMarkRootPrepare and markroot), under
 * the go16 marking: job 0 is the global roots, job 1 + i the stack of the i-th goroutine that
 * existed when the cycle started. Workers claim jobs through {@link Work#claimRootJob} before they
 * drain the heap; a cycle's mark 2 hands out job 0 again (the globals' rescan).
 *
 * <p>Owns the snapshot of the goroutines whose stacks are jobs. Invariants: the snapshot is taken
 * with the world stopped; a goroutine made later is not a job (its stack is scanned at mark
 * termination, with every stack); a job is run once per handing out, by the worker that claimed
 * it, while that worker counts as working.
 *
 * <p>As Go 1.6's markroot: the globals go to a gcWork of the job's own, disposed to the global
 * list at once; a stack is scanned through {@link Sched#scang} into the scanning P's cache (a
 * running goroutine scans itself at its next safepoint while the worker waits); the mark workers'
 * own stacks are skipped while the world runs ("GC background workers may be non-preemptible",
 * so two workers scanning each other would wait for ever) and scanned at mark termination.
 * Simplified from Go 1.6: the globals are one job, not a job per block of data and bss; there are
 * no finalizer, span-special or cache-flush jobs (gort has none of those roots).
 */
final class RootJobs {
    private final Collector c;
    private volatile G[] stacks = new G[0];

    RootJobs(Collector c) {
        this.c = c;
    }

    /** Prepares mark 1's jobs: the globals and every goroutine's stack (Go 1.6's gcMarkRootPrepare). World stopped. */
    void prepare() {
        List<G> gs = c.sched.allgs();
        stacks = gs.toArray(new G[0]);
        c.work.setRootJobs(1 + stacks.length);
    }

    /** Prepares mark 2's job: the globals again (Go 1.6's gcMarkDone lowers markrootJobs to the data and bss roots). */
    void prepareGlobals() {
        c.work.setRootJobs(1);
    }

    /** No jobs left to hand out (end of the cycle, or go15 marking). */
    void clear() {
        c.work.setRootJobs(0);
        stacks = new G[0];
    }

    /** Runs job i (Go 1.6's markroot), from a worker on its P, and counts it done at its end. */
    void markroot(int i) {
        boolean early = c.faults.rootJobDoneAtClaim;
        if (early) {
            c.work.nwait.incrementAndGet(); // the planted bug: the claimer counts as done while it scans
        }
        try {
            run(i);
        } finally {
            if (early) {
                c.work.nwait.decrementAndGet();
            }
            c.work.markrootDone.incrementAndGet();
        }
    }

    private void run(int i) {
        java.util.function.ObjIntConsumer<G> hook = c.faults.onRootJob;
        if (hook != null) {
            hook.accept(Sched.getg(), i);
        }
        if (i == 0) {
            GcWork gcw = new GcWork(c.work);
            c.mark.markrootGlobals(c.globals, gcw, c.faults.skipGlobalRoots);
            gcw.dispose();
            return;
        }
        G gp = stacks[i - 1];
        if (c.workers.isWorker(gp)) {
            return; // scanned at mark termination
        }
        G self = Sched.getg();
        boolean selfScan = gp == self;
        if (selfScan) {
            c.sched.casgstatusWaiting(self, "garbage collection scan");
        }
        c.sched.scang(gp);
        if (selfScan) {
            c.sched.casgstatusRunning(self);
        }
    }
}
