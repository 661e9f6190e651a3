package gort.sched;

/**
 * Thrown at a safepoint into a goroutine while the runtime exits, so that its frames unwind and its
 * M can end ({@link Lifecycle}). Not a Go concept: Go ends the process instead. Carries no stack
 * trace (it is control flow, thrown once per goroutine left running).
 */
final class ExitUnwind extends RuntimeException {
    ExitUnwind() {
        super("runtime exiting", null, false, false);
    }
}
