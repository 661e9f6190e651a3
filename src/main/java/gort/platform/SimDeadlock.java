package gort.platform;

/**
 * Thrown by the simulated platform when no thread can ever run again: every thread is blocked on
 * a futex without a deadline. Its message names each thread and what it waits on. Once thrown the
 * simulation is over: every later platform call of every thread throws it too, so that the thread
 * waiting for the run's end (and any other) stops instead of hanging.
 */
public final class SimDeadlock extends RuntimeException {
    public SimDeadlock(String report) {
        super(report);
    }
}
