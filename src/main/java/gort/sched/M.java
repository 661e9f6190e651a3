package gort.sched;

import gort.platform.OsThread;

/**
 * A machine: one OS thread running the schedule loop (Go's m; the thread's own stack plays g0).
 *
 * <p>Owns: its thread, the G mounted on it ({@code curg}), the P it holds, its park note, and the
 * request a G leaves when it yields back to it (Go's mcall target). Invariants: {@code p != null}
 * whenever the M runs Go code other than a syscall; {@code curg.m == this} while a G is mounted;
 * an M on the idle list holds no P and sleeps on {@code park}.
 */
public final class M {
    // What the yielding G asks its M to do next (the functions Go passes to mcall).
    static final int MCALL_NONE = 0;
    static final int MCALL_PARK = 1;
    static final int MCALL_GOSCHED = 2;
    static final int MCALL_PREEMPT = 3;
    static final int MCALL_EXITSYSCALL = 4;

    final Sched sched;
    final long id;
    /** The thread, published by newm right after it started. */
    volatile OsThread thread;
    /** The G currently mounted (Go's curg), or null while running the schedule loop. */
    G curg;
    /** The P held, or null (idle, in a syscall without P, or sysmon). */
    P p;
    /**
     * {@code p.mcache} while {@code p} is held (running, or stopped for GC by this M), else null
     * (Go's {@code m.mcache}): the allocator reaches its cache with one dependent load fewer. Set
     * by acquirep and by a fast exitsyscall that gets its P back; cleared by releasep, by
     * entersyscall (the P may be retaken during the call, as Go clears it) and wherever {@code p}
     * is dropped.
     */
    Object mcache;
    /** The P to acquire when woken from the idle list. */
    P nextp;
    /** Looking for work without having found any (counted in sched.nmspinning). */
    boolean spinning;
    /** Where the M sleeps when idle. */
    final Note park;
    /** Link on the idle-M list. */
    M schedlink;
    /** Runs first when the thread starts (mspinning or sysmon). */
    Runnable mstartfn;

    int mcallFn;
    Sched.Unlockf waitunlockf;
    Object waitlock;
    /** Set by schedule(): the picked G took runnext and inherits the time slice. */
    final boolean[] inheritTime = new boolean[1];
    /** The P's syscalltick when this M entered a syscall. */
    int syscalltick;
    /** Non-zero while this M holds runtime locks or must not be preempted (Go's m.locks). */
    int locks;
    /** Why preemption is off, or null (Go's m.preemptoff). */
    String preemptoff;
    /** Random state for work stealing (Go's fastrand1). */
    int fastrand;
    boolean isSysmon;
    /** The note this M sleeps on in notetsleepg, or null: the runtime's exit abandons it. */
    volatile Note waitnote;
    /** A collector task to run on waking (Go's m.helpgc); set only while the M is idle. */
    volatile Runnable helpgc;

    public Sched sched() {
        return sched;
    }

    M(Sched sched, long id) {
        this.sched = sched;
        this.id = id;
        this.park = new Note(sched.platform);
        this.fastrand = sched.platform.fastrandSeed(id); // the platform's: a simulation seeds it from its own seed
    }

    int fastrand1() {
        int x = fastrand;
        x += x;
        if (x < 0) {
            x ^= 0x88888eef;
        }
        fastrand = x;
        return x;
    }

    public long id() {
        return id;
    }

    public P p() {
        return p;
    }

    /** The held P's cache (Go's {@code m.mcache}); null while no P is held. */
    public Object mcache() {
        return mcache;
    }

    /**
     * Whether the running goroutine may be descheduled here: the M holds no runtime lock and has
     * preemption on (Go's mp.locks == 0 && mp.preemptoff == "").
     */
    public boolean preemptible() {
        return locks == 0 && preemptoff == null;
    }

    public G curg() {
        return curg;
    }

    @Override
    public String toString() {
        return "M" + id;
    }
}
