package gort.trace;

import gort.gc.CycleRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The report's picture of one wakeup: P lanes from a few milliseconds before a phase of marking
 * was done until after the coordinator resumed, with what each P ran (mutator goroutines, mark
 * workers, assists, the coordinator), the completion and the resumption as vertical lines, and a
 * lane for the coordinator saying where it sat (blocked, in the note's syscall, runnable in a
 * runnext or on the global queue, running). Under a design without a coordinator ({@code none})
 * the same picture is labelled for what it shows there: the goroutine that completed marking and
 * its path to the transition, on a lane named "transition". Read from the run's raw trace by
 * {@link TraceModel} (window-limited); drawn with JFreeChart's interval bars. Owns nothing.
 */
public final class WakeupTimeline {
    private WakeupTimeline() {}

    /** What a bar shows. */
    enum Kind {
        MUTATOR("mutator goroutine", new Color(0x9ECAE1)),
        WORKER("background mark worker", new Color(0xFDAE6B)),
        ASSIST("assist (inside a mutator)", new Color(0xE6550D)),
        RUNTIME("other runtime goroutine", new Color(0xBDBDBD)),
        COORD_RUNNING("coordinator running", new Color(0x31A354)),
        COORD_BLOCKED("coordinator blocked (parked or in the note's syscall)", new Color(0x756BB1)),
        COORD_RUNNABLE("coordinator runnable, not running", new Color(0xDE2D26));

        final String label;
        final Color color;

        Kind(String label, Color color) {
            this.label = label;
            this.color = color;
        }

        /** The legend's words: with no coordinator, its lane is the goroutine taking the transition. */
        String label(boolean coordinator) {
            return coordinator ? label : switch (this) {
                case COORD_RUNNING -> "taking the transition: running";
                case COORD_BLOCKED -> "taking the transition: blocked";
                case COORD_RUNNABLE -> "taking the transition: runnable, not running";
                default -> label;
            };
        }
    }

    /** The name the coordinator's lane is shown under: with no coordinator, it carries the transition. */
    static String laneName(String lane, boolean coordinator) {
        return !coordinator && lane.equals("coordinator") ? "transition" : lane;
    }

    record Bar(String lane, long start, long end, String name, Kind kind) {}

    /** One wakeup's window, read from a trace. */
    public record Window(String strategy, String which, CycleRecord record, int phase, long from, long to, List<String> lanes,
            List<Bar> bars, long done, long resumed, String completer, String completerLane, String path) {
        /** Per lane, what ran between done and resumed, the longest first ("P0: G25 json.worker 4.2 ms, ..."). */
        public String ranDuringWait() {
            StringBuilder sb = new StringBuilder();
            for (String lane : lanes) {
                if (!lane.startsWith("P")) {
                    continue;
                }
                Map<String, Long> by = new TreeMap<>();
                for (Bar b : bars) {
                    if (b.lane().equals(lane) && b.kind() != Kind.ASSIST) {
                        long ov = Math.min(b.end(), resumed) - Math.max(b.start(), done);
                        if (ov > 0) {
                            by.merge(b.name(), ov, Long::sum);
                        }
                    }
                }
                List<Map.Entry<String, Long>> l = new ArrayList<>(by.entrySet());
                l.sort(Map.Entry.<String, Long>comparingByValue().reversed());
                sb.append(sb.length() > 0 ? "; " : "").append(lane).append(':');
                if (l.isEmpty()) {
                    sb.append(" idle");
                }
                for (int i = 0; i < Math.min(3, l.size()); i++) {
                    sb.append(i == 0 ? " " : ", ").append(l.get(i).getKey()).append(' ').append(CompareTable.dur(l.get(i).getValue()));
                }
                if (l.size() > 3) {
                    sb.append(", +").append(l.size() - 3).append(" more");
                }
            }
            return sb.toString();
        }
    }

    /** The median and the worst mark-1 completion of a run's records (measured cycles), as (label, record) pairs. */
    /** The names of the completions {@link #picks} picks, in order. */
    public static final List<String> PICKS = List.of("median", "worst");

