package gort.workloads;

import gort.api.Config;
import java.util.Map;

/**
 * A goroutine program that gort runs and measures. Owns nothing between runs. Invariant: each
 * {@link #run} starts a fresh runtime from the given Config and leaves nothing running after.
 */
public interface Workload {
    String name();

    /** What one operation is, for reports (e.g. "round trip"). */
    String opName();

    long defaultOps();

    /**
     * Whether the workload reads an input document ({@code --input}); the CLI refuses the option
     * for the others.
     */
    default boolean takesInput() {
        return false;
    }

    /** Whether the workload has a tree depth ({@code --depth}); the CLI refuses it for the others. */
    default boolean takesDepth() {
        return false;
    }

    /** Whether a repetition is a number of ops ({@code --ops}); false for one that is a whole run. */
    default boolean takesOps() {
        return true;
    }

    /** The size options the workload takes, for messages. */
    default java.util.List<String> options() {
        java.util.List<String> o = new java.util.ArrayList<>();
        if (takesOps()) {
            o.add("--ops");
        }
        if (takesSeconds()) {
            o.add("--seconds");
        }
        if (takesDepth()) {
            o.add("--depth");
        }
        if (takesInput()) {
            o.add("--input");
        }
        if (takesNodeWork()) {
            o.add("--node-work");
        }
        return o;
    }

    /**
     * Workload-specific knobs from the command line.
     *
     * @param input a document to read instead of the workload's built-in one, or null (only for a
     *     workload that {@link #takesInput()})
     * @param seconds a time budget per repetition instead of {@code ops}, or 0 (only for a
     *     workload that {@link #takesSeconds()})
     * @param nodeWork extra CPU work per node, or 0 (only for a workload that
     *     {@link #takesNodeWork()}); with allocRate, where the work starts
     * @param allocRate bytes per second to hold the allocation rate at by moving the extra work
     *     per node during the run, or 0 for none (only for a workload that {@link #takesNodeWork()})
     */
    record Params(long ops, int reps, int depth, java.nio.file.Path input, double seconds, int nodeWork, double allocRate,
            Listener listener) {
        public static final int DEFAULT_DEPTH = 18;
        /** The largest {@code --node-work}: about a millisecond per node. */
        public static final int MAX_NODE_WORK = 1_000_000;

        public Params {
            listener = listener == null ? Listener.NONE : listener;
        }

        public Params(long ops, int reps, int depth, java.nio.file.Path input) {
            this(ops, reps, depth, input, 0, 0, 0, Listener.NONE);
        }

        public Params(long ops, int reps, int depth, java.nio.file.Path input, double seconds) {
            this(ops, reps, depth, input, seconds, 0, 0, Listener.NONE);
        }

        public Params(long ops, int reps, int depth, java.nio.file.Path input, double seconds, int nodeWork) {
            this(ops, reps, depth, input, seconds, nodeWork, 0, Listener.NONE);
        }

        /** These parameters with the allocation rate held at bytesPerSec (0: not held). */
        public Params withAllocRate(double bytesPerSec) {
            return new Params(ops, reps, depth, input, seconds, nodeWork, bytesPerSec, listener);
        }

        /** These parameters with another listener. */
        public Params withListener(Listener l) {
            return new Params(ops, reps, depth, input, seconds, nodeWork, allocRate, l);
        }

        /** These parameters with l told as well, after the current listener. */
        public Params alsoTelling(Listener l) {
            Listener first = listener;
            return withListener(new Listener() {
                @Override
                public void warmup() {
                    first.warmup();
                    l.warmup();
                }

                @Override
                public void measuring(int rep, int reps) {
                    first.measuring(rep, reps);
                    l.measuring(rep, reps);
                }

                @Override
                public void measured(int rep, int reps) {
                    first.measured(rep, reps);
                    l.measured(rep, reps);
                }

                @Override
                public void stopped(gort.api.Runtime rt) {
                    first.stopped(rt);
                    l.stopped(rt);
                }
            });
        }

        /** What one repetition does, for progress lines: "64 ops", "1 run" or "10 s". */
        public String describe(Workload w) {
            return seconds > 0 ? String.format(java.util.Locale.ROOT, "%s s", trim(seconds)) : count(ops, w.opName());
        }

        /** "1 run", "2 runs", "1 round trip". */
        public static String count(long n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }

        private static String trim(double s) {
            return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
        }
    }

    /**
     * What a workload says about its stages as it runs, for progress lines and for what is measured
     * only inside the measured windows (the host JVM's pauses). Called from a goroutine of the
     * workload's runtime — the main goroutine for the built-in workloads; for a program, the
     * goroutine that calls {@code gort.api.Measure}, main as it starts and returns, or gort's stop at
     * the time budget — so implementations must return quickly and must not block. A program's run
     * is one repetition (rep 0 of 1); without {@code Measure} its window is the whole of main, with
     * no warm-up stage.
     */
    interface Listener {
        Listener NONE = new Listener() {};

        /** The warm-up (unmeasured) starts. */
        default void warmup() {}

        /** Measured repetition {@code rep} (0-based) of {@code reps} starts: its window opens now. */
        default void measuring(int rep, int reps) {}

        /** Measured repetition {@code rep} ended: its window closes now. */
        default void measured(int rep, int reps) {}

        /**
         * The workload's runtime ended without its main returning, because the workload stopped it
         * (a program stopped when its measured window reached its {@code --seconds} budget), so the
         * Config's {@code onExit} did not run: rt is the runtime it would have been given, ended.
         * Called off the runtime, after {@link gort.api.Runtime#run} returned.
         */
        default void stopped(gort.api.Runtime rt) {}
    }

    /**
     * Key of {@link Result#extra()}: NumGC when the measured repetitions began, so that an
     * experiment can leave the warm-up's cycles out.
     */
    String GC_BEFORE = "gc_before";
    /**
     * Key of {@link Result#extra()}: NumGC when the measured repetitions ended, so that an
     * experiment can leave out the cycles after them (the workload's final checks), and its cycle
     * count agrees with the workload's {@code numgc}.
     */
    String GC_AFTER = "gc_after";

    /** Whether the workload has nodes to add CPU work to ({@code --node-work}). */
    default boolean takesNodeWork() {
        return false;
    }

    /** Whether the workload can run for a time budget ({@code --seconds}) instead of a number of ops. */
    default boolean takesSeconds() {
        return false;
    }

    /**
     * Checks, before any work, what the workload will read (its input document): a bad one is an
     * IllegalArgumentException naming it and what is wrong, so a command fails in one line before
     * its first run.
     */
    default void check(Params p) {}

    /**
     * Runs {@code p.reps()} measured repetitions of {@code p.ops()} operations each (after an
     * unmeasured warm-up) in one runtime, so the host JIT is warm for the measured ones.
     */
    Result run(Config config, Params p);

    /** What a run measured: nanoseconds per operation for each measured repetition. */
    record Result(String workload, String opName, int procs, long ops, double[] nsPerOp, Map<String, Object> extra) {
        public double median() {
            double[] s = nsPerOp.clone();
            java.util.Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(workload).append(": procs=").append(procs).append(" ops=").append(ops)
                    .append(String.format(java.util.Locale.ROOT, " ns_per_%s=%.1f", opName.replace(' ', '_'), median()));
            if (nsPerOp.length > 1) {
                sb.append(" (median of ").append(nsPerOp.length).append(':');
                for (double d : nsPerOp) {
                    sb.append(String.format(java.util.Locale.ROOT, " %.1f", d));
                }
                sb.append(')');
            }
            extra.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.toString();
        }
    }
}
