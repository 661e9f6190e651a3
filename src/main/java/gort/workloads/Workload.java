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

    /**
     * Workload-specific knobs from the command line.
     *
     * @param input a document to read instead of the workload's built-in one, or null (only for a
     *     workload that {@link #takesInput()})
     * @param seconds a time budget per repetition instead of {@code ops}, or 0 (only for a
     *     workload that {@link #takesSeconds()})
     * @param nodeWork extra CPU work per node, or 0 (only for a workload that
     *     {@link #takesNodeWork()})
     */
    record Params(long ops, int reps, int depth, java.nio.file.Path input, double seconds, int nodeWork) {
        public static final int DEFAULT_DEPTH = 18;
        /** The largest {@code --node-work}: about a millisecond per node. */
        public static final int MAX_NODE_WORK = 1_000_000;

        public Params(long ops, int reps, int depth, java.nio.file.Path input) {
            this(ops, reps, depth, input, 0, 0);
        }

        public Params(long ops, int reps, int depth, java.nio.file.Path input, double seconds) {
            this(ops, reps, depth, input, seconds, 0);
        }

        /** What one repetition does, for progress lines: "64 ops" or "10 s". */
        public String describe(Workload w) {
            return seconds > 0 ? String.format(java.util.Locale.ROOT, "%.0f s", seconds) : ops + " " + w.opName() + "s";
        }
    }

    /**
     * Key of {@link Result#extra()}: NumGC when the measured repetitions began, so that an
     * experiment can leave the warm-up's cycles out.
     */
    String GC_BEFORE = "gc_before";

    /** Whether the workload has nodes to add CPU work to ({@code --node-work}). */
    default boolean takesNodeWork() {
        return false;
    }

    /** Whether the workload can run for a time budget ({@code --seconds}) instead of a number of ops. */
    default boolean takesSeconds() {
        return false;
    }

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
