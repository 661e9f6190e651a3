package gort.trace;

import gort.gc.CycleRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a run or comparison as JSON with Jackson's streaming generator:
 * {@code {"environment", "workload", "procs", "rounds", "order", "strategies": [...], "medians": [...]}}.
 * {@code environment} is the {@link RunEnvironment} (host, JVM, gort's build, every setting,
 * warnings); {@code order} lists each round's configurations in the order they ran;
 * {@code strategies} holds every run of every round (round by round, each with its round and its
 * position in that round's order), with its GOMAXPROCS, its summary figures and every per-cycle
 * record; {@code medians} gives each configuration's headline figures across the rounds (median,
 * min, max, and how many rounds had the figure). The top-level procs is null when the runs differ
 * in it ({@code compare --vary procs}).
 */
public final class JsonReport {
    private JsonReport() {}

    /** Writes single runs (one round) to file, a plain write (the CLI writes through its output-file handling). */
    public static void write(Path file, RunEnvironment env, String workload, int procs, List<StrategyRun> runs) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os, env, workload, procs, runs);
        }
    }

    /** Writes single runs (one round, in the order given) to os, which stays open. */
    public static void write(OutputStream os, RunEnvironment env, String workload, int procs, List<StrategyRun> runs) throws IOException {
        write(os, env, workload, procs, runs.stream().map(StrategyRun::label).toList(), List.of(runs));
    }

    /**
     * Writes a comparison over rounds to os, which stays open: {@code labels} are the
     * configurations in the table's order, {@code rounds} each round's runs in the order they ran.
     */
    public static void write(OutputStream os, RunEnvironment env, String workload, int procs, List<String> labels,
            List<List<StrategyRun>> rounds) throws IOException {
        try (JsonGenerator g = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build().createGenerator(os)) {
            g.writeStartObject();
            env.writeJson(g);
            g.writeStringProperty("workload", workload);
            if (procs > 0) {
                g.writeNumberProperty("procs", procs);
            } else {
                g.writeNullProperty("procs"); // each run's is in its entry
            }
            g.writeNumberProperty("rounds", rounds.size());
            g.writeName("order");
            g.writeStartArray();
            for (List<StrategyRun> round : rounds) {
                g.writeStartArray();
                for (StrategyRun run : round) {
                    g.writeString(run.label());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeName("strategies");
            g.writeStartArray();
            for (int r = 0; r < rounds.size(); r++) {
                for (int i = 0; i < rounds.get(r).size(); i++) {
                    strategy(g, rounds.get(r).get(i), Summary.of(rounds.get(r).get(i)), r + 1, i + 1);
                }
            }
            g.writeEndArray();
            g.writeName("medians");
            g.writeStartArray();
            for (String label : labels) {
                List<Summary> ss = new java.util.ArrayList<>();
                for (List<StrategyRun> round : rounds) {
                    for (StrategyRun run : round) {
                        if (run.label().equals(label)) {
                            ss.add(Summary.of(run));
                        }
                    }
                }
                medians(g, label, ss);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** The figures {@code medians} gives across rounds, by JSON name. */
    static final java.util.Map<String, java.util.function.ToDoubleFunction<Summary>> MEDIAN_FIGURES = medianFigures();

    private static java.util.Map<String, java.util.function.ToDoubleFunction<Summary>> medianFigures() {
        java.util.Map<String, java.util.function.ToDoubleFunction<Summary>> m = new java.util.LinkedHashMap<>();
        m.put("cycles", Summary::cycles);
        m.put("wakeup_mark1_p50_ns", s -> ns(s.mark1().p50()));
        m.put("wakeup_mark1_p90_ns", s -> ns(s.mark1().p90()));
        m.put("wakeup_mark1_p99_ns", s -> ns(s.mark1().p99()));
        m.put("wakeup_mark1_max_ns", s -> ns(s.mark1().max()));
        m.put("wakeup_mark2_p50_ns", s -> ns(s.mark2().p50()));
        m.put("wakeup_mark2_p99_ns", s -> ns(s.mark2().p99()));
        m.put("wakeup_assist_p50_ns", s -> ns(s.assist().p50()));
        m.put("heap_over_goal_mean", Summary::overGoalMean);
        m.put("heap_over_hg_mean", Summary::overHgMean);
        m.put("overshoot_ms_of_allocation_mean", Summary::overshootMsMean);
        m.put("mark1_allocated_while_waiting_mean_bytes", Summary::mark1AllocatedMean);
        m.put("sweep_term_max_ns", Summary::sweepTermMaxNs);
        m.put("mark_term_max_ns", Summary::markTermMaxNs);
        m.put("ops_per_sec", Summary::opsPerSec);
        m.put("jvm_gc_count", s -> s.jvmGc().count());
        m.put("jvm_gc_total_ns", s -> s.jvmGc().totalNs());
        return m;
    }

    private static double ns(long v) {
        return v < 0 ? Double.NaN : v;
    }

    private static void medians(JsonGenerator g, String label, List<Summary> rounds) {
        g.writeStartObject();
        g.writeStringProperty("label", label);
        g.writeStringProperty("strategy", rounds.get(0).strategy());
        g.writeNumberProperty("rounds", rounds.size());
        for (var e : MEDIAN_FIGURES.entrySet()) {
            Spread sp = Spread.of(rounds.stream().mapToDouble(e.getValue()).toArray());
            g.writeName(e.getKey());
            g.writeStartObject();
            number(g, "median", sp.median());
            number(g, "min", sp.min());
            number(g, "max", sp.max());
            g.writeNumberProperty("n", sp.n());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void strategy(JsonGenerator g, StrategyRun run, Summary s, int round, int position) {
        g.writeStartObject();
        g.writeStringProperty("strategy", s.strategy());
        g.writeStringProperty("label", s.label());
        if (!run.cycles().isEmpty()) {
            g.writeNumberProperty("procs", run.cycles().get(0).procs());
        }
        g.writeNumberProperty("round", round);
        g.writeNumberProperty("position", position);
        g.writeNumberProperty("cycles", s.cycles());
        g.writeBooleanProperty("assist_block", s.assistBlock());
        if (s.design() != null) {
            g.writeStringProperty("design", s.design());
        }
        percentiles(g, "wakeup_mark1_ns", s.mark1());
        percentiles(g, "wakeup_mark2_ns", s.mark2());
        percentiles(g, "wakeup_worker_ns", s.worker());
        percentiles(g, "wakeup_assist_ns", s.assist());
        percentiles(g, "wakeup_scheduler_ns", s.scheduler());
        percentiles(g, "wakeup_coordinator_ns", s.coordinator());
        mix(g, "mark1_completed_by", s.mark1By());
        mix(g, "mark2_completed_by", s.mark2By());
        g.writeName("mark1_waited");
        g.writeStartObject();
        for (var e : new java.util.TreeMap<>(s.mark1Waited()).entrySet()) {
            percentiles(g, e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
        }
        g.writeEndObject();
        g.writeName("heap_over_goal");
        g.writeStartObject();
        number(g, "mean", s.overGoalMean());
        number(g, "max", s.overGoalMax());
        g.writeNumberProperty("cycles", s.overGoalCycles());
        g.writeEndObject();
        g.writeName("heap_over_hg");
        g.writeStartObject();
        number(g, "mean", s.overHgMean());
        number(g, "max", s.overHgMax());
        number(g, "overshoot_ms_of_allocation_mean", s.overshootMsMean());
        g.writeEndObject();
        number(g, "mark1_allocated_while_waiting_mean_bytes", s.mark1AllocatedMean());
        g.writeNumberProperty("sweep_term_max_ns", s.sweepTermMaxNs());
        g.writeNumberProperty("mark_term_max_ns", s.markTermMaxNs());
        number(g, "ops_per_sec", s.opsPerSec());
        g.writeNumberProperty("ops", run.ops());
        number(g, "seconds", run.seconds());
        g.writeName("jvm_gc");
        g.writeStartObject();
        g.writeNumberProperty("count", run.jvmGc().count());
        g.writeNumberProperty("total_ns", run.jvmGc().totalNs());
        g.writeNumberProperty("max_ns", run.jvmGc().maxNs());
        g.writeNumberProperty("count_whole_run", run.jvmGc().runCount());
        g.writeNumberProperty("measured_window_ns", run.jvmGc().windowNs());
        g.writeEndObject();
        g.writeName("records");
        g.writeStartArray();
        for (CycleRecord r : run.cycles()) {
            record(g, r);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Counts of who completed a phase, keyed as the Go 1.5.1 anchor's by= codes are named. */
    private static void mix(JsonGenerator g, String name, CompleterMix m) {
        g.writeName(name);
        g.writeStartObject();
        g.writeNumberProperty("worker", m.worker());
        g.writeNumberProperty("assist", m.assist());
        g.writeNumberProperty("scheduler", m.scheduler());
        g.writeNumberProperty("arming", m.arming());
        g.writeEndObject();
    }

    private static void percentiles(JsonGenerator g, String name, Percentiles p) {
        g.writeName(name);
        g.writeStartObject();
        g.writeNumberProperty("count", p.count());
        if (!p.isEmpty()) {
            g.writeNumberProperty("p50", p.p50());
            g.writeNumberProperty("p90", p.p90());
            g.writeNumberProperty("p99", p.p99());
            g.writeNumberProperty("max", p.max());
        } else {
            for (String k : new String[] {"p50", "p90", "p99", "max"}) {
                g.writeNullProperty(k);
            }
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, v);
        }
    }

    private static void record(JsonGenerator g, CycleRecord r) {
        g.writeStartObject();
        g.writeNumberProperty("cycle", r.cycle());
        g.writeBooleanProperty("forced", r.forced());
        g.writeBooleanProperty("assist_block", r.assistBlock());
        g.writeNumberProperty("start_ns", r.startNs());
        g.writeNumberProperty("end_ns", r.endNs());
        g.writeNumberProperty("heap_trigger", r.heapTrigger());
        g.writeNumberProperty("heap_goal", r.heapGoal());
        g.writeNumberProperty("hg_goal", r.hgGoal());
        g.writeNumberProperty("heap_at_termination", r.heapAtTermination());
        g.writeNumberProperty("heap_marked", r.heapMarked());
        g.writeNumberProperty("next_gc", r.nextGC());
        completion(g, "mark1", r.mark1());
        completion(g, "mark2", r.mark2());
        g.writeNumberProperty("sweep_term_pause_ns", r.sweepTermPauseNs());
        g.writeNumberProperty("mark_term_pause_ns", r.markTermPauseNs());
        g.writeNumberProperty("assist_ns", r.assistNs());
        g.writeNumberProperty("dedicated_ns", r.dedicatedNs());
        g.writeNumberProperty("fractional_ns", r.fractionalNs());
        g.writeNumberProperty("idle_ns", r.idleNs());
        g.writeEndObject();
    }

    private static void completion(JsonGenerator g, String name, CycleRecord.Completion c) {
        if (c == null) {
            g.writeNullProperty(name);
            return;
        }
        g.writeName(name);
        g.writeStartObject();
        g.writeStringProperty("completer", c.completer().name().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberProperty("done_ns", c.doneNs());
        g.writeNumberProperty("resumed_ns", c.resumedNs());
        g.writeNumberProperty("wakeup_ns", c.delayNs());
        g.writeNumberProperty("heap_at_done", c.heapAtDone());
        g.writeNumberProperty("heap_at_resume", c.heapAtResume());
        g.writeNumberProperty("allocated_while_waiting", c.allocatedWhileWaiting());
        g.writeStringProperty("waited", c.waited().name().toLowerCase(java.util.Locale.ROOT));
        g.writeEndObject();
    }
}
