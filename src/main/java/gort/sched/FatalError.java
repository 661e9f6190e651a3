package gort.sched;

/**
 * The runtime died: a Go {@code fatal error: ...} (deadlock, out of memory, a broken invariant) or
 * a {@code panic: ...} that no goroutine recovered. The message is what Go would print, including
 * the goroutine dump; the runtime's entry point throws it to its caller.
 */
public final class FatalError extends RuntimeException {
    public FatalError(String message, Throwable cause) {
        super(message, cause);
    }

    public FatalError(String message) {
        super(message);
    }
}
