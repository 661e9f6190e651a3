package gort.trace;

import gort.gc.CycleRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /**
     * Why this window shows nothing the run measured, in one sentence, or null when it does (or is
     * the whole run): a cycle window that selects no cycle of t, a time window that starts after
     * t ends, or a window whose cycles are all outside the measured window (the warm-up's, or those
     * after it), which {@code records} (the measured cycles' records) therefore do not cover.
     */
    public String warning(RawTrace t, List<CycleRecord> records) {
        if (kind.equals("all")) {
            return null;
        }
        TraceModel.Window w = resolve(t);
        List<Integer> selected = new ArrayList<>();
        int first = Integer.MAX_VALUE;
        int last = 0;
        for (RawTrace.CycleSpan c : t.cycles()) {
            first = Math.min(first, c.cycle());
            last = Math.max(last, c.cycle());
            long end = c.end() < 0 ? t.endTs() : c.end();
            if (kind.equals("cycles") ? c.cycle() >= from && c.cycle() <= to : c.start() <= w.to() && end >= w.from()) {
                selected.add(c.cycle());
            }
        }
        String run = last == 0 ? "the run had no GC cycle" : "the run had cycles " + first + ".." + last;
        if (kind.equals("time") && w.from() > t.endTs()) {
            return "selects nothing: the run ended at " + fmt(t.endTs() / 1e9) + " s";
        }
        if (selected.isEmpty()) {
            return kind.equals("cycles") ? "selects no cycle: " + run : null; // a time window may show a stretch without GC
        }
        Set<Integer> measured = new HashSet<>();
        int mFirst = Integer.MAX_VALUE;
        int mLast = 0;
        for (CycleRecord r : records) {
            measured.add(r.cycle());
            mFirst = Math.min(mFirst, r.cycle());
            mLast = Math.max(mLast, r.cycle());
        }
        for (int c : selected) {
            if (measured.contains(c)) {
                return null;
            }
        }
        if (measured.isEmpty()) {
            return "selects only cycles outside the measured window, which had no cycle: the trace has no cycle records";
        }
        int selLast = selected.stream().mapToInt(Integer::intValue).max().getAsInt();
        return "selects only " + (selLast < mFirst ? "warm-up cycles" : "cycles outside the measured window")
                + " (the measured cycles are " + mFirst + ".." + mLast + "): the trace has no cycle records";
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "");
    }

    /** The window as its flag's value is written: {@code 5..8}, {@code 2.5..}. */
    public String flagValue() {
        return switch (kind) {
            case "cycles" -> (long) from + ".." + (Double.isInfinite(to) ? "" : Long.toString((long) to));
            case "time" -> fmt(from) + ".." + (Double.isInfinite(to) ? "" : fmt(to));
            default -> "";
        };
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
