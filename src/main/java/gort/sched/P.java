package gort.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A processor: the right to run Go code, with its local run queue (Go's p).
 *
 * <p>Owns: a 256-slot lock-free ring ({@code runq}, head advanced by CAS by any consumer, tail
 * stored only by the owner), {@code runnext} (the G readied most recently by this P's running G,
 * run before the ring and inheriting the time slice), schedtick/syscalltick, and a status word.
 * Invariants: only the P's owner M puts into the ring; {@code runnext} and the ring together hold
 * each runnable G at most once; a P is on the idle list only when its ring and runnext are empty.
 */
public final class P {
    public static final int IDLE = 0;
    public static final int RUNNING = 1;
    public static final int SYSCALL = 2;
    public static final int GCSTOP = 3;
    public static final int DEAD = 4;

    static final int RUNQ_SIZE = 256;

    private static final VarHandle STATUS;
    private static final VarHandle RUNQHEAD;
    private static final VarHandle RUNQTAIL;
    private static final VarHandle RUNNEXT;
    private static final VarHandle RUNSAFEPOINTFN;
    private static final VarHandle RUNQ = MethodHandles.arrayElementVarHandle(G[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(P.class, "status", int.class);
            RUNQHEAD = l.findVarHandle(P.class, "runqhead", int.class);
            RUNQTAIL = l.findVarHandle(P.class, "runqtail", int.class);
            RUNNEXT = l.findVarHandle(P.class, "runnext", G.class);
            RUNSAFEPOINTFN = l.findVarHandle(P.class, "runSafePointFn", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final int id;
    private volatile int status = IDLE;
    /** Link on the idle-P list (sched.pidle) or on procresize's runnable list. */
    P link;
    /**
     * Incremented on every scheduler call that does not inherit a time slice. Written only by the
     * owner M; sysmon reads it racily, as in Go (a plain int: no tearing, and no fence on the
     * scheduler's hot path).
     */
    int schedtick;
    /** Incremented on every system call (owner writes, sysmon reads racily). */
    int syscalltick;
    /** The M this P is attached to, or null when idle. */
    volatile M m;

    private volatile int runqhead;
    private volatile int runqtail;
    private final G[] runq = new G[RUNQ_SIZE];
    private volatile G runnext;

    /** Scratch for runqsteal; only this P's owner steals into it. */
    private final G[] stealTmp = new G[RUNQ_SIZE];

    /** Dead Gs kept for reuse (Go's gfree list), owned by this P. */
    G gfree;
    int gfreecnt;

    /** sysmon's view of this P (Go's sysmontick / pdesc). */
    int sysmonSchedtick;
    long sysmonSchedwhen;
    int sysmonSyscalltick;
    long sysmonSyscallwhen;

    /** 1 while this P owes the pending forEachP function a run (Go's p.runSafePointFn). */
    volatile int runSafePointFn;

    boolean casRunSafePointFn(int o, int n) {
        return RUNSAFEPOINTFN.compareAndSet(this, o, n);
    }

    /** Per-P storage for layers above sched (the mcache, the gcWork), set by them. */
    public Object mcache;
    public Object gcw;
    public Object gcLocal;
    /** This P's trace buffer, written by its owner (see {@link Trace}); null when not tracing. */
    TraceBuf tracebuf;
    /** The run-queue sample last traced for this P (ring length << 1 | runnext), -1 at first. */
    int traceRunq = -1;

    P(int id) {
        this.id = id;
    }

    public int status() {
        return status;
    }

    void setStatus(int s) {
        status = s;
    }

    boolean casStatus(int o, int n) {
        return STATUS.compareAndSet(this, o, n);
    }

    public int schedtick() {
        return schedtick;
    }

    // ---- run queue (proc1.go: runqput, runqget, runqgrab, runqsteal) ----

    boolean runqempty() {
        return runqhead == runqtail && runnext == null;
    }

    /** Number of Gs in the ring plus runnext (racy, for traces and tests). */
    public int runqsize() {
        int n = runqtail - runqhead;
        return Math.max(n, 0) + (runnext != null ? 1 : 0);
    }

    /** Number of Gs in the ring, without runnext (racy, for traces). */
    int runqRingSize() {
        return Math.max(runqtail - runqhead, 0);
    }

    public G runnextForTest() {
        return runnext;
    }

    /**
     * Puts gp on the local queue. With {@code next}, gp goes into runnext and the G it displaces is
     * kicked to the tail. Spills half the ring to the global queue when full. Owner only.
     */
    void runqput(G gp, boolean next, Sched sched) {
        if (next) {
            gp.enqueued = Enqueued.RUNNEXT;
            G oldnext;
            do {
                oldnext = runnext;
            } while (!RUNNEXT.compareAndSet(this, oldnext, gp));
            if (oldnext == null) {
                return;
            }
            if (sched.trace != null) sched.trace.goKicked(this, oldnext);
            gp = oldnext;
            gp.enqueued = Enqueued.RUNNEXT_KICKED;
        }
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this);
            int t = runqtail;
            if (t - h < RUNQ_SIZE) {
                RUNQ.setRelease(runq, t & (RUNQ_SIZE - 1), gp);
                RUNQTAIL.setRelease(this, t + 1);
                return;
            }
            if (runqputslow(gp, h, t, sched)) {
                return;
            }
            // the queue is not full now, so the put above must succeed
        }
    }

    private boolean runqputslow(G gp, int h, int t, Sched sched) {
        int n = (t - h) / 2;
        if (n != RUNQ_SIZE / 2) {
            throw new IllegalStateException("fatal error: runqputslow: queue is not full");
        }
        G[] batch = new G[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = (G) RUNQ.getAcquire(runq, (h + i) & (RUNQ_SIZE - 1));
        }
        if (!RUNQHEAD.compareAndSet(this, h, h + n)) {
            return false;
        }
        batch[n] = gp;
        for (int i = 0; i < n; i++) {
            batch[i].schedlink = batch[i + 1];
        }
        sched.globrunqputbatch(batch[0], batch[n], n + 1);
        return true;
    }

    /** Takes runnext first (inheriting the time slice: {@code inherit[0]=true}), else the ring's head. */
    G runqget(boolean[] inherit) {
        for (;;) {
            G next = runnext;
            if (next == null) {
                break;
            }
            if (RUNNEXT.compareAndSet(this, next, null)) {
                inherit[0] = true;
                return next;
            }
        }
        inherit[0] = false;
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this);
            int t = (int) RUNQTAIL.getAcquire(this);
            if (t == h) {
                return null;
            }
            G gp = (G) RUNQ.getAcquire(runq, h & (RUNQ_SIZE - 1));
            if (RUNQHEAD.compareAndSet(this, h, h + 1)) {
                return gp;
            }
        }
    }

    /**
     * Grabs about half of this P's Gs into batch (from batchHead, modulo its length). May take
     * runnext when {@code stealRunNextG}. Returns how many were grabbed. Any M may call this.
     */
    int runqgrab(G[] batch, int batchHead, boolean stealRunNextG, Sched sched) {
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this);
            int t = (int) RUNQTAIL.getAcquire(this);
            int n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunNextG) {
                    G next = runnext;
                    if (next != null) {
                        // Back off so this P can run the G it just readied, rather than thrash
                        // Gs between Ps (the ready-then-block case): Go 1.5 sleeps 100 µs here.
                        sched.platform.usleep(100);
                        if (!RUNNEXT.compareAndSet(this, next, null)) {
                            continue;
                        }
                        batch[batchHead & (RUNQ_SIZE - 1)] = next;
                        return 1;
                    }
                }
                return 0;
            }
            if (n > RUNQ_SIZE / 2) { // read inconsistent h and t
                continue;
            }
            for (int i = 0; i < n; i++) {
                G g = (G) RUNQ.getAcquire(runq, (h + i) & (RUNQ_SIZE - 1));
                batch[(batchHead + i) & (RUNQ_SIZE - 1)] = g;
            }
            if (RUNQHEAD.compareAndSet(this, h, h + n)) {
                return n;
            }
        }
    }

    /** Steals half of p2's Gs into this P's ring and returns one of them. Owner only (of this). */
    G runqsteal(P p2, boolean stealRunNextG, Sched sched) {
        int t = runqtail;
        G[] tmp = stealTmp;
        int n = p2.runqgrab(tmp, 0, stealRunNextG, sched);
        if (n == 0) {
            return null;
        }
        n--;
        G gp = tmp[n];
        tmp[n] = null;
        if (n == 0) {
            return gp;
        }
        int h = (int) RUNQHEAD.getAcquire(this);
        if (t - h + n >= RUNQ_SIZE) {
            throw new IllegalStateException("fatal error: runqsteal: runq overflow");
        }
        for (int i = 0; i < n; i++) {
            RUNQ.setRelease(runq, (t + i) & (RUNQ_SIZE - 1), tmp[i]);
            tmp[i] = null;
        }
        RUNQTAIL.setRelease(this, t + n);
        return gp;
    }

    /**
     * Empties the local queue into the <em>head</em> of the global queue, runnext first and the
     * ring in order (Go's procresize for a destroyed P). Caller holds sched.lock.
     */
    void drainTo(Sched sched) {
        java.util.ArrayList<G> gs = new java.util.ArrayList<>();
        boolean[] inh = new boolean[1];
        G gp;
        while ((gp = runqget(inh)) != null) {
            gs.add(gp);
        }
        for (int j = gs.size() - 1; j >= 0; j--) {
            sched.globrunqputhead(gs.get(j));
        }
    }

    @Override
    public String toString() {
        return "P" + id;
    }
}
