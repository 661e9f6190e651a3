package gort.platform;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A deterministic platform: exactly one of its threads runs at a time, the next chosen at every
 * platform call by a {@link Chooser} (a seeded generator, or a recorded list), with a
 * {@link VirtualClock} in place of the host's. The threads newosproc makes are continuations run
 * one at a time on one host thread, the driver; the JVM threads that attach are real threads.
 *
 * <h2>The baton</h2>
 * Each thread of the simulation — started by {@link #newosproc}, or a foreign thread that
 * {@link #attach}ed — runs only while it holds the baton ({@code current}). Every platform call a
 * thread of the simulation makes (futexsleep, futexwakeup, osyield, procyield, usleep, nanotime,
 * newosproc, the thread's end, {@link #choicepoint} when it takes a runtime lock, {@link #allocated}
 * when its allocation cache refills, {@link #polled} at a goroutine's explicit safepoint) is a <em>decision point</em>: the call's effect is applied (the
 * thread blocks on a futex, wakes sleepers, goes to sleep, starts a thread, ends), the clock
 * advances by {@link SimCost#PLATFORM_CALL_NS}, the chooser picks the next holder among the
 * runnable threads (in ascending id order), the choice is recorded ({@link #decisions}), and, if
 * another thread was picked, the caller gives up its host thread until it is picked again (the
 * simulator's machinery, below the platform: see "Host threads"). A thread's id is the order in
 * which the simulation met it, so in a deterministic run ids, choices and times repeat exactly.
 *
 * <h2>Host threads</h2>
 * A thread newosproc makes is an {@link OsThread} that is never started: its body runs as a
 * {@link Continuation} of {@link #SCOPE} on the platform's driver, a host thread lent by
 * {@link SimDriver} from the platform's first newosproc until its last continuation has ended. The
 * driver runs the continuation that holds the baton until it yields it (a decision picked another
 * thread: {@code Continuation.yield}, from inside a goroutine's own continuation too, which the
 * JDK unwinds and later re-enters as nested scopes) or ends, then runs the next holder if that is
 * a continuation, and otherwise wakes it and parks. So a handoff between two Ms is a continuation
 * switch on one host thread, not an operating-system thread switch (12–22 µs each on the 2-core
 * host, most of a schedule's time when every M was a parked host thread). The driver is an
 * OsThread whose platform is this one: {@link #ownerOf} answers for it with the owner of the
 * continuation it runs, so the runtime's static thread-to-M lookup works unchanged. A thread that
 * attached is a real host thread and parks ({@link LockSupport#park}) while another holds the
 * baton; a handoff to or from it is a real thread switch (some nine per explorer schedule, at the
 * runtime's start and end). A continuation cannot give up the baton while pinned (inside a
 * {@code synchronized} block or a native frame): that is an {@link IllegalStateException}, never
 * a hang; the runtime already keeps its goroutines' yields unpinned.
 *
 * <h2>Time</h2>
 * {@link #nanotime} returns virtual time; {@link #cputicks}, the tracer's clock, reads the same
 * time without a decision point, so that a traced run follows the untraced run's schedule. A futex sleep with a timeout and {@link #usleep} block
 * the thread until a virtual deadline; when no thread is runnable the clock jumps to the earliest
 * deadline and those threads wake. A sleeper also wakes when the clock passes its deadline while
 * others run. When no thread is runnable and none has a deadline, the run is a deadlock: a
 * {@link SimDeadlock} names every thread and what it waits on, and ends the simulation (every
 * thread's pending and later calls throw it).
 *
 * <h2>Threads outside the simulation</h2>
 * The JVM thread that starts a runtime was not started by newosproc: it {@link #attach}es (the
 * runtime does this in {@code Runtime.run}) and is then a thread of the simulation like any other,
 * chosen and blocked at its decision points, until it {@link #detach}es. A thread that never
 * attached may read {@link #nanotime} (virtual time, no decision) and wake futex sleepers (they
 * become runnable; no decision), and its osyield and procyield do nothing; it may not block, sleep
 * or start threads here ({@link IllegalStateException}), since it could not be descheduled.
 *
 * <h2>What is simplified</h2>
 * The cost model is one constant per platform call ({@link SimCost}): code between two calls
 * costs no virtual time, so a thread that computes without calling the platform is neither
 * charged nor preempted — a loop that spins on memory waiting for another thread (which cannot
 * run: it has no baton) livelocks the host thread; such waits must call {@link #procyield} or
 * {@link #osyield}. Choices happen only at platform calls, not at the runtime's own scheduling
 * points (a CAS, runqput). There is one clock, not one per M. {@link #sysReserve} is the real
 * platform's (memory is no scheduling). Choice is uniform among runnable threads; PCT and POS are
 * the schedule explorer's choosers ({@code gort.explore}). A thread newosproc made is never
 * started, so its {@code getStackTrace} is empty: a debug dump shows no frames for a goroutine
 * running on an M here (its frames are on the driver's stack).
 *
 * <p>Invariants: at most one thread of the simulation runs at any time, the one that
 * {@code current} names (an attached thread outside {@link #awaitBaton}, or the continuation the
 * driver has mounted); only the driver runs continuations, and it runs one only while
 * {@code current} names it; the scheduling state (threads, the clock, the decision list, the
 * chooser) changes only under {@code lock}, and only by the baton's holder or by a thread outside
 * the simulation.
 */
public final class SimPlatform implements Platform {
    private final long seed;
    private final int ncpu;
    private final Chooser chooser;
    private final VirtualClock clock = new VirtualClock();
    private final Object lock = new Object();

    /** Threads not yet ended or detached, in ascending id order. */
    private final List<SimThread> threads = new ArrayList<>();
    private final ConcurrentHashMap<Thread, SimThread> byThread = new ConcurrentHashMap<>();
    /** The baton's holder, or null (no thread yet, all ended, or the simulation failed). */
    private volatile SimThread current;
    /** The deadlock report once the simulation failed, else null. */
    private volatile String failure;

    /** Past this virtual time the run fails (see {@link #limitTime}); none by default. */
    private volatile long timeLimitNs = Long.MAX_VALUE;
    private int nextId;
    private long sleepSeq;
    /** Futexes in the order a thread first slept on one: how a deadlock report names them. */
    private final IdentityHashMap<Futex, Integer> futexIds = new IdentityHashMap<>();
    /** The chosen thread's id at each decision point, in order ({@code ndecisions} of them). */
    private int[] decisions = new int[1024];
    private int ndecisions;
    private int[] runnableIds = new int[16];

    /**
     * The host thread that runs the threads newosproc made, as continuations, one at a time;
     * null before the first and after the last has ended. Written under lock.
     */
    private volatile OsThread driver;
    /** The thread whose continuation the driver runs now, or null. Read and written by the driver only. */
    private SimThread mounted;
    /** Continuations made and not yet ended. Under lock. */
    private int liveConts;
    private SimThread[] runnable = new SimThread[16];

    /** A simulation whose choices come from {@code seed}, with {@code ncpu} CPUs (any number from 1). */
    public SimPlatform(long seed, int ncpu) {
        this(seed, ncpu, new SeededChooser(seed));
    }

    /**
     * A simulation whose choices come from {@code chooser} ({@code seed} still seeds what the
     * runtime draws through {@link #fastrandSeed}).
     */
    public SimPlatform(long seed, int ncpu, Chooser chooser) {
        if (ncpu < 1) {
            throw new IllegalArgumentException("ncpu " + ncpu + " is invalid: must be at least 1");
        }
        this.seed = seed;
        this.ncpu = ncpu;
        this.chooser = chooser;
    }

    /** A simulation that repeats the choices of an earlier one ({@link #decisions} of a run with the same seed and ncpu). */
    public static SimPlatform replay(long seed, int ncpu, int[] decisions) {
        return new SimPlatform(seed, ncpu, new ReplayChooser(decisions));
    }

    /**
     * Fails the run, as a deadlock does ({@link SimDeadlock}, naming every thread and what it waits
     * on), once the clock would jump past {@code ns} of virtual time: a runtime whose threads only
     * sleep and wake on timers without making progress (sysmon polling a P whose M is blocked
     * outside the runtime) never deadlocks, and would otherwise run on in virtual time for good;
     * nor do threads that spin through platform calls (a livelock), which only the clock's advance
     * at each call ends. Checked where the clock jumps and at every platform call, so the clock
     * passes the limit by at most one call's cost.
     */
    public SimPlatform limitTime(long ns) {
        timeLimitNs = ns;
        return this;
    }

    public long seed() {
        return seed;
    }

    /** The virtual time now, in nanoseconds (what {@link #nanotime} returns, without a decision point). */
    public long now() {
        return clock.now();
    }

    /** The id of the thread chosen at each decision point so far, in order. */
    public int[] decisions() {
        synchronized (lock) {
            return Arrays.copyOf(decisions, ndecisions);
        }
    }

    public int decisionCount() {
        synchronized (lock) {
            return ndecisions;
        }
    }

    /** The deadlock report if the simulation failed, else null. */
    public String failure() {
        return failure;
    }

    /** Threads of the simulation asleep on futex {@code f} now (for tests and diagnostics). */
    public int sleepers(Futex f) {
        synchronized (lock) {
            int n = 0;
            for (SimThread t : threads) {
                if (t.state == SimThread.State.BLOCKED && t.waitingOn == f) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Threads of the simulation that have neither ended nor detached. */
    public int liveThreads() {
        synchronized (lock) {
            return threads.size();
        }
    }

    // ---- the platform calls ----

    @Override
    public long nanotime() {
        SimThread self = self();
        if (self != null) {
            synchronized (lock) {
                enter();
            }
            reschedule(self);
        }
        return clock.now();
    }

    /** The virtual clock, read without a decision point (the tracer's clock: tracing must not move the schedule). */
    @Override
    public long cputicks() {
        return clock.now();
    }

    @Override
    public boolean runsOneThreadAtATime() {
        return true;
    }

    @Override
    public void osyield() {
        SimThread self = self();
        if (self == null) {
            return;
        }
        synchronized (lock) {
            enter();
        }
        reschedule(self);
    }

    @Override
    public void procyield(int cycles) {
        osyield();
    }

    /** A decision point like {@link #osyield}: taking a runtime lock, for now. */
    @Override
    public void choicepoint() {
        osyield();
    }

    /** A decision point like {@link #osyield}, charged as a platform call: a goroutine's {@code Go.poll}. */
    @Override
    public void polled() {
        osyield();
    }

    @Override
    public void allocated(long bytes) {
        SimThread self = self();
        if (self == null) {
            return;
        }
        synchronized (lock) {
            enter();
            clock.advance(Math.max(0, bytes) * SimCost.ALLOCATED_BYTE_NS);
            checkTimeLimit();
        }
        reschedule(self);
    }

    @Override
    public void usleep(long micros) {
        SimThread self = inside("usleep");
        synchronized (lock) {
            enter();
            block(self, null, clock.now() + Math.max(0, micros) * 1000L);
        }
        reschedule(self);
    }

    @Override
    public void futexsleep(Futex f, int val, long ns) {
        SimThread self = inside("futexsleep");
        synchronized (lock) {
            enter();
            if (f.load() == val && ns != 0) {
                futexIds.putIfAbsent(f, futexIds.size());
                block(self, f, ns < 0 ? SimThread.NO_DEADLINE : clock.now() + ns);
            }
        }
        reschedule(self);
    }

    @Override
    public void futexwakeup(Futex f, int cnt) {
        SimThread self = self();
        SimThread handTo = null;
        synchronized (lock) {
            if (self != null) {
                enter();
            }
            wake(f, cnt);
            if (self == null && current == null && failure == null) {
                handTo = current = pick(false); // a foreign thread woke the only threads left
            }
        }
        if (self != null) {
            reschedule(self);
        } else if (handTo != null) {
            handTo(handTo);
        }
    }

    @Override
    public OsThread newosproc(String name, Object owner, Runnable body) {
        SimThread self = inside("newosproc");
        OsThread t;
        synchronized (lock) {
            enter();
            SimThread st = new SimThread(nextId++, name, null);
            t = new OsThread(this, name, owner, null); // never started: its body runs as st's continuation
            st.thread = t;
            st.cont = new SimCont(() -> runThread(st, body));
            threads.add(st);
            liveConts++;
            if (driver == null) {
                driver = SimDriver.serve(this); // it parks until a continuation holds the baton
            }
        }
        reschedule(self);
        return t;
    }

    @Override
    public Object currentOwner() {
        return OsThread.currentOwner();
    }

    /**
     * The driver answers with the owner of the thread whose continuation it runs now (null between
     * two); a thread newosproc made is never started, so nothing runs on it to ask.
     */
    @Override
    public Object ownerOf(OsThread t) {
        if (t == driver) {
            SimThread m = mounted;
            return m == null ? null : m.thread instanceof OsThread o ? o.owner : null;
        }
        return t.owner;
    }

    @Override
    public int ncpu() {
        return ncpu;
    }

    @Override
    public MemorySegment sysReserve(long bytes) {
        return RealPlatform.INSTANCE.sysReserve(bytes);
    }

    @Override
    public int fastrandSeed(long mid) {
        return (int) new SeededChooser(seed ^ (mid * 0x9E3779B97F4A7C15L)).next() | 1;
    }

    @Override
    public void attach(String name) {
        Thread t = OsThread.current();
        SimThread self;
        SimThread handTo = null;
        synchronized (lock) {
            checkFailed();
            if (byThread.containsKey(t)) {
                throw new IllegalStateException(t.getName() + " is already a thread of the simulation");
            }
            self = new SimThread(nextId++, name, t);
            threads.add(self);
            byThread.put(t, self);
            if (current == null) {
                handTo = current = pick(false);
            }
        }
        if (handTo != null && handTo != self) {
            handTo(handTo);
        }
        awaitBaton(self);
    }

    @Override
    public void detach() {
        SimThread self = self();
        if (self == null) {
            throw new IllegalStateException(OsThread.current().getName() + " is not a thread of the simulation");
        }
        leave(self);
    }

    /**
     * Sleeps on the thread's end futex until it has left the simulation or the virtual clock
     * reaches the deadline: a real join would wait for a thread that cannot run (only the caller
     * holds the baton).
     */
    @Override
    public boolean awaitThreadEnd(OsThread t, long deadlineNanos) {
        for (;;) {
            if (t.ended.load() != 0) {
                return true;
            }
            long left = deadlineNanos - clock.now();
            if (left <= 0) {
                return false;
            }
            futexsleep(t.ended, 0, left);
        }
    }

    /** True once t has left the simulation (its body returned or threw), whether or not its host thread has returned yet. */
    @Override
    public boolean threadEnded(OsThread t) {
        return t.ended.load() != 0;
    }

    // ---- the machinery ----

    private SimThread self() {
        Thread t = OsThread.current(); // not Thread.currentThread(): see OsThread.current()
        return t == driver ? mounted : byThread.get(t);
    }

    private SimThread inside(String call) {
        SimThread self = self();
        if (self == null) {
            throw new IllegalStateException(call + " on the simulated platform from " + OsThread.current().getName()
                    + ", which is not a thread of the simulation (started by newosproc or attached)");
        }
        return self;
    }

    /** A platform call begins: the simulation must be alive, and the call costs its time. Under lock. */
    private void enter() {
        checkFailed();
        clock.advance(SimCost.PLATFORM_CALL_NS);
        checkTimeLimit();
    }

    /** Fails the run once the clock has passed the time limit while threads ran (a livelock). Under lock. */
    private void checkTimeLimit() {
        if (clock.now() > timeLimitNs) {
            fail(report("the run reached its virtual time limit of " + timeLimitNs + " ns while threads ran (a livelock?)"));
            checkFailed();
        }
    }

    private void checkFailed() {
        String f = failure;
        if (f != null) {
            throw new SimDeadlock(f);
        }
    }

    /** Under lock. */
    private void block(SimThread t, Futex f, long deadline) {
        t.state = SimThread.State.BLOCKED;
        t.waitingOn = f;
        t.deadline = deadline;
        t.sleepSeq = sleepSeq++;
    }

    /** Makes up to cnt of f's sleepers runnable, longest sleeping first. Under lock. */
    private void wake(Futex f, int cnt) {
        while (cnt-- > 0) {
            SimThread first = null;
            for (SimThread t : threads) {
                if (t.state == SimThread.State.BLOCKED && t.waitingOn == f && (first == null || t.sleepSeq < first.sleepSeq)) {
                    first = t;
                }
            }
            if (first == null) {
                return;
            }
            makeRunnable(first);
        }
    }

    private static void makeRunnable(SimThread t) {
        t.state = SimThread.State.RUNNABLE;
        t.waitingOn = null;
        t.deadline = SimThread.NO_DEADLINE;
    }

    /**
     * The decision point: picks the next holder of the baton and, if that is another thread, parks
     * the caller until it is picked again.
     */
    private void reschedule(SimThread self) {
        SimThread next;
        synchronized (lock) {
            next = pick(true);
            current = next;
        }
        if (next != self) {
            if (self.cont != null) {
                yieldBaton(self); // the driver runs next, or wakes it if it is a host thread
            } else {
                if (next != null) {
                    handTo(next);
                }
                awaitBaton(self);
            }
        }
        checkFailed();
    }

    /**
     * Wakes whoever must run {@code next}, the new holder of the baton, from a host thread that
     * is not the driver: the driver for a continuation, else next's own thread.
     */
    private void handTo(SimThread next) {
        LockSupport.unpark(next.cont != null ? driver : next.thread);
    }

    /** A continuation gives the driver back its host thread until it holds the baton again. */
    private void yieldBaton(SimThread self) {
        while (current != self) {
            checkFailed();
            Continuation.yield(SCOPE);
        }
    }

    private void awaitBaton(SimThread self) {
        while (current != self) {
            checkFailed();
            LockSupport.park(this);
        }
    }

    /**
     * The next holder of the baton among the runnable threads, or null. Wakes the sleepers whose
     * deadline has passed; with {@code mayJump}, when none is runnable, moves the clock to the
     * earliest deadline, and when no thread has one either, fails the simulation (a deadlock).
     * Records the decision. Under lock.
     */
    private SimThread pick(boolean mayJump) {
        for (;;) {
            long now = clock.now();
            int n = 0;
            long earliest = SimThread.NO_DEADLINE;
            boolean blocked = false;
            for (SimThread t : threads) {
                if (t.state == SimThread.State.BLOCKED && t.deadline <= now) {
                    makeRunnable(t);
                }
                if (t.state == SimThread.State.RUNNABLE) {
                    if (n == runnable.length) {
                        runnable = Arrays.copyOf(runnable, 2 * n);
                        runnableIds = Arrays.copyOf(runnableIds, 2 * n);
                    }
                    runnable[n] = t;
                    runnableIds[n++] = t.id;
                } else if (t.state == SimThread.State.BLOCKED) {
                    blocked = true;
                    earliest = Math.min(earliest, t.deadline);
                }
            }
            if (n > 0) {
                int i = chooser.choose(runnableIds, n);
                if (i < 0 || i >= n) {
                    throw new IllegalStateException("chooser picked " + i + " of " + n + " runnable threads");
                }
                if (ndecisions == decisions.length) {
                    decisions = Arrays.copyOf(decisions, 2 * ndecisions);
                }
                decisions[ndecisions++] = runnable[i].id;
                SimThread chosen = runnable[i];
                Arrays.fill(runnable, 0, n, null);
                return chosen;
            }
            if (!mayJump) {
                return null;
            }
            if (earliest != SimThread.NO_DEADLINE && earliest > timeLimitNs) {
                fail(report("the run reached its virtual time limit of " + timeLimitNs + " ns: every thread is blocked until later"));
                return null;
            }
            if (earliest != SimThread.NO_DEADLINE) {
                clock.jumpTo(earliest);
                continue;
            }
            if (blocked) {
                fail(report("deadlock: every thread is blocked and none has a deadline"));
            }
            return null;
        }
    }

    /** Ends the simulation: every thread's pending and later platform calls throw. Under lock. */
    private void fail(String report) {
        failure = report;
        current = null;
        for (SimThread t : threads) {
            if (t.cont == null) {
                LockSupport.unpark(t.thread);
            }
        }
        if (driver != null) {
            LockSupport.unpark(driver); // it resumes every continuation left, whose pending call throws
        }
    }

    private String report(String why) {
        StringBuilder sb = new StringBuilder("the simulated platform stopped at virtual time ").append(clock.now())
                .append(" ns: ").append(why);
        for (SimThread t : threads) {
            sb.append("\n  ").append(t).append(": ");
            if (t.waitingOn != null) {
                sb.append("futex ").append(t.waitingOn.getClass().getSimpleName()).append('#').append(futexIds.get(t.waitingOn))
                        .append(" (holding ").append(t.waitingOn.load()).append(')');
            } else {
                sb.append(t.state.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (t.deadline != SimThread.NO_DEADLINE) {
                sb.append(" until ").append(t.deadline).append(" ns");
            }
        }
        return sb.toString();
    }

    /** The body of a thread started by newosproc, in its continuation: the driver runs it once chosen; it runs, ends. */
    private void runThread(SimThread self, Runnable body) {
        try {
            checkFailed(); // the driver starts it after a failure only so that it ends
            body.run();
        } catch (SimDeadlock e) {
            // the simulation is over; the thread waiting for its end reports it
        } finally {
            leave(self);
        }
    }

    /** The thread ends or detaches: it leaves the simulation and passes the baton if it held it. */
    private void leave(SimThread self) {
        SimThread next = null;
        synchronized (lock) {
            self.state = SimThread.State.DONE;
            threads.remove(self);
            if (self.cont == null) {
                byThread.remove(self.thread);
            } else {
                liveConts--;
            }
            if (self.thread instanceof OsThread t) {
                t.ended.store(1);
                wake(t.ended, Integer.MAX_VALUE);
            }
            if (failure != null || current != self) {
                return;
            }
            clock.advance(SimCost.PLATFORM_CALL_NS);
            next = pick(self.thread instanceof OsThread);
            current = next;
        }
        if (next != null && self.cont == null) {
            handTo(next); // a continuation's driver hands on once the continuation has ended
        }
    }

    /**
     * The driver's body: runs the continuation that holds the baton until it yields or ends, then
     * wakes the holder if that is a host thread, and parks while a host thread holds it. After a
     * failure it resumes each continuation left, so that its pending call throws and it ends. It
     * ends once no continuation is left (a later newosproc starts another).
     */
    void drive() {
        for (;;) {
            SimThread c = current;
            if (c == null && failure != null) {
                synchronized (lock) {
                    for (SimThread t : threads) {
                        if (t.cont != null) {
                            c = t;
                            break;
                        }
                    }
                }
            }
            if (c != null && c.cont != null) {
                mounted = c;
                try {
                    c.cont.run();
                } finally {
                    mounted = null;
                }
                SimThread n = current;
                if (n != null && n.cont == null) {
                    LockSupport.unpark(n.thread);
                }
                continue;
            }
            synchronized (lock) {
                if (liveConts == 0) {
                    driver = null;
                    return;
                }
            }
            LockSupport.park(this);
        }
    }

    /** The scope of the simulation's continuations (the threads newosproc made). */
    static final ContinuationScope SCOPE = new ContinuationScope("gort-sim");

    /** A thread of the simulation run as a continuation on the driver; a pinned yield is an error, never a hang. */
    private static final class SimCont extends Continuation {
        SimCont(Runnable body) {
            super(SCOPE, body);
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            throw new IllegalStateException("a thread of the simulated platform cannot give up the baton while pinned to its host thread ("
                    + reason + "): do not call the platform inside synchronized blocks or native frames");
        }
    }
}
