package gort.gc;

import gort.sched.G;
import gort.sched.Note;
import gort.sched.P;
import gort.sched.Sched;

/**
 * The background mark workers (Go 1.5's gcBgMarkWorker, gcBgMarkStartWorkers, and the
 * scheduler's side: gcControllerState.findRunnableGCWorker and findrunnable's idle-time
 * marking): one parked goroutine per P, which that P's scheduler runs in the mode it picks.
 *
 * <p>Owns each P's worker slot and picked mode ({@link PState}, hung on {@code P.gcLocal}), and the
 * note a new worker signals when it has registered. Invariants: a worker runs only on its own P
 * and only while blackening is enabled; it never yields through preemption (that would put it on
 * a run queue): the fractional and idle modes stop draining when asked to yield, and park. A
 * worker that takes a phase transition itself (a driver without a coordinator) first detaches
 * from its P, as Go 1.6's gcBgMarkWorker does, so that its P cannot pick it while it blocks on the
 * transition lock or runs the transition on another P; it re-attaches by CAS once it is parked
 * again, and exits if its P got a new worker meanwhile. Wherever workers may detach (and under
 * the go16 marking) a new worker registers by the same CAS, so of a detached worker and the new
 * one a cycle started for its P, exactly one keeps the P and the other exits. Under the go16 marking a
 * worker runs only when there is work ({@link #gcMarkWorkAvailable}) and drains without waiting,
 * so a dedicated worker gives its P back when the work runs out.
 */
final class BgMarkWorkers {
    /** Per-P worker state. */
    static final class PState {
        private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<PState, G> WORKER =
                java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(PState.class, G.class, "worker");
        /** This P's background mark worker, parked between turns (Go's p.gcBgMarkWorker); null while detached. */
        volatile G worker;
        /** The mode the scheduler picked for the worker's next turn (Go's p.gcMarkWorkerMode). */
        volatile CompleterKind mode;
        /** p was started by handoffp for the GC's checks: run the completion check if it goes idle (gort's). */
        volatile boolean checkWhenIdle;
    }

    private final Collector c;
    private final Note bgMarkReady;
    /** Every mark worker goroutine this runtime made (a root job skips their stacks while the world runs). */
    private final java.util.Set<G> all = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BgMarkWorkers(Collector c) {
        this.c = c;
        this.bgMarkReady = c.sched.newNote();
    }

    /** Makes sure every P has a background mark worker (Go's gcBgMarkStartWorkers). Holds worldsema. */
    void startWorkers() {
        Sched sched = c.sched;
        int procs = sched.gomaxprocs();
        for (int i = 0; i < procs; i++) {
            P p = sched.allp(i);
            PState st = (PState) p.gcLocal;
            if (st.worker == null) {
                sched.setSystem(sched.newproc(() -> worker(p, st), "runtime.gcBgMarkWorker"));
                sched.notetsleepg(bgMarkReady, -1);
                bgMarkReady.clear();
            }
        }
    }

    /**
     * Whether p should run its background mark worker now, and in which mode (Go's
     * gcControllerState.findRunnableGCWorker): a dedicated token first; else, if there is work,
     * the fractional token while under its utilization share. With no work and nobody working,
     * this is a completion point that nobody may be left to signal: signal it here (when the
     * cycle driver lets the scheduler signal).
     */
    G findRunnableGCWorker(P p) {
        PState st = (PState) p.gcLocal;
        G w = st.worker;
        if (w == null || (c.mark1.isDone() && c.mark2.isDone())) {
            return null; // background mark is done (or not started): do not spin the worker
        }
        GcFaults f = c.faults;
        if (c.marking == MarkingKind.GO16 && !gcMarkWorkAvailable(p)) {
            return null; // Go 1.6: no work right now, so the worker would return at once; no check here either
        }
        if (f.modeAllowed(CompleterKind.DEDICATED) && c.controller.takeDedicated()) {
            st.mode = CompleterKind.DEDICATED;
            return w;
        }
        if (!gcMarkWorkAvailable(p)) { // (under go16, unclaimed root jobs are work: a fractional worker takes them)
            schedulerCheck();
            return null;
        }
        if (!f.modeAllowed(CompleterKind.FRACTIONAL) || !c.controller.takeFractional(c.platform.nanotime())) {
            return null;
        }
        st.mode = CompleterKind.FRACTIONAL;
        return w;
    }

    /**
     * The scheduler's completion check (Go's findRunnableGCWorker): nobody marking and no work on
     * the global list is a completion point that no worker may be left to signal; signal it (when
     * the cycle driver lets the scheduler signal).
     */
    private void schedulerCheck() {
        if (c.faults.schedulerCompletes && c.driver.schedulerSignals() && c.work.atCompletionPoint()) {
            c.driver.complete(CompleterKind.SCHEDULER);
        }
    }

