package gort.platform;

/**
 * One thread as the simulated platform sees it: its id (the order the simulation started or
 * adopted it), the Java thread under it, and whether it can run.
 *
 * <p>Owns: the thread's scheduling state. Invariants: written only under the {@link SimPlatform}'s
 * lock; {@code waitingOn} is non-null only while {@code state == BLOCKED} on a futex; a thread
 * blocked in usleep has a deadline and no futex.
 */
final class SimThread {
    enum State {
        /** May be chosen at the next decision point (or holds the baton). */
        RUNNABLE,
        /** Sleeping on a futex (waitingOn) or in usleep, until woken or its deadline. */
        BLOCKED,
        /** Ended (its body returned) or detached: never chosen again. */
        DONE
    }

    /** No deadline: blocked until woken. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final int id;
    final String name;
    Thread thread;
    /** The thread's body for a thread newosproc made (run on the platform's driver); null for an attached host thread. */
    jdk.internal.vm.Continuation cont;
    State state = State.RUNNABLE;
    Futex waitingOn;
    long deadline = NO_DEADLINE;
    /** Order of going to sleep on a futex: a wakeup wakes the longest sleepers first. */
    long sleepSeq;

    SimThread(int id, String name, Thread thread) {
        this.id = id;
        this.name = name;
        this.thread = thread;
    }

    @Override
    public String toString() {
        return name + " (thread " + id + ")";
    }
}
