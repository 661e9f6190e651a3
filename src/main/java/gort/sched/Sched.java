package gort.sched;

import gort.platform.OsThread;
import gort.platform.Platform;
import gort.platform.RuntimeMutex;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.internal.vm.Continuation;

/**
 * The scheduler of one runtime: Go 1.5's {@code sched} global and the functions of proc1.go.
 *
 * <p>Owns: all Ms, all Ps, all Gs; the global run queue; the idle-P and idle-M lists; the
 * spinning-M count; stop-the-world state; sysmon. Everything it guards with {@code lock} is marked
 * so below. Invariants, as in Go:
 * <ul>
 *   <li>an M runs Go code only while holding a P; Ps in {@code pidle} have empty run queues;
 *   <li>{@code nmspinning} counts Ms with {@code spinning} set; a spinning M has no local work;
 *   <li>whenever a G becomes runnable while a P is idle and no M spins, someone calls
 *       {@link #wakep} (ready, newproc, resetspinning), so runnable work is never stranded;
 *   <li>during stop-the-world {@code gcwaiting} is set and every P is stopped before the caller
 *       proceeds; {@code stopwait} counts the Ps still to stop.
 * </ul>
 *
 * <p>Code "on the G" runs inside a goroutine's continuation and gives control back to its M with
 * {@link #mcall}; code "on the M" (Go's g0) runs in the M's loop between continuations. The
 * functions Go passes to mcall (park_m, gosched_m, gopreempt_m, exitsyscall0) run on the M after
 * the yield, so a parked G is off its thread before anyone can ready it.
 *
 * <p>Simplifications (also in docs/ARCHITECTURE.md): no network poller, locked Ms or select;
 * goroutines that block their thread in Java code outside the runtime are not detected. Timers
 * ({@link Timers}) are Go 1.5's.
 */
public final class Sched {
    public static final int MAX_GOMAXPROCS = 256;
    static final int MAX_MCOUNT = 10_000;
    /** sysmon preempts a G that has run this long on one P (Go's forcePreemptNS). */
    static final long FORCE_PREEMPT_NS = 10_000_000L;
    static final long SYSMON_MAX_SLEEP_NS = 60_000_000_000L;
    /** sysmon retakes a P in a syscall after it sat there one sysmon tick (at least 20 µs). */

    /** How a G that the runtime is done with gives its lock back (Go's gopark unlockf). */
    @FunctionalInterface
    public interface Unlockf {
        boolean unlock(G gp, Object lock);
    }

    static final Unlockf PARKUNLOCK_C = (gp, l) -> {
        ((RuntimeMutex) l).unlock();
        return true;
    };

    /**
     * Hooks that layers above sched install (the GC); defaults do nothing. The two worker hooks
     * run on p's M inside the scheduler, with p held; a G they return must be WAITING (parked as
     * p's GC worker): the scheduler makes it RUNNABLE and runs it at once. They may {@link #ready}
     * a goroutine into p's runnext (a completion signalled from the scheduler).
     */
    public interface Hooks {
        /** Called in schedule() before looking at run queues: a GC worker that must run now. */
        default G findRunnableGCWorker(P p) {
            return null;
        }

        /**
         * Called as p leaves its M with no goroutine to run (handoffp): true if p should be started
         * on an M anyway, so that its scheduler runs the GC's checks (a worker to run, or a
         * completion point to signal) before it goes idle.
         */
        default boolean startOnHandoff(P p) {
            return false;
        }

        /** Called when findrunnable found nothing: an idle-priority GC worker, or null. */
        default G findIdleGCWorker(P p) {
            return null;
        }

        /** A P is created by procresize (allocate its mcache, gcWork...). */
        default void pInit(P p) {}

        /** A P is destroyed by procresize (flush its caches). */
        default void pDestroy(P p) {}

        /**
         * Scans gp's stack into the work cache of the caller's P (the collector's scanstack). gp
         * cannot run meanwhile: {@link #scang}'s caller holds its scan bit, or gp is the caller
         * itself, stopped at a safepoint.
         */
        default void scanstack(G gp) {}

        /**
         * gp finished (its continuation returned or unwound): called on its M before gp's per-G
         * storage ({@code G.local}) is dropped, so the layers above can close what gp held open.
         */
        default void goexit(G gp) {}
    }

    /** Runtimes started in this JVM, for {@link #id}. */
    private static final AtomicLong RUNTIME_IDS = new AtomicLong();
    /** This runtime's number in this JVM (1, 2, ...): how messages name it ("runtime 3"). */
    private final long id = RUNTIME_IDS.incrementAndGet();

    final Platform platform;
    final RuntimeMutex lock;
    private final PrintStream out;
    private final long starttime;
    private final int schedtraceMs;
    volatile Hooks hooks = new Hooks() {};
    /** The runtime object of the layers above (api), reachable from any goroutine via its M. */
    public volatile Object env;

    // ---- Ms (under lock) ----
    private M midle;
    private int nmidle;
    private int mcount;
    private long mnext;
    private final List<M> allm = new ArrayList<>();

    // ---- Ps ----
    final P[] allp = new P[MAX_GOMAXPROCS];
    private volatile int gomaxprocs;
    private int newprocs;
    private P pidle; // under lock
    private final AtomicInteger npidle = new AtomicInteger();
    private final AtomicInteger nmspinning = new AtomicInteger();

    // ---- global run queue (under lock) ----
    private G runqhead;
    private G runqtail;
    private volatile int runqsize;

    // ---- dead Gs kept for reuse (under gflock) ----
    private final RuntimeMutex gflock;
    private G gfree;
    private int ngfree;

    // ---- all Gs (under allglock) ----
    private final RuntimeMutex allglock;
    private final ArrayList<G> allgs = new ArrayList<>();
    private final AtomicLong goidgen = new AtomicLong();

    // ---- stop the world ----
    private volatile int gcwaiting;
    private int stopwait; // under lock
    private final Note stopnote;
    private volatile int sysmonwait;
    private final Note sysmonnote;
    private Sema worldsema;

    // ---- life and death ----
    private volatile boolean exiting;
    private volatile Throwable fatal;
    private final Note exitnote;
    private G maing;
    /** How long {@link #awaitExit} waits for the Ms to end (a G that reaches no safepoint keeps its M). */
    static final long EXIT_GRACE_NS = 5_000_000_000L;

    // ---- timers (Go's time.go) ----
    private final Timers timers;

    /** The execution tracer, or null when tracing is off (then every emission site is one branch). */
    public final Trace trace;

    // ---- ablations (SchedAblations; Go 1.5's values unless a GODEBUG ablation changed them) ----
    /** ready puts the goroutine in runnext (Go) or, false, at the tail of the run queue. */
    private final boolean readyToRunnext;
    /** schedule() checks the global run queue first every this many schedules (Go: 61). */
    private final int globalQueueInterval;

    // ---- counters for tests and traces ----
    private final AtomicLong npreempted = new AtomicLong();
    private final AtomicLong nretaken = new AtomicLong();
    private final AtomicLong nselfscans = new AtomicLong();

    public Sched(Platform platform, int procs, int schedtraceMs, PrintStream out) {
        this(platform, procs, schedtraceMs, out, null);
    }

    /** As above, tracing to {@code trace}'s file when it is not null. */
    public Sched(Platform platform, int procs, int schedtraceMs, PrintStream out, Trace.Settings trace) {
        this(platform, procs, schedtraceMs, out, trace, SchedAblations.GO);
    }

