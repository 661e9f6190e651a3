package gort.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A goroutine: a {@link Continuation} plus Go's per-G scheduling state.
 *
 * <p>Owns: its status word, its continuation, its links on run queues and wait queues, and its
 * wait bookkeeping. Invariants, as in Go: the status only changes by {@link #casgstatus}; a G is
 * on at most one run queue and only while {@code RUNNABLE}; its continuation is mounted on at
 * most one M, and only while {@code RUNNING} or {@code SYSCALL}. A dead G is recycled by
 * {@link Sched} with a fresh continuation (a finished continuation cannot be restarted).
 */
public final class G {
    // Go's _G* statuses (runtime2.go); values match Go's.
    public static final int IDLE = 0;
    public static final int RUNNABLE = 1;
    public static final int RUNNING = 2;
    public static final int SYSCALL = 3;
    public static final int WAITING = 4;
    public static final int DEAD = 6;
    /**
     * Go's {@code _Gscan} bit, or'd into RUNNABLE, RUNNING, SYSCALL or WAITING while the collector
     * holds the goroutine for a stack scan ({@link Sched#scang}); {@link #casgstatus} waits for it
     * to clear, so a scanned goroutine neither runs nor is readied until its stack is scanned.
     */
    static final int SCAN = 0x1000;

    static final ContinuationScope SCOPE = new ContinuationScope("goroutine");

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(G.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Sched sched;
    long goid;
    private volatile int status = IDLE;
    Continuation cont;
    /** The M running this G, while RUNNING or SYSCALL. */
    M m;
    /** Link on the global run queue, a P's free list, or a wait list. */
    G schedlink;
    /** Why this G waits (Go's waitreason), shown by the deadlock dump and traces. */
    String waitreason = "";
    /** Set by sysmon or stop-the-world: yield at the next safepoint. */
    volatile boolean preempt;
    /**
     * Set with {@link #preempt} by the collector's stack scan (Go's g.preemptscan): at its next
     * safepoint the goroutine scans its own stack and runs on instead of yielding.
     */
    volatile boolean preemptscan;
    /** This goroutine's stack was scanned in the current round (Go's g.gcscandone). */
    volatile boolean gcscandone;
    /** Handoff word for channel and semaphore wakeups (Go's g.param). */
    Object param;
    /** This G's one sudog for a channel or semaphore wait. */
    final Sudog sudog = new Sudog(this);
    /** The sudogs of this G's selects (one per case, reused from select to select) and their done flag. */
    private Sudog[] selectSudogs;
    private java.util.concurrent.atomic.AtomicBoolean selectDone;
    /**
     * The sudogs this G currently waits with (Go's g.waiting): its one sudog for a channel or
     * semaphore wait, or a select's sudogs linked through their waitlink.
     */
    Sudog waiting;
    /**
     * The address a receive on a channel of pointers just took (HChan.recv and select leave it
     * here for the caller, which roots it before its next safepoint). Written and read only by
     * this G.
     */
    public long recvPtr;
    /** True for runtime-internal goroutines (sysmon helpers, GC workers): excluded from deadlock checks. */
    boolean system;
    /** Name shown in dumps: the function the goroutine started with. */
    String startName = "";
    /** Per-G storage for layers above sched (roots frame stack, assist debt), set by them. */
    public Object local;
    /**
     * Bytes this G allocated during the current GC cycle, and the scan work it did or stole to pay
     * for them (Go's g.gcalloc and g.gcscanwork: an assist owes assistRatio × gcalloc − gcscanwork).
     * Written only by the G itself; reset by the collector while the world is stopped.
     */
    public long gcalloc;
    public long gcscanwork;
    /**
     * Go 1.6's assist account (g.gcAssistBytes), under the go16 marking: positive is credit,
     * negative is debt, in bytes of allocation; every allocation during marking takes its size off.
     * Written by the G itself, by whoever pays a parked assist's debt (under the assist queue's
     * lock, while the G is parked), and reset by the collector while the world is stopped.
     */
    public long gcAssistBytes;
    /** Count of times this G was preempted at a safepoint. */
    long preemptCount;
    /**
     * Where the scheduler last put this G to wait for a P ({@link Enqueued}). A plain field: it is
     * written while the G is not running, before the G is published to a run queue (the CAS or
     * release store that publishes it orders the write), and read by the G itself once it runs
     * again; a volatile store here would cost a full fence on every ready.
     */
    Enqueued enqueued = Enqueued.NONE;

    /** GODEBUG gstatuscheck, copied from the scheduler when the G is made ({@link Sched#gstatusCheck}). */
    private final boolean gstatusCheck;

    G(Sched sched) {
        this.sched = sched;
        this.gstatusCheck = sched.gstatusCheck;
    }

    public long goid() {
        return goid;
    }

    /** The name the goroutine was started with (its function, as a stack dump names it). */
    public String startName() {
        return startName;
    }

    /** The i-th sudog for a select of this G (made on first use, then reused). */
    Sudog selectSudog(int i) {
        Sudog[] a = selectSudogs;
        if (a == null || i >= a.length) {
            a = java.util.Arrays.copyOf(a == null ? new Sudog[0] : a, Math.max(4, i + 1));
            selectSudogs = a;
        }
        Sudog s = a[i];
        if (s == null) {
            s = a[i] = new Sudog(this);
        }
        return s;
    }

    /** The done flag this G's select sudogs share (made on first use, then reused). */
    java.util.concurrent.atomic.AtomicBoolean selectDone() {
        java.util.concurrent.atomic.AtomicBoolean d = selectDone;
        if (d == null) {
            d = selectDone = new java.util.concurrent.atomic.AtomicBoolean();
        }
        return d;
    }

    /**
     * Calls f with every managed address this G's waiting sudogs hold: a blocked sender's value,
     * or a value handed to it while it waits (the collector scans them with the G's stack, as
     * Go's sudog.elem points into the stack). The G must not run meanwhile (stopped for a scan).
     */
    public void forEachWaitingPtr(java.util.function.LongConsumer f) {
        for (Sudog s = waiting; s != null; s = s.waitlink) {
            long p = s.ptr;
            if (p != 0) {
                f.accept(p);
            }
        }
    }

    public boolean preempt() {
        return preempt;
    }

    /** Whether the stack scan asked this running goroutine to scan itself at its next safepoint ({@link #preemptscan}). */
    public boolean preemptscan() {
        return preemptscan;
    }

    /** The status, without the scan bit. */
    public int status() {
        return status & ~SCAN;
    }

    /** The status word with the scan bit (Go's readgstatus). */
    int readgstatus() {
        return status;
    }

    public String waitReason() {
        return waitreason;
    }

    /** Where this G last waited to run since {@link #resetEnqueued}. */
    public Enqueued enqueued() {
        return enqueued;
    }

    /** Forgets where this G last waited (the collector's coordinator, as it arms a phase). */
    public void resetEnqueued() {
        enqueued = Enqueued.NONE;
    }

    public boolean isSystem() {
        return system;
    }

    /**
     * CAS the status (Go's casgstatus). While the collector holds the goroutine in the scan variant
     * of {@code oldval}, this waits for the scan to end, as Go's loop does; any other mismatch is a
     * runtime bug and is fatal, as Go's casgstatus throws.
     */
    void casgstatus(int oldval, int newval) {
        if (gstatusCheck && !legalTransition(oldval, newval)) {
            throw new IllegalStateException("fatal error: casgstatus: goroutine " + goid + ": illegal transition "
                    + statusName(oldval) + " -> " + statusName(newval) + " (GODEBUG gstatuscheck)");
        }
        if (STATUS.compareAndSet(this, oldval, newval)) {
            return;
        }
        for (;;) {
            int s = status;
            if (s == (oldval | SCAN)) {
                sched.platform.procyield(10); // a stack scan is short: wait for it
            } else if (s != oldval) {
                throw new IllegalStateException("fatal error: casgstatus: goroutine " + goid
                        + " status " + statusName(s) + ", wanted " + statusName(oldval) + " -> "
                        + statusName(newval));
            } else if (STATUS.compareAndSet(this, oldval, newval)) {
                return;
            }
        }
    }

    /**
     * Go's legal goroutine status changes, as the callers of casgstatus in Go 1.5's proc1.go,
     * mgc.go and mgcmark.go make them (the scan bit is not part of the table: it is set and
     * cleared only by {@link #castogscanstatus} and {@link #casfromGscanstatus}): idle → dead (malg's
     * fresh goroutine); dead → runnable (newproc); runnable → running (execute); running →
     * runnable (gosched, preemption), waiting (park, a wait in place), syscall (entersyscall) or
     * dead (goexit); waiting → runnable (ready) or running (the end of a wait in place, as
     * gcMarkTermination's); syscall → running (exitsyscall's fast path) or runnable (exitsyscall0).
     * Bit {@code newval} of {@code LEGAL[oldval]}.
     */
    private static final int[] LEGAL = new int[DEAD + 1];

    static {
        allow(IDLE, DEAD);
        allow(DEAD, RUNNABLE);
        allow(RUNNABLE, RUNNING);
        allow(RUNNING, RUNNABLE);
        allow(RUNNING, WAITING);
        allow(RUNNING, SYSCALL);
        allow(RUNNING, DEAD);
        allow(WAITING, RUNNABLE);
        allow(WAITING, RUNNING);
        allow(SYSCALL, RUNNING);
        allow(SYSCALL, RUNNABLE);
    }

    private static void allow(int from, int to) {
        LEGAL[from] |= 1 << to;
    }

    /** Whether Go's casgstatus callers ever change a goroutine's status from {@code oldval} to {@code newval}. */
    static boolean legalTransition(int oldval, int newval) {
        return oldval >= 0 && oldval < LEGAL.length && newval >= 0 && newval < 32 && (LEGAL[oldval] & (1 << newval)) != 0;
    }

    /** Claims the goroutine for a stack scan: oldval → oldval|SCAN (Go's castogscanstatus). */
    boolean castogscanstatus(int oldval) {
        return STATUS.compareAndSet(this, oldval, oldval | SCAN);
    }

    /** Releases a scan claim: oldval|SCAN → oldval (Go's casfrom_Gscanstatus). */
    void casfromGscanstatus(int oldval) {
        if (!STATUS.compareAndSet(this, oldval | SCAN, oldval)) {
            throw new IllegalStateException("fatal error: casfrom_Gscanstatus: goroutine " + goid + " status "
                    + statusName(status) + ", wanted " + statusName(oldval | SCAN));
        }
    }

    void setStatus(int v) {
        status = v;
    }

    public static String statusName(int s) {
        if ((s & SCAN) != 0) {
            return "scan" + statusName(s & ~SCAN);
        }
        return switch (s) {
            case IDLE -> "idle";
            case RUNNABLE -> "runnable";
            case RUNNING -> "running";
            case SYSCALL -> "syscall";
            case WAITING -> "waiting";
            case DEAD -> "dead";
            default -> "status " + s;
        };
    }

    @Override
    public String toString() {
        return "goroutine " + goid + " [" + (status == WAITING ? waitreason : statusName(status)) + "]";
    }

    /** The continuation type of goroutines: a pinned yield is a clear runtime error, never a hang. */
    static final class GCont extends Continuation {
        GCont(Runnable body) {
            super(SCOPE, body);
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            throw new IllegalStateException("fatal error: goroutine cannot yield while pinned to its thread ("
                    + reason + "): do not block the runtime inside synchronized blocks or native frames");
        }
    }
}
