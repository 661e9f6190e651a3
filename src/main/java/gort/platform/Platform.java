package gort.platform;

/**
 * What an operating system gives a runtime: threads to run Ms on, futex sleep and wake, a clock,
 * and yielding or sleeping the calling thread.
 *
 * <p>Owns: every point at which the layers above block, start a thread or read time. Nothing above
 * this layer calls {@code Thread}, {@code LockSupport}, {@code java.util.concurrent.locks} or
 * {@code System.nanoTime} directly, so a deterministic simulated platform (virtual clock, Ms as
 * continuations on one thread) can replace {@link RealPlatform} without touching them.
 *
 * <p>Futex contract (as Linux's): {@link #futexsleep} returns at once if the word no longer holds
 * {@code val}; it may return spuriously; a {@link #futexwakeup} that follows a store to the word is
 * never lost by a sleeper that checked the word before the store.
 */
public interface Platform {

    /** Monotonic time in nanoseconds. */
    long nanotime();

    /**
     * The execution tracer's clock: {@link #nanotime}'s time and scale, but never a scheduling
     * point. Go's traceEvent stamps events with {@code cputicks()}, not nanotime, for the same
     * reason of cost; here it is also what keeps a trace from moving the schedule it records: on
     * a simulated platform nanotime is a decision point, and a traced run that read it at every
     * event would follow another schedule than the same run untraced. The real platform's is
     * {@code System.nanoTime}; a simulated platform's is its virtual clock, read without a decision.
     */
    default long cputicks() {
        return nanotime();
    }

    /**
     * True when at most one thread of this platform runs at a time and another runs only at a
     * platform call (a simulated platform): code that makes no platform call is then atomic with
     * respect to the platform's threads. The tracer uses it to do its bookkeeping (its global
     * buffer's lock, writing buffers out, ending the trace) without platform calls, so that
     * tracing adds no decision point. False on the real platform, whose threads all run at once.
     */
    default boolean runsOneThreadAtATime() {
        return false;
    }

    /** Gives up the calling thread's time slice. */
    void osyield();

    /** Sleeps the calling thread for about {@code micros} microseconds. */
    void usleep(long micros);

    /** Spins briefly on the CPU (Go's procyield). */
    default void procyield(int cycles) {
        for (int i = 0; i < cycles; i++) {
            Thread.onSpinWait();
        }
    }

    /**
     * Starts an OS thread that runs {@code body}; {@link #currentOwner()} on that thread returns
     * {@code owner} (the M the thread serves).
     */
    OsThread newosproc(String name, Object owner, Runnable body);

    /**
     * The owner (M) of the calling thread, or null when the thread was not started by newosproc.
     * For a thread of another platform, that platform's answer ({@link OsThread#currentOwner()}).
     */
    Object currentOwner();

    /**
     * The owner (M) that thread {@code t}, started by this platform, serves now: what
     * {@link OsThread#currentOwner()} answers on t. The real platform's threads each serve one M
     * (the owner given to newosproc, or one set later with {@link OsThread#setOwner}); a platform
     * that runs several Ms on one host thread answers with the M it last switched to.
     */
    default Object ownerOf(OsThread t) {
        return t.owner;
    }

    /**
     * Waits until thread {@code t}, started by this platform, has ended, or until this platform's
     * clock ({@link #nanotime}) reaches {@code deadlineNanos}; true if t has ended. The runtime's
     * exit waits for its Ms with this, so that a simulated platform can end the wait in its own
     * time (its threads end at its choice, its clock is virtual) rather than the host's.
     */
    boolean awaitThreadEnd(OsThread t, long deadlineNanos);

    /** True once thread {@code t}, started by this platform, has ended (its body returned or threw). */
    boolean threadEnded(OsThread t);

    /** Sleeps while {@code f} holds {@code val}, for at most {@code ns} nanoseconds (forever if negative). */
    void futexsleep(Futex f, int val, long ns);

    /** Wakes up to {@code cnt} threads sleeping on {@code f}. */
    void futexwakeup(Futex f, int cnt);

    /** Number of CPUs the runtime may assume. */
    int ncpu();

    /**
     * Reserves {@code bytes} of memory outside the host JVM's heap for a runtime's heap (Go's
     * {@code sysReserve} and {@code sysMap} in one): readable and writable, zero when first read,
     * backed by physical memory only where it is touched, and released once the returned segment
     * is unreachable. Accesses are bounds-checked by the segment.
     *
     * @throws OutOfMemoryError or an unchecked exception if the memory cannot be reserved
     */
    java.lang.foreign.MemorySegment sysReserve(long bytes);

    /**
     * A scheduling point the runtime names (taking a runtime lock, for now): nothing on the real
     * platform, whose threads all run at once; on a simulated platform, which runs one thread at a
     * time, a decision point, so that a thread that loops over runtime locks waiting for another
     * thread to act (findrunnable's re-check of the run queues) lets that thread run.
     */
    default void choicepoint() {}

    /**
     * A goroutine passed an explicit safepoint ({@code Go.poll}: a long loop that neither allocates
     * nor calls the runtime): nothing on the real platform, where the loop runs beside the other
     * threads and sysmon preempts it; a simulated platform charges it as a platform call and makes
     * it a decision point, so that such a loop lets sysmon and the other Ms run (without it the loop
     * would hold the one running thread, and nothing could preempt it).
     */
    default void polled() {}

    /**
     * The calling thread allocated {@code bytes} of heap (reported once per cache refill or large
     * object, not per object): work a cost model charges. Nothing on the real platform, whose
     * clock measures the work itself; a simulated platform advances its virtual clock by the
     * bytes' cost and makes this a decision point, so that a goroutine that allocates in a loop
     * lets other threads run.
     */
    default void allocated(long bytes) {}

    /**
     * The initial state of an M's fastrand (Go's {@code m.fastrand}, seeded in mcommoninit from the
     * M's id and the clock): the real platform derives it from the id alone, a simulated platform
     * from its seed as well, so that the random choices of work stealing and select are the
     * simulation's. Never zero (the generator would stay at zero).
     */
    default int fastrandSeed(long mid) {
        return (int) (mid * 0x9E3779B9L) | 1;
    }

    /**
     * Lets the calling thread, which {@link #newosproc} did not start (the JVM thread that starts a
     * runtime), take part in the platform's scheduling until {@link #detach}. Nothing on the real
     * platform, whose threads all run at once; a simulated platform, which runs one thread at a
     * time, counts it among its threads from here on.
     */
    default void attach(String name) {}

    /** Ends what {@link #attach} began: the calling thread leaves the platform's scheduling. */
    default void detach() {}
}
