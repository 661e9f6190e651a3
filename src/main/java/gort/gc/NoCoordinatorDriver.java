package gort.gc;

import gort.sched.Sema;

/**
 * Go 1.6's decentralized cycle (mgc.go's gcStart and gcMarkDone): there is no
 * coordinator goroutine. The allocating goroutine that crosses the trigger starts the cycle
 * itself and returns to its work with mark 1 armed; whoever then finds a phase complete (a
 * background worker, an assist) performs the transition: mark 1 → mark 2, and mark 2 → mark
 * termination, under the transition lock and after re-checking, as Go 1.6's gcMarkDone does.
 * The wakeup delay is the time from the completer's winning CAS to the start of its transition.
 *
 * <p>Owns the transition lock (Go's work.markDoneSema) and whether a cycle is running.
 * Invariants: at most one goroutine takes a transition at a time; a completion point that does not
 * survive the re-check (the write barrier greyed an object meanwhile) re-arms the phase, so a
 * later completer takes it; the goroutine that takes mark 1's transition checks mark 2 at once
 * after flushing every P's cache (Go 1.6's "goto top"), so a mark 2 with no work left is not left
 * waiting for a marker. Mark 1 is not checked when it is armed (Go 1.6 does not: its root jobs
 * are the first work), except under the go15 marking when the scan left no P's cache anything.
 *
 * <p>Under the go16 marking ({@link MarkingKind#GO16}, part of {@link Design#GO1_6}) the roots are
 * jobs for the workers ({@link RootJobs}), as in Go 1.6. Under the go15 marking (an ablation: Go
 * 1.6's transitions on Go 1.5's marking) the concurrent root scan runs on the goroutine that
 * starts the cycle, as Go 1.5's coordinator ran it, so its greys go to the P caches (drained by
 * those Ps' workers or assists). Either way the scheduler's own completion check, which cannot
 * take a transition from inside the scheduler, is off (Go 1.6 dropped it too). Simplified from Go
 * 1.6: the transition lock is held while mark 1's transition flushes the P caches (Go releases it
 * first).
 */
final class NoCoordinatorDriver implements CycleDriver {
    private final Collector c;
    private final Sema startLock;
    private final Sema markDoneLock;
    private volatile int working;

    NoCoordinatorDriver(Collector c, WakeupStrategy strategy) {
        this.c = c;
        this.startLock = new Sema(c.sched, 1);
        this.markDoneLock = new Sema(c.sched, 1);
        c.initSignals(MarkDoneSignal.Wake.NONE, strategy);
    }

    /** Go 1.6's gcStart in background mode: the caller runs sweep termination and the scan, then goes on marking-aware. */
    @Override
    public boolean startCycle(boolean force) {
        startLock.acquire();
        if (!((force || c.heap.heapLive() >= c.controller.trigger()) && working == 0)) {
            startLock.release();
            return false;
        }
        working = 1;
        startLock.release();
        c.cycle.begin();
        // Go 1.6's gcStart returns to the mutator without checking: the root jobs are work, so a
        // worker always runs and finds the completion point when they and what they greyed are
        // done (the go16 marking: no check here). Under the go15 marking the scan ran on this
        // goroutine and its greys sit in P caches, which the global check cannot see: check only
        // if no cache holds anything (an empty heap), standing in for the worker that would have
        // run the empty root jobs.
        if (c.faults.completeAtArming || (c.marking == MarkingKind.GO15 && scanLeftNothing())) {
            armed(CompleterKind.COORDINATOR);
        }
        return true;
    }

    @Override
    public boolean working() {
        return working != 0;
    }

    /**
     * Whether no P's work cache holds anything: the scan greyed nothing, or all of it is marked
     * already (a goroutine running during the scan scans itself into its own P's cache, so the
     * starter's cache alone says nothing). Other Ps' caches are read racily: a liveness heuristic
     * that errs only toward a completion that mark 2 then makes good (it flushes every cache).
     */
    private boolean scanLeftNothing() {
        gort.sched.Sched sched = c.sched;
        for (int i = 0, n = sched.gomaxprocs(); i < n; i++) {
            if (!((GcWork) sched.allp(i).gcw).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The caller just armed a phase: if it is complete already, take the transition now. */
    private void armed(CompleterKind kind) {
        if (c.work.atCompletionPoint()) {
            complete(kind);
        }
    }

    @Override
    public boolean complete(CompleterKind kind) {
        MarkDoneSignal s = c.blackenPromptly ? c.mark2 : c.mark1;
        if (!s.complete(kind)) {
            return false;
        }
        gcMarkDone(s, kind);
        return true;
    }

    /**
     * Go 1.6's gcMarkDone, for the completer that won phase s: under the transition lock, re-check
     * the completion point; then mark 1 → mark 2 (and check mark 2 at once, Go's "goto top"), or
     * mark 2 → mark termination.
     */
    private void gcMarkDone(MarkDoneSignal s, CompleterKind kind) {
        markDoneLock.acquire();
        boolean phase2 = s == c.mark2;
        if (c.blackenPromptly != phase2) {
            throw new IllegalStateException("fatal error: gcMarkDone for mark " + (phase2 ? 2 : 1) + " in the other phase");
        }
        java.util.function.Consumer<MarkDoneSignal> hook = c.faults.beforeMarkDoneCheck;
        if (hook != null) {
            hook.accept(s);
        }
        if (!c.faults.noMarkDoneRecheck && !c.work.atCompletionPoint()) {
            // transient: someone started working, or a barrier greyed something onto the global list
            s.clear();
            markDoneLock.release();
            // a marker that stopped between our CAS and the clear lost its own CAS to ours: check for it
            armed(kind);
            return;
        }
        if (c.sched.trace != null) c.sched.trace.gcWait(s.tracePhase, s.traceStrategy); // the trace's span for the transition
        s.markResumed();
        if (c.gctrace > 0) {
            c.traceOut.println(Gctrace.wakeup(phase2 ? 2 : 1, s, c.strategy, c.assistBlock));
        }
        ConcurrentCycle cycle = c.cycle;
        if (!phase2) {
            cycle.toMark2(cycle.completion(s));
            markDoneLock.release();
            armed(CompleterKind.COORDINATOR); // Go 1.6's "goto top": the transition's taker checks mark 2 at once
            return;
        }
        markDoneLock.release();
        cycle.finish(cycle.completion(s));
        working = 0;
    }

    @Override
    public boolean yieldsAfterAssistCompletion() {
        return false; // the assist takes the transition itself
    }

    @Override
    public boolean schedulerSignals() {
        return false;
    }

    @Override
    public boolean completerTakesTransition() {
        return true;
    }
}
