package gort.gc;

import gort.platform.Platform;
import gort.platform.RuntimeMutex;
import gort.sched.G;
import gort.sched.Note;
import gort.sched.Sched;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of one phase of concurrent marking: the completers' race and signal (Go 1.5's {@code
 * bgMarkSignal}, or before CL 9291 its note), and the coordinator's wait for it. How the waiter is
 * woken is the signal's {@link Wake}: a note (the coordinator sleeps in notetsleepg), park/ready,
 * or nobody (no coordinator: the completer takes the next step itself).
 *
 * <p>Owns: the done flag (completers race to CAS it 0→1; only the winner signals), the note or the
 * parked-coordinator slot with its lock and wake flag, and the wakeup's measurements (as
 * docs/ARCHITECTURE.md's records define them): {@code done} time (the winning CAS), {@code resumed}
 * time (the coordinator runs again), and the winner's kind. Invariants: at most one signal per
 * {@link #clear}; a completion that comes before the coordinator waits is not lost (the note stays
 * set, or {@code wake} is set under the lock and the coordinator does not park); the coordinator is
 * readied exactly once.
 */
public final class MarkDoneSignal {
    /** How the coordinator waits for the signal and is woken by it. */
    public enum Wake {
        /** notetsleepg on a note, notewakeup by the completer (Go before CL 9291). */
        NOTE,
        /** gopark, and ready by the completer into its own P's runnext (Go's bgMarkSignal). */
        PARK,
        /** Nobody waits: the completer performs the transition itself ({@link #markResumed}). */
        NONE
    }

    private final Sched sched;
    private final Platform platform;
    private final Wake how;
    private final AtomicInteger done = new AtomicInteger(1);
    // note strategy
    private final Note note;
    // park strategies
    private final RuntimeMutex lock;
    private G g;
    private boolean wake;
    // measurements
    private volatile long doneNanos;
    private volatile long resumedNanos;
    private volatile CompleterKind completer;
    private volatile gort.sched.Enqueued waited = gort.sched.Enqueued.NONE;
    private final java.util.function.LongSupplier heapProbe;
    private volatile long doneHeap;
    /** Which phase this signal ends (1 or 2), and the run's strategy, as the execution trace names them; set by the collector. */
    int tracePhase;
    int traceStrategy;
    /** The runtime's test-only faults (the planted lost wakeups read here), set by the collector; never null there. */
    GcFaults faults = new GcFaults();

    public MarkDoneSignal(Sched sched, Wake how) {
        this(sched, how, () -> 0L);
    }

    /** @param heapProbe read by the winning completer, before it signals (the heap at completion) */
    public MarkDoneSignal(Sched sched, Wake how, java.util.function.LongSupplier heapProbe) {
        this.heapProbe = heapProbe;
        this.sched = sched;
        this.platform = sched.platform();
        this.how = how;
        this.note = sched.newNote();
        this.lock = sched.newMutex();
    }

    public Wake wake() {
        return how;
    }

    /** Arms the signal for a new phase (the coordinator, before marking of that phase starts). */
    public void clear() {
        waited = gort.sched.Enqueued.NONE;
        doneNanos = 0;
        resumedNanos = 0;
        completer = null;
        doneHeap = 0;
        done.set(0);
    }

    /**
     * Closes the signal without a completion (Go's gcBgMarkPrepare setting done = 1): completers
     * have no effect until {@link #clear}.
     */
    public void disarm() {
        done.set(1);
    }

    /** True once some completer won this phase. */
    public boolean isDone() {
        return done.get() != 0;
    }

    /**
     * The coordinator enters its wait (the prologue of Go's bgMarkSignal.wait): the wait starts
     * here for the trace and for {@link #waited}, and entering it is a preemption point, as Go's
     * stack-check prologue is: a coordinator whose time slice ran out (it inherited its readier's
     * slice through runnext, and the scan or a ragged barrier can take milliseconds) is preempted
     * here, before it parks, and waits on the global run queue. Call before {@link #await}.
     */
    public void enter() {
        if (sched.trace != null) sched.trace.gcWait(tracePhase, traceStrategy);
        Sched.getg().resetEnqueued();
        Sched.safepoint();
    }

    /**
     * The coordinator waits for the phase to complete (Go's bgMarkSignal.wait). On return,
     * {@link #waited} says where the scheduler last put it to wait since {@link #enter}.
     */
    public void await() {
        if (how == Wake.NONE) {
            throw new IllegalStateException("fatal error: waiting on a mark signal that nobody wakes");
        }
        if (how == Wake.NOTE) {
            if (faults.noteClearedAtWait) {
                note.clear(); // planted bug: a wakeup that came before the wait is erased
            }
            sched.notetsleepg(note, -1);
            note.clear();
        } else {
            lock.lock();
            if (wake) {
                lock.unlock(); // the wakeup already happened
            } else {
                g = Sched.getg();
                sched.goparkunlock(lock, "mark wait (idle)");
            }
            wake = false;
            g = null;
        }
        markResumed();
        waited = Sched.getg().enqueued();
    }

    /**
     * The phase's next step starts now: the coordinator runs again after its wait, or (with no
     * coordinator) the completer begins the transition.
     */
    public void markResumed() {
        resumedNanos = platform.nanotime();
        if (sched.trace != null) sched.trace.gcResume(tracePhase, resumedNanos);
    }

    /** Where the coordinator waited before it resumed from the last {@link #await}. */
    public gort.sched.Enqueued waited() {
        return waited;
    }

    /**
     * Signals completion of this phase (Go's bgMarkSignal.complete): only the first call per phase
     * has an effect. Returns true if this call readied (or will let run) the coordinator; the caller
     * should then deschedule itself soon so the coordinator can run.
     */
    public boolean complete(CompleterKind kind) {
        if (!done.compareAndSet(0, 1)) {
            return false;
        }
        doneNanos = platform.nanotime();
        completer = kind;
        doneHeap = heapProbe.getAsLong();
        if (sched.trace != null) sched.trace.gcMarkDone(tracePhase, kind.ordinal(), doneNanos);
        if (how == Wake.NOTE) {
            note.wakeup();
        } else if (how == Wake.PARK) {
            lock.lock();
            if (g == null) {
                if (!faults.parkWithoutWakeFlag) {
                    wake = true; // it has not parked yet
                }
            } else {
                sched.ready(g);
            }
            lock.unlock();
        }
        return true;
    }

    /** When the winning completer's CAS succeeded (platform nanotime), 0 if not yet. */
    public long doneNanos() {
        return doneNanos;
    }

    /** When the coordinator ran again after its wait, 0 if not yet. */
    public long resumedNanos() {
        return resumedNanos;
    }

    /** resumed − done for the last phase, or -1 if it has not both completed and resumed. */
    public long wakeupDelayNanos() {
        long d = doneNanos;
        long r = resumedNanos;
        return d == 0 || r == 0 ? -1 : r - d;
    }

    /** The heap probe's value when the winning completer won, 0 if not yet. */
    public long doneHeap() {
        return doneHeap;
    }

    public CompleterKind completer() {
        return completer;
    }
}
