package gort.gc;

/**
 * Who drives a concurrent cycle through its phases, and how whoever finds a phase complete gets
 * the next step taken (the coordination axis: {@link WakeupStrategy}). Go 1.5 has a coordinator
 * goroutine that waits for each completion ({@link CoordinatorDriver}: note, park, park-yield);
 * Go 1.6 has none, and the goroutine that finds a phase complete performs the transition itself.
 * The steps themselves are {@link ConcurrentCycle}'s.
 */
interface CycleDriver {
    /**
     * Starts a concurrent cycle if the heap reached the trigger (or {@code force}) and none is
     * running (Go's startGC in background mode); called by an allocating goroutine. Returns
     * whether it started one.
     */
    boolean startCycle(boolean force);

    /** True from the moment a cycle starts until it has ended (Go's bggc.working): allocations then do not trigger. */
    boolean working();

    /**
     * A marker (a worker, an assist, the scheduler, the coordinator) brought the current phase of
     * marking to a completion point. Returns true if this call was the phase's first completion.
     * From the scheduler ({@link CompleterKind#SCHEDULER}) it runs on an M, not a goroutine.
     */
    boolean complete(CompleterKind kind);

    /** Whether an assist that reached a completion point yields at once (CL 12670's Gosched). */
    boolean yieldsAfterAssistCompletion();

    /** Whether the scheduler's own check may signal a completion point (it cannot take a transition itself). */
    boolean schedulerSignals();

    /**
     * Whether {@link #complete} may run the phase transition on the completer's goroutine (and
     * block it on the transition lock): a background worker then detaches from its P first.
     */
    default boolean completerTakesTransition() {
        return false;
    }
}
