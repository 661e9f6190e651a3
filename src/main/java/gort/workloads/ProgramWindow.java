package gort.workloads;

import gort.api.Measure;
import gort.api.Runtime;
import gort.sched.G;
import gort.sched.GoPanic;
import gort.sched.Sched;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The measured window of one run of a program: opened when main starts (a program that does not
 * use {@link Measure}) or at {@link Measure#start()}; closed at {@link Measure#stop()}, when main
 * returns, or when the window reaches the run's time budget ({@code --seconds}), which then stops
 * the program. It tells the run's {@link Workload.Listener} (warm-up, measuring, measured) and
 * remembers the window's clock and the collector's cycle count at both ends.
 *
 * <p>Owns the window's state, one of {@link #WAITING} (a program that uses Measure, before
 * start()), {@link #OPEN}, {@link #CLOSED} (by the program), {@link #ENDED} (by gort, as main
 * returned) and {@link #STOPPING} (by gort, at the time budget). Invariants: each transition is
 * one CAS, so exactly one of stop(), main's return and the budget closes an open window, and only
 * that one tells the listener; once gort ended the window, the program's calls do nothing; while
 * the budget's stop is under way main does not return, so the runtime ends exactly once, by the
 * stop.
 *
 * <p>The stop: when the window opens with a budget, a system goroutine ({@code gort.stopAtBudget})
 * sleeps on a runtime timer until the budget is spent; if the window is still open then, it closes
 * it, stops the execution trace (as a returning main would) and ends the runtime by throwing
 * {@link Stopped}, which the runner recognises. While that timer is pending the runtime cannot
 * report a deadlock (as in Go 1.5, a sleeping goroutine may still wake the others); the stop
 * records whether every goroutine of the program was blocked when it came.
 */
final class ProgramWindow implements Measure.Window {
    static final int WAITING = 0;
    static final int OPEN = 1;
    static final int CLOSED = 2;
    static final int ENDED = 3;
    static final int STOPPING = 4;

    /** Ends the runtime at the time budget; the runner turns it back into a normal end. */
    static final class Stopped extends RuntimeException {
        Stopped(String program, double seconds) {
            super(program + " stopped at its --seconds budget of " + seconds + " s", null, false, false);
        }
    }

    private final String program;
    private final boolean explicit;
    private final Workload.Listener listener;
    private final double seconds;
    private final AtomicInteger state;
    private Sched sched;
    private Runtime rt;
    private volatile boolean opened;
    private volatile long openNs;
    private volatile long closeNs;
    private volatile int gcBefore;
    private volatile int gcAfter;
    private volatile boolean blockedAtStop;

    /**
     * @param explicit whether the program uses {@link Measure} (its window opens at start())
     * @param seconds the time budget of the window, or 0 for none
     */
    ProgramWindow(String program, boolean explicit, Workload.Listener listener, double seconds) {
        this.program = program;
        this.explicit = explicit;
        this.listener = listener;
        this.seconds = seconds;
        this.state = new AtomicInteger(explicit ? WAITING : OPEN);
    }

    /** Main starts (on the main goroutine): the implicit window opens, or the warm-up starts. */
    void mainStarts(Sched s, Runtime r) {
        this.sched = s;
        this.rt = r;
        if (explicit) {
            listener.warmup();
        } else {
            open();
        }
    }

    @Override
    public void start() {
        if (state.compareAndSet(WAITING, OPEN)) {
            open();
            return;
        }
        switch (state.get()) {
            case OPEN -> throw new GoPanic(explicit
                    ? "gort.api.Measure.start() called twice: the measured window opens once per run"
                    : "gort.api.Measure.start(): the measured window is already open: it opened when main started, since gort found no"
                            + " use of gort.api.Measure in " + program + "'s classes");
            case CLOSED -> throw new GoPanic("gort.api.Measure.start() after Measure.stop(): the measured window opens once per run");
            default -> {} // gort ended the window (main returned, or the budget's stop is under way)
        }
    }

    @Override
    public void stop() {
        if (state.compareAndSet(OPEN, CLOSED)) {
            close();
            return;
        }
        switch (state.get()) {
            case WAITING -> throw new GoPanic("gort.api.Measure.stop() before Measure.start(): stop() closes the window that start() opened");
            case CLOSED -> throw new GoPanic("gort.api.Measure.stop() called twice: the measured window closes once per run");
            default -> {}
        }
    }

    private void open() {
        listener.measuring(0, 1);
        gcBefore = rt.collector().numGC();
        openNs = sched.platform().nanotime();
        opened = true;
        if (seconds > 0) {
            long deadline = openNs + (long) (seconds * 1e9);
            G g = sched.newproc(() -> stopAt(deadline), "gort.stopAtBudget");
            sched.setSystem(g);
        }
    }

    private void close() {
        closeNs = sched.platform().nanotime();
        gcAfter = rt.collector().numGC();
        listener.measured(0, 1);
    }

    /**
     * Main returned (on the main goroutine): closes the window if it is open. Returns false when the
     * budget's stop is under way: main must then not return, so that the stop ends the runtime.
     */
    boolean mainReturned() {
        for (;;) {
            switch (state.get()) {
                case OPEN -> {
                    if (state.compareAndSet(OPEN, ENDED)) {
                        close();
                        return true;
                    }
                }
                case WAITING -> {
                    if (state.compareAndSet(WAITING, ENDED)) {
                        gcBefore = gcAfter = rt.collector().numGC(); // never opened: an empty window
                        return true;
                    }
                }
                case CLOSED -> {
                    if (state.compareAndSet(CLOSED, ENDED)) {
                        return true;
                    }
                }
                case STOPPING -> {
                    return false;
                }
                default -> throw new IllegalStateException("main returned twice");
            }
        }
    }

    /** The budget's goroutine: sleeps until the deadline, then stops the program if its window is still open. */
    private void stopAt(long deadline) {
        for (long left; (left = deadline - sched.platform().nanotime()) > 0;) {
            sched.timeSleep(left);
        }
        if (!state.compareAndSet(OPEN, STOPPING)) {
            return; // closed by the program, or main returned
        }
        blockedAtStop = everyGoroutineBlocked();
        close();
        if (sched.trace != null) {
            sched.trace.stopFromGoroutine(); // the trace ends as when main returns
        }
        throw new Stopped(program, seconds);
    }

    /** Whether every goroutine of the program waits and no timer is pending: a deadlock the pending stop hid. */
    private boolean everyGoroutineBlocked() {
        int waiting = 0;
        for (G g : sched.allgs()) {
            int s = g.status();
            if (g.isSystem() || s == G.DEAD || s == G.IDLE) {
                continue;
            }
            if (s != G.WAITING) {
                return false;
            }
            waiting++;
        }
        return waiting > 0 && sched.pendingTimers() == 0;
    }

    boolean stopped() {
        return state.get() == STOPPING;
    }

    boolean opened() {
        return opened;
    }

    boolean blockedAtStop() {
        return blockedAtStop;
    }

    double seconds() {
        return seconds;
    }

    /** The window's length; 0 if it never opened. */
    long windowNs() {
        return opened ? closeNs - openNs : 0;
    }

    int gcBefore() {
        return gcBefore;
    }

    int gcAfter() {
        return gcAfter;
    }
}
