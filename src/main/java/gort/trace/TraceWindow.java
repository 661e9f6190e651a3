package gort.trace;

import java.util.Locale;

/**
 * The part of a run a trace file shows: everything, GC cycles N..M (from cycle N's start to
 * cycle M's end), or a time range A..B in seconds since the runtime's start. Parsed from
 * {@code --trace-cycles N..M} or {@code --trace-time A..B} (either end may be left open:
 * {@code 5..}, {@code ..2.5}); resolved against a trace, whose cycles give the times.
 */
public record TraceWindow(String kind, double from, double to) {
    public static final TraceWindow ALL = new TraceWindow("all", Double.NaN, Double.NaN);

    /** Cycles from..to (inclusive; to may be Integer.MAX_VALUE for "to the end"). */
    public static TraceWindow parseCycles(String s) {
        double[] r = range("--trace-cycles", s, true);
        if (r[0] < 1) {
            throw new IllegalArgumentException("--trace-cycles " + s + " is invalid: cycles are numbered from 1");
        }
        return new TraceWindow("cycles", r[0], r[1]);
    }

    /** Seconds since the runtime's start, from..to. */
    public static TraceWindow parseTime(String s) {
        double[] r = range("--trace-time", s, false);
        return new TraceWindow("time", r[0], r[1]);
    }

    private static double[] range(String flag, String s, boolean integers) {
        String what = integers ? "N..M with cycle numbers N <= M (either may be left out: 5.. or ..9)"
                : "A..B in seconds since the start, A <= B (either may be left out: 2.5.. or ..4)";
        int dots = s.indexOf("..");
        if (dots < 0 || s.indexOf("..", dots + 2) >= 0) {
            throw new IllegalArgumentException(flag + " " + s + " is invalid: must be " + what);
        }
        String a = s.substring(0, dots).trim();
        String b = s.substring(dots + 2).trim();
        try {
            double from = a.isEmpty() ? (integers ? 1 : 0) : integers ? Integer.parseInt(a) : Double.parseDouble(a);
            double to = b.isEmpty() ? Double.POSITIVE_INFINITY : integers ? Integer.parseInt(b) : Double.parseDouble(b);
            if (Double.isNaN(from) || Double.isNaN(to) || from < 0 || to < from || Double.isInfinite(from)) {
                throw new NumberFormatException();
            }
            return new double[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + s + " is invalid: must be " + what);
        }
    }

    /** The window in trace time (nanoseconds since the runtime's start) for this trace. */
    public TraceModel.Window resolve(RawTrace t) {
        switch (kind) {
            case "cycles" -> {
                long from = Long.MAX_VALUE;
                long to = Long.MIN_VALUE;
                for (RawTrace.CycleSpan c : t.cycles()) {
                    if (c.cycle() >= this.from && c.cycle() <= this.to) {
                        from = Math.min(from, c.start());
                        to = Math.max(to, c.end() < 0 ? t.endTs() : c.end());
                    }
                }
                if (from == Long.MAX_VALUE) {
                    return new TraceModel.Window(t.endTs() + 1, t.endTs() + 1); // no such cycle: an empty window
                }
                return new TraceModel.Window(from, to);
            }
            case "time" -> {
                long to = Double.isInfinite(this.to) ? Long.MAX_VALUE : (long) (this.to * 1e9);
                return new TraceModel.Window((long) (from * 1e9), to);
            }
            default -> {
                return TraceModel.Window.ALL;
            }
        }
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "cycles" -> "cycles " + (long) from + ".." + (Double.isInfinite(to) ? "" : (long) to);
            case "time" -> fmt(from) + "s.." + (Double.isInfinite(to) ? "" : fmt(to) + "s");
            default -> "whole run";
        };
    }
}
