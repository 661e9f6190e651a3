package gort.platform;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A deterministic platform: real Java threads, but exactly one of them runs at a time, the next
 * chosen at every platform call by a {@link Chooser} (a seeded generator, or a recorded list),
 * with a {@link VirtualClock} in place of the host's.
 *
 * <h2>The baton</h2>
 * Each thread of the simulation — started by {@link #newosproc}, or a foreign thread that
 * {@link #attach}ed — runs only while it holds the baton ({@code current}). Every platform call a
 * thread of the simulation makes (futexsleep, futexwakeup, osyield, procyield, usleep, nanotime,
 * newosproc, the thread's end, {@link #choicepoint} when it takes a runtime lock, {@link #allocated}
 * when its allocation cache refills) is a <em>decision point</em>: the call's effect is applied (the
 * thread blocks on a futex, wakes sleepers, goes to sleep, starts a thread, ends), the clock
 * advances by {@link SimCost#PLATFORM_CALL_NS}, the chooser picks the next holder among the
 * runnable threads (in ascending id order), the choice is recorded ({@link #decisions}), and, if
 * another thread was picked, the caller parks (a real {@link LockSupport#park}: the simulator's
 * machinery, below the platform) until it is picked again. A thread's id is the order in which
 * the simulation met it, so in a deterministic run ids, choices and times repeat exactly.
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
 * platform's (memory is no scheduling). Choice is uniform among runnable threads; there is no
 * PCT or partial-order strategy yet.
 *
 * <p>Invariants: at most one thread of the simulation runs outside {@link #awaitBaton} at any
 * time, the one that {@code current} names; the scheduling state (threads, the clock, the
 * decision list, the chooser) changes only under {@code lock}, and only by the baton's holder or
 * by a thread outside the simulation.
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
     * outside the runtime) never deadlocks, and would otherwise run on in virtual time for good.
     * Only jumps are checked, so the clock may pass the limit by one cost while threads run.
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

    @Override
    public void allocated(long bytes) {
        SimThread self = self();
        if (self == null) {
            return;
        }
        synchronized (lock) {
            enter();
            clock.advance(Math.max(0, bytes) * SimCost.ALLOCATED_BYTE_NS);
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
            LockSupport.unpark(handTo.thread);
        }
    }

    @Override
    public OsThread newosproc(String name, Object owner, Runnable body) {
        SimThread self = inside("newosproc");
        OsThread t;
        synchronized (lock) {
            enter();
            SimThread st = new SimThread(nextId++, name, null);
            t = new OsThread(this, name, owner, () -> runThread(st, body));
            st.thread = t;
            threads.add(st);
            byThread.put(t, st);
        }
        t.start(); // it parks until chosen
        reschedule(self);
        return t;
    }

    @Override
    public Object currentOwner() {
        return OsThread.currentOwner();
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
            LockSupport.unpark(handTo.thread);
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
        return byThread.get(OsThread.current()); // not Thread.currentThread(): see OsThread.current()
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
            if (next != null) {
                LockSupport.unpark(next.thread);
            }
            awaitBaton(self);
        }
        checkFailed();
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
            LockSupport.unpark(t.thread);
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

    /** The body of a thread started by newosproc: waits to be chosen, runs, ends. */
    private void runThread(SimThread self, Runnable body) {
        try {
            awaitBaton(self);
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
            byThread.remove(self.thread);
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
        if (next != null) {
            LockSupport.unpark(next.thread);
        }
    }
}
