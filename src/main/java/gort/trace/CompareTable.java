package gort.trace;

import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table {@code gort compare} prints (one column per strategy) and the paragraph
 * under it that reads the numbers back in words. Owns only formatting; every figure comes from
 * {@link Summary}.
 */
public final class CompareTable {
    private CompareTable() {}

    /** A duration in ns as a short human figure: "420 ns", "85 µs", "12.3 ms", "1.20 s"; "-" if negative. */
    public static String dur(long ns) {
        if (ns < 0) {
            return "-";
        }
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return fmt(ns / 1e3) + " µs";
        }
        if (ns < 1_000_000_000L) {
            return fmt(ns / 1e6) + " ms";
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The table: a row per figure, a column per strategy. */
    public static String table(List<Summary> ss) {
        StringBuilder sb = new StringBuilder();
        String[] head = new String[ss.size() + 1];
        head[0] = "";
        for (int i = 0; i < ss.size(); i++) {
            head[i + 1] = ss.get(i).strategy();
        }
        java.util.ArrayList<String[]> rows = new java.util.ArrayList<>();
        rows.add(head);
        row(rows, ss, "GC cycles (concurrent)", s -> Integer.toString(s.cycles()));
        row(rows, ss, "wakeup delay p50", s -> dur(s.wakeup().p50()));
        row(rows, ss, "             p90", s -> dur(s.wakeup().p90()));
        row(rows, ss, "             p99", s -> dur(s.wakeup().p99()));
        row(rows, ss, "             max", s -> dur(s.wakeup().max()));
        row(rows, ss, "  mark 1 p50 / max", s -> dur(s.mark1().p50()) + " / " + dur(s.mark1().max()));
        row(rows, ss, "  mark 2 p50 / max", s -> dur(s.mark2().p50()) + " / " + dur(s.mark2().max()));
        row(rows, ss, "  worker-completed p50 / p99 (n)", s -> dur(s.worker().p50()) + " / " + dur(s.worker().p99())
                + " (" + s.worker().count() + ")");
        row(rows, ss, "  assist-completed p50 / p99 (n)", s -> dur(s.assist().p50()) + " / " + dur(s.assist().p99())
                + " (" + s.assist().count() + ")");
        row(rows, ss, "heap at mark term / goal: mean", s -> ratio(s.overGoalMean()));
        row(rows, ss, "                            max", s -> ratio(s.overGoalMax()));
        row(rows, ss, "STW pause max", s -> dur(s.stwMaxNs()));
        row(rows, ss, "throughput (ops/s)", s -> String.format(Locale.ROOT, "%.1f", s.opsPerSec()));
        row(rows, ss, "host JVM GC (measured): n, total, max", s -> s.jvmGc().count() + ", " + dur(s.jvmGc().totalNs()) + ", "
                + dur(s.jvmGc().maxNs()));
        int[] w = new int[head.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            sb.append(pad(r[0], w[0], false));
            for (int i = 1; i < r.length; i++) {
                sb.append(" | ").append(pad(r[i], w[i], true));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void row(List<String[]> rows, List<Summary> ss, String name, java.util.function.Function<Summary, String> f) {
        String[] r = new String[ss.size() + 1];
        r[0] = name;
        for (int i = 0; i < ss.size(); i++) {
            r[i + 1] = f.apply(ss.get(i));
        }
        rows.add(r);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }

    /** A few sentences that say what the numbers show, computed from them (never canned). */
    public static String paragraph(List<Summary> ss) {
        Summary note = find(ss, "note");
        Summary park = find(ss, "park");
        Summary yield = find(ss, "park-yield");
        StringBuilder sb = new StringBuilder();
        if (note != null && yield != null && note.wakeup().p50() > 0 && yield.wakeup().p50() > 0) {
            double x = (double) note.wakeup().p50() / yield.wakeup().p50();
            sb.append(String.format(Locale.ROOT,
                    "With note, the coordinator woke a median %s after marking was done; with park-yield, %s (%.0fx less). ",
                    dur(note.wakeup().p50()), dur(yield.wakeup().p50()), x));
            sb.append("Under note the coordinator slept in notetsleepg, gave its P away, and on waking found every P busy: it "
                    + "waited on the global run queue until some P looked there (every 61st schedule or an empty local queue). ");
            sb.append("Parking instead lets the completer ready it into its own P's runnext, which runs next (seed 000). ");
        }
        if (park != null && yield != null && park.assist().count() > 0 && yield.assist().count() > 0 && yield.assist().p50() > 0) {
            double x = (double) park.assist().p50() / yield.assist().p50();
            sb.append(String.format(Locale.ROOT,
                    "When an assist completed marking, park's coordinator waited a median %s (the assisting goroutine kept running "
                            + "until its next preemption) against %s with park-yield, which yields at once (%.0fx; seed 003). ",
                    dur(park.assist().p50()), dur(yield.assist().p50()), x));
        } else if (park != null) {
            sb.append("No assist completed marking under both park and park-yield in this run, so seed 003's case did not arise; "
                    + "a longer run or a lower GOGC makes assists more common. ");
        }
        if (note != null && yield != null && !Double.isNaN(note.overGoalMean()) && !Double.isNaN(yield.overGoalMean())) {
            sb.append(String.format(Locale.ROOT,
                    "The heap at mark termination averaged %.2fx the goal under note and %.2fx under park-yield: mutators allocate "
                            + "while the coordinator waits.", note.overGoalMean(), yield.overGoalMean()));
        }
        return wrap(sb.toString().trim(), 100);
    }

    private static Summary find(List<Summary> ss, String name) {
        for (Summary s : ss) {
            if (s.strategy().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
