package gort.sched;

/**
 * A Go panic raised by the runtime into goroutine code (send on a closed channel, close of a nil
 * channel, negative WaitGroup counter...). Uncaught, it crashes the runtime like any exception.
 */
public final class GoPanic extends RuntimeException {
    public GoPanic(String message) {
        super(message);
    }
}
