package gort.trace;

import java.util.Arrays;
import java.util.function.DoubleFunction;

/**
 * One figure of a configuration across the rounds of a comparison: its median, its range (min to
 * max) and how many rounds had a value (a round with no concurrent cycle has no wakeup delay). Two
 * configurations whose ranges overlap differ by no more than the rounds differ among themselves:
 * the comparison's words call that inside the spread, never an effect.
 *
 * <p>Invariants: {@code n == 0} exactly when every figure is NaN; otherwise min ≤ median ≤ max. The
 * median of an even count is the mean of the middle two, as Go's and Python's statistics take it.
 */
public record Spread(double median, double min, double max, int n) {
    public static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    /** The spread of the values that are numbers (NaN stands for a round without the figure). */
    public static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        int m = v.length / 2;
        double median = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    public boolean isEmpty() {
        return n == 0;
    }

    /** Whether the two ranges share a point (an empty spread overlaps nothing). */
    public boolean overlaps(Spread o) {
        return !isEmpty() && !o.isEmpty() && min <= o.max && o.min <= max;
    }

    /**
     * "4.00 ms (3.10 ms–5.20 ms)" for several values, the value alone for one (or for equal ones), "-" for none; a
     * figure some rounds lack says how many of the {@code rounds} had it: "4.00 ms (3.10 ms–5.20 ms;
     * 2 of 3 rounds)".
     */
    public String format(DoubleFunction<String> f, int rounds) {
        if (isEmpty()) {
            return "-";
        }
        String lacking = n < rounds ? "; " + n + " of " + rounds + " rounds" : "";
        if (n == 1 || min == max) {
            return f.apply(median) + (lacking.isEmpty() ? "" : " (" + lacking.substring(2) + ")");
        }
        return f.apply(median) + " (" + f.apply(min) + "–" + f.apply(max) + lacking + ")";
    }
}
