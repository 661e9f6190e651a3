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
 * The scheduler of one runtime: Go 1.5's {@code sched} global and the scheduling functions of
 * proc1.go. This file is scheduling proper; the rest of proc1.go lives beside it (the map below).
 *
 * <h2>The model</h2>
 * A G is a goroutine (a continuation), an M a platform thread, a P the right to run goroutine
 * code: an M runs a G only while it holds a P, and there are GOMAXPROCS Ps. Each P has a local run
 * queue (a 256-slot ring, {@link P}) and a one-slot {@code runnext}; beside them is one global run
 * queue under {@code lock}. An M without work gives its P back to the idle list and sleeps on its
 * note; the P of an M in a syscall waits for it in SYSCALL status, and sysmon retakes it for
 * another M if the call lasts (a call known to block hands its P off at once).
 *
 * <h2>The protocols</h2>
 * <ul>
 *   <li><b>The M's loop</b> ({@link #schedule}, {@link #findrunnable}): a GC worker if the
 *       collector wants one; on every 61st tick of the P's {@code schedtick} (Go's constant), one G
 *       from the global queue first, for fairness: a local queue that never empties would
 *       otherwise starve the goroutines that Gosched, preemption and syscalls put on the global
 *       queue; then runnext, then the ring; then findrunnable: the global queue, stealing half of
 *       a random P's ring (its runnext too on the late tries), an idle-time GC worker, and at
 *       last giving up the P and sleeping.
 *   <li><b>Spinning Ms.</b> An M that looks for work to steal is spinning ({@code m.spinning},
 *       counted in {@code nmspinning}). Whoever makes work runnable while a P is idle and nobody
 *       spins starts one spinning M ({@link #wakep}: ready, newproc; handoffp starts one for the P
 *       it gives up when nobody spins or idles); a spinning M that finds work stops spinning and,
 *       if it was the last, wakes another ({@link #resetspinning}), so Ms are started one at a
 *       time as work appears rather than all at once. No M starts to spin while half as many Ms
 *       as there are busy Ps spin already, so idle Ms do not burn the CPUs stealing.
 *   <li><b>The delicate dance.</b> The two sides race: a submitter puts work in a queue and then
 *       reads {@code nmspinning}; a spinning M that found nothing drops {@code spinning} and then
 *       would sleep. If the M read the queues before the submitter's put and the submitter read
 *       {@code nmspinning} before the M's drop, both walk away: work is queued, a P is idle and no
 *       M comes. So after giving up its P and dropping {@code spinning}, findrunnable looks at every
 *       P's run queue once more, and takes an idle P back if one holds work. Either the submitter
 *       saw the spinning M (and relied on it), or the M's second look sees the work.
 *   <li><b>runnext.</b> {@link #ready} and newproc put the G into the current P's runnext, so a
 *       goroutine woken by a channel send runs as soon as the sender blocks, on the same P and in
 *       the sender's time slice (it does not bump {@code schedtick}); the G it displaces goes to
 *       the ring's tail. A pair that hands control back and forth this way keeps the P until
 *       sysmon finds the time slice older than 10 ms and preempts it.
 *   <li><b>park and ready.</b> {@link #gopark} leaves its request in the M and yields its
 *       continuation ({@link #mcall}); on the M (Go's g0) the G becomes WAITING and only then is
 *       the unlock function run (releasing a channel's lock, say), so whoever readies the G finds
 *       it off its thread. If the unlock function says no, the G runs again at once. ready makes
 *       a WAITING G RUNNABLE into runnext and wakes a P if one is idle and no M spins.
 * </ul>
 *
 * <h2>Map of the scheduler's files</h2>
 * <ul>
 *   <li>{@code Sched} (here): Ms, Ps and Gs; newproc and goexit; getg and mcall; park, ready,
 *       Gosched and preemption requests; the M's loop; startm, stopm, wakep, handoffp; the global
 *       run queue; the entry points of the parts below, and the timers' (in {@link Timers}).
 *   <li>{@link Lifecycle}: the runtime's start, exit and the wait for its Ms, and checkdead.
 *   <li>{@link World}: stop and start the world, forEachP, GOMAXPROCS changes (procresize), helpgc.
 *   <li>{@link Sysmon}: preempting long-running goroutines, retaking Ps from syscalls, schedtrace.
 *   <li>{@link Syscalls}: entersyscall, exitsyscall, notetsleepg.
 *   <li>{@link StackScan}: scang and a running goroutine's scan of its own stack.
 *   <li>{@link P} (the local run queue and runnext), {@link G} (status word), {@link M}, {@link Note},
 *       {@link Sema}, {@link HChan} (channels and select), {@link Trace} (the execution tracer).
 * </ul>
 * The parts are package-private classes holding this scheduler; the state its loop reads on every
 * turn ({@code exiting}, {@code gcwaiting}, the queues) stays in this class, so the hot paths
 * (schedule, runqput, ready, gopark) read it as before, and a part's entry point here is one call.
 *
 * <h2>Designs rejected</h2>
 * (Go's, from its scheduler design document and the overview later Go versions put atop proc.go.)
 * <ul>
 *   <li>One scheduler state for everything, under one lock (Go before 1.1): every schedule takes
 *       the lock, so the runtime stops scaling with CPUs. Hence per-P queues and stealing.
 *   <li>Handing a readied goroutine straight to an idle P and waking an M for it: the readier's
 *       P is often about to go idle itself, so threads are woken and parked back and forth while
 *       the data the goroutine needs is warm in the readier's cache. Hence runnext on the
 *       readier's P.
 *   <li>Waking an M whenever a goroutine becomes ready while a P is idle, without handing it over:
 *       many M wakeups find nothing left to do and park again at once. Hence one spinning M at a
 *       time, which wakes the next only when it found work.
 * </ul>
 *
 * <p>Owns: all Ms, all Ps, all Gs; the global run queue; the idle-P and idle-M lists; the
 * spinning-M count; the stop-the-world flags its loop reads; the exiting flag. Everything it guards
 * with {@code lock} is marked so below. Invariants, as in Go:
 * <ul>
 *   <li>an M runs Go code only while holding a P; Ps in {@code pidle} have empty run queues;
 *   <li>{@code nmspinning} counts Ms with {@code spinning} set; a spinning M has no local work;
 *   <li>whenever a G becomes runnable while a P is idle and no M spins, someone calls
 *       {@link #wakep} (ready, newproc, resetspinning), so runnable work is never stranded;
 *   <li>during stop-the-world {@code gcwaiting} is set and every P is stopped before the caller
 *       proceeds; {@code stopwait} counts the Ps still to stop ({@link World}).
 * </ul>
 *
 * <p>Code "on the G" runs inside a goroutine's continuation and gives control back to its M with
 * {@link #mcall}; code "on the M" (Go's g0) runs in the M's loop between continuations. The
 * functions Go passes to mcall (park_m, gosched_m, gopreempt_m, exitsyscall0) run on the M after
 * the yield, so a parked G is off its thread before anyone can ready it.
 *
 * <p>Simplifications (also in docs/ARCHITECTURE.md): no network poller or locked Ms; goroutines
 * that block their thread in Java code outside the runtime are not detected. Timers
 * ({@link Timers}) are Go 1.5's.
 */
public final class Sched {
    public static final int MAX_GOMAXPROCS = 256;
    static final int MAX_MCOUNT = 10_000;
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
    final PrintStream out;
    final long starttime;
    volatile Hooks hooks = new Hooks() {};
    /** The runtime object of the layers above (api), reachable from any goroutine via its M. */
    public volatile Object env;

    // ---- Ms (under lock) ----
    M midle;
    int nmidle;
    int mcount;
    private long mnext;
    final List<M> allm = new ArrayList<>();

    // ---- Ps ----
    final P[] allp = new P[MAX_GOMAXPROCS];
    volatile int gomaxprocs;
    P pidle; // under lock
    final AtomicInteger npidle = new AtomicInteger();
    final AtomicInteger nmspinning = new AtomicInteger();
    /** Test-only planted bugs ({@link SchedFaults}); set before the runtime starts ({@link #setFaults}), never null. */
    private SchedFaults faults = new SchedFaults();

    // ---- global run queue (under lock) ----
    G runqhead;
    G runqtail;
    volatile int runqsize;

    // ---- dead Gs kept for reuse (under gflock) ----
    final RuntimeMutex gflock;
    G gfree;
    int ngfree;

    // ---- all Gs (under allglock) ----
    final RuntimeMutex allglock;
    final ArrayList<G> allgs = new ArrayList<>();
    private final AtomicLong goidgen = new AtomicLong();

    // ---- stop the world (read by the M's loop; the protocol is World's) ----
    volatile int gcwaiting;
    int stopwait; // under lock
    final Note stopnote;

    /** Set once, under lock, when the runtime ends (Lifecycle.exit); the M's loop reads it every turn. */
    volatile boolean exiting;

    // ---- the parts of the scheduler in files of their own (see the map above) ----
    final Lifecycle life;
    final World world;
    final Sysmon sysmon;
    final Syscalls syscalls;
    final StackScan stackScan;

    // ---- timers (Go's time.go) ----
    private final Timers timers;

    /** The execution tracer, or null when tracing is off (then every emission site is one branch). */
    public final Trace trace;

    // ---- ablations (SchedAblations; Go 1.5's values unless a GODEBUG ablation changed them) ----
    /** ready puts the goroutine in runnext (Go) or, false, at the tail of the run queue. */
    private final boolean readyToRunnext;
    /** schedule() checks the global run queue first every this many schedules (Go: 61). */
    private final int globalQueueInterval;

    /**
     * GODEBUG gstatuscheck=1 (a debug check, not Go): every {@link G#casgstatus} checks its pair
     * against {@link G#legalTransition}, Go's table of legal status changes, and dies on an
     * illegal one. Set before the first goroutine (each G copies it when made); off, it costs
     * casgstatus a read of a final field of the G it already touches and a branch not taken.
     */
    boolean gstatusCheck;

    // ---- counters for tests and traces ----
    private final AtomicLong npreempted = new AtomicLong();

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
        this.out = out;
        this.life = new Lifecycle(this);
        this.world = new World(this);
        this.sysmon = new Sysmon(this, schedtraceMs);
        this.syscalls = new Syscalls(this);
        this.stackScan = new StackScan(this);
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

    /** The runtime's test-only scheduler faults (from its Config's GcFaults); before the runtime starts. */
    public void setFaults(SchedFaults f) {
        this.faults = java.util.Objects.requireNonNull(f, "faults");
    }

    /** Turns on GODEBUG gstatuscheck's check of every goroutine status change (before the runtime starts). */
    public void setGStatusCheck(boolean on) {
        this.gstatusCheck = on;
    }

    public void setHooks(Hooks h) {
        this.hooks = h;
    }

    public P allp(int i) {
        return allp[i];
    }

    // =====================================================================================
    // Start and exit (the runtime's life: Lifecycle)
    // =====================================================================================

    /**
     * Starts the runtime: creates the Ps, the main goroutine on P0, M0 to run it, and sysmon.
     * Returns at once; {@link #awaitExit} waits for main to return. See {@link Lifecycle#start}.
     */
    public void start(Runnable mainFn) {
        life.start(mainFn);
    }

    /**
     * Waits for main to return or the runtime to die, then for every M to end (each stops at its
     * goroutine's next safepoint), and throws the fatal error if the runtime died; an M whose
     * goroutine reaches no safepoint within a grace keeps running. See {@link Lifecycle#awaitExit}.
     */
    public void awaitExit() {
        life.awaitExit();
    }

    public boolean exiting() {
        return exiting;
    }

    /** Ms of this runtime whose thread has not ended (0 once {@link #awaitExit} saw them all end). */
    public int liveMs() {
        return life.liveMs();
    }

    /** Ends the runtime: main returned (why == null) or something died. Idempotent. */
    void exit(Throwable why) {
        life.exit(why);
    }

    /**
     * Ends the runtime from outside its goroutines, as if it had died with the fatal error
     * {@code message} (a test's watchdog); Go has no such call. Idempotent; any thread may call it.
     * See {@link Lifecycle#abort}.
     */
    public void abort(String message) {
        life.abort(message);
    }

    /**
     * Go's os.Exit(code), called on a goroutine: the runtime ends now, and its entry point returns
     * normally for 0, or throws {@link ExitStatus} with the code. Does not return.
     */
    public void exitProcess(int code) {
        life.exitProcess(code);
    }

    // =====================================================================================
    // Goroutine creation and exit (newproc, goexit0, gfput/gfget)
    // =====================================================================================

    G newG(Runnable fn, String name, P p) {
        G gp = p == null ? null : gfget(p);
        if (gp == null) {
            gp = new G(this);
            gp.setStatus(G.DEAD);
            allglock.lock();
            allgs.add(gp);
            allglock.unlock();
        }
        final G g = gp;
        gp.cont = new G.GCont(() -> life.goBody(g, fn));
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

    static void mcall(M m, int fn) {
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
     * A goroutine's explicit safepoint ({@code Go.poll}): tells the platform (a decision point on
     * the simulated one, nothing on the real one), then is a {@link #safepoint}.
     */
    public static void poll() {
        M m = currentMOrNull();
        if (m != null) {
            m.sched.platform.polled();
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
            stackScan.selfScan(gp);
            return; // run on: the scan request also took back any pending preemption, as in Go
        }
        gp.preemptCount++;
        npreempted.incrementAndGet();
        mcall(m, M.MCALL_PREEMPT);
    }

    boolean preemptone(P p) {
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

    void preemptall() {
        for (int i = 0; i < gomaxprocs; i++) {
            P p = allp[i];
            if (p != null && p.status() == P.RUNNING) {
                preemptone(p);
            }
        }
    }

    public long preemptions() {
        return npreempted.get();
    }

    static void dropg(M m) {
        G gp = m.curg;
        if (gp != null) {
            gp.m = null;
            m.curg = null;
        }
    }

    // =====================================================================================
    // Stack scanning (StackScan)
    // =====================================================================================

    /**
     * Gets gp's stack scanned once in this round (Go's scang): scanned here if gp is not running,
     * else by gp itself at its next safepoint, which the caller waits for ({@link StackScan#scang}).
     */
    public void scang(G gp) {
        stackScan.scang(gp);
    }

    /**
     * The calling goroutine waits for the runtime without leaving its M (Go's casgstatus from
     * _Grunning to _Gwaiting around gcscan_m): its stack can then be scanned like any other.
     */
    public void casgstatusWaiting(G gp, String reason) {
        stackScan.casgstatusWaiting(gp, reason);
    }

    /** Ends {@link #casgstatusWaiting}. */
    public void casgstatusRunning(G gp) {
        stackScan.casgstatusRunning(gp);
    }

    /**
     * Times a running goroutine stopped at a safepoint for {@link #scang}'s request (then it, or
     * the scanner, which sees it waiting, scans its stack) and ran on.
     */
    public long selfScans() {
        return stackScan.selfScans();
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
            case M.MCALL_EXITSYSCALL -> syscalls.exitsyscall0(m, gp);
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
                world.gcstopm(m);
                continue;
            }
            P p = m.p;
            if (p.runSafePointFn != 0) {
                world.runSafePointFn(p);
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
                world.gcstopm(m);
                continue;
            }
            P p = m.p;
            if (p.runSafePointFn != 0) {
                world.runSafePointFn(p);
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
            // check all run queues once again (unless the planted bug skips it)
            for (int i = 0, n = faults.stopWithoutRecheck ? 0 : procs; i < n; i++) {
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

    M newm(Runnable fn, P p) {
        return newm(fn, p, false);
    }

    M newm(Runnable fn, P p, boolean isSysmon) {
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
    void stopm(M m) {
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
    void handoffp(P p) {
        // if it has local work, start it straight away (its next schedule runs a pending
        // safe-point function first)
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
        // a P that goes idle runs a pending safe-point function here, under the lock (Go's
        // handoffp): forEachP sets the flag and runs the function for the idle Ps under the same
        // lock, so a P checked before the lock could go idle after forEachP's walk, owing a run
        // that nobody would make (forEachP would wait for ever)
        world.runSafePointFnLocked(p);
        if (runqsize != 0) {
            lock.unlock();
            startm(p, false);
            return;
        }
        pidleput(p);
        lock.unlock();
    }

    void acquirep(M m, P p) {
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

    P releasep(M m) {
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
        life.checkdead();
    }

    // under lock
    M mget() {
        M m = midle;
        if (m != null) {
            midle = m.schedlink;
            m.schedlink = null;
            nmidle--;
        }
        return m;
    }

    // under lock
    void pidleput(P p) {
        if (!p.runqempty()) {
            throw new IllegalStateException("fatal error: pidleput: P has non-empty run queue");
        }
        p.link = pidle;
        pidle = p;
        npidle.incrementAndGet();
    }

    // under lock
    P pidleget() {
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
    // System calls and notes (Syscalls)
    // =====================================================================================

    /** The current G enters a short blocking call: its P stays attached but can be retaken ({@link Syscalls}). */
    public void entersyscall() {
        syscalls.entersyscall();
    }

    /** The current G enters a call known to block: its P is handed off at once. */
    public void entersyscallblock() {
        syscalls.entersyscallblock();
    }

    /** The current G returns from a syscall, with a P (waiting for one on the global run queue if none is free). */
    public void exitsyscall() {
        syscalls.exitsyscall();
    }

    /** Sleeps on a note from a goroutine, its P handed off meanwhile (Go's notetsleepg); true if woken. */
    public boolean notetsleepg(Note n, long ns) {
        return syscalls.notetsleepg(n, ns);
    }

    /** Sleeps the calling M on a note while it keeps its P, or unwinds the goroutine if the runtime ends. */
    public void notesleepUnlessExiting(Note n) {
        syscalls.notesleepUnlessExiting(n);
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
    // Stop and start the world, forEachP (World)
    // =====================================================================================

    /** Runs task on n Ms other than the caller's, with the world stopped (Go's helpgc; {@link World#helpgc}). */
    public void helpgc(int n, Runnable task) {
        world.helpgc(n, task);
    }

    /** Stops every P at a safepoint; the caller (a goroutine) keeps running on its own P. */
    public void stopTheWorld(String reason) {
        world.stopTheWorld(reason);
    }

    /** Restarts everything stopped by {@link #stopTheWorld}. */
    public void startTheWorld() {
        world.startTheWorld();
    }

    /**
     * Takes the world semaphore (Go's semacquire(&worldsema)): whoever holds it alone may stop
     * the world. The concurrent collector holds it for a whole cycle, so that a forced collection
     * or a GOMAXPROCS change waits for the cycle to end, as in Go 1.5.
     */
    public void semacquireWorld() {
        world.semacquireWorld();
    }

    public void semreleaseWorld() {
        world.semreleaseWorld();
    }

    /** Stops the world; the caller must hold the world semaphore. */
    public void stopTheWorldWithSema(String reason) {
        world.stopTheWorldWithSema(reason);
    }

    /** Restarts the world stopped by {@link #stopTheWorldWithSema(String)}; keeps the semaphore. */
    public void startTheWorldWithSema() {
        world.startTheWorldWithSema();
    }

    /**
     * Runs fn(p) for every P at a GC safe point (Go's forEachP, a ragged barrier; see
     * {@link World#forEachP}); returns when every P has. The caller must be a goroutine holding
     * the world semaphore.
     */
    public void forEachP(java.util.function.Consumer<P> fn) {
        world.forEachP(fn);
    }

    /** Changes GOMAXPROCS at run time (stops and restarts the world); returns the old value. */
    public int setGomaxprocs(int n) {
        return world.setGomaxprocs(n);
    }

    // =====================================================================================
    // sysmon: preemption, retaking Ps from syscalls, schedtrace (Sysmon)
    // =====================================================================================

    /** Times sysmon took a P back from a syscall ({@link Sysmon}). */
    public long retakes() {
        return sysmon.retakes();
    }

    /** Go's schedtrace line. */
    public String schedtraceLine() {
        return sysmon.schedtraceLine();
    }

    // =====================================================================================
    // Diagnostics
    // =====================================================================================

    /** Prints one message of the runtime's own on its diagnostic stream (where gctrace goes). */
    void diagnostic(String line) {
        out.println(line);
        out.flush();
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
