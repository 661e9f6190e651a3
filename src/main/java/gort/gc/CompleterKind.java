package gort.gc;

/**
 * Who found a phase of marking complete: a background worker in one of Go's modes, an assist, or
 * the scheduler on a worker's behalf.
 */
public enum CompleterKind {
    DEDICATED,
    FRACTIONAL,
    IDLE,
    ASSIST,
    /**
     * The scheduler of a P found marking at a completion point with no worker running and none
     * worth starting (Go's findRunnableGCWorker signals it "since there may not be any workers to
     * signal it"); it readies the coordinator as a worker would. Counted with the workers. The
     * coordinator's own check before it waits counts here too.
     */
    SCHEDULER;

    public boolean isWorker() {
        return this != ASSIST;
    }
}
