package gort.gc;

/** Who found a phase of marking complete: a background worker in one of Go's modes, or an assist. */
public enum CompleterKind {
    DEDICATED,
    FRACTIONAL,
    IDLE,
    ASSIST;

    public boolean isWorker() {
        return this != ASSIST;
    }
}
