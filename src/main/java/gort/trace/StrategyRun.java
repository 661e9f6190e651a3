package gort.trace;

import gort.gc.CycleRecord;
import java.util.List;

/**
 * One run of a workload under one wakeup strategy: what the collector recorded for each
 * concurrent cycle, the workload's throughput, and the host JVM's own collections in the same
 * interval (reported beside gort's pauses so neither is mistaken for the other); its label names
 * the run among those compared (the strategy, or the value of the axis compare varies).
 */
public record StrategyRun(String strategy, List<CycleRecord> cycles, long ops, double seconds, JvmGc jvmGc, String label,
        String design) {
    /** A run labelled by its strategy, its design not known (null). */
    public StrategyRun(String strategy, List<CycleRecord> cycles, long ops, double seconds, JvmGc jvmGc) {
        this(strategy, cycles, ops, seconds, jvmGc, strategy, null);
    }

    /** This run under another label (compare's column: a strategy, or the value of the axis it varies). */
    public StrategyRun withLabel(String l) {
        return new StrategyRun(strategy, cycles, ops, seconds, jvmGc, l, design);
    }

    /** This run with its design's label ({@code gort.gc.Design#label}: a release's name, or what differs from the nearest). */
    public StrategyRun withDesign(String d) {
        return new StrategyRun(strategy, cycles, ops, seconds, jvmGc, label, d);
    }

    /**
     * The host JVM's collections inside the run's measured windows (see {@link JvmGcWatch}): how
     * many, their total and longest pause; and, for context, how many collections the whole run had
     * and how long the measured windows were.
     */
    public record JvmGc(long count, long totalNs, long maxNs, long runCount, long windowNs) {
        public JvmGc(long count, long totalNs, long maxNs) {
            this(count, totalNs, maxNs, count, 0);
        }

        public double totalMs() {
            return totalNs / 1e6;
        }

        public double maxMs() {
            return maxNs / 1e6;
        }
    }

    public double opsPerSec() {
        return seconds > 0 ? ops / seconds : 0;
    }
}
