package gort.gc;

/**
 * Who found a phase of marking complete: a background worker in one of Go's modes, an assist, the
 * scheduler on a worker's behalf, or the goroutine that armed the phase.
 */
public enum CompleterKind {
    DEDICATED,
    FRACTIONAL,
    IDLE,
    ASSIST,
    /**
     * The scheduler of a P found marking at a completion point with no worker running and none
     * worth starting (Go's findRunnableGCWorker signals it "since there may not be any workers to
     * signal it"); it readies the coordinator as a worker would.
     */
    SCHEDULER,
    /**
     * The goroutine that armed the phase found it at a completion point already, and signalled it
     * itself. Go 1.5.1's coordinator never does (it leaves this to the workers, the assists and the
     * scheduler's check), and gort's coordinator does only with the planted fault {@link
     * GcFaults#completeAtArming}. Under none, the goroutine that took mark 1's transition checks
     * mark 2 at once after flushing every cache (Go 1.6's gcMarkDone does), and the goroutine that
     * started the cycle checks mark 1 only when no P's cache holds anything (gort's stand-in for
     * the worker that would run Go 1.6's empty root jobs).
     */
    COORDINATOR;

    /**
     * Who completed, in the words a report puts after "done": "by fractional", "by assist", ...
     * (the kind's lower-case name, as traces carry it; another name, such as a Go 1.5.1 trace's
     * "worker", is used as it is). {@link #COORDINATOR}'s completion was found at arming: by the
     * coordinator, or in a design without one by the goroutine that armed the phase.
     */
    public static String doneBy(String name, boolean hasCoordinator) {
        if (name.equals(COORDINATOR.name().toLowerCase(java.util.Locale.ROOT))) {
            return hasCoordinator ? "by the coordinator, at arming" : "by the goroutine that armed the phase, at arming";
        }
        return "by " + name;
    }

    /** A background worker in one of Go's three modes. */
    public boolean isWorker() {
        return this == DEDICATED || this == FRACTIONAL || this == IDLE;
    }

    /**
     * The completer code the patched Go 1.5.1 anchor prints ({@code gcwakeup ... by=N}): 1 a
     * background worker, 2 an assist, 3 the scheduler's own check; 4 the goroutine that armed
     * the phase (at arming).
     */
    public int anchorCode() {
        return switch (this) {
            case DEDICATED, FRACTIONAL, IDLE -> 1;
            case ASSIST -> 2;
            case SCHEDULER -> 3;
            case COORDINATOR -> 4;
        };
    }
}