    public static List<Map.Entry<String, CycleRecord>> picks(List<CycleRecord> cycles) {
        List<CycleRecord> l = new ArrayList<>(cycles.stream().filter(r -> !r.forced()).toList());
        if (l.isEmpty()) {
            return List.of();
        }
        l.sort(Comparator.comparingLong(r -> r.mark1().delayNs()));
        List<Map.Entry<String, CycleRecord>> out = new ArrayList<>();
        out.add(Map.entry(PICKS.get(0), l.get((l.size() - 1) / 2)));
        out.add(Map.entry(PICKS.get(1), l.get(l.size() - 1)));
        return out;
    }

    /** Reads the window around phase's wakeup of record r from the raw trace. */
    public static Window read(RawTrace raw, String strategy, String which, CycleRecord r, int phase) throws IOException {
        CycleRecord.Completion c = phase == 1 ? r.mark1() : r.mark2();
        long before = 3_000_000L;
        long after = Math.max(1_000_000L, c.delayNs() / 10);
        Collect sink = new Collect();
        TraceModel.replay(raw, sink, new TraceModel.Window(c.doneNs() - before, c.resumedNs() + after), List.of(), Map.of());
        List<String> lanes = new ArrayList<>();
        for (int p = 0; p <= raw.maxPid(); p++) {
            lanes.add("P" + p);
        }
        lanes.add("coordinator");
        String path = sink.paths.getOrDefault(r.cycle() + "/" + phase, "");
        String completerLane = sink.doneLanes.getOrDefault(r.cycle() + "/" + phase, "?");
        return new Window(strategy, which, r, phase, c.doneNs() - before, c.resumedNs() + after, lanes, sink.bars, c.doneNs(), c.resumedNs(),
                c.completer().name().toLowerCase(Locale.ROOT), completerLane, path);
    }

    /** Collects bars from the model's P lanes and the coordinator's track. */
    private static final class Collect implements TraceSink {
        private record Open(String name, long ts) {}

        final List<Bar> bars = new ArrayList<>();
        final Map<Track, ArrayDeque<Open>> open = new HashMap<>();
        final Map<String, String> paths = new HashMap<>();
        final Map<String, String> doneLanes = new HashMap<>();

        private static String lane(Track t) {
            if (t.group() == PROCS && t.tid() < 1_000_000) {
                return "P" + t.tid();
            }
            if (t.equals(TraceModel.COORDINATOR)) {
                return "coordinator";
            }
            return null;
        }

        @Override
        public void begin(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) {
            open.computeIfAbsent(t, k -> new ArrayDeque<>()).push(new Open(name, ts));
        }

        @Override
        public void end(Track t, long ts, Map<String, Object> args) {
            ArrayDeque<Open> st = open.get(t);
            Open o = st == null ? null : st.poll();
            String lane = lane(t);
            if (o == null || lane == null) {
                return;
            }
            int depth = st.size();
            if (lane.equals("coordinator")) {
                if (depth == 0 && args != null && args.get("path") != null) {
                    paths.put(args.get("cycle") + "/" + args.get("phase"), (String) args.get("path"));
                }
                if (depth == 1) {
                    Kind k = o.name.startsWith("running") ? Kind.COORD_RUNNING
                            : o.name.startsWith("runnable") ? Kind.COORD_RUNNABLE : Kind.COORD_BLOCKED;
                    bars.add(new Bar(lane, o.ts, ts, o.name, k));
                }
                return;
            }
            if (depth == 0) {
                String n = o.name;
                Kind k = n.endsWith(" runtime.gcBgMarkWorker") ? Kind.WORKER
                        : n.endsWith(" " + TraceModel.COORDINATOR_NAME) ? Kind.COORD_RUNNING
                        : n.contains(" runtime.") ? Kind.RUNTIME : Kind.MUTATOR;
                bars.add(new Bar(lane, o.ts, ts, n, k));
            } else if (o.name.equals("assist")) {
                bars.add(new Bar(lane, o.ts, ts, "assist", Kind.ASSIST));
            }
        }

        @Override
        public void instant(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) {
            if (name.matches("mark [12] done") && args != null && lane(t) != null) {
                doneLanes.put(args.get("cycle") + "/" + args.get("phase"), lane(t));
            }
        }

        @Override
        public void flowStart(Track t, long ts, String name, long id) {}

        @Override
        public void counter(String name, long ts, String[] series, long[] values) {}

        @Override
        public void close() {}
    }

