package gort.cli;

import gort.api.Runtime;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line for long runs, on the error stream: the stage, a bar (when the run has a time
 * budget), elapsed seconds and the GC cycles the running runtime has finished. Redrawn in place
 * four times a second on a terminal; without one, a line every ten seconds. Owns one daemon
 * thread (outside any runtime: it only reads counters), stopped by {@link #close}.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String stage;
    private final double budgetSeconds;
    private final long t0 = System.nanoTime();
    private final boolean tty = System.console() != null;
    private final Thread ticker;
    private volatile boolean done;
    /** The runtime started last before this stage: its cycles are not this stage's. */
    private final Runtime before = Runtime.lastStarted();

    private Progress(PrintWriter err, String stage, double budgetSeconds) {
        this.err = err;
        this.stage = stage;
        this.budgetSeconds = budgetSeconds;
        this.ticker = new Thread(this::loop, "gort-progress");
        ticker.setDaemon(true);
    }

    /** Starts showing progress of a stage; budgetSeconds ≤ 0 when the run is not time-bound. */
    static Progress start(PrintWriter err, String stage, double budgetSeconds) {
        Progress p = new Progress(err, stage, budgetSeconds);
        p.ticker.start();
        return p;
    }

    private void loop() {
        long period = tty ? 250 : 10_000;
        while (!done) {
            draw(false);
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw(boolean last) {
        double el = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.lastStarted();
        int cycles = rt == null || rt == before ? 0 : rt.collector().numGC();
        StringBuilder sb = new StringBuilder(stage).append(' ');
        if (budgetSeconds > 0) {
            int width = 30;
            int fill = (int) Math.min(width, Math.round(width * el / budgetSeconds));
            sb.append('[').append("#".repeat(fill)).append(".".repeat(width - fill)).append("] ");
            sb.append(String.format(Locale.ROOT, "%.1f/%.0f s", el, budgetSeconds));
        } else {
            sb.append(String.format(Locale.ROOT, "%.1f s", el));
        }
        sb.append(", ").append(cycles).append(" GC cycles").append(last ? ", done" : "");
        if (tty) {
            err.print("\r" + sb + "   ");
            if (last) {
                err.println();
            }
        } else {
            err.println(sb);
        }
        err.flush();
    }

    @Override
    public void close() {
        done = true;
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw(true);
    }
}
