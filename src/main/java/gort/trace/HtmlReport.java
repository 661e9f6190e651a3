package gort.trace;

import gort.gc.CycleRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a comparison as an HTML page with plots made by XChart (PNG files beside it): the
 * wakeup-delay CDF of every strategy on one log-scaled axis, and for each strategy the heap over
 * time against the goal and the trigger. Owns only the files it writes in its directory
 * ({@code index.html}, {@code wakeup-cdf.png}, {@code overshoot.png}, {@code heap-<strategy>.png}); the page embeds the
 * same table and paragraph {@code gort compare} prints.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)};

    /** The report of single runs (one round), without wakeup windows. */
    public static Path write(Path dir, RunEnvironment env, String workload, int procs, List<StrategyRun> runs, String commandLine)
            throws IOException {
        return write(dir, env, workload, procs, runs.stream().map(List::of).toList(), commandLine, java.util.Map.of(), aboutStrategies());
    }

    /** What the runs of a compare over the wakeup strategies differ in, from the strategies' registry. */
    public static String aboutStrategies() {
        StringBuilder sb = new StringBuilder("How the collector learns that a phase of concurrent marking is done: ");
        gort.gc.WakeupStrategy[] all = gort.gc.WakeupStrategy.values();
        for (int i = 0; i < all.length; i++) {
            sb.append(i == 0 ? "" : "; ").append(all[i].flag()).append(" — ").append(all[i].description());
        }
        return sb.append('.').toString();
    }

    /**
     * The report of a comparison: {@code byLabel} holds each configuration's runs in round order.
     * The page opens with where and how it was measured ({@link RunEnvironment#lines}), then the
     * table and paragraph compare prints (medians and ranges over the rounds); the plots show each
     * configuration's first round. With a raw trace per configuration (label → file, of its first
     * round), the page also shows the wakeup window of the median and of the worst mark-1
     * completion of each ({@link WakeupTimeline}); {@code about} says in a sentence what the runs
     * differ in.
     */
    public static Path write(Path dir, RunEnvironment env, String workload, int procs, List<List<StrategyRun>> byLabel, String commandLine,
            java.util.Map<String, Path> rawTraces, String about) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<List<Summary>> ss = new ArrayList<>();
        List<StrategyRun> runs = new ArrayList<>();
        int rounds = 1;
        for (List<StrategyRun> l : byLabel) {
            ss.add(l.stream().map(Summary::of).toList());
            runs.add(l.get(0));
            rounds = Math.max(rounds, l.size());
        }
        BitmapEncoder.saveBitmap(wakeupCdf(runs, workload, procs), dir.resolve("wakeup-cdf").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(overshootChart(runs), dir.resolve("overshoot").toString(), BitmapEncoder.BitmapFormat.PNG);
        StringBuilder imgs = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            StrategyRun r = runs.get(i);
            String name = "heap-" + r.label();
            BitmapEncoder.saveBitmap(heapChart(r, COLORS[i % COLORS.length]), dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
            imgs.append("<figure><img src=\"").append(name).append(".png\" alt=\"heap over time, ").append(esc(r.label()))
                    .append("\"><figcaption>").append(esc(r.label())).append(": live heap at each point of a cycle (trigger, ")
                    .append("mark 1 done, mark 2 done, mark termination, marked) against the cycle's goal and the next trigger, ")
                    .append("for the first cycles of the run.")
                    .append("</figcaption></figure>\n");
        }
        StringBuilder windows = new StringBuilder();
        boolean anyCoordinator = false;
        boolean anyWithout = false;
        for (StrategyRun r : runs) {
            Path raw = rawTraces.get(r.label());
            if (raw == null) {
                continue;
            }
            RawTrace t = RawTrace.open(raw);
            boolean coordinator = gort.gc.WakeupStrategy.hasCoordinator(r.strategy());
            anyCoordinator |= coordinator;
            anyWithout |= !coordinator;
            for (var pick : WakeupTimeline.picks(r.cycles())) {
                WakeupTimeline.Window w = WakeupTimeline.read(t, r.label(), pick.getKey(), pick.getValue(), 1);
                String name = "wakeup-" + r.label() + "-" + pick.getKey();
                WakeupTimeline.write(w, dir.resolve(name + ".png"), 1300);
                windows.append("<figure><img src=\"").append(name).append(".png\" alt=\"").append(esc(r.label() + ", " + pick.getKey()))
                        .append(" mark-1 wakeup window\"><figcaption><b>").append(esc(r.label())).append(", ").append(pick.getKey())
                        .append(" mark-1 wakeup</b> (GC ").append(pick.getValue().cycle()).append("): ")
                        .append(esc(windowCaption(w, coordinator))).append("</figcaption></figure>\n");
            }
        }
        if (windows.length() > 0) {
            windows.insert(0, "<h2>Wakeup windows</h2>\n<p>" + esc(windowsIntro(anyCoordinator, anyWithout)) + "</p>\n");
        }
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gort compare " + esc(workload)
                + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                + "pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%;border:1px solid #ddd}"
                + "figure{margin:1.5em 0}figcaption{color:#555;font-size:90%}</style></head><body>\n"
                + "<h1>gort compare " + esc(workload) + (procs > 0 ? " — GOMAXPROCS=" + procs : "") + "</h1>\n"
                + "<p>" + esc(about) + " Command: <code>" + esc(commandLine) + "</code></p>\n"
                + "<pre>" + esc(String.join("\n", env.lines())) + "</pre>\n"
                + (rounds > 1 ? "<p>Each figure of the table is the median of the " + rounds + " rounds with its range; the plots show "
                        + "each configuration's first round.</p>\n" : "")
                + "<pre>" + esc(CompareTable.tableOverRounds(ss)) + "</pre>\n<p>" + esc(CompareTable.paragraphOverRounds(ss)).replace("\n", " ") + "</p>\n"
                + "<figure><img src=\"wakeup-cdf.png\" alt=\"wakeup delay CDF\"><figcaption>Wakeup delay (resumed − done) of every "
                + "completion of marking, mark 1 and mark 2, as a cumulative distribution on a log axis.</figcaption></figure>\n"
                + "<figure><img src=\"overshoot.png\" alt=\"overshoot per cycle\"><figcaption>" + esc(OVERSHOOT_CAPTION)
                + "</figcaption></figure>\n"
                + imgs + windows + "</body></html>\n";
        Path index = dir.resolve("index.html");
        Files.writeString(index, html, StandardCharsets.UTF_8);
        return index;
    }

    /** What overshoot.png shows ({@link #overshootChart}), in words. */
    static final String OVERSHOOT_CAPTION = "Heap at mark termination ÷ H_g (the heap marked in the previous cycle × (1 + GOGC/100), "
            + "the goal gcpacertrace prints), every concurrent cycle of each run, over the time since the run's first cycle; above 1, "
            + "the heap ran past that goal.";

    /**
     * The caption of one wakeup window: who completed marking and on which P, how long until the
     * next step began — the coordinator's resumption or, with no coordinator, the completer's own
     * transition — the path it went, and what ran meanwhile.
     */
    static String windowCaption(WakeupTimeline.Window w, boolean coordinator) {
        return "marking was done " + gort.gc.CompleterKind.doneBy(w.completer(), coordinator) + ", on " + w.completerLane()
                + (coordinator ? "; the coordinator resumed " : "; it started the transition itself ")
                + CompareTable.dur(w.resumed() - w.done()) + " later. It went: " + w.path() + ". Meanwhile " + w.ranDuringWait() + ".";
    }

    /** The paragraph above the wakeup windows, in the words of the designs the runs have (with a coordinator, without, or both). */
    static String windowsIntro(boolean anyCoordinator, boolean anyWithout) {
        String until = anyCoordinator && anyWithout ? "until after the coordinator ran again (under none, which has no coordinator, "
                + "until after the goroutine that completed marking began the transition)"
                : anyCoordinator ? "until after the coordinator ran again" : "until after the goroutine that completed marking began the transition";
        String where = anyCoordinator && anyWithout ? "where the coordinator (or the goroutine taking the transition) sat"
                : anyCoordinator ? "where the coordinator sat" : "where the goroutine taking the transition sat";
        return "For each strategy, the median and the worst mark-1 completion of the run, from the run's execution trace: each P's "
                + "lane from 3 ms before marking was done " + until + ", what ran on it (mutators, mark workers, assists), and " + where
                + ". The runs were traced for these pictures (see docs/BENCHMARKS.md for the tracer's cost).";
    }

    /**
     * The names of the files {@link #write} makes for runs labelled {@code labels}, with the wakeup
     * windows when the runs were traced, so that a caller can check them before the runs (keep in
     * step with write: a test compares the two).
     */
    public static List<String> fileNames(List<String> labels, boolean withWindows) {
        List<String> names = new ArrayList<>(List.of("index.html", "wakeup-cdf.png", "overshoot.png"));
        for (String s : labels) {
            names.add("heap-" + s + ".png");
            if (withWindows) {
                for (String pick : WakeupTimeline.PICKS) {
                    names.add("wakeup-" + s + "-" + pick + ".png");
                }
            }
        }
        return names;
    }

    static XYChart wakeupCdf(List<StrategyRun> runs, String workload, int procs) {
        XYChart c = new XYChartBuilder().width(1000).height(560).title("Wakeup delay after marking is done — " + workload
                + (procs > 0 ? ", GOMAXPROCS=" + procs : "")).xAxisTitle("wakeup delay (µs, log scale)").yAxisTitle("fraction of completions ≤ x").build();
        style(c);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int i = 0; i < runs.size(); i++) {
            StrategyRun r = runs.get(i);
            List<Double> d = new ArrayList<>();
            for (CycleRecord rec : r.cycles()) {
                if (!rec.forced()) {
                    d.add(Math.max(rec.mark1().delayNs(), 1) / 1e3);
                    d.add(Math.max(rec.mark2().delayNs(), 1) / 1e3);
                }
            }
            if (d.isEmpty()) {
                continue;
            }
            double[] x = d.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] y = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                y[k] = (k + 1) / (double) x.length;
            }
            XYSeries s = c.addSeries(r.label() + " (n=" + x.length + ")", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(COLORS[i % COLORS.length]);
            s.setLineStyle(new BasicStroke(2.5f));
        }
        return c;
    }

    /** Cycles shown in a heap-over-time plot: enough to see the saw-tooth, few enough to read it. */
    static final int HEAP_WINDOW = 16;

    static XYChart heapChart(StrategyRun r, Color color) {
        List<CycleRecord> all = r.cycles();
        List<CycleRecord> win = all.subList(0, Math.min(HEAP_WINDOW, all.size()));
        XYChart c = new XYChartBuilder().width(1000).height(420)
                .title("Heap over time — " + r.label() + " (first " + win.size() + " of " + all.size() + " cycles)")
                .xAxisTitle("time since start (s)").yAxisTitle("MiB").build();
        style(c);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(5);
        List<double[]> heap = new ArrayList<>();
        List<double[]> goal = new ArrayList<>();
        List<double[]> hg = new ArrayList<>();
        List<double[]> trigger = new ArrayList<>();
        for (CycleRecord rec : win) {
            double t0 = rec.startNs() / 1e9;
            double t1 = rec.endNs() / 1e9;
            heap.add(new double[] {t0, mib(rec.heapTrigger())});
            if (!rec.forced()) {
                heap.add(new double[] {rec.mark1().doneNs() / 1e9, mib(rec.mark1().heapAtDone())});
                heap.add(new double[] {rec.mark2().doneNs() / 1e9, mib(rec.mark2().heapAtDone())});
                // Go 1.5's goal (its reachable-heap estimate can collapse), and H_g beside it
                goal.add(new double[] {t0, mib(rec.heapGoal())});
                goal.add(new double[] {t1, mib(rec.heapGoal())});
                hg.add(new double[] {t0, mib(rec.hgGoal())});
                hg.add(new double[] {t1, mib(rec.hgGoal())});
            }
            heap.add(new double[] {t1, mib(rec.heapAtTermination())});
            heap.add(new double[] {t1, mib(rec.heapMarked())});
            trigger.add(new double[] {t1, mib(rec.nextGC())});
        }
        if (heap.isEmpty()) {
            heap.add(new double[] {0, 0});
        }
        addSeries(c, "heap (live + unswept)", heap, color, false);
        if (!goal.isEmpty()) {
            addSeries(c, "goal of the cycle", goal, Color.DARK_GRAY, true);
            addSeries(c, "H_g (marked before x (1 + GOGC/100))", hg, new Color(0x2CA02C), true);
        }
        if (!trigger.isEmpty()) {
            addSeries(c, "next trigger", trigger, new Color(0xFF7F0E), true);
        }
        return c;
    }

    /** Heap at mark termination ÷ H_g for every cycle of every strategy, over the cycles' start times. */
    static XYChart overshootChart(List<StrategyRun> runs) {
        XYChart c = new XYChartBuilder().width(1000).height(420).title("Heap at mark termination ÷ H_g, every cycle")
                .xAxisTitle("time since start of its run (s)").yAxisTitle("heap ÷ H_g").build();
        style(c);
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(4);
        for (int i = 0; i < runs.size(); i++) {
            StrategyRun r = runs.get(i);
            List<double[]> pts = new ArrayList<>();
            long t0 = r.cycles().isEmpty() ? 0 : r.cycles().get(0).startNs();
            for (CycleRecord rec : r.cycles()) {
                if (!Double.isNaN(rec.overHg())) {
                    pts.add(new double[] {(rec.startNs() - t0) / 1e9, rec.overHg()});
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = pts.get(k)[0];
                y[k] = pts.get(k)[1];
            }
            XYSeries sr = c.addSeries(r.label(), x, y);
            sr.setMarker(SeriesMarkers.CIRCLE);
            sr.setMarkerColor(COLORS[i % COLORS.length]);
        }
        return c;
    }

    private static void addSeries(XYChart c, String name, List<double[]> pts, Color color, boolean dashed) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(dashed ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(1.5f));
    }

    private static void style(XYChart c) {
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xDDDDDD));
        st.setChartTitleFont(st.getChartTitleFont().deriveFont(18f));
        st.setLegendFont(st.getLegendFont().deriveFont(14f));
        st.setAxisTickLabelsFont(st.getAxisTickLabelsFont().deriveFont(13f));
        st.setAxisTitleFont(st.getAxisTitleFont().deriveFont(14f));
        st.setAntiAlias(true);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
