package gort.gc;

import gort.platform.RuntimeMutex;
import gort.sched.G;
import gort.sched.Sched;
import java.util.function.Consumer;

/**
 * Go 1.5's coordinator (mgc.go's startGC, backgroundgc and gc's waits): a system goroutine that
 * takes each concurrent cycle through its steps ({@link ConcurrentCycle}) and waits for each phase
 * of marking to complete on that phase's {@link MarkDoneSignal}, woken by a note (what Go did
 * before CL 9291) or by park/ready (CL 9291); with {@code yieldAfterAssist}, an assist that reached
 * a completion point yields to it at once (CL 12670).
 *
 * <p>Owns the coordinator goroutine and its lock-protected state (Go's bggc: started, working).
 * Invariants: one cycle at a time (working is set under the lock by the goroutine that readies the
 * coordinator, and cleared by the coordinator after the cycle, under the lock, as it parks).
 */
final class CoordinatorDriver implements CycleDriver {
    private final Collector c;
    private final boolean yieldAfterAssist;
    private final RuntimeMutex lock;
    private G g;
    private volatile int working;
    private boolean started; // under lock

    CoordinatorDriver(Collector c, WakeupStrategy strategy, boolean note, boolean yieldAfterAssist) {
        this.c = c;
        this.yieldAfterAssist = yieldAfterAssist;
        this.lock = c.sched.newMutex();
        MarkDoneSignal.Wake how = note ? MarkDoneSignal.Wake.NOTE : MarkDoneSignal.Wake.PARK;
        c.initSignals(how, strategy);
    }

    /**
     * Readies the coordinator (starting it the first time) if the heap reached the trigger and no
     * cycle is running, then yields to it (Go's startGC in background mode).
     */
    @Override
    public boolean startCycle(boolean force) {
        Sched sched = c.sched;
        lock.lock();
        // the trigger was checked speculatively: recheck under the lock
        if (!((force || c.heap.heapLive() >= c.controller.trigger()) && working == 0)) {
            lock.unlock();
            return false;
        }
        working = 1;
        if (!started) {
            started = true;
            sched.setSystem(sched.newproc(this::backgroundgc, "runtime.backgroundgc"));
        } else {
            sched.ready(g);
        }
        lock.unlock();
        sched.gosched(); // switch to the coordinator
        return true;
    }

    @Override
    public boolean working() {
        return working != 0;
    }

    /** The coordinator goroutine (Go's backgroundgc): one concurrent cycle per wakeup. */
    private void backgroundgc() {
        g = Sched.getg();
        ConcurrentCycle cycle = c.cycle;
        for (;;) {
            cycle.begin();
            await(c.mark1, 1);
            cycle.toMark2(cycle.completion(c.mark1));
            await(c.mark2, 2);
            cycle.finish(cycle.completion(c.mark2));
            lock.lock();
            working = 0;
            c.sched.goparkunlock(lock, "Concurrent GC wait");
        }
    }

    /**
     * Waits for a phase's completion (Go 1.5.1's bgMarkSignal.wait in gc()). Entering the wait is a
     * preemption point (Go's wait prologue). The coordinator never checks for a completion point
     * itself, as in Go 1.5.1: the roots its scan just greyed sit in its P's work cache, where the
     * global list's emptiness says nothing about them; whoever drains them (the P's dedicated or
     * fractional worker, an assist on that P) finds the completion point, and a phase that has no
     * work at all is found by the scheduler's own check (findRunnableGCWorker, or under note, where
     * the P is handed off, findIdleGCWorker's as the started P goes idle: see Collector's
     * startOnHandoff). One more addition to Go 1.5.1 (gort's liveness): work already on the global
     * list wakes an idle P, whose idle worker will take it.
     */
    private void await(MarkDoneSignal s, int phase) {
        s.enter();
        Consumer<MarkDoneSignal> r = c.faults.beforeMarkWait;
        if (r != null) {
            r.accept(s);
        }
        if (c.work.hasFull() && !c.faults.noIdleWakeForWork) {
            c.sched.wakeIdleP();
        }
        if (c.faults.completeAtArming && c.work.atCompletionPoint()) {
            complete(CompleterKind.COORDINATOR);
        }
        s.await();
        if (c.gctrace > 0) {
            c.traceOut.println(Gctrace.wakeup(phase, s, c.strategy, c.assistBlock));
        }
    }

    /** Signals a completion point of the current phase (mark 2 once work is disposed promptly). */
    @Override
    public boolean complete(CompleterKind kind) {
        if (c.disposePromptly()) {
            if (!c.mark1.isDone()) {
                throw new IllegalStateException("fatal error: completing mark 2, but mark 1 is not done");
            }
            return c.mark2.complete(kind);
        }
        return c.mark1.complete(kind);
    }

    @Override
    public boolean yieldsAfterAssistCompletion() {
        return yieldAfterAssist;
    }

    @Override
    public boolean schedulerSignals() {
        return true;
    }
}