    /**
     * An idle P marks rather than sleeps, if there is work (Go 1.5's findrunnable idle-time
     * marking, with its gcMarkWorkAvailable check: the P's cache or the global list holds work).
     * It may run during the stack-scan phase too, as in Go; its completions count only once mark
     * 1 is armed. A P that handoffp started for the GC's checks ({@link #startedForChecks}) runs
     * the scheduler's completion check here if there is no work anywhere, as findRunnableGCWorker
     * does (gort's addition: Go 1.5.1 runs the check only at the top of schedule(), which an M
     * woken in findrunnable does not pass, so that P would go idle without it, leaving a
     * completion point nobody signals). Other Ps going idle do not: the check stays where Go has it.
     */
    G findIdleGCWorker(P p) {
        PState st = (PState) p.gcLocal;
        G w = st.worker;
        boolean check = st.checkWhenIdle;
        st.checkWhenIdle = false;
        if (!gcMarkWorkAvailable(p)) {
            if (check && w != null && !(c.mark1.isDone() && c.mark2.isDone())) {
                schedulerCheck();
            }
            return null;
        }
        if (w == null || !c.faults.modeAllowed(CompleterKind.IDLE)) {
            return null;
        }
        st.mode = CompleterKind.IDLE;
        return w;
    }

    /**
     * Whether a worker on p would find work (Go's gcMarkWorkAvailable): p's cache, the global list,
     * or (go16 marking) a root job not yet claimed.
     */
    boolean gcMarkWorkAvailable(P p) {
        return !((GcWork) p.gcw).isEmpty() || c.work.hasFull() || c.work.rootJobsLeft();
    }

    /** Whether gp is one of the background mark workers. */
    boolean isWorker(G gp) {
        return all.contains(gp);
    }

    /**
     * The background mark worker of p (Go's gcBgMarkWorker): parked until p's scheduler picks it;
     * then drains in the mode it was picked for, signals a completion point if it reached one, and
     * parks again at once.
     */
    private void worker(P p, PState st) {
        Sched sched = c.sched;
        G gp = Sched.getg();
        all.add(gp);
        boolean go16 = c.marking == MarkingKind.GO16;
        // Go 1.5.1 registers with a plain store before it parks; Go 1.6 by CAS once parked (the
        // same path as a re-attach), so a worker racing with a new one for its P exits. The CAS is
        // needed wherever a worker detaches to take a transition (any driver without a
        // coordinator, under either marking): a plain store could overwrite the re-attach of a
        // detached worker that a new cycle found missing, which would then stay parked for ever.
        boolean byCas = go16 || c.driver.completerTakesTransition();
        boolean[] attach = {byCas};
        if (!byCas) {
            st.worker = gp;
        }
        bgMarkReady.wakeup();
        for (;;) {
            sched.gopark((g, l) -> {
                // off its M now: re-attach after a transition it took itself, unless p got a new worker
                if (attach[0]) {
                    attach[0] = false;
                    return PState.WORKER.compareAndSet(st, null, g);
                }
                return true;
            }, null, "GC worker (idle)");
            if (st.worker != gp) {
                all.remove(gp); // (its G may be reused for a goroutine whose stack a root job must scan)
                return; // p died (procresize), or got a new worker while this one was detached
            }
            if (Sched.currentM().p() != p) {
                throw new IllegalStateException("fatal error: gcBgMarkWorker of P " + p.id + " running on another P");
            }
            if (!c.blackenEnabled) {
                throw new IllegalStateException("fatal error: gcBgMarkWorker: blackening not enabled");
            }
            CompleterKind mode = st.mode;
            if (sched.trace != null) sched.trace.markWorkerStart(mode.ordinal());
            long t0 = c.platform.nanotime();
            GcWork gcw = (GcWork) p.gcw;
            c.work.startWorking();
            boolean done;
            if (go16) {
                // Go 1.6: root jobs, then the heap without waiting (dedicated) or until asked to yield
                c.mark.gcDrain16(gcw, gp, mode != CompleterKind.DEDICATED, c.roots, c.bgCredit);
                if (c.blackenPromptly) {
                    gcw.dispose();
                }
                done = c.work.stopWorking();
            } else if (mode == CompleterKind.DEDICATED) {
                c.mark.gcDrain(gcw, c.controller); // returns only at a completion point (it counted itself out)
                done = true;
                if (!gcw.isEmpty()) {
                    throw new IllegalStateException("fatal error: gcDrain returned with buffer");
                }
            } else {
                c.mark.gcDrainUntilPreempt(gcw, gp, c.controller);
                if (c.blackenPromptly) {
                    gcw.dispose(); // before counting ourselves out, so nobody sees no work and no workers
                }
                done = c.work.stopWorking();
            }
            if (sched.trace != null) sched.trace.markWorkerStop(mode.ordinal());
            c.controller.workerDone(mode, c.platform.nanotime() - t0);
            if (done) {
                if (c.driver.completerTakesTransition()) {
                    st.worker = null; // Go 1.6: findRunnableGCWorker must not pick us while we transition
                    c.driver.complete(mode);
                    attach[0] = true; // we may be on another P now: re-attach once parked
                } else {
                    c.driver.complete(mode);
                }
            }
        }
    }

    /** handoffp starts p on an M for the GC's checks: its findrunnable runs the completion check if it goes idle. */
    static void startedForChecks(P p) {
        if (p.gcLocal instanceof PState st) {
            st.checkWhenIdle = true;
        }
    }

    /** A P is destroyed: its worker stays parked for good (a system goroutine). */
    static void forget(P p) {
        if (p.gcLocal instanceof PState st) {
            st.worker = null;
        }
    }
}