    /** Draws w as a PNG of the given width. */
    public static void write(Window w, Path png, int width) throws IOException {
        System.setProperty("java.awt.headless", "true");
        boolean coordinator = gort.gc.WakeupStrategy.hasCoordinator(w.record.strategy());
        double t0 = w.done;
        double span = (w.to - w.from) / 1e6;
        // lanes bottom to top: the coordinator, then P0 at the top
        List<String> order = new ArrayList<>(w.lanes);
        java.util.Collections.reverse(order);
        order.remove("coordinator");
        order.add(0, "coordinator");
        Map<String, Integer> y = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            y.put(order.get(i), i);
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        Map<Kind, XYIntervalSeries> series = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            XYIntervalSeries s = new XYIntervalSeries(k.label(coordinator));
            series.put(k, s);
            data.addSeries(s);
        }
        List<XYTextAnnotation> labels = new ArrayList<>();
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        for (Bar b : w.bars) {
            double x0 = Math.max(b.start(), w.from) - t0;
            double x1 = Math.min(b.end(), w.to) - t0;
            if (x1 <= x0) {
                continue;
            }
            x0 /= 1e6;
            x1 /= 1e6;
            int lane = y.get(b.lane());
            double h = b.kind() == Kind.ASSIST ? 0.12 : 0.36;
            double yc = b.kind() == Kind.ASSIST ? lane - 0.24 : lane;
            series.get(b.kind()).add((x0 + x1) / 2, x0, x1, yc, yc - h, yc + h);
            if (b.kind() != Kind.ASSIST && (x1 - x0) > span * 0.07) {
                String text = shorten(b.name(), (int) ((x1 - x0) / span * width / 8));
                XYTextAnnotation a = new XYTextAnnotation(text, (x0 + x1) / 2, lane);
                a.setFont(labelFont);
                a.setPaint(b.kind() == Kind.COORD_RUNNABLE || b.kind() == Kind.COORD_BLOCKED ? Color.WHITE : Color.BLACK);
                labels.add(a);
            }
        }
        NumberAxis x = new NumberAxis("milliseconds since mark " + w.phase + " was done");
        x.setRange((w.from - t0) / 1e6, (w.to - t0) / 1e6);
        x.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String[] names = order.toArray(new String[0]);
        for (int k = 0; k < names.length; k++) {
            names[k] = laneName(names[k], coordinator) + (names[k].equals(w.completerLane) ? " (completer)" : "");
        }
        SymbolAxis lanes = new SymbolAxis(null, names);
        lanes.setTickLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        lanes.setGridBandsVisible(false);
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        r.setDefaultOutlinePaint(Color.WHITE);
        r.setDefaultOutlineStroke(new BasicStroke(0.5f));
        int i = 0;
        for (Kind k : Kind.values()) {
            r.setSeriesPaint(i, k.color);
            r.setSeriesOutlinePaint(i, Color.WHITE);
            i++;
        }
        XYPlot plot = new XYPlot(data, x, lanes, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinesVisible(false);
        labels.forEach(plot::addAnnotation);
        plot.addDomainMarker(new ValueMarker(0, new Color(0xD62728), new BasicStroke(2.5f)));
        plot.addDomainMarker(new ValueMarker((w.resumed - t0) / 1e6, new Color(0x2CA02C), new BasicStroke(2.5f)));
        String title = String.format(Locale.ROOT, "%s — %s mark-%d wakeup: GC %d, %s after done %s", w.strategy, w.which, w.phase,
                w.record.cycle(), CompareTable.dur(w.resumed - w.done), gort.gc.CompleterKind.doneBy(w.completer, coordinator));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 17), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        TextTitle lines = new TextTitle("red line: mark " + w.phase + " done (the CAS " + gort.gc.CompleterKind.doneBy(w.completer, coordinator)
                + ", on " + w.completerLane + ")   green line: " + (coordinator ? "the coordinator runs again" : "the transition begins")
                + " (+" + CompareTable.dur(w.resumed - w.done) + ")",
                new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.addSubtitle(lines);
        if (!w.path.isEmpty()) {
            TextTitle sub = new TextTitle((coordinator ? "coordinator: " : "taking the transition: ") + w.path, new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            sub.setMaximumLinesToDisplay(2);
            chart.addSubtitle(sub);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, 190 + 64 * order.size());
    }

    private static String shorten(String s, int max) {
        if (max < 4) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }
}
