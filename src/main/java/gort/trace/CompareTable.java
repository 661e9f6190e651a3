package gort.trace;

import java.util.ArrayList;
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

    /** Fewer cycles than this give no percentage: the words and the table say "too few cycles (n)" or give counts instead. */
    public static final int MIN_CYCLES_FOR_PERCENT = 20;

    /** One number of a row (a row may show several: "p50 / p99 (n)"), with its name when the rounds give it a row of its own. */
    private record Fig(String name, java.util.function.ToDoubleFunction<Summary> value, java.util.function.DoubleFunction<String> fmt) {}

    /**
     * A row of the table: how one run's cell reads, and the figures it shows (a heading has none).
     * With several rounds each figure gets a row of its own, whose cells are {@link Spread}s.
     */
    private record Row(String name, java.util.function.Function<Summary, String> one, List<Fig> figs) {}

    /** The table of single runs: a row per figure, a column per run. */
    public static String table(List<Summary> ss) {
        return tableOverRounds(ss.stream().map(List::of).toList());
    }

    /**
     * The table of a comparison over rounds: a column per configuration, {@code byLabel} holding
     * each one's summaries in round order. With one round a cell is the run's figure; with more,
     * each figure is the median across the rounds with its range, "4.00 ms (3.10 ms–5.20 ms)".
     */
    public static String tableOverRounds(List<List<Summary>> byLabel) {
        return tableOverRounds(byLabel, true);
    }

    /**
     * The table, with the host JVM's own collections (a row) only if {@code hostGc}: left out for
     * runs on the simulated platform, whose figures are virtual time that the host's pauses do not
     * move, so that the table is a function of the seed alone.
     */
    static String tableOverRounds(List<List<Summary>> byLabel, boolean hostGc) {
        int rounds = rounds(byLabel);
        List<Summary> all = byLabel.stream().flatMap(List::stream).toList();
        String[] head = new String[byLabel.size() + 1];
        head[0] = rounds == 1 ? "" : "median (min–max) of " + rounds + " rounds";
        for (int i = 0; i < byLabel.size(); i++) {
            head[i + 1] = byLabel.get(i).get(0).label();
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        boolean noRelease = all.stream().anyMatch(s -> s.design() != null && s.design().endsWith(NO_RELEASE));
        if (all.stream().anyMatch(s -> s.design() != null)) {
            String[] c = new String[byLabel.size() + 1];
            c[0] = "design";
            for (int i = 0; i < byLabel.size(); i++) {
                String d = byLabel.get(i).get(0).design();
                c[i + 1] = d == null ? "?" : d.replace(NO_RELEASE, "*");
            }
            cells.add(c);
        }
        for (Row r : rows(all, hostGc)) {
            if (rounds == 1 || r.figs().isEmpty()) {
                String[] c = new String[byLabel.size() + 1];
                c[0] = r.name();
                for (int i = 0; i < byLabel.size(); i++) {
                    c[i + 1] = r.figs().isEmpty() ? "" : r.one().apply(byLabel.get(i).get(0));
                }
                cells.add(c);
                continue;
            }
            for (Fig f : r.figs()) {
                String[] c = new String[byLabel.size() + 1];
                c[0] = f.name();
                for (int i = 0; i < byLabel.size(); i++) {
                    c[i + 1] = spread(byLabel.get(i), f.value()).format(f.fmt(), rounds);
                }
                cells.add(c);
            }
        }
        int[] w = new int[head.length];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : cells) {
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

    /** The table under the lines saying where and how it was measured ({@link RunEnvironment#lines}). */
    public static String tableOverRounds(RunEnvironment env, List<List<Summary>> byLabel) {
        StringBuilder sb = new StringBuilder();
        for (String l : env.lines()) {
            sb.append(l).append('\n');
        }
        boolean simulated = "sim".equals(env.settings().get("platform"));
        return sb.append('\n').append(tableOverRounds(byLabel, !simulated)).toString();
    }

    /** The most rounds any configuration has. */
    static int rounds(List<List<Summary>> byLabel) {
        return byLabel.stream().mapToInt(List::size).max().orElse(1);
    }

    /** One figure of a configuration across its rounds. */
    static Spread spread(List<Summary> rounds, java.util.function.ToDoubleFunction<Summary> f) {
        return Spread.of(rounds.stream().mapToDouble(f).toArray());
    }

    /** A nanosecond figure that is -1 when there is none, as a double that is NaN then. */
    private static double ns(long v) {
        return v < 0 ? Double.NaN : v;
    }

    private static String durOf(double ns) {
        return dur(Math.round(ns));
    }

    private static String countOf(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
    }

    private static Fig durFig(String name, java.util.function.ToLongFunction<Summary> f) {
        return new Fig(name, s -> ns(f.applyAsLong(s)), CompareTable::durOf);
    }

    private static Fig countFig(String name, java.util.function.ToDoubleFunction<Summary> f) {
        return new Fig(name, f, CompareTable::countOf);
    }

    private static Row heading(String name) {
        return new Row(name, s -> "", List.of());
    }

    private static Row single(String name, Fig f) {
        return new Row(name, s -> {
            double v = f.value().applyAsDouble(s);
            return Double.isNaN(v) ? "-" : f.fmt().apply(v);
        }, List.of(f));
    }

    /** The rows, for the runs in {@code all} (a row only some designs have shows when one of the runs has it). */
    private static List<Row> rows(List<Summary> all, boolean hostGc) {
        List<Row> rows = new ArrayList<>();
        rows.add(single("GC cycles (concurrent)", countFig("GC cycles (concurrent)", Summary::cycles)));
        rows.add(single("mark 1 wakeup delay p50", durFig("mark 1 wakeup delay p50", s -> s.mark1().p50())));
        rows.add(single("                    p90", durFig("                    p90", s -> s.mark1().p90())));
        rows.add(single("                    p99", durFig("                    p99", s -> s.mark1().p99())));
        rows.add(single("                    max", durFig("                    max", s -> s.mark1().max())));
        rows.add(new Row("mark 2 wakeup p50 / p99 / max", s -> dur(s.mark2().p50()) + " / " + dur(s.mark2().p99()) + " / "
                + dur(s.mark2().max()), List.of(durFig("mark 2 wakeup delay p50", s -> s.mark2().p50()),
                        durFig("                    p99", s -> s.mark2().p99()), durFig("                    max", s -> s.mark2().max()))));
        rows.add(heading("by completer (both marks), p50 / p99 (n):"));
        rows.add(completerRow("  worker", Summary::worker));
        rows.add(completerRow("  assist", Summary::assist));
        rows.add(completerRow("  scheduler", Summary::scheduler));
        rows.add(completerRow("  at arming (already done)", Summary::coordinator));
        rows.add(heading("completed by worker/assist/scheduler/arming:"));
        rows.add(mixRow("  mark 1", Summary::mark1By));
        rows.add(mixRow("  mark 2", Summary::mark2By));
        if (all.stream().anyMatch(s -> gort.gc.WakeupStrategy.hasCoordinator(s.strategy()))) { // none has nobody waiting
            rows.add(heading("mark 1: where the coordinator waited, n / p50:"));
        }
        for (gort.sched.Enqueued e : gort.sched.Enqueued.values()) {
            if (all.stream().anyMatch(s -> s.mark1Waited().containsKey(e))) {
                rows.add(new Row("  " + e.label(), s -> {
                    Percentiles p = s.mark1Waited().get(e);
                    return p == null ? "-" : p.count() + " / " + dur(p.p50());
                }, List.of(countFig("  " + e.label() + ": n", s -> s.mark1Waited().containsKey(e) ? s.mark1Waited().get(e).count() : 0),
                        durFig("  " + e.label() + ": p50", s -> s.mark1Waited().containsKey(e) ? s.mark1Waited().get(e).p50() : -1))));
            }
        }
        rows.add(new Row("heap at mark term / goal: mean (max)", s -> ratio(s.overGoalMean()) + " (" + ratio(s.overGoalMax()) + ")",
                List.of(new Fig("heap at mark term / goal: mean", Summary::overGoalMean, CompareTable::ratio),
                        new Fig("                            max", Summary::overGoalMax, CompareTable::ratio))));
        rows.add(new Row("  cycles with a goal of 1 MB or more", s -> s.overGoalCycles() + " of " + s.cycles(),
                List.of(countFig("  cycles with a goal of 1 MB or more", Summary::overGoalCycles))));
        rows.add(new Row("heap at mark term / H_g: mean (max)", s -> ratio(s.overHgMean()) + " (" + ratio(s.overHgMax()) + ")",
                List.of(new Fig("heap at mark term / H_g: mean", Summary::overHgMean, CompareTable::ratio),
                        new Fig("                           max", Summary::overHgMax, CompareTable::ratio))));
        rows.add(single("  over H_g, in ms of allocation: mean", new Fig("  over H_g, in ms of allocation: mean", Summary::overshootMsMean,
                v -> String.format(Locale.ROOT, "%.1f ms", v))));
        rows.add(single("allocated while waiting (mark 1): mean", new Fig("allocated while waiting (mark 1): mean",
                Summary::mark1AllocatedMean, CompareTable::mb)));
        rows.add(new Row("STW pause max: sweep term / mark term", s -> dur(s.sweepTermMaxNs()) + " / " + dur(s.markTermMaxNs()),
                List.of(durFig("STW pause max: sweep term", Summary::sweepTermMaxNs), durFig("               mark term",
                        Summary::markTermMaxNs))));
        rows.add(single("throughput (ops/s)", new Fig("throughput (ops/s)", Summary::opsPerSec, v -> String.format(Locale.ROOT, "%.1f", v))));
        if (!hostGc) {
            return rows;
        }
        rows.add(new Row("host JVM GC (measured): n, total, max", s -> s.jvmGc().count() + ", " + dur(s.jvmGc().totalNs()) + ", "
                + dur(s.jvmGc().maxNs()), List.of(countFig("host JVM GC (measured): n", s -> s.jvmGc().count()),
                        durFig("                         total", s -> s.jvmGc().totalNs()),
                        durFig("                         max", s -> s.jvmGc().maxNs()))));
        return rows;
    }

    private static Row completerRow(String name, java.util.function.Function<Summary, Percentiles> f) {
        return new Row(name, s -> {
            Percentiles p = f.apply(s);
            return p.isEmpty() ? "- (0)" : dur(p.p50()) + " / " + dur(p.p99()) + " (" + p.count() + ")";
        }, List.of(durFig(name + ": p50", s -> f.apply(s).p50()), durFig(name + ": p99", s -> f.apply(s).p99()),
                countFig(name + ": n", s -> f.apply(s).count())));
    }

    /**
     * Who completed a phase: percentages and the count, "46/48/6/0 % of 40", or under
     * {@link #MIN_CYCLES_FOR_PERCENT} cycles the counts alone, "3/2/1/0 of 6"; over rounds, each
     * count.
     */
    private static Row mixRow(String name, java.util.function.Function<Summary, CompleterMix> f) {
        return new Row(name, s -> mixCell(f.apply(s)), List.of(countFig(name + " by worker", s -> f.apply(s).worker()),
                countFig(name + " by assist", s -> f.apply(s).assist()), countFig(name + " by scheduler", s -> f.apply(s).scheduler()),
                countFig(name + " at arming", s -> f.apply(s).arming())));
    }

    static String mixCell(CompleterMix m) {
        if (m.total() == 0) {
            return "-";
        }
        if (m.total() < MIN_CYCLES_FOR_PERCENT) {
            return m.worker() + "/" + m.assist() + "/" + m.scheduler() + "/" + m.arming() + " of " + m.total();
        }
        return m.percents() + " % of " + m.total();
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20));
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }

    /** The words under a table of single runs. */
    public static String paragraph(List<Summary> ss) {
        return paragraphOverRounds(ss.stream().map(List::of).toList());
    }

    /**
     * A few sentences that say what the numbers show, computed from them (never canned): how long
     * the phase's next step (the coordinator's wakeup; with no coordinator, the completer's own
     * transition) took to start after mark 1 was done under each configuration, where the
     * coordinator waited (the scheduler's account of each wait), and, when the configurations are
     * the strategies, the assist case golang/go CL 12670 is about (an assist that completed
     * marking) and what the waits cost in heap. {@code byLabel} holds each configuration's
     * summaries in round order; with several rounds every figure is the median across them with
     * its range. The words never call a difference an effect when the two ranges overlap (it lies
     * inside the rounds' spread), never draw a percentage from fewer than
     * {@link #MIN_CYCLES_FOR_PERCENT} cycles (they say "too few cycles (n)"), and, with one round,
     * say that nothing shows how much a figure varies.
     */
    public static String paragraphOverRounds(List<List<Summary>> byLabel) {
        int rounds = rounds(byLabel);
        List<String> labels = byLabel.stream().map(l -> l.get(0).label()).toList();
        List<Summary> note = find(byLabel, "note");
        List<Summary> park = find(byLabel, "park");
        List<Summary> yield = find(byLabel, "park-yield");
        List<Summary> none = find(byLabel, "none");
        if (byLabel.stream().flatMap(List::stream).allMatch(s -> s.mark1().isEmpty())) {
            return "No concurrent GC cycle completed in any measured window, so there is no wakeup to compare: give the "
                    + "run more to allocate (a larger size, a longer window) or a smaller GOGC.";
        }
        StringBuilder sb = new StringBuilder();
        List<Spread> mark1 = byLabel.stream().map(l -> spread(l, s -> ns(s.mark1().p50()))).toList();
        sb.append("Mark 1: the transition to mark 2 began a median ");
        for (int i = 0; i < byLabel.size(); i++) {
            sb.append(i == 0 ? "" : i == byLabel.size() - 1 ? " and " : ", ").append(mark1.get(i).format(CompareTable::durOf, rounds))
                    .append(i == 0 ? " after marking was done under " : " under ").append(labels.get(i));
        }
        if (rounds > 1) {
            sb.append(" (the median of the ").append(rounds).append(" rounds' medians, their range in brackets)");
        }
        if (note != null && yield != null) {
            Spread n = spread(note, s -> ns(s.mark1().p50()));
            Spread y = spread(yield, s -> ns(s.mark1().p50()));
            if (n.median() > 0 && y.median() > 0 && !(rounds > 1 && n.overlaps(y))) {
                sb.append(String.format(Locale.ROOT, " (note %.0fx park-yield)", n.median() / y.median()));
            }
        }
        sb.append(". ");
        sb.append(overlaps("mark 1's median wakeup delay", labels, mark1, rounds));
        if (none != null && none.stream().anyMatch(s -> !s.mark1().isEmpty())) {
            sb.append("Under none there is no coordinator to wake: the goroutine that completed a phase takes the transition "
                    + "itself, so its delay is that goroutine's own path from the completing CAS to the transition (p99 ")
                    .append(spread(none, s -> ns(s.mark1().p99())).format(CompareTable::durOf, rounds)).append(" for mark 1, ")
                    .append(spread(none, s -> ns(s.mark2().p99())).format(CompareTable::durOf, rounds)).append(" for mark 2). ");
        }
        for (List<Summary> l : byLabel) {
            String where = whereItWaited(l);
            if (!where.isEmpty()) {
                sb.append("Under ").append(l.get(0).label()).append(" the coordinator waited ").append(where).append(". ");
            }
        }
        if (park != null && yield != null && park.stream().anyMatch(s -> !s.assist().isEmpty())
                && yield.stream().anyMatch(s -> !s.assist().isEmpty())) {
            Spread p = spread(park, s -> ns(s.assist().p50()));
            Spread y = spread(yield, s -> ns(s.assist().p50()));
            sb.append("When an assist completed marking, park's coordinator waited a median ").append(p.format(CompareTable::durOf, rounds))
                    .append(" and park-yield's ").append(y.format(CompareTable::durOf, rounds));
            if (rounds > 1 && p.overlaps(y)) {
                sb.append(", ranges that overlap: the difference lies inside the rounds' spread, not an effect these rounds show. ");
            } else {
                sb.append(y.median() > 0 ? String.format(Locale.ROOT, " (%.0fx)", p.median() / y.median()) : "").append(
                        ": under park the assisting goroutine keeps its P until something deschedules it, under park-yield it yields "
                                + "at once (Go's CL 12670, \"yield to GC coordinator after assist completion\"). ");
            }
        } else if (park != null && yield != null) {
            sb.append("No assist completed marking under both park and park-yield in ").append(rounds == 1 ? "this run" : "these rounds")
                    .append(", so the case of CL 12670 (an assist that completes marking) did not arise. ");
        }
        if (note != null && yield != null) {
            Spread n = spread(note, Summary::overHgMean);
            Spread y = spread(yield, Summary::overHgMean);
            if (!n.isEmpty() && !y.isEmpty()) {
                java.util.function.DoubleFunction<String> x = v -> String.format(Locale.ROOT, "%.2fx", v);
                sb.append("The heap at mark termination averaged ").append(n.format(x, rounds)).append(" H_g under note and ")
                        .append(y.format(x, rounds)).append(" under park-yield")
                        .append(rounds > 1 && n.overlaps(y) ? " (ranges that overlap: inside the rounds' spread)" : "")
                        .append("; mutators allocated a mean ").append(spread(note, Summary::mark1AllocatedMean).format(CompareTable::mb, rounds))
                        .append(" while the coordinator waited for mark 1 under note, ")
                        .append(spread(yield, Summary::mark1AllocatedMean).format(CompareTable::mb, rounds)).append(" under park-yield. ");
            }
        }
        if (rounds > 1) {
            List<Spread> tput = byLabel.stream().map(l -> spread(l, Summary::opsPerSec)).toList();
            sb.append("Throughput: ");
            for (int i = 0; i < byLabel.size(); i++) {
                sb.append(i == 0 ? "" : i == byLabel.size() - 1 ? " and " : ", ")
                        .append(tput.get(i).format(v -> String.format(Locale.ROOT, "%.1f", v), rounds)).append(i == 0 ? " ops/s under " : " under ")
                        .append(labels.get(i));
            }
            sb.append(". ").append(overlaps("throughput", labels, tput, rounds));
        } else {
            sb.append("These are single runs (one round): nothing here says how much a figure varies from run to run, so a difference "
                    + "may be noise; give --rounds 3 or more to see each figure's spread before reading a difference as an effect.");
        }
        return wrap(sb.toString().trim(), 100);
    }

    /**
     * Which configurations' ranges of one figure overlap ("inside the rounds' spread"), or that none
     * do; nothing for one round or one configuration.
     */
    static String overlaps(String what, List<String> labels, List<Spread> spreads, int rounds) {
        if (rounds < 2 || labels.size() < 2) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                if (spreads.get(i).overlaps(spreads.get(j))) {
                    pairs.add(labels.get(i) + " and " + labels.get(j));
                }
            }
        }
        if (pairs.isEmpty()) {
            return "No two ranges of " + what + " overlap across the " + rounds + " rounds. ";
        }
        return "The ranges of " + what + " overlap for " + String.join("; ", pairs) + ": "
                + (pairs.size() == 1 ? "that difference lies" : "those differences lie")
                + " inside the rounds' spread, not an effect these rounds show. ";
    }

    /**
     * "on the global queue after a preemption in 70% of the waits (median 30 ms), ...": the two
     * commonest paths over the rounds' waits (counts added, the median of each round's median), or
     * "too few cycles (n)" under {@link #MIN_CYCLES_FOR_PERCENT} waits; empty when nobody waited.
     */
    static String whereItWaited(List<Summary> rounds) {
        Map<gort.sched.Enqueued, Long> counts = new java.util.EnumMap<>(gort.sched.Enqueued.class);
        for (Summary s : rounds) {
            for (var e : s.mark1Waited().entrySet()) {
                counts.merge(e.getKey(), e.getValue().count(), Long::sum);
            }
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "";
        }
        List<Map.Entry<gort.sched.Enqueued, Long>> es = new ArrayList<>(counts.entrySet());
        es.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        if (total < MIN_CYCLES_FOR_PERCENT) {
            long most = es.get(0).getValue();
            return "in too few cycles (" + total + ") for shares of the waits; " + (most == total ? "every time " : "most often ")
                    + where(es.get(0).getKey()) + (most == total ? "" : ", " + most + " of the " + total);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(2, es.size()); i++) {
            gort.sched.Enqueued e = es.get(i).getKey();
            Spread median = spread(rounds, s -> s.mark1Waited().containsKey(e) ? s.mark1Waited().get(e).p50() : Double.NaN);
            sb.append(i == 0 ? "" : ", and ").append(where(e))
                    .append(String.format(Locale.ROOT, " in %.0f%% of the waits (median %s)", 100.0 * es.get(i).getValue() / total,
                            median.format(CompareTable::durOf, rounds.size())));
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

    /** The rounds of the configuration labelled name (a strategy's name when compare runs the strategies), or null. */
    private static List<Summary> find(List<List<Summary>> byLabel, String name) {
        for (List<Summary> l : byLabel) {
            if (l.get(0).label().equals(name)) {
                return l;
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
