package gort.trace;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table {@code gort compare} prints (one column per run: per strategy, or per
 * value of the axis compare varies, headed by the run's label) and the paragraph under it that
 * reads the numbers back in words. Owns only formatting; every figure comes from
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

    /** The table: a row per figure, a column per run. */
    public static String table(List<Summary> ss) {
        StringBuilder sb = new StringBuilder();
        String[] head = new String[ss.size() + 1];
        head[0] = "";
        for (int i = 0; i < ss.size(); i++) {
            head[i + 1] = ss.get(i).label();
        }
        java.util.ArrayList<String[]> rows = new java.util.ArrayList<>();
        rows.add(head);
        boolean noRelease = ss.stream().anyMatch(s -> s.design() != null && s.design().endsWith(NO_RELEASE));
        if (ss.stream().anyMatch(s -> s.design() != null)) {
            row(rows, ss, "design", s -> s.design() == null ? "?" : s.design().replace(NO_RELEASE, "*"));
        }
        row(rows, ss, "GC cycles (concurrent)", s -> Integer.toString(s.cycles()));
        row(rows, ss, "mark 1 wakeup delay p50", s -> dur(s.mark1().p50()));
        row(rows, ss, "                    p90", s -> dur(s.mark1().p90()));
        row(rows, ss, "                    p99", s -> dur(s.mark1().p99()));
        row(rows, ss, "                    max", s -> dur(s.mark1().max()));
        row(rows, ss, "mark 2 wakeup p50 / p99 / max", s -> dur(s.mark2().p50()) + " / " + dur(s.mark2().p99()) + " / "
                + dur(s.mark2().max()));
        row(rows, ss, "by completer (both marks), p50 / p99 (n):", s -> "");
        completerRow(rows, ss, "  worker", Summary::worker);
        completerRow(rows, ss, "  assist", Summary::assist);
        completerRow(rows, ss, "  scheduler", Summary::scheduler);
        completerRow(rows, ss, "  at arming (already done)", Summary::coordinator);
        row(rows, ss, "completed by worker/assist/scheduler/arming, %:", s -> "");
        row(rows, ss, "  mark 1", s -> s.mark1By().percents() + " (" + s.mark1By().total() + ")");
        row(rows, ss, "  mark 2", s -> s.mark2By().percents() + " (" + s.mark2By().total() + ")");
        if (ss.stream().anyMatch(s -> gort.gc.WakeupStrategy.hasCoordinator(s.strategy()))) { // none has nobody waiting
            row(rows, ss, "mark 1: where the coordinator waited, n / p50:", s -> "");
        }
        for (gort.sched.Enqueued e : gort.sched.Enqueued.values()) {
            if (ss.stream().anyMatch(s -> s.mark1Waited().containsKey(e))) {
                row(rows, ss, "  " + e.label(), s -> {
                    Percentiles p = s.mark1Waited().get(e);
                    return p == null ? "-" : p.count() + " / " + dur(p.p50());
                });
            }
        }
        row(rows, ss, "heap at mark term / goal: mean (max)", s -> ratio(s.overGoalMean()) + " (" + ratio(s.overGoalMax()) + ")");
        row(rows, ss, "  cycles with a goal of 1 MB or more", s -> s.overGoalCycles() + " of " + s.cycles());
        row(rows, ss, "heap at mark term / H_g: mean (max)", s -> ratio(s.overHgMean()) + " (" + ratio(s.overHgMax()) + ")");
        row(rows, ss, "  over H_g, in ms of allocation: mean", s -> Double.isNaN(s.overshootMsMean()) ? "-"
                : String.format(Locale.ROOT, "%.1f ms", s.overshootMsMean()));
        row(rows, ss, "allocated while waiting (mark 1): mean", s -> mb(s.mark1AllocatedMean()));
        row(rows, ss, "STW pause max: sweep term / mark term", s -> dur(s.sweepTermMaxNs()) + " / " + dur(s.markTermMaxNs()));
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
        if (noRelease) {
            sb.append("* no release: a design with the axes after + changed on top (an ablation)\n");
        }
        return sb.toString();
    }

    /** How {@code gort.gc.Design#label} marks settings that are no release's. */
    private static final String NO_RELEASE = " (no release)";

    private static void completerRow(List<String[]> rows, List<Summary> ss, String name,
            java.util.function.Function<Summary, Percentiles> f) {
        row(rows, ss, name, s -> {
            Percentiles p = f.apply(s);
            return p.isEmpty() ? "- (0)" : dur(p.p50()) + " / " + dur(p.p99()) + " (" + p.count() + ")";
        });
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20));
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

    /**
     * A few sentences that say what the numbers show, computed from them (never canned): how long
     * the phase's next step (the coordinator's wakeup; with no coordinator, the completer's own
     * transition) took to start after mark 1 was done in each run, where the coordinator waited
     * (the scheduler's account of each wait), and, when the runs are the strategies, the assist
     * case golang/go CL 12670 is about (an assist that completed marking) and what the waits cost
     * in heap.
     */
    public static String paragraph(List<Summary> ss) {
        Summary note = find(ss, "note");
        Summary park = find(ss, "park");
        Summary yield = find(ss, "park-yield");
        Summary none = find(ss, "none");
        StringBuilder sb = new StringBuilder();
        if (ss.stream().allMatch(s -> s.mark1().isEmpty())) {
            return "No concurrent GC cycle completed in any measured window, so there is no wakeup to compare: give the "
                    + "run more to allocate (a larger size, a longer window) or a smaller GOGC.";
        }
        sb.append("Mark 1: the transition to mark 2 began a median ");
        for (int i = 0; i < ss.size(); i++) {
            Summary s = ss.get(i);
            sb.append(i == 0 ? "" : i == ss.size() - 1 ? " and " : ", ").append(dur(s.mark1().p50()))
                    .append(i == 0 ? " after marking was done under " : " under ").append(s.label());
        }
        if (note != null && yield != null && note.mark1().p50() > 0 && yield.mark1().p50() > 0) {
            sb.append(String.format(Locale.ROOT, " (note %.0fx park-yield)", (double) note.mark1().p50() / yield.mark1().p50()));
        }
        sb.append(". ");
        if (none != null && !none.mark1().isEmpty()) {
            sb.append("Under none there is no coordinator to wake: the goroutine that completed a phase takes the transition "
                    + "itself, so its delay is that goroutine's own path from the completing CAS to the transition (p99 ")
                    .append(dur(none.mark1().p99())).append(" for mark 1, ").append(dur(none.mark2().p99())).append(" for mark 2). ");
        }
        for (Summary s : ss) {
            String where = whereItWaited(s);
            if (!where.isEmpty()) {
                sb.append("Under ").append(s.label()).append(" the coordinator waited ").append(where).append(". ");
            }
        }
        if (park != null && yield != null && !park.assist().isEmpty() && !yield.assist().isEmpty() && yield.assist().p50() > 0) {
            sb.append(String.format(Locale.ROOT,
                    "When an assist completed marking, park's coordinator waited a median %s and park-yield's %s (%.0fx): under "
                            + "park the assisting goroutine keeps its P until something deschedules it, under park-yield it yields at "
                            + "once (Go's CL 12670, \"yield to GC coordinator after assist completion\"). ",
                    dur(park.assist().p50()), dur(yield.assist().p50()), (double) park.assist().p50() / yield.assist().p50()));
        } else if (park != null && yield != null) {
            sb.append("No assist completed marking under both park and park-yield in this run, so the case of CL 12670 "
                    + "(an assist that completes marking) did not arise. ");
        }
        if (note != null && yield != null && !Double.isNaN(note.overHgMean()) && !Double.isNaN(yield.overHgMean())) {
            sb.append(String.format(Locale.ROOT,
                    "The heap at mark termination averaged %.2fx H_g under note and %.2fx under park-yield; mutators allocated a "
                            + "mean %s while the coordinator waited for mark 1 under note, %s under park-yield.",
                    note.overHgMean(), yield.overHgMean(), mb(note.mark1AllocatedMean()), mb(yield.mark1AllocatedMean())));
        }
        return wrap(sb.toString().trim(), 100);
    }

    /** "on the global queue after a preemption in 70% of the waits (median 30 ms), ...": the two commonest paths. */
    static String whereItWaited(Summary s) {
        long total = 0;
        for (Percentiles p : s.mark1Waited().values()) {
            total += p.count();
        }
        if (total == 0) {
            return "";
        }
        List<Map.Entry<gort.sched.Enqueued, Percentiles>> es = new java.util.ArrayList<>(s.mark1Waited().entrySet());
        es.sort((a, b) -> Long.compare(b.getValue().count(), a.getValue().count()));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(2, es.size()); i++) {
            Percentiles p = es.get(i).getValue();
            sb.append(i == 0 ? "" : ", and ").append(where(es.get(i).getKey()))
                    .append(String.format(Locale.ROOT, " in %.0f%% of the waits (median %s)", 100.0 * p.count() / total, dur(p.p50())));
        }
        return sb.toString();
    }

    private static String where(gort.sched.Enqueued e) {
        return switch (e) {
            case NONE -> "not at all (marking was done before it waited)";
            case RUNNEXT -> "in the completer's runnext";
            case RUNQ_TAIL -> "at the tail of the completer's run queue (runnext=0)";
            case RUNNEXT_KICKED -> "in a run queue, kicked out of runnext by a goroutine readied after it";
            case GLOBAL_PREEMPTED -> "on the global run queue after sysmon preempted it before it could park";
            case GLOBAL_GOSCHED -> "on the global run queue after it yielded";
            case GLOBAL_SYSCALL -> "on the global run queue after its note sleep ended with no idle P";
            case SYSCALL_WITH_P -> "for its note wakeup, then found a P at once";
        };
    }

    /** The run labelled name (a strategy's name when compare runs the strategies), or null. */
    private static Summary find(List<Summary> ss, String name) {
        for (Summary s : ss) {
            if (s.label().equals(name)) {
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
