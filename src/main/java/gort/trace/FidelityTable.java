package gort.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * The side-by-side of the real Go 1.5.1 runtime and gort ({@code gort fidelity}): for each
 * configuration (wakeup strategy, assist mode) and each runtime (the anchor, gort at full speed,
 * gort at the anchor's allocation rate), the median over the rounds of each run's figures
 * ({@link GcLog.Figures}); then, per configuration and round, the matched run's allocation rate
 * over the anchor's run of that round (within 10% either way, {@link #rateLines}); per configuration, gort against the anchor on the two figures
 * the wakeup strategies are about (mark 1's median wakeup, within 3x either way; the mean heap at
 * mark termination over the goal, within 0.15), and whether the claims of the two Go changes
 * behind the strategies still read true in gort ({@link #clClaims}: golang/go CL 9291, note's
 * mark-1 median at least 10 ms and 30x park-yield's; CL 12670, on assist-completed marks, park at
 * least 10x park-yield). Owns only the results and their formatting.
 */
public final class FidelityTable {
    public static final String GO = "go1.5.1";
    public static final String GORT = "gort";
    public static final String GORT_MATCHED = "gort-matched";
    /** The node work of a table whose matched runs were held at the anchor's rate, not fixed. */
    public static final int HELD = -1;
    /** How far a matched run's allocation rate may be from the anchor's, either way, as a fraction. */
    static final double RATE_TOLERANCE = 0.10;

    private final Map<String, Map<String, List<GcLog.Figures>>> results;
    private final int nodeWork;

    /**
     * @param results per configuration label, per runtime, one figures per round (the anchor's and
     *     the matched runs' lists in the same round order)
     * @param nodeWork the matched runs' fixed --node-work, or {@link #HELD}
     */
    public FidelityTable(Map<String, Map<String, List<GcLog.Figures>>> results, int nodeWork) {
        this.results = results;
        this.nodeWork = nodeWork;
    }

    /** The median over rounds of one figure (NaN values left out; NaN if none). */
    static double median(List<GcLog.Figures> fs, ToDoubleFunction<GcLog.Figures> f) {
        double[] v = fs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double ns(long v) {
        return v < 0 ? Double.NaN : v;
    }

    /** The columns: a name and how to read it from one run's figures. */
    private record Col(String name, ToDoubleFunction<GcLog.Figures> f, boolean duration) {}

    private static final List<Col> COLS = List.of(
            new Col("cycles", f -> f.cycles(), false),
            new Col("mark1 p50", f -> ns(f.mark1().p50()), true),
            new Col("p90", f -> ns(f.mark1().p90()), true),
            new Col("p99", f -> ns(f.mark1().p99()), true),
            new Col("mark2 p50", f -> ns(f.mark2().p50()), true),
            new Col("p90", f -> ns(f.mark2().p90()), true),
            new Col("p99", f -> ns(f.mark2().p99()), true),
            new Col("m1 worker p50", f -> ns(f.mark1Worker().p50()), true),
            new Col("m1 assist p50", f -> ns(f.mark1Assist().p50()), true),
            new Col("heap/goal", GcLog.Figures::overGoalMean, false),
            new Col("heap/H_g", GcLog.Figures::overHgMean, false),
            new Col("over H_g ms", GcLog.Figures::overshootMsMean, false),
            new Col("STW sweep max", f -> f.sweepTermMaxMs() * 1e6, true),
            new Col("STW markterm max", f -> f.markTermMaxMs() * 1e6, true),
            new Col("ops/s", GcLog.Figures::opsPerSec, false),
            new Col("alloc MB/s", f -> f.allocBytesPerSec() / 1e6, false),
            new Col("KB/op", f -> f.allocBytesPerOp() / 1e3, false));

    /** The table, the per-configuration verdicts and the check of the CLs' claims. */
    public String render() {
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[COLS.size() + 2];
        head[0] = "config";
        head[1] = "runtime";
        for (int i = 0; i < COLS.size(); i++) {
            head[i + 2] = COLS.get(i).name();
        }
        rows.add(head);
        for (var c : results.entrySet()) {
            for (var r : c.getValue().entrySet()) {
                String[] row = new String[COLS.size() + 2];
                row[0] = c.getKey();
                row[1] = r.getKey();
                for (int i = 0; i < COLS.size(); i++) {
                    Col col = COLS.get(i);
                    double v = median(r.getValue(), col.f());
                    row[i + 2] = Double.isNaN(v) ? "-" : col.duration() ? CompareTable.dur((long) v)
                            : col.name().equals("cycles") ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
                }
                rows.add(row);
            }
        }
        int[] w = new int[head.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("medians over ").append(rounds()).append(" interleaved rounds; ").append(GORT_MATCHED).append(nodeWork == HELD
                ? " holds json's allocation rate at the anchor's run just before it (--alloc-rate)"
                : " runs json with --node-work " + nodeWork).append("; alloc MB/s and KB/op from each run's gctrace and pacer lines\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String s = r[i];
                String pad = " ".repeat(w[i] - s.length());
                sb.append(i < 2 ? s + pad : pad + s).append(i == r.length - 1 ? "" : "  ");
            }
            sb.append('\n');
        }
        sb.append('\n');
        for (var c : results.entrySet()) {
            for (String rt : List.of(GORT, GORT_MATCHED)) {
                String v = verdict(c.getKey(), rt);
                if (v != null) {
                    sb.append(v).append('\n');
                }
            }
        }
        sb.append(rateLines());
        sb.append(mixes());
        sb.append(clClaims()).append('\n');
        return sb.toString();
    }

    /** A matched run's allocation rate over the anchor's in the same round; NaN if either is missing. */
    public double rateRatio(String config, int round) {
        Map<String, List<GcLog.Figures>> m = results.get(config);
        if (m == null || m.get(GO) == null || m.get(GORT_MATCHED) == null || round >= m.get(GO).size()
                || round >= m.get(GORT_MATCHED).size()) {
            return Double.NaN;
        }
        return m.get(GORT_MATCHED).get(round).allocBytesPerSec() / m.get(GO).get(round).allocBytesPerSec();
    }

    /** Per configuration, each round's matched allocation rate beside the anchor's, and whether all are within 10%. */
    String rateLines() {
        StringBuilder sb = new StringBuilder();
        for (var c : results.entrySet()) {
            List<GcLog.Figures> go = c.getValue().get(GO);
            List<GcLog.Figures> matched = c.getValue().get(GORT_MATCHED);
            if (go == null || matched == null) {
                continue;
            }
            if (sb.isEmpty()) {
                sb.append("allocation rate, ").append(GORT_MATCHED).append(" / ").append(GO).append(" per round (MB/s):\n");
            }
            sb.append(String.format(Locale.ROOT, "  %-17s", c.getKey()));
            boolean all = true;
            for (int r = 0; r < Math.min(go.size(), matched.size()); r++) {
                double x = rateRatio(c.getKey(), r);
                all &= Math.abs(x - 1) <= RATE_TOLERANCE;
                sb.append(String.format(Locale.ROOT, " r%d %.1f/%.1f = %s", r + 1, matched.get(r).allocBytesPerSec() / 1e6,
                        go.get(r).allocBytesPerSec() / 1e6, Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2fx", x)));
            }
            sb.append(all ? " (every round within 10%)" : " (OUTSIDE 10% in a round)").append('\n');
        }
        return sb.toString();
    }

    /** Who completed mark 1 and mark 2, per configuration and runtime, every round's cycles pooled. */
    String mixes() {
        StringBuilder sb = new StringBuilder("completed by worker/assist/scheduler/arming, % of the cycles of every round (n):\n");
        for (var c : results.entrySet()) {
            for (var r : c.getValue().entrySet()) {
                CompleterMix m1 = CompleterMix.NONE;
                CompleterMix m2 = CompleterMix.NONE;
                for (GcLog.Figures f : r.getValue()) {
                    m1 = m1.add(f.mark1By());
                    m2 = m2.add(f.mark2By());
                }
                sb.append(String.format(Locale.ROOT, "  %-17s %-12s mark 1 %s (%d), mark 2 %s (%d)\n", c.getKey(), r.getKey(),
                        m1.percents(), m1.total(), m2.percents(), m2.total()));
            }
        }
        return sb.toString();
    }

    private int rounds() {
        return results.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).max().orElse(0);
    }

    /** Mark 1's median wakeup, gort ÷ anchor; NaN if either is missing. */
    public double mark1Ratio(String config, String runtime) {
        return ratio(config, runtime, f -> ns(f.mark1().p50()));
    }

    /** Mean heap at mark termination over the goal, gort − anchor; NaN if either is missing. */
    public double overGoalDiff(String config, String runtime) {
        Map<String, List<GcLog.Figures>> m = results.get(config);
        if (m == null || m.get(GO) == null || m.get(runtime) == null) {
            return Double.NaN;
        }
        return median(m.get(runtime), GcLog.Figures::overGoalMean) - median(m.get(GO), GcLog.Figures::overGoalMean);
    }

    private double ratio(String config, String runtime, ToDoubleFunction<GcLog.Figures> f) {
        Map<String, List<GcLog.Figures>> m = results.get(config);
        if (m == null || m.get(GO) == null || m.get(runtime) == null) {
            return Double.NaN;
        }
        return median(m.get(runtime), f) / median(m.get(GO), f);
    }

    private String verdict(String config, String runtime) {
        double r = mark1Ratio(config, runtime);
        double d = overGoalDiff(config, runtime);
        if (Double.isNaN(r) && Double.isNaN(d)) {
            return null;
        }
        boolean rOk = r >= 1 / 3.0 && r <= 3;
        boolean dOk = Math.abs(d) <= 0.15;
        return String.format(Locale.ROOT, "%-17s %-12s mark-1 p50 %s/%s = %s (%s); heap/goal %s - %s = %+.2f (%s)", config, runtime,
                runtime, GO, Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r), rOk ? "within 3x" : "OUTSIDE 3x", runtime,
                GO, d, dOk ? "within 0.15" : "OUTSIDE 0.15");
    }

    /**
     * Whether the claims of CL 9291 (park/ready: the wakeup that its message reports at ~100 ms
     * under the note becomes short) and CL 12670 (yield after an assist's completion) read true in gort's
     * full-speed runs with non-blocking assists, as the runtime the two changes were made to had
     * them: note's mark-1 median at least 10 ms and at least 30x park-yield's; on marks an assist
     * completed, park's median at least 10x park-yield's.
     */
    String clClaims() {
        double note = med("note", GORT, f -> ns(f.mark1().p50()));
        double yield = med("park-yield", GORT, f -> ns(f.mark1().p50()));
        double parkAssist = med("park", GORT, f -> ns(f.assist().p50()));
        double yieldAssist = med("park-yield", GORT, f -> ns(f.assist().p50()));
        return String.format(Locale.ROOT, "the CLs' claims in gort (non-blocking assists): CL 9291: note mark-1 p50 %s (>= 10 ms: %s), "
                + "note / park-yield %s (>= 30x: %s); CL 12670: assist-completed park / park-yield %s (>= 10x: %s)", dur(note), yes(note, note >= 10e6),
                x(note / yield), yes(note / yield, note / yield >= 30), x(parkAssist / yieldAssist),
                yes(parkAssist / yieldAssist, parkAssist / yieldAssist >= 10));
    }

    /** yes/NO, or "not measured" when the figure is missing (a configuration not run). */
    private static String yes(double v, boolean b) {
        return Double.isNaN(v) ? "not measured" : yes(b);
    }

    private double med(String config, String runtime, ToDoubleFunction<GcLog.Figures> f) {
        Map<String, List<GcLog.Figures>> m = results.get(config);
        return m == null || m.get(runtime) == null ? Double.NaN : median(m.get(runtime), f);
    }

    private static String dur(double ns) {
        return Double.isNaN(ns) ? "-" : CompareTable.dur((long) ns);
    }

    private static String x(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0fx", v);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }

    /** Every run's figures and the medians, as JSON, after where and how they were measured ({@link RunEnvironment}). */
    public void writeJson(Path file, RunEnvironment env, int procs, int rounds, String anchor) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); JsonGenerator g = new JsonFactory().createGenerator(os)) {
            g.writeStartObject();
            env.writeJson(g);
            g.writeNumberProperty("procs", procs);
            g.writeNumberProperty("rounds", rounds);
            if (nodeWork == HELD) {
                g.writeStringProperty("node_work", "held at the anchor's allocation rate");
            } else {
                g.writeNumberProperty("node_work", nodeWork);
            }
            g.writeStringProperty("anchor", anchor);
            g.writeName("configs");
            g.writeStartArray();
            for (var c : results.entrySet()) {
                for (var r : c.getValue().entrySet()) {
                    g.writeStartObject();
                    g.writeStringProperty("config", c.getKey());
                    g.writeStringProperty("runtime", r.getKey());
                    g.writeName("median");
                    g.writeStartObject();
                    for (Col col : COLS) {
                        number(g, key(col), median(r.getValue(), col.f()));
                    }
                    g.writeEndObject();
                    g.writeName("rounds");
                    g.writeStartArray();
                    for (int i = 0; i < r.getValue().size(); i++) {
                        GcLog.Figures f = r.getValue().get(i);
                        g.writeStartObject();
                        for (Col col : COLS) {
                            number(g, key(col), col.f().applyAsDouble(f));
                        }
                        if (r.getKey().equals(GORT_MATCHED)) {
                            number(g, "alloc_rate_over_go", rateRatio(c.getKey(), i));
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static String key(Col c) {
        int i = COLS.indexOf(c);
        String prev = i > 0 && c.name().startsWith("p") ? (i <= 3 ? "mark1_" : "mark2_") : "";
        return (prev + c.name()).toLowerCase(Locale.ROOT).replace("ops/s", "ops_per_s").replace("mb/s", "mb_per_s").replace("kb/op", "kb_per_op").replace(' ', '_').replace("/", "_over_")
                + (c.duration() ? "_ns" : "");
    }

    private static void number(JsonGenerator g, String name, double v) {
        if (Double.isNaN(v)) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, v);
        }
    }

    @Override
    public String toString() {
        return "FidelityTable" + Arrays.toString(results.keySet().toArray());
    }
}