    /** As above, with the scheduler ablations in {@code ablations} ({@link SchedAblations#GO}: none). */
    public Sched(Platform platform, int procs, int schedtraceMs, PrintStream out, Trace.Settings trace, SchedAblations ablations) {
        this.readyToRunnext = ablations.runnext();
        this.globalQueueInterval = ablations.globalQueueInterval();
        if (procs < 1 || procs > MAX_GOMAXPROCS) {
            throw new IllegalArgumentException("GOMAXPROCS must be between 1 and " + MAX_GOMAXPROCS + ", got " + procs);
        }
        this.platform = platform;
        this.lock = new RuntimeMutex(platform);
        this.gflock = new RuntimeMutex(platform);
        this.allglock = new RuntimeMutex(platform);
        this.stopnote = new Note(platform);
        this.safePointNote = new Note(platform);
        this.sysmonnote = new Note(platform);
        this.exitnote = new Note(platform);
        this.out = out;
        this.schedtraceMs = schedtraceMs;
        this.starttime = platform.nanotime();
        this.gomaxprocs = procs;
        this.timers = new Timers(this);
        try {
            this.trace = trace == null ? null : new Trace(this, starttime, trace);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    /** The runtime's start (platform nanotime): the origin of CycleRecord times and of the trace. */
    public long startNanos() {
        return starttime;
    }

    public Platform platform() {
        return platform;
    }

    /** This runtime's number in this JVM, counted from 1. */
    public long id() {
        return id;
    }

    /** How messages name this runtime: {@code "runtime 3"}. */
    public String name() {
        return "runtime " + id;
    }

    public int gomaxprocs() {
        return gomaxprocs;
    }

    public void setHooks(Hooks h) {
        this.hooks = h;
    }

    public P allp(int i) {
        return allp[i];
    }

    // =====================================================================================
    // Start and exit
    // =====================================================================================

    /**
     * Starts the runtime: creates the Ps, the main goroutine on P0, M0 to run it, and sysmon.
     * Returns at once; {@link #awaitExit} waits for main to return.
     */
    public void start(Runnable mainFn) {
        lock.lock();
        for (int i = 0; i < gomaxprocs; i++) {
            P p = new P(i);
            allp[i] = p;
            hooks.pInit(p);
        }
        for (int i = gomaxprocs - 1; i >= 1; i--) {
            pidleput(allp[i]);
        }
        lock.unlock();
        worldsema = new Sema(this, 1);
        maing = newG(mainFn, "main.main", null);
        maing.casgstatus(G.DEAD, G.RUNNABLE);
        if (trace != null) trace.start(gomaxprocs, maing);
        allp[0].runqput(maing, true, this);
        // sysmon first, so that it is counted before main can block (checkdead subtracts it)
        newm(this::sysmon, null, true);
        newm(null, allp[0], false);
    }

    /**
     * Waits for main to return or the runtime to die, then for every M to end (each stops at its
     * goroutine's next safepoint, or at once if idle; see {@link #exit}); throws the fatal error if
     * the runtime died. When every M ended, every goroutine that had not finished is marked dead:
     * nothing can run it any more. An M whose goroutine reaches no safepoint within
     * {@link #EXIT_GRACE_NS} keeps running (as a Go loop without safepoints cannot be preempted).
     */
    public void awaitExit() {
        exitnote.sleep();
        lock.lock();
        List<M> ms = List.copyOf(allm); // final: newm starts no M once exiting is set
        lock.unlock();
        long start = platform.nanotime();
        long deadline = start + EXIT_GRACE_NS;
        boolean ended = awaitMs(ms, Math.min(deadline, start + SafepointWait.REPORT_AFTER_NS));
        if (!ended) {
            // name the goroutines that keep their Ms, once, then wait out the grace
            boolean named = new SafepointWait(this, "the runtime's exit", start).report(goroutinesOn(ms));
            ended = awaitMs(ms, deadline);
            if (!ended && named) {
                diagnostic("gort: " + name() + ": gave up waiting after " + EXIT_GRACE_NS / 1_000_000_000L
                        + " s; the goroutines named above keep running on their threads");
            }
        }
        if (ended) {
            abandonGoroutines();
        }
        Throwable f = fatal;
        if (f instanceof FatalError fe) {
            throw fe;
        }
        if (f instanceof ExitStatus es) {
            throw es;
        }
        if (f != null) {
            throw new FatalError("fatal error: " + f, f);
        }
    }

    /** Waits until every M of ms has ended or the platform's clock passes deadline; true if all ended. */
    private boolean awaitMs(List<M> ms, long deadline) {
        for (M mp : ms) {
            OsThread t;
            while ((t = mp.thread) == null && platform.nanotime() < deadline) {
                platform.osyield(); // newm publishes the thread right after starting it
            }
            if (t == null || !platform.awaitThreadEnd(t, deadline)) {
                return false;
            }
        }
        return true;
    }

    /** The goroutines mounted on those of ms whose thread has not ended. */
    private List<G> goroutinesOn(List<M> ms) {
        List<G> gs = new ArrayList<>();
        for (M mp : ms) {
            OsThread t = mp.thread;
            G gp = mp.curg;
            if (t != null && !platform.threadEnded(t) && gp != null) {
                gs.add(gp);
            }
        }
        return gs;
    }

    public boolean exiting() {
        return exiting;
    }

    /** Ms of this runtime whose thread has not ended (0 once {@link #awaitExit} saw them all end). */
    public int liveMs() {
        lock.lock();
        try {
            int n = 0;
            for (M mp : allm) {
                OsThread t = mp.thread;
                if (t == null || !platform.threadEnded(t)) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** After every M ended: the goroutines left runnable, waiting or in a syscall are dead. */
    private void abandonGoroutines() {
        allglock.lock();
        try {
            for (G gp : allgs) {
                if (gp.status() != G.DEAD) {
                    gp.setStatus(G.DEAD);
                    gp.cont = null;
                    gp.schedlink = null;
                }
            }
        } finally {
            allglock.unlock();
        }
        runqhead = null;
        runqtail = null;
        runqsize = 0;
    }

    /** Ends the runtime: main returned (fatal == null) or something died. Idempotent. */
    void exit(Throwable why) {
        lock.lock();
        if (exiting) {
            lock.unlock();
            return;
        }
        fatal = why;
        exiting = true;
        // wake every idle M so its thread can end
        for (M mp = midle; mp != null; mp = mp.schedlink) {
            mp.park.wakeup();
        }
        midle = null;
        if (sysmonwait != 0) {
            sysmonwait = 0;
            sysmonnote.wakeup();
        }
        // every goroutine stops at its next safepoint: the flag of each (not only of those running
        // now; execute() re-checks exiting after clearing a G's flag, so a G picked at this very
        // moment is flagged too); an M sleeping in notetsleepg is woken
        for (G gp : allgs()) {
            gp.preempt = true;
        }
        for (M mp : allm) {
            Note n = mp.waitnote;
            if (n != null) {
                n.abandon();
            }
        }
        lock.unlock();
        exitnote.wakeup();
    }

    /**
     * Ends the runtime from outside its goroutines, as if it had died with the fatal error
     * {@code message}: what {@link #exit} does for a dying goroutine (each goroutine stops at its next
     * safepoint, idle Ms and sleepers wake, {@link #awaitExit} returns and throws the error), for a
     * host that must end a runtime it started and go on (a test's watchdog). Go has no such call: a
     * process ends a Go program, which dies with it; a gort runtime shares its JVM. Idempotent, and
     * does nothing to a runtime that is already exiting. Any thread may call it.
     */
    public void abort(String message) {
        exit(new FatalError(message));
    }

    /**
     * Go's os.Exit(code), called on a goroutine: the runtime ends now, as when main returns (no
     * other goroutine runs on; deferred work is not run, as Go runs no deferred functions), and its
     * entry point returns normally for 0, or throws {@link ExitStatus} with the code. Does not
     * return.
     */
    public void exitProcess(int code) {
        exit(code == 0 ? null : new ExitStatus(code));
        throw new ExitUnwind();
    }

    /** The body every goroutine's continuation runs. */
    private void goBody(G gp, Runnable fn) {
        try {
            fn.run();
        } catch (Throwable t) {
            if (t instanceof ExitUnwind) {
                return;
            }
            String msg = t.getMessage();
            if (msg != null && msg.startsWith("fatal error:")) { // a runtime throw, not a panic
                exit(new FatalError(msg + "\n\ngoroutine " + gp.goid + " [running]:\n\t" + gp.startName, t));
            } else {
                exit(new FatalError(panicReport(gp, t), t));
            }
            return;
        }
        if (gp == maing) {
            exit(null);
        }
    }

    /** Thrown at a safepoint into a goroutine while the runtime exits, so its frames unwind. */
    static final class ExitUnwind extends RuntimeException {
        ExitUnwind() {
            super("runtime exiting", null, false, false);
        }
    }

    private String panicReport(G gp, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        String head = t instanceof GoPanic ? "panic: " + t.getMessage() : "panic: " + t;
        return head + "\n\ngoroutine " + gp.goid + " [running]:\n" + sw;
    }

    // =====================================================================================
    // Goroutine creation and exit (newproc, goexit0, gfput/gfget)
    // =====================================================================================

    private G newG(Runnable fn, String name, P p) {
        G gp = p == null ? null : gfget(p);
        if (gp == null) {
            gp = new G(this);
            gp.setStatus(G.DEAD);
            allglock.lock();
            allgs.add(gp);
            allglock.unlock();
        }
        final G g = gp;
        gp.cont = new G.GCont(() -> goBody(g, fn));
        gp.goid = goidgen.incrementAndGet();
        gp.startName = name;
        gp.preempt = false;
        gp.system = false;
        gp.waitreason = "";
        return gp;
    }

    /** Starts a goroutine running fn (Go's newproc). Called on a G, or on an M that holds a P. */
    public G newproc(Runnable fn, String name) {
        return newproc(fn, name, null);
    }

    /**
     * newproc with the new goroutine's per-G storage ({@code G.local}, e.g. its roots: the
     * arguments Go's newproc copies onto the new stack) set before the goroutine becomes runnable,
     * so that neither the goroutine nor a stack scan can see it without them.
     */
    public G newproc(Runnable fn, String name, Object local) {
        M m = currentM();
        P p = m.p;
        if (p == null) {
            throw new IllegalStateException("fatal error: newproc without a P");
        }
        G newg = newG(fn, name, p);
        newg.local = local;
        newg.casgstatus(G.DEAD, G.RUNNABLE);
        if (trace != null) trace.goCreate(m, newg);
        p.runqput(newg, true, this);
        if (npidle.get() != 0 && nmspinning.get() == 0) {
            wakep();
        }
        return newg;
    }

    /**
     * Wakes an idle P (through a spinning M) if there is one and nobody spins: for work that
     * appeared outside any run queue, such as grey objects a background worker could take.
     */
    public void wakeIdleP() {
        if (npidle.get() != 0 && nmspinning.get() == 0) {
            wakep();
        }
    }

    /** Marks a G as runtime-internal: it does not count for deadlock detection. */
    public void setSystem(G gp) {
        gp.system = true;
    }

    private void goexit0(M m, G gp) {
        if (trace != null) trace.goEnd(m);
        gp.gcalloc = 0; // a reused G must not inherit its last life's assist debt or credit
        gp.gcscanwork = 0;
        gp.gcAssistBytes = 0;
        gp.casgstatus(G.RUNNING, G.DEAD);
        gp.m = null;
        gp.param = null;
        gp.waiting = null;
        hooks.goexit(gp);
        gp.local = null;
        gp.recvPtr = 0;
        gp.cont = null;
        gp.waitreason = "";
        m.curg = null;
        gfput(m.p, gp);
    }

    private void gfput(P p, G gp) {
        gp.schedlink = p.gfree;
        p.gfree = gp;
        p.gfreecnt++;
        if (p.gfreecnt >= 64) {
            gflock.lock();
            while (p.gfreecnt >= 32) {
                G g = p.gfree;
                p.gfree = g.schedlink;
                p.gfreecnt--;
                g.schedlink = gfree;
                gfree = g;
                ngfree++;
            }
            gflock.unlock();
        }
    }

    private G gfget(P p) {
        if (p.gfree == null && gfree != null) {
            gflock.lock();
            while (p.gfreecnt < 32 && gfree != null) {
                G g = gfree;
                gfree = g.schedlink;
                ngfree--;
                g.schedlink = p.gfree;
                p.gfree = g;
                p.gfreecnt++;
            }
            gflock.unlock();
        }
        G gp = p.gfree;
        if (gp != null) {
            p.gfree = gp.schedlink;
            p.gfreecnt--;
            gp.schedlink = null;
        }
        return gp;
    }

    // =====================================================================================
    // getg and mcall
    // =====================================================================================

    /**
     * The M running the calling thread; fails clearly when called off the runtime's threads. With
     * {@link #currentMOrNull} the only static way from a thread to its M (and so to its runtime):
     * {@link OsThread#currentOwner()} asks the platform that started the thread, so a simulated
     * platform's threads answer too. Code with a runtime at hand asks {@code platform.currentOwner()}.
     */
    public static M currentM() {
        Object o = OsThread.currentOwner();
        if (o instanceof M m) {
            return m;
        }
        throw new IllegalStateException("not on a gort thread: this must be called from a goroutine");
    }

    /** The M running the calling thread, or null on a thread no runtime started (see {@link #currentM}). */
    public static M currentMOrNull() {
        return OsThread.currentOwner() instanceof M m ? m : null;
    }

    /**
     * The panic for a channel, WaitGroup, Mutex or semaphore of runtime {@code owner} used by a
     * goroutine of runtime {@code user}: it would park and ready goroutines across two schedulers.
     */
    static GoPanic foreignUse(String what, Sched owner, Sched user) {
        return new GoPanic(what + " of " + owner.name() + " used from a goroutine of " + user.name()
                + ": channels, WaitGroups, Mutexes and heap addresses belong to the runtime that made them");
    }

    /** Panics if the calling thread is an M of a runtime other than owner (a thread of none passes). */
    public static void checkOwner(String what, Sched owner) {
        if (owner.platform.currentOwner() instanceof M m && m.sched != owner) {
            throw foreignUse(what, owner, m.sched);
        }
    }

    /** The current goroutine (Go's getg().m.curg), or null when on an M's scheduling loop. */
    public static G getg() {
        return currentM().curg;
    }

    /** The scheduler of the calling goroutine. */
    public static Sched current() {
        return currentM().sched;
    }

    private static void mcall(M m, int fn) {
        m.mcallFn = fn;
        Continuation.yield(G.SCOPE);
    }

    // =====================================================================================
    // park / ready / Gosched / preemption
    // =====================================================================================

    /**
     * Parks the current goroutine (Go's gopark): after it is off its M, unlockf(gp, lock) runs on
     * the M; if it returns false the G runs again at once. Returns when someone readies it.
     */
    public void gopark(Unlockf unlockf, Object lk, String reason) {
        gopark(currentM(), unlockf, lk, reason);
    }

    /**
     * gopark for callers that already looked up their M (one lookup per runtime call: see
     * {@link OsThread#current()}). {@code m} must be the caller's M; do not use it after this
     * returns, since the goroutine may resume on another M.
     */
    void gopark(M m, Unlockf unlockf, Object lk, String reason) {
        G gp = m.curg;
        if (gp == null) {
            throw new IllegalStateException("fatal error: gopark on the scheduler stack");
        }
        gp.waitreason = reason;
        m.waitunlockf = unlockf;
        m.waitlock = lk;
        mcall(m, M.MCALL_PARK);
    }

    /** Parks the current goroutine and releases lk once it is off its M (Go's goparkunlock). */
    public void goparkunlock(RuntimeMutex lk, String reason) {
        gopark(currentM(), PARKUNLOCK_C, lk, reason);
    }

    void goparkunlock(M m, RuntimeMutex lk, String reason) {
        gopark(m, PARKUNLOCK_C, lk, reason);
    }

    /** park_m, on the M. Returns gp when it must run again at once. */
    private G parkM(M m, G gp) {
        if (trace != null) trace.goPark(m, gp.waitreason);
        gp.casgstatus(G.RUNNING, G.WAITING);
        dropg(m);
        Unlockf f = m.waitunlockf;
        if (f != null) {
            Object lk = m.waitlock;
            m.waitunlockf = null;
            m.waitlock = null;
            if (!f.unlock(gp, lk)) {
                if (trace != null) trace.goUnblock(m, gp);
                gp.casgstatus(G.WAITING, G.RUNNABLE);
                m.inheritTime[0] = true;
                return gp;
            }
        }
        return null;
    }

    /**
     * Makes a waiting gp runnable in the current P's runnext (Go's ready): it runs as soon as the
     * caller blocks, inheriting the time slice (under the runnext=0 ablation it goes to the tail of
     * the run queue instead); wakes an idle P if there is one and no M spins.
     */
    public void ready(G gp) {
        ready(currentM(), gp);
    }

    /** ready for callers that already hold their current M. */
    void ready(M m, G gp) {
        P p = m.p;
        if (p == null) {
            throw new IllegalStateException("fatal error: ready without a P");
        }
        m.locks++;
        if (trace != null) trace.goUnblock(m, gp);
        gp.casgstatus(G.WAITING, G.RUNNABLE);
        if (!readyToRunnext) {
            gp.enqueued = Enqueued.RUNQ_TAIL;
        }
        p.runqput(gp, readyToRunnext, this);
        if (npidle.get() != 0 && nmspinning.get() == 0) {
            wakep();
        }
        m.locks--;
    }

    /** Yields the processor: the current G goes to the global run queue (Go's Gosched). */
    public void gosched() {
        mcall(currentM(), M.MCALL_GOSCHED);
    }

    /**
     * Makes every goroutine of gs runnable on the global run queue and starts an M for each idle P
     * while there are some (Go's injectglist): how the collector wakes every parked assist at the
     * end of marking. Each must be WAITING.
     */
    public void injectglist(java.util.List<G> gs) {
        if (gs.isEmpty()) {
            return;
        }
        M m = currentM();
        m.locks++;
        lock.lock();
        for (G gp : gs) {
            if (trace != null) trace.goUnblock(m, gp);
            gp.casgstatus(G.WAITING, G.RUNNABLE);
            globrunqput(gp);
        }
        lock.unlock();
        for (int n = gs.size(); n != 0 && gcwaiting == 0 && npidle.get() != 0; n--) {
            startm(null, false); // (with the world stopped no P is idle in Go; they run when it restarts)
        }
        m.locks--;
    }

    private void goschedImpl(M m, G gp) {
        gp.casgstatus(G.RUNNING, G.RUNNABLE);
        dropg(m);
        lock.lock();
        globrunqput(gp);
        lock.unlock();
    }

    /**
     * A safepoint: if sysmon or stop-the-world asked this G to yield, it goes to the global queue
     * now. Called at every allocation, every runtime call, and by long loops.
     */
    public static void safepoint() {
        M m = currentMOrNull();
        if (m != null) {
            G gp = m.curg;
            if (gp != null && gp.preempt) {
                m.sched.preemptPark(m, gp);
            }
        }
    }

    /**
     * A safepoint that returns the caller's M, for runtime calls that need it next: one thread
     * lookup serves both. After a preemption the goroutine may run on another M, so look again.
     */
    public static M safepointM() {
        M m = currentM();
        G gp = m.curg;
        if (gp != null && gp.preempt) {
            m.sched.preemptPark(m, gp);
            m = currentM();
        }
        return m;
    }

    private void preemptPark(M m, G gp) {
        if (exiting) {
            if (m.locks == 0) {
                throw new ExitUnwind(); // unwinds the goroutine; its M then ends (schedule sees exiting)
            }
            return; // inside a runtime critical section: the flag stays, the next safepoint outside unwinds
        }
        if (m.locks != 0 || m.preemptoff != null || gp.status() != G.RUNNING) {
            return; // not now; the flag stays and sysmon or STW asks again
        }
        if (gp.preemptscan) {
            selfScan(gp);
            return; // run on: the scan request also took back any pending preemption, as in Go
        }
        gp.preemptCount++;
        npreempted.incrementAndGet();
        mcall(m, M.MCALL_PREEMPT);
    }

    private boolean preemptone(P p) {
        if (p == null) {
            return false;
        }
        M mp = p.m;
        if (mp == null || mp == platform.currentOwner()) { // never the caller itself, as Go
            return false;
        }
        G gp = mp.curg;
        if (gp == null) {
            return false;
        }
        gp.preempt = true;
        return true;
    }

    private void preemptall() {
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            if (p != null && p.status() == P.RUNNING) {
                preemptone(p);
            }
        }
    }

    /**
     * Gets gp's stack scanned once in this round (Go's scang): a goroutine that is not running is
     * claimed with its scan bit and scanned here; a running one is asked to scan itself at its next
     * safepoint ({@link G#preemptscan}), and the caller spins until it has. Called by the
     * collector's concurrent stack scan (Go's gcscan_m). Like Go's, this waits as long as a running
     * goroutine takes to reach a safepoint: one in a loop without safepoints holds the scan up.
     */
    public void scang(G gp) {
        gp.gcscandone = false;
        SafepointWait sw = null; // made at the first turn spent waiting for gp's safepoint
        while (!gp.gcscandone) {
            int s = gp.readgstatus();
            switch (s) {
                case G.DEAD, G.IDLE -> gp.gcscandone = true; // no stack
                case G.RUNNABLE, G.SYSCALL, G.WAITING -> {
                    if (gp.castogscanstatus(s)) {
                        if (!gp.gcscandone) {
                            hooks.scanstack(gp);
                            gp.gcscandone = true;
                        }
                        gp.casfromGscanstatus(s);
                    }
                }
                case G.RUNNING -> {
                    if (gp.preemptscan && gp.preempt) {
                        platform.procyield(10); // asked already: wait for its safepoint
                        if (sw == null) {
                            sw = new SafepointWait(this, "the stack scan of goroutine " + gp.goid);
                        }
                        sw.poll(() -> gp.status() == G.RUNNING ? List.of(gp) : List.of());
                    } else if (gp.castogscanstatus(G.RUNNING)) {
                        if (!gp.gcscandone) {
                            gp.preemptscan = true;
                            gp.preempt = true;
                        }
                        gp.casfromGscanstatus(G.RUNNING);
                    }
                }
                default -> platform.procyield(10); // another scan holds it (its own, at a safepoint)
            }
        }
        gp.preemptscan = false; // cancel the request if it was not needed
    }

    /**
     * The calling goroutine waits for the runtime without leaving its M (Go's casgstatus from
     * _Grunning to _Gwaiting around gcscan_m): its stack can then be scanned like any other.
     */
    public void casgstatusWaiting(G gp, String reason) {
        gp.waitreason = reason;
        gp.casgstatus(G.RUNNING, G.WAITING);
    }

    /** Ends {@link #casgstatusWaiting}. */
    public void casgstatusRunning(G gp) {
        gp.casgstatus(G.WAITING, G.RUNNING);
        gp.waitreason = "";
    }

    /**
     * A running goroutine asked to scan itself does so at its safepoint and runs on (Go's
     * newstack with preemptscan set): it is WAITING while its stack is scanned, so nothing else
     * claims it meanwhile.
     */
    private void selfScan(G gp) {
        nselfscans.incrementAndGet();
        gp.casgstatus(G.RUNNING, G.WAITING);
        while (!gp.castogscanstatus(G.WAITING)) {
            platform.procyield(10); // scang may hold the scan bit for an instant
        }
        if (!gp.gcscandone) {
            hooks.scanstack(gp);
            gp.gcscandone = true;
        }
        gp.preemptscan = false;
        gp.preempt = false;
        gp.casfromGscanstatus(G.WAITING);
        gp.casgstatus(G.WAITING, G.RUNNING);
    }

    public long preemptions() {
        return npreempted.get();
    }

    public long retakes() {
        return nretaken.get();
    }

    /**
     * Times a running goroutine stopped at a safepoint for {@link #scang}'s request (then it, or
     * the scanner, which sees it waiting, scans its stack) and ran on.
     */
    public long selfScans() {
        return nselfscans.get();
    }

    private static void dropg(M m) {
        G gp = m.curg;
        if (gp != null) {
            gp.m = null;
            m.curg = null;
        }
    }

    // =====================================================================================
    // The M's loop: mstart, schedule, execute, findrunnable
    // =====================================================================================

    private void mstart(M m) {
        try {
            if (m.mstartfn != null) {
                m.mstartfn.run();
                if (m.isSysmon) {
                    return;
                }
            }
            if (m.nextp != null) {
                P p = m.nextp;
                m.nextp = null;
                acquirep(m, p);
            } else {
                stopm(m); // a GC helper started without a P
            }
            while (scheduleOnce(m)) {
                // one schedule() and the goroutine it picked, per call
            }
        } catch (Throwable t) {
            exit(t instanceof FatalError ? t : new FatalError("fatal error: runtime: " + t + " on " + m, t));
        }
    }

    /**
     * One turn of the M's loop (Go's schedule() and what follows it): finds a G and runs it until
     * it blocks, yields or ends (again at once if it asked to run on); false when the M must end.
     *
     * <p>A method of its own, called once per turn, so that the JIT compiles it by invocation count.
     * mstart runs once per thread, so a loop written inline there is compiled only by on-stack
     * replacement (OSR), and a rare path the loop takes for the first time (a goroutine that ends,
     * a preemption, a stop-the-world) is an uncommon trap that discards the OSR code and leaves
     * the M's loop interpreted until its back-edge counters reach the OSR thresholds again (tens of
     * thousands of turns; -XX:+PrintCompilation shows {@code Sched::mstart @ ... made not entrant:
     * uncommon trap} in the channel benchmarks). Here a trap discards only this method's code, which
     * is recompiled after a few thousand calls, and the loop left in mstart is one call per turn.
     */
    private boolean scheduleOnce(M m) {
        G gp = schedule(m);
        if (gp == null) {
            return false;
        }
        boolean inherit = m.inheritTime[0];
        do {
            execute(m, gp, inherit);
            gp = afterYield(m);
            inherit = m.inheritTime[0];
        } while (gp != null);
        return true;
    }

    private void execute(M m, G gp, boolean inheritTime) {
        gp.casgstatus(G.RUNNABLE, G.RUNNING);
        if (gp.preempt) { // a volatile store costs a fence: only clear a set flag
            gp.preempt = false;
        }
        if (exiting) {
            gp.preempt = true; // exit() may have flagged gp just before the clear, or gp is newer than its flags
        }
        if (!inheritTime) {
            m.p.schedtick++;
        }
        m.curg = gp;
        gp.m = m;
        if (trace != null) trace.goStart(m, gp);
        gp.cont.run();
    }

    /** Runs on the M after its G yielded or finished: the mcall target. Returns a G to run now. */
    private G afterYield(M m) {
        G gp = m.curg;
        if (gp.cont.isDone()) {
            goexit0(m, gp);
            return null;
        }
        int fn = m.mcallFn;
        m.mcallFn = M.MCALL_NONE;
        return switch (fn) {
            case M.MCALL_PARK -> parkM(m, gp);
            case M.MCALL_GOSCHED, M.MCALL_PREEMPT -> {
                gp.enqueued = fn == M.MCALL_PREEMPT ? Enqueued.GLOBAL_PREEMPTED : Enqueued.GLOBAL_GOSCHED;
                if (trace != null) trace.goSched(m, fn == M.MCALL_PREEMPT);
                goschedImpl(m, gp);
                yield null;
            }
            case M.MCALL_EXITSYSCALL -> exitsyscall0(m, gp);
            default -> throw new IllegalStateException("fatal error: goroutine " + gp.goid + " yielded without a request on " + m);
        };
    }

    /** One round of the scheduler: finds a runnable G (blocking until there is one). Null on exit. */
    private G schedule(M m) {
        for (;;) {
            if (exiting) {
                return null;
            }
            if (gcwaiting != 0) {
                gcstopm(m);
                continue;
            }
            P p = m.p;
            if (p.runSafePointFn != 0) {
                runSafePointFn(p);
            }
            G gp = hooks.findRunnableGCWorker(p);
            if (gp != null) {
                if (trace != null) trace.goUnblock(m, gp);
                gp.casgstatus(G.WAITING, G.RUNNABLE);
                m.inheritTime[0] = false;
                resetspinning(m);
                return gp;
            }
            if (m.spinning && !p.runqempty()) {
                resetspinning(m); // the hook readied a G (a completion signalled from the scheduler)
            }
            // Check the global runnable queue once in a while to ensure fairness.
            if (globalQueueTick(p.schedtick) && runqsize > 0) {
                lock.lock();
                gp = globrunqget(p, 1);
                lock.unlock();
                if (gp != null) {
                    m.inheritTime[0] = false;
                    resetspinning(m);
                    return gp;
                }
            }
            gp = p.runqget(m.inheritTime);
            if (gp != null) {
                if (m.spinning) {
                    throw new IllegalStateException("fatal error: schedule: spinning with local work");
                }
                return gp;
            }
            gp = findrunnable(m);
            if (gp == null) {
                continue; // exiting, or must re-check from the top
            }
            resetspinning(m);
            return gp;
        }
    }

    /**
     * Whether this schedule tick looks at the global queue first (Go: every 61st). Go's constant
     * interval is a multiply and shift; the ablation's interval is a division, paid only under it.
     */
    private boolean globalQueueTick(int schedtick) {
        int n = globalQueueInterval;
        return n == SchedAblations.GO_GLOBAL_QUEUE_INTERVAL
                ? schedtick % SchedAblations.GO_GLOBAL_QUEUE_INTERVAL == 0
                : schedtick % n == 0;
    }

    /** Finds a runnable G: local queue, global queue, stealing; else gives up the P and sleeps. */
    private G findrunnable(M m) {
        top:
        for (;;) {
            if (exiting) {
                return null;
            }
            if (gcwaiting != 0) {
                gcstopm(m);
                continue;
            }
            P p = m.p;
            if (p.runSafePointFn != 0) {
                runSafePointFn(p);
            }
            G gp = p.runqget(m.inheritTime);
            if (gp != null) {
                return gp;
            }
            m.inheritTime[0] = false;
            if (runqsize != 0) {
                lock.lock();
                gp = globrunqget(p, 0);
                lock.unlock();
                if (gp != null) {
                    return gp;
                }
            }
            int procs = gomaxprocs;
            // If the number of spinning Ms >= the number of busy Ps, block.
            if (m.spinning || 2 * nmspinning.get() < procs - npidle.get()) {
                if (!m.spinning) {
                    m.spinning = true;
                    nmspinning.incrementAndGet();
                }
                // random steal from other Ps
                for (int i = 0; i < 4 * procs; i++) {
                    if (gcwaiting != 0) {
                        continue top;
                    }
                    P p2 = allp[Integer.remainderUnsigned(m.fastrand1(), procs)];
                    if (p2 == p) {
                        gp = p.runqget(m.inheritTime);
                    } else {
                        gp = p.runqsteal(p2, i > 2 * procs, this);
                    }
                    if (gp != null) {
                        m.inheritTime[0] = false;
                        return gp;
                    }
                }
            }
            // stop: nothing to do. The GC may want this P for idle-time marking.
            gp = hooks.findIdleGCWorker(p);
            if (gp != null) {
                if (trace != null) trace.goUnblock(m, gp);
                gp.casgstatus(G.WAITING, G.RUNNABLE);
                m.inheritTime[0] = false;
                return gp;
            }
            if (!p.runqempty()) {
                continue; // the hook readied a G into p (a completion signalled as p goes idle)
            }
            lock.lock();
            if (gcwaiting != 0 || exiting || p.runSafePointFn != 0) {
                lock.unlock();
                continue;
            }
            if (runqsize != 0) {
                gp = globrunqget(p, 0);
                lock.unlock();
                m.inheritTime[0] = false;
                return gp;
            }
            P released = releasep(m);
            pidleput(released);
            lock.unlock();
            if (m.spinning) {
                m.spinning = false;
                nmspinning.decrementAndGet();
            }
            // check all run queues once again
            for (int i = 0; i < procs; i++) {
                P p2 = allp[i];
                if (p2 != null && !p2.runqempty()) {
                    lock.lock();
                    P pp = pidleget();
                    lock.unlock();
                    if (pp != null) {
                        acquirep(m, pp);
                        continue top;
                    }
                    break;
                }
            }
            stopm(m);
            if (exiting) {
                return null;
            }
        }
    }

    private void resetspinning(M m) {
        int n;
        if (m.spinning) {
            m.spinning = false;
            n = nmspinning.decrementAndGet();
            if (n < 0) {
                throw new IllegalStateException("fatal error: findrunnable: negative nmspinning");
            }
        } else {
            n = nmspinning.get();
        }
        // M wakeup policy is deliberately somewhat conservative: see if another P should run.
        if (n == 0 && npidle.get() > 0) {
            wakep();
        }
    }

    // =====================================================================================
    // Ms: newm, startm, stopm, wakep, handoffp; Ps: acquirep, releasep
    // =====================================================================================

    private M newm(Runnable fn, P p) {
        return newm(fn, p, false);
    }

    private M newm(Runnable fn, P p, boolean isSysmon) {
        lock.lock();
        if (exiting) {
            lock.unlock();
            return null; // no new thread for a runtime that is ending
        }
        M m = new M(this, mnext++);
        m.isSysmon = isSysmon;
        mcount++;
        if (mcount > MAX_MCOUNT) {
            lock.unlock();
            throw new FatalError("fatal error: thread exhaustion: more than " + MAX_MCOUNT + " Ms");
        }
        allm.add(m);
        lock.unlock();
        m.nextp = p;
        m.mstartfn = fn;
        m.thread = platform.newosproc("gort-M" + m.id, m, () -> mstart(m));
        return m;
    }

    /** Wakes or starts an M to run p (or some idle P when p is null). */
    private void startm(P p, boolean spinning) {
        lock.lock();
        if (p == null) {
            p = pidleget();
            if (p == null) {
                lock.unlock();
                if (spinning) {
                    nmspinning.decrementAndGet();
                }
                return;
            }
        }
        M mp = mget();
        lock.unlock();
        if (mp == null) {
            newm(spinning ? this::mspinning : null, p);
            return;
        }
        if (mp.spinning) {
            throw new IllegalStateException("fatal error: startm: m is spinning");
        }
        if (mp.nextp != null) {
            throw new IllegalStateException("fatal error: startm: m has p");
        }
        mp.spinning = spinning;
        mp.nextp = p;
        mp.park.wakeup();
    }

    private void mspinning() {
        currentM().spinning = true;
    }

    /** Tries to add one more P to execute Gs, when there is an idle P and no spinning M. */
    void wakep() {
        if (!nmspinning.compareAndSet(0, 1)) {
            return;
        }
        startm(null, true);
    }

    /** Stops the current M until new work is available; returns holding a P (unless exiting). */
    private void stopm(M m) {
        if (m.p != null) {
            throw new IllegalStateException("fatal error: stopm holding p");
        }
        if (m.spinning) {
            m.spinning = false;
            nmspinning.decrementAndGet();
        }
        for (;;) {
            lock.lock();
            if (exiting) {
                lock.unlock();
                return;
            }
            mput(m);
            lock.unlock();
            m.park.sleep();
            m.park.clear();
            if (exiting) {
                return;
            }
            Runnable help = m.helpgc;
            if (help == null) {
                break;
            }
            // woken to help the collector while the world is stopped (Go's gchelper)
            m.helpgc = null;
            help.run();
        }
        P p = m.nextp;
        m.nextp = null;
        acquirep(m, p);
    }

    /** Gives up a P that is in a syscall or being released: start an M for it if there is work. */
    private void handoffp(P p) {
        // a P leaving its M runs a pending safe-point function first (forEachP)
        if (p.runSafePointFn != 0) {
            runSafePointFn(p);
        }
        // if it has local work, start it straight away
        if (!p.runqempty() || runqsize != 0) {
            startm(p, false);
            return;
        }
        // while marking, start it too, so that its scheduler runs the GC's checks (Go 1.6's
        // handoffp starts a P with GC work; gort also starts one without, see Collector)
        if (hooks.startOnHandoff(p)) {
            startm(p, false);
            return;
        }
        // no local work; if nobody spins or idles, start a spinning M to look for work
        if (nmspinning.get() + npidle.get() == 0 && nmspinning.compareAndSet(0, 1)) {
            startm(p, true);
            return;
        }
        lock.lock();
        if (gcwaiting != 0) {
            p.setStatus(P.GCSTOP);
            stopwait--;
            if (stopwait == 0) {
                stopnote.wakeup();
            }
            lock.unlock();
            return;
        }
        if (runqsize != 0) {
            lock.unlock();
            startm(p, false);
            return;
        }
        pidleput(p);
        lock.unlock();
    }

    private void acquirep(M m, P p) {
        if (m.p != null || p.m != null || p.status() != P.IDLE) {
            throw new IllegalStateException("fatal error: acquirep: invalid p state: " + p + " status "
                    + p.status() + " m " + p.m + " (asked by " + m + " holding " + m.p + ")");
        }
        m.p = p;
        m.mcache = p.mcache;
        p.m = m;
        p.setStatus(P.RUNNING);
        if (trace != null) trace.procStart(m);
    }

    private P releasep(M m) {
        P p = m.p;
        if (p == null || p.m != m || p.status() != P.RUNNING) {
            throw new IllegalStateException("fatal error: releasep: invalid p state");
        }
        if (trace != null) trace.procStop(m);
        m.p = null;
        m.mcache = null;
        p.m = null;
        p.setStatus(P.IDLE);
        return p;
    }

    // under lock
    private void mput(M m) {
        m.schedlink = midle;
        midle = m;
        nmidle++;
        checkdead();
    }

    // under lock
    private M mget() {
        M m = midle;
        if (m != null) {
            midle = m.schedlink;
            m.schedlink = null;
            nmidle--;
        }
        return m;
    }

    // under lock
    private void pidleput(P p) {
        if (!p.runqempty()) {
            throw new IllegalStateException("fatal error: pidleput: P has non-empty run queue");
        }
        p.link = pidle;
        pidle = p;
        npidle.incrementAndGet();
    }

    // under lock
    private P pidleget() {
        P p = pidle;
        if (p != null) {
            pidle = p.link;
            p.link = null;
            npidle.decrementAndGet();
        }
        return p;
    }

    // =====================================================================================
    // The global run queue (under lock)
    // =====================================================================================

    void globrunqput(G gp) {
        gp.schedlink = null;
        if (runqtail != null) {
            runqtail.schedlink = gp;
        } else {
            runqhead = gp;
        }
        runqtail = gp;
        runqsize++;
        if (trace != null) trace.globrunq(runqsize);
    }

    void globrunqputhead(G gp) {
        gp.schedlink = runqhead;
        runqhead = gp;
        if (runqtail == null) {
            runqtail = gp;
        }
        runqsize++;
        if (trace != null) trace.globrunq(runqsize);
    }

    /** Puts a linked batch on the global queue; takes the lock itself (called from runqputslow). */
    void globrunqputbatch(G ghead, G gtail, int n) {
        lock.lock();
        gtail.schedlink = null;
        if (runqtail != null) {
            runqtail.schedlink = ghead;
        } else {
            runqhead = ghead;
        }
        runqtail = gtail;
        runqsize += n;
        if (trace != null) trace.globrunq(runqsize);
        lock.unlock();
    }

    /** Takes a batch from the global queue: returns one, moves the rest to p's local queue. */
    private G globrunqget(P p, int max) {
        if (runqsize == 0) {
            return null;
        }
        int n = runqsize / gomaxprocs + 1;
        if (n > runqsize) {
            n = runqsize;
        }
        if (max > 0 && n > max) {
            n = max;
        }
        if (n > P.RUNQ_SIZE / 2) {
            n = P.RUNQ_SIZE / 2;
        }
        runqsize -= n;
        if (trace != null) trace.globrunq(runqsize);
        if (runqsize == 0) {
            runqtail = null;
        }
        G gp = runqhead;
        runqhead = gp.schedlink;
        gp.schedlink = null;
        n--;
        for (; n > 0; n--) {
            G gp1 = runqhead;
            runqhead = gp1.schedlink;
            gp1.schedlink = null;
            p.runqput(gp1, false, this);
        }
        return gp;
    }

    public int globalRunqSize() {
        return runqsize;
    }

    /** Ps on the idle list (Go's sched.npidle). */
    int npidle() {
        return npidle.get();
    }

    // =====================================================================================
    // System calls and notes
    // =====================================================================================

    /** The current G enters a short blocking call: its P stays attached but can be retaken. */
    public void entersyscall() {
        M m = currentM();
        G gp = m.curg;
        P p = m.p;
        m.locks++;
        if (trace != null) trace.goSysCall(m);
        gp.casgstatus(G.RUNNING, G.SYSCALL);
        if (sysmonwait != 0) {
            lock.lock();
            if (sysmonwait != 0) {
                sysmonwait = 0;
                sysmonnote.wakeup();
            }
            lock.unlock();
        }
        m.syscalltick = p.syscalltick;
        if (p.runSafePointFn != 0) {
            runSafePointFn(p);
        }
        p.m = null;
        m.mcache = null; // as Go: the P may be retaken during the call, and a syscall never allocates
        p.setStatus(P.SYSCALL);
        if (gcwaiting != 0) {
            lock.lock();
            if (stopwait > 0 && p.casStatus(P.SYSCALL, P.GCSTOP)) {
                if (trace != null) trace.goSysBlockProcStop(p);
                p.syscalltick++;
                if (--stopwait == 0) {
                    stopnote.wakeup();
                }
            }
            lock.unlock();
        }
        m.locks--;
    }

    /** The current G enters a call known to block: its P is handed off at once. */
    public void entersyscallblock() {
        M m = currentM();
        G gp = m.curg;
        P p = m.p;
        m.locks++;
        m.syscalltick = p.syscalltick;
        p.syscalltick++;
        gp.casgstatus(G.RUNNING, G.SYSCALL);
        if (trace != null) trace.goSysCallBlock(m);
        handoffp(releasep(m));
        m.locks--;
    }

    /**
     * The current G returns from a syscall: runs on at once if its old P (or an idle one) is free;
     * otherwise it goes to the global run queue and its M stops.
     */
    public void exitsyscall() {
        M m = currentM();
        G gp = m.curg;
        m.locks++;
        if (exitsyscallfast(m)) {
            gp.enqueued = Enqueued.SYSCALL_WITH_P;
            m.p.syscalltick++;
            gp.casgstatus(G.SYSCALL, G.RUNNING);
            m.locks--;
            return;
        }
        m.locks--;
        mcall(m, M.MCALL_EXITSYSCALL);
        // the scheduler ran us again, with a P
        currentM().p.syscalltick++;
    }

    private boolean exitsyscallfast(M m) {
        P oldp = m.p;
        if (oldp != null && oldp.status() == P.SYSCALL && oldp.casStatus(P.SYSCALL, P.RUNNING)) {
            oldp.m = m;
            m.mcache = oldp.mcache;
            return true;
        }
        m.p = null;
        m.mcache = null;
        if (npidle.get() != 0) {
            lock.lock();
            P p = pidleget();
            if (p != null && sysmonwait != 0) {
                sysmonwait = 0;
                sysmonnote.wakeup();
            }
            lock.unlock();
            if (p != null) {
                acquirep(m, p);
                if (trace != null) trace.goSysExitStart(m, m.curg);
                return true;
            }
        }
        return false;
    }

    /** exitsyscall0, on the M: no P was free, so gp goes to the global queue and the M stops. */
    private G exitsyscall0(M m, G gp) {
        gp.casgstatus(G.SYSCALL, G.RUNNABLE);
        dropg(m);
        lock.lock();
        P p = pidleget();
        if (trace != null) trace.goSysExit(m, gp, p == null);
        if (p == null) {
            gp.enqueued = Enqueued.GLOBAL_SYSCALL;
            globrunqput(gp);
        } else if (sysmonwait != 0) {
            sysmonwait = 0;
            sysmonnote.wakeup();
        }
        lock.unlock();
        if (p != null) {
            gp.enqueued = Enqueued.SYSCALL_WITH_P;
            acquirep(m, p);
            m.inheritTime[0] = false;
            return gp;
        }
        stopm(m);
        return null;
    }

    /**
     * Sleeps on a note from a goroutine (Go's notetsleepg): the P is handed off for the sleep, and
     * on waking the G needs a P again (the global run queue if none is idle). True if woken.
     */
    public boolean notetsleepg(Note n, long ns) {
        if (getg() == null) {
            throw new IllegalStateException("fatal error: notetsleepg on the scheduler stack");
        }
        entersyscallblock();
        // exit() abandons the note this M sleeps on (set before exiting is read: either exit sees
        // it, or this sees exiting), so a runtime that ends never leaves an M asleep here
        M m = currentM();
        m.waitnote = n;
        boolean ok = !exiting && n.tsleep(ns);
        m.waitnote = null;
        exitsyscall();
        if (exiting) {
            throw new ExitUnwind();
        }
        return ok;
    }

    /**
     * Sleeps the calling M on a note while it keeps its P (Go's notesleep, as gcMark waits for its
     * helpers with the world stopped), or unwinds the calling goroutine ({@link ExitUnwind}) if the
     * runtime ends meanwhile: an M woken to help that finds the runtime ending stops instead of
     * helping, so the wakeup this waits for may never come. exit() abandons the note as it does
     * notetsleepg's (published before exiting is read: either exit sees it, or this sees exiting).
     */
    public void notesleepUnlessExiting(Note n) {
        M m = currentM();
        m.waitnote = n;
        if (!exiting) {
            n.sleep();
        }
        m.waitnote = null;
        if (exiting) {
            throw new ExitUnwind();
        }
    }

    // =====================================================================================
    // Timers (Go's time.go; see Timers and Timer)
    // =====================================================================================

    /**
     * The runtime's monotonic clock in nanoseconds (Go's nanotime, from the platform): the clock of
     * every {@link Timer#when()}. Go's time package reads it as runtimeNano.
     */
    public long nanotime() {
        return platform.nanotime();
    }

    /**
     * Parks the calling goroutine for at least ns nanoseconds on a runtime timer (Go's timeSleep,
     * under time.Sleep): a one-shot timer whose function readies it (Go's goroutineReady); it waits
     * as "sleep", traced as Go's GoSleep. Returns at once if ns <= 0.
     */
    public void timeSleep(long ns) {
        timers.timeSleep(currentM(), ns);
    }

    /**
     * Starts t: puts it in this runtime's heap of pending timers (Go's startTimer/addtimer), waking
     * the timer goroutine if t is now the earliest (and creating it on first use). Called from a
     * goroutine of this runtime, f included.
     *
     * @throws GoPanic if t is pending already, or belongs to another runtime
     */
    public void startTimer(Timer t) {
        checkTimerCaller();
        timers.addtimer(t);
    }

    /**
     * Stops t (Go's stopTimer/deltimer): takes it out of the heap if it is there. Returns true if
     * it was pending (its function will not run for that start), false if it already fired (a
     * one-shot timer), was stopped, or was never started. Does not wait for a call of its function
     * in progress, and wakes nobody.
     *
     * @throws GoPanic if t belongs to another runtime
     */
    public boolean stopTimer(Timer t) {
        checkTimerCaller();
        return timers.deltimer(t);
    }

    /**
     * Gives t a new deadline, as Go 1.5's time.Timer.Reset does it: stop t, set its {@code when},
     * start it again. Returns what the stop returned: whether t was still pending. Like Go's, not
     * atomic: t's function may be running (from an earlier start) while this returns.
     *
     * @throws GoPanic if t belongs to another runtime, or another goroutine started it between the
     *     stop and the start
     */
    public boolean resetTimer(Timer t, long when) {
        boolean active = stopTimer(t);
        t.when = when;
        startTimer(t);
        return active;
    }

    /** A goroutine of another runtime must not use this runtime's timers (nor start a timer into them). */
    private void checkTimerCaller() {
        if (platform.currentOwner() instanceof M m && m.sched != this) {
            throw Timer.foreign(this, m.sched);
        }
    }

    /** Timers pending in the heap (not yet fired, or periodic, and not stopped). */
    public int pendingTimers() {
        return timers.pending();
    }

    public Note newNote() {
        return new Note(platform);
    }

    public RuntimeMutex newMutex() {
        return new RuntimeMutex(platform);
    }

    /**
     * Whether sync.Mutex may spin (Go's sync_runtime_canSpin): only a few times, on a multicore
     * machine, while another P is running, and only if the caller's local run queue is empty.
     */
    public boolean canSpin(int iter) {
        if (iter >= 4 || platform.ncpu() <= 1 || gomaxprocs <= npidle.get() + nmspinning.get() + 1) {
            return false;
        }
        P p = currentM().p;
        return p != null && p.runqempty();
    }

    // =====================================================================================
    // GC helpers (Go's helpgc / gchelper)
    // =====================================================================================

    /**
     * Runs {@code task} on {@code n} Ms other than the caller's, with the world stopped (Go's
     * helpgc): idle Ms are woken for it, new ones started when there are too few. The Ms hold no
     * P; each goes back to the idle list when the task returns. The caller waits for the tasks
     * itself (the collector's work-buffer termination protocol does).
     */
    public void helpgc(int n, Runnable task) {
        if (gcwaiting == 0) {
            throw new IllegalStateException("fatal error: helpgc with the world running");
        }
        for (int i = 0; i < n; i++) {
            lock.lock();
            M mp = mget();
            lock.unlock();
            if (mp == null) {
                newm(task, null); // runs task first (mstartfn), then goes idle
                continue;
            }
            mp.helpgc = task;
            mp.park.wakeup();
        }
    }

    // =====================================================================================
    // Stop and start the world
    // =====================================================================================

    /** Stops every P at a safepoint; the caller (a goroutine) keeps running on its own P. */
    public void stopTheWorld(String reason) {
        semacquireWorld();
        stopTheWorldWithSema(reason);
    }

    /** Restarts everything stopped by {@link #stopTheWorld}. */
    public void startTheWorld() {
        startTheWorldWithSema();
        semreleaseWorld();
    }

    /**
     * Takes the world semaphore (Go's semacquire(&worldsema)): whoever holds it alone may stop
     * the world. The concurrent collector holds it for a whole cycle, so that a forced collection
     * or a GOMAXPROCS change waits for the cycle to end, as in Go 1.5.
     */
    public void semacquireWorld() {
        worldsema.acquire();
    }

    public void semreleaseWorld() {
        worldsema.release();
    }

    /** Stops the world; the caller must hold the world semaphore. */
    public void stopTheWorldWithSema(String reason) {
        M m = currentM();
        m.preemptoff = reason;
        if (trace != null) trace.stwStart(m, reason);
        stopTheWorldWithSema(m);
    }

    /** Restarts the world stopped by {@link #stopTheWorldWithSema(String)}; keeps the semaphore. */
    public void startTheWorldWithSema() {
        M m = currentM();
        startTheWorldWithSema(m);
        if (trace != null) trace.stwDone(m);
        m.preemptoff = null;
    }

    // =====================================================================================
    // forEachP: a ragged barrier
    // =====================================================================================

    private java.util.function.Consumer<P> safePointFn; // under lock while set
    private int safePointWait; // under lock
    private final Note safePointNote;

    /**
     * Runs fn(p) for every P at a GC safe point (Go's forEachP): fn runs for the caller's P now,
     * for idle Ps and Ps in a syscall by the caller, and for each running P by its own M when it
     * next enters the scheduler (the running goroutines are asked to yield at their next
     * safepoint). Returns when every P has run fn. The caller must be a goroutine holding the
     * world semaphore (so that no stop-the-world or procresize races with it). A goroutine in a
     * loop without safepoints delays this, as it delays a stop-the-world.
     */
    public void forEachP(java.util.function.Consumer<P> fn) {
        M m = currentM();
        P mp = m.p;
        m.locks++;
        lock.lock();
        if (safePointWait != 0) {
            lock.unlock();
            throw new IllegalStateException("fatal error: forEachP: sched.safePointWait != 0");
        }
        int procs = gomaxprocs;
        safePointWait = procs - 1;
        safePointFn = fn;
        for (int i = 0; i < procs; i++) {
            P p = allp[i];
            if (p != mp) {
                p.runSafePointFn = 1;
            }
        }
        preemptall();
        // idle Ps run fn here, by us
        for (P p = pidle; p != null; p = p.link) {
            if (p.casRunSafePointFn(1, 0)) {
                fn.accept(p);
                safePointWait--;
            }
        }
        boolean wait = safePointWait > 0;
        lock.unlock();
        fn.accept(mp);
        // Ps in a syscall are forced idle and handed off: handoffp runs fn
        for (int i = 0; i < procs; i++) {
            P p = allp[i];
            int s = p.status();
            if (s == P.SYSCALL && p.runSafePointFn == 1 && p.casStatus(s, P.IDLE)) {
                if (trace != null) trace.goSysBlockProcStop(p);
                p.syscalltick++;
                handoffp(p);
            }
        }
        if (wait) {
            SafepointWait sw = new SafepointWait(this, "forEachP");
            for (;;) {
                // wait 100 µs, then preempt again in case of races
                if (safePointNote.tsleep(100_000)) {
                    safePointNote.clear();
                    break;
                }
                if (exiting) {
                    m.locks--;
                    throw new ExitUnwind();
                }
                preemptall();
                sw.poll(this::safePointHolders);
            }
        }
        lock.lock();
        if (safePointWait != 0) {
            lock.unlock();
            throw new IllegalStateException("fatal error: forEachP: not done (safePointWait=" + safePointWait + ")");
        }
        for (int i = 0; i < procs; i++) {
            if (allp[i].runSafePointFn != 0) {
                lock.unlock();
                throw new IllegalStateException("fatal error: forEachP: P did not run fn: " + allp[i]);
            }
        }
        safePointFn = null;
        lock.unlock();
        m.locks--;
    }

    /** Runs the pending forEachP function for p, if p still owes it (Go's runSafePointFn). */
    private void runSafePointFn(P p) {
        if (!p.casRunSafePointFn(1, 0)) {
            return;
        }
        java.util.function.Consumer<P> fn;
        lock.lock();
        fn = safePointFn;
        lock.unlock();
        fn.accept(p);
        lock.lock();
        if (--safePointWait < 0) {
            lock.unlock();
            throw new IllegalStateException("fatal error: runSafePointFn: safePointWait < 0");
        }
        if (safePointWait == 0) {
            safePointNote.wakeup();
        }
        lock.unlock();
    }

    private void stopTheWorldWithSema(M m) {
        lock.lock();
        stopwait = gomaxprocs;
        gcwaiting = 1;
        preemptall();
        // stop the current P
        m.p.setStatus(P.GCSTOP);
        stopwait--;
        // try to retake all Ps in syscall
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            int s = p.status();
            if (s == P.SYSCALL && p.casStatus(s, P.GCSTOP)) {
                if (trace != null) trace.goSysBlockProcStop(p);
                p.syscalltick++;
                stopwait--;
            }
        }
        // stop idle Ps
        for (;;) {
            P p = pidleget();
            if (p == null) {
                break;
            }
            p.setStatus(P.GCSTOP);
            stopwait--;
        }
        boolean wait = stopwait > 0;
        lock.unlock();
        // wait for the remaining Ps to stop voluntarily
        if (wait) {
            SafepointWait sw = new SafepointWait(this, "stop-the-world \"" + m.preemptoff + "\"");
            for (;;) {
                // wait 100 µs, then preempt again in case of races
                if (stopnote.tsleep(100_000)) {
                    stopnote.clear();
                    break;
                }
                if (exiting) {
                    throw new ExitUnwind();
                }
                preemptall();
                sw.poll(() -> runningGoroutines(P.GCSTOP));
            }
        }
        if (stopwait != 0) {
            throw new IllegalStateException("fatal error: stopTheWorld: not stopped (stopwait=" + stopwait + ")");
        }
        for (int i = 0; i < gomaxprocs; i++) {
            if (allp[i].status() != P.GCSTOP) {
                throw new IllegalStateException("fatal error: stopTheWorld: not stopped: " + allp[i]);
            }
        }
    }

    private void startTheWorldWithSema(M m) {
        m.locks++;
        lock.lock();
        int procs = gomaxprocs;
        if (newprocs != 0) {
            procs = newprocs;
            newprocs = 0;
        }
        P p1 = procresize(m, procs);
        gcwaiting = 0;
        if (sysmonwait != 0) {
            sysmonwait = 0;
            sysmonnote.wakeup();
        }
        lock.unlock();
        while (p1 != null) {
            P p = p1;
            p1 = p1.link;
            p.link = null;
            if (p.m != null) {
                M mp = p.m;
                p.m = null;
                if (mp.nextp != null) {
                    throw new IllegalStateException("fatal error: startTheWorld: inconsistent mp->nextp");
                }
                mp.nextp = p;
                mp.park.wakeup();
            } else {
                newm(null, p);
            }
        }
        // Wake an additional proc in case there are excess runnable goroutines.
        if (npidle.get() != 0 && nmspinning.get() == 0) {
            wakep();
        }
        m.locks--;
    }

    /** The goroutines running on Ps not yet in status stopped: what a stop-the-world waits for. */
    private List<G> runningGoroutines(int stopped) {
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            M mp = p.m;
            G gp = mp == null ? null : mp.curg;
            if (p.status() != stopped && gp != null && gp.status() == G.RUNNING) {
                gs.add(gp);
            }
        }
        return gs;
    }

    /** The goroutines running on Ps that still owe forEachP's function. */
    private List<G> safePointHolders() {
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            M mp = p.m;
            G gp = mp == null ? null : mp.curg;
            if (p.runSafePointFn != 0 && gp != null && gp.status() == G.RUNNING) {
                gs.add(gp);
            }
        }
        return gs;
    }

    /** Prints one message of the runtime's own on its diagnostic stream (where gctrace goes). */
    void diagnostic(String line) {
        out.println(line);
        out.flush();
    }

    /** An M whose G stopped at a safepoint during stop-the-world gives its P up and sleeps. */
    private void gcstopm(M m) {
        if (gcwaiting == 0) {
            throw new IllegalStateException("fatal error: gcstopm: not waiting for gc");
        }
        if (m.spinning) {
            m.spinning = false;
            nmspinning.decrementAndGet();
        }
        P p = releasep(m);
        lock.lock();
        p.setStatus(P.GCSTOP);
        if (--stopwait == 0) {
            stopnote.wakeup();
        }
        lock.unlock();
        stopm(m);
    }

    /**
     * Changes the number of Ps, with the world stopped (under lock). Returns the Ps that have local
     * work, each with an idle M to run it in p.m (or none). Go's procresize.
     */
    private P procresize(M m, int nprocs) {
        int old = gomaxprocs;
        for (int i = 0; i < nprocs; i++) {
            if (allp[i] == null) {
                P p = new P(i);
                p.setStatus(P.GCSTOP);
                allp[i] = p;
                hooks.pInit(p);
            }
        }
        for (int i = nprocs; i < old; i++) {
            P p = allp[i];
            p.drainTo(this);
            while (p.gfree != null) {
                G g = p.gfree;
                p.gfree = g.schedlink;
                p.gfreecnt--;
                gflock.lock();
                g.schedlink = gfree;
                gfree = g;
                ngfree++;
                gflock.unlock();
            }
            hooks.pDestroy(p);
            if (trace != null) trace.procFree(p);
            p.setStatus(P.DEAD);
            allp[i] = null;
        }
        if (m.p != null && m.p.id < nprocs) {
            m.p.setStatus(P.RUNNING);
        } else {
            if (m.p != null) {
                m.p.m = null;
            }
            m.p = null;
            m.mcache = null;
            P p = allp[0];
            p.m = null;
            p.setStatus(P.IDLE);
            acquirep(m, p);
        }
        P runnablePs = null;
        for (int i = nprocs - 1; i >= 0; i--) {
            P p = allp[i];
            if (m.p == p) {
                continue;
            }
            p.setStatus(P.IDLE);
            if (p.runqempty()) {
                pidleput(p);
            } else {
                p.m = mget();
                p.link = runnablePs;
                runnablePs = p;
            }
        }
        gomaxprocs = nprocs;
        return runnablePs;
    }

    /** Changes GOMAXPROCS at run time (stops and restarts the world); returns the old value. */
    public int setGomaxprocs(int n) {
        if (n < 1 || n > MAX_GOMAXPROCS) {
            throw new IllegalArgumentException("GOMAXPROCS must be between 1 and " + MAX_GOMAXPROCS + ", got " + n);
        }
        int prev = gomaxprocs;
        stopTheWorld("GOMAXPROCS");
        newprocs = n;
        startTheWorld();
        return prev;
    }

    // =====================================================================================
    // sysmon: preemption, retaking Ps from syscalls, schedtrace
    // =====================================================================================

    private void sysmon() {
        int idle = 0;
        long delay = 0;
        long lasttrace = 0;
        while (!exiting) {
            if (idle == 0) {
                delay = 20; // start with a 20 µs sleep
            } else if (idle > 50) {
                delay *= 2; // double after 1 ms of idleness
            }
            if (delay > 10_000) {
                delay = 10_000; // up to 10 ms
            }
            platform.usleep(delay);
            if (schedtraceMs <= 0 && (gcwaiting != 0 || npidle.get() == gomaxprocs)) {
                lock.lock();
                if (!exiting && (gcwaiting != 0 || npidle.get() == gomaxprocs)) {
                    sysmonwait = 1;
                    lock.unlock();
                    sysmonnote.tsleep(SYSMON_MAX_SLEEP_NS);
                    lock.lock();
                    sysmonwait = 0;
                    sysmonnote.clear();
                    idle = 0;
                    delay = 20;
                }
                lock.unlock();
            }
            long now = platform.nanotime();
            if (retake(now) != 0) {
                idle = 0;
            } else {
                idle++;
            }
            if (schedtraceMs > 0 && lasttrace + schedtraceMs * 1_000_000L <= now) {
                lasttrace = now;
                schedtrace();
            }
        }
    }

    private int retake(long now) {
        int n = 0;
        int procs = gomaxprocs;
        for (int i = 0; i < procs; i++) {
            P p = allp[i];
            if (p == null) {
                continue;
            }
            int s = p.status();
            if (s == P.SYSCALL) {
                // Retake a P from a syscall if it has been there for more than one sysmon tick.
                int t = p.syscalltick;
                if (p.sysmonSyscalltick != t) {
                    p.sysmonSyscalltick = t;
                    p.sysmonSyscallwhen = now;
                    continue;
                }
                // Don't retake if there is no other work, unless it has been 10 ms.
                if (p.runqempty() && nmspinning.get() + npidle.get() > 0
                        && p.sysmonSyscallwhen + 10_000_000L > now) {
                    continue;
                }
                if (p.casStatus(s, P.IDLE)) {
                    if (trace != null) trace.goSysBlockProcStop(p);
                    n++;
                    nretaken.incrementAndGet();
                    p.syscalltick++;
                    handoffp(p);
                }
            } else if (s == P.RUNNING) {
                // Preempt the G if it has been running too long.
                int t = p.schedtick;
                if (p.sysmonSchedtick != t) {
                    p.sysmonSchedtick = t;
                    p.sysmonSchedwhen = now;
                    continue;
                }
                if (p.sysmonSchedwhen + FORCE_PREEMPT_NS > now) {
                    continue;
                }
                preemptone(p);
            }
        }
        return n;
    }

    /** Go's schedtrace line. */
    public String schedtraceLine() {
        long ms = (platform.nanotime() - starttime) / 1_000_000L;
        StringBuilder sb = new StringBuilder();
        lock.lock();
        try {
            sb.append("SCHED ").append(ms).append("ms: gomaxprocs=").append(gomaxprocs)
                    .append(" idleprocs=").append(npidle.get())
                    .append(" threads=").append(mcount)
                    .append(" spinningthreads=").append(nmspinning.get())
                    .append(" idlethreads=").append(nmidle)
                    .append(" runqueue=").append(runqsize)
                    .append(" [");
            for (int i = 0; i < gomaxprocs; i++) {
                P p = allp[i];
                sb.append(p == null ? 0 : p.runqsize());
                if (i != gomaxprocs - 1) {
                    sb.append(' ');
                }
            }
            sb.append(']');
        } finally {
            lock.unlock();
        }
        return sb.toString();
    }

    private void schedtrace() {
        out.println(schedtraceLine());
    }

    // =====================================================================================
    // Deadlock detection
    // =====================================================================================

    /**
     * Called (under lock) whenever an M goes idle: if no M is running and every goroutine waits,
     * nothing can ever wake one, and the runtime dies with Go's message and dump.
     */
    private void checkdead() {
        if (exiting) {
            return;
        }
        int run = mcount - nmidle - 1; // -1 for sysmon
        if (run > 0) {
            return;
        }
        if (run < 0) {
            fatalLocked("fatal error: checkdead: inconsistent counts: mcount=" + mcount + " nmidle=" + nmidle);
            return;
        }
        int waiting = 0;
        allglock.lock();
        StringBuilder dump = new StringBuilder();
        try {
            for (G gp : allgs) {
                if (gp.system) {
                    continue;
                }
                int s = gp.status();
                switch (s) {
                    case G.WAITING -> {
                        waiting++;
                        dump.append("\ngoroutine ").append(gp.goid).append(" [").append(gp.waitreason)
                                .append("]:\n\t").append(gp.startName).append('\n');
                        // where it blocked, as Go's traceback prints the file:line under the function; walked
                        // only now (every M is idle, so every goroutine's continuation is unmounted)
                        String at = Traceback.programFrame(gp);
                        if (at != null) {
                            dump.append("\t\t").append(at).append('\n');
                        }
                    }
                    case G.RUNNABLE, G.RUNNING, G.SYSCALL -> {
                        fatalLocked("fatal error: checkdead: runnable g " + gp.goid + " (" + G.statusName(s) + ")");
                        return;
                    }
                    default -> {}
                }
            }
        } finally {
            allglock.unlock();
        }
        if (waiting == 0) {
            fatalLocked("fatal error: no goroutines (main called runtime.Goexit) - deadlock!");
            return;
        }
        fatalLocked("fatal error: all goroutines are asleep - deadlock!\n" + dump);
    }

    /** Dies from inside a section that holds lock: exit() takes the lock itself, so finish there. */
    private void fatalLocked(String msg) {
        FatalError f = new FatalError(msg);
        fatal = f;
        exiting = true;
        for (M mp = midle; mp != null; mp = mp.schedlink) {
            if (!mp.park.isSet()) {
                mp.park.wakeup();
            }
        }
        midle = null;
        if (sysmonwait != 0) {
            sysmonwait = 0;
            sysmonnote.wakeup();
        }
        exitnote.wakeup();
    }

    /** A snapshot of every live goroutine (for dumps and tests). */
    public List<G> allgs() {
        allglock.lock();
        try {
            return List.copyOf(allgs);
        } finally {
            allglock.unlock();
        }
    }
}
