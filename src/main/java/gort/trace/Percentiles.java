package gort.trace;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution's summary: count, p50, p90, p99 and max, in nanoseconds, taken from an
 * HdrHistogram with three significant digits (so each percentile is within 0.1% of the exact
 * value; max is exact). An empty distribution has count 0 and every figure -1.
 */
public record Percentiles(long count, long p50, long p90, long p99, long max) {
    public static final Percentiles EMPTY = new Percentiles(0, -1, -1, -1, -1);

    /** The distribution of the given non-negative nanosecond values. */
    public static Percentiles of(long[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        Histogram h = new Histogram(3);
        long max = 0;
        for (long v : values) {
            if (v < 0) {
                throw new IllegalArgumentException("negative latency " + v);
            }
            h.recordValue(v);
            max = Math.max(max, v);
        }
        return new Percentiles(values.length, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), max);
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
