package gort.cli;

import gort.api.Runtime;
import gort.workloads.Workload;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line for long runs, on the error stream: the stage, what the workload is doing — its
 * set-up and warm-up (unmeasured, with their own clock), then each measured repetition (a program's
 * one measured window) with a bar when it has a time budget, then what follows the last one — and
 * the GC cycles the running runtime has finished. Redrawn in place four times a second on a
 * terminal; without one, a line at every change of stage and every ten seconds. It is the workload's {@link Workload.Listener}: the workload's goroutine only sets
 * fields; the drawing is done by one daemon thread (outside any runtime: it only reads counters),
 * stopped by {@link #close}. Nothing is drawn once a signal is ending gort ({@link FileLedger}), so
 * that the line saying what was written is the last.
 */
final class Progress implements AutoCloseable, Workload.Listener {
    private final PrintWriter err;
    private final String stage;
    private final double budgetSeconds;
    private final long t0 = System.nanoTime();
    private final boolean tty = System.console() != null;
    private final Thread ticker;
    private volatile boolean done;
    /** The runtime started last before this stage: its cycles are not this stage's. */
    private final Runtime before = Runtime.lastStarted();

    /** What the workload does now: 0 starting, 1 warming up, 2 measuring, 3 between repetitions. */
    private volatile int phase;
    private volatile long phaseStart = System.nanoTime();
    private volatile long warmupNs = -1;
    private volatile int rep;
    private volatile int reps;
    private volatile long measuredNs;
    private int drawnPhase = -1;
    private int drawnRep = -1;

    private Progress(PrintWriter err, String stage, double budgetSeconds) {
        this.err = err;
        this.stage = stage;
        this.budgetSeconds = budgetSeconds;
        this.ticker = new Thread(this::loop, "gort-progress");
        ticker.setDaemon(true);
    }

    /** Starts showing progress of a stage; budgetSeconds ≤ 0 when a repetition is not time-bound. */
    static Progress start(PrintWriter err, String stage, double budgetSeconds) {
        Progress p = new Progress(err, stage, budgetSeconds);
        p.ticker.start();
        return p;
    }

    @Override
    public void warmup() {
        phaseStart = System.nanoTime();
        phase = 1;
    }

    @Override
    public void measuring(int rep, int reps) {
        long now = System.nanoTime();
        if (warmupNs < 0) {
            warmupNs = now - t0;
        }
        this.rep = rep;
        this.reps = reps;
        phaseStart = now;
        phase = 2;
    }

    @Override
    public void measured(int rep, int reps) {
        measuredNs += System.nanoTime() - phaseStart;
        phaseStart = System.nanoTime();
        phase = 3;
    }

    private void loop() {
        long lastLine = System.nanoTime();
        while (!done) {
            boolean changed = phase != drawnPhase || rep != drawnRep;
            if (tty || changed || System.nanoTime() - lastLine >= 10_000_000_000L) {
                draw(false);
                lastLine = System.nanoTime();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A bar of {@code width} characters, filled in proportion to {@code el} of {@code budget} seconds (clamped to 0..width). */
    static String bar(double el, double budget, int width) {
        int fill = (int) Math.max(0, Math.min(width, Math.round(width * el / budget)));
        return "#".repeat(fill) + ".".repeat(width - fill);
    }

    private synchronized void draw(boolean last) {
        if (FileLedger.stopping()) {
            return; // a signal is ending gort: its line is the last
        }
        long now = System.nanoTime();
        int ph = phase;
        int r = rep;
        drawnPhase = ph;
        drawnRep = r;
        Runtime rt = Runtime.lastStarted();
        int cycles = rt == null || rt == before ? 0 : rt.collector().numGC();
        StringBuilder sb = new StringBuilder(stage).append(": ");
        if (last) {
            sb.append("done");
            if (warmupNs >= 0) {
                sb.append(String.format(Locale.ROOT, " (set-up and warm-up %.1f s, measured %.1f s)", warmupNs / 1e9, measuredNs / 1e9));
            }
        } else if (ph <= 1) {
            sb.append(ph == 0 ? "starting " : "warm-up ").append(String.format(Locale.ROOT, "%.1f s", (now - t0) / 1e9));
        } else if (ph == 3 && r + 1 >= reps) {
            sb.append("after the measured window");
        } else {
            sb.append("measuring");
            if (reps > 1) {
                sb.append(" ").append(Math.min(r + 1, reps)).append('/').append(reps);
            }
            // phaseStart is written by the run's thread: read after now, it can be later than now
            double el = ph == 2 ? Math.max(0, now - phaseStart) / 1e9 : 0;
            if (ph == 3) {
                sb.append(" (between repetitions)");
            } else if (budgetSeconds > 0) {
                sb.append(" [").append(bar(el, budgetSeconds, 30)).append("] ");
                sb.append(String.format(Locale.ROOT, "%.1f/%s s", el, trim(budgetSeconds)));
            } else {
                sb.append(String.format(Locale.ROOT, " %.1f s", el));
            }
        }
        sb.append(", ").append(cycles).append(" GC cycles");
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

    private static String trim(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
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
