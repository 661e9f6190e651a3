package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.sched.Enqueued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** The figures of a comparison, computed from per-cycle records; their table, words and JSON. */
class SummaryTest {
    static CycleRecord.Completion done(CompleterKind k, long doneNs, long delay) {
        return done(k, doneNs, delay, Enqueued.RUNNEXT);
    }

    static CycleRecord.Completion done(CompleterKind k, long doneNs, long delay, Enqueued waited) {
        return new CycleRecord.Completion(k, doneNs, doneNs + delay, 10, 20, waited);
    }

    static final long MB = 1L << 20;

    /**
     * heapTerm and goal in hundredths of an 8 MiB base: cycle(..., 110, 100, ...) is 1.1x the goal; H_g is twice the
     * goal; the heap at the trigger is the base, and mark termination comes 400 µs after the start.
     */
    static CycleRecord cycle(int n, CompleterKind k1, long d1, CompleterKind k2, long d2, long heapTerm, long goal, long stw) {
        long g = goal * 8 * MB / 100;
        long h = heapTerm * 8 * MB / 100;
        return new CycleRecord(n, false, "park", false, 4, n * 1_000_000L, n * 1_000_000L + 500_000, 8 * MB, g, 2 * g, h, 50, 200,
                done(k1, n * 1_000_000L + 100, d1), done(k2, n * 1_000_000L + 300_000, d2), stw, 100_000, 1, 2, 3, 4);
    }

    static StrategyRun run(String name, List<CycleRecord> cs) {
        return new StrategyRun(name, cs, 1000, 2.0, new StrategyRun.JvmGc(3, 12_000_000, 7_000_000));
    }

    /** A program that ran no concurrent cycle gets one sentence saying so, not a paragraph of dashes. */
    @Test
    void theParagraphSaysSoWhenNoCycleRan() {
        String p = CompareTable.paragraph(List.of(Summary.of(run("note", List.of())), Summary.of(run("park", List.of()))));
        assertThat(p).startsWith("No concurrent GC cycle completed").doesNotContain("median -");
    }

    @Test
    void percentilesOfKnownValues() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = (i + 1) * 1000L; // 1..100 µs
        }
        Percentiles p = Percentiles.of(v);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isBetween(49_900L, 50_100L);
        assertThat(p.p90()).isBetween(89_900L, 90_100L);
        assertThat(p.p99()).isBetween(98_900L, 99_100L);
        assertThat(p.max()).isEqualTo(100_000);
        assertThat(Percentiles.of(new long[0])).isEqualTo(Percentiles.EMPTY);
        assertThatThrownBy(() -> Percentiles.of(new long[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 50)
    void percentilesAreOrderedAndWithinTheData(@ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 10_000_000_000L) Long> xs) {
        long[] v = xs.stream().mapToLong(Long::longValue).toArray();
        Percentiles p = Percentiles.of(v);
        long min = xs.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = xs.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(p.max()).isEqualTo(max);
        assertThat(p.p50()).isLessThanOrEqualTo(p.p90());
        assertThat(p.p90()).isLessThanOrEqualTo(p.p99());
        // HdrHistogram with 3 significant digits: within 0.1% of the exact values
        assertThat(p.p99()).isLessThanOrEqualTo(max + max / 1000 + 1);
        assertThat(p.p50()).isGreaterThanOrEqualTo(min - min / 1000 - 1);
    }

    @Test
    void summarySplitsWakeupsByPhaseAndCompleterAndSkipsForcedCycles() {
        List<CycleRecord> cs = new ArrayList<>();
        cs.add(cycle(1, CompleterKind.DEDICATED, 1_000, CompleterKind.ASSIST, 9_000_000, 110, 100, 300_000));
        cs.add(cycle(2, CompleterKind.SCHEDULER, 3_000, CompleterKind.IDLE, 5_000, 90, 100, 700_000));
        cs.add(new CycleRecord(3, true, "park", false, 4, 0, 1, 1, 1, 0, 1, 1, 1, null, null, 0, 2_000_000, 0, 0, 0, 0));
        Summary s = Summary.of(run("park", cs));
        assertThat(s.cycles()).isEqualTo(2);
        assertThat(s.mark1().count()).isEqualTo(2);
        assertThat(s.mark1().max()).isEqualTo(3_000);
        assertThat(s.mark2().max()).isEqualTo(9_000_000);
        assertThat(s.assist().count()).isEqualTo(1);
        assertThat(s.assist().p50()).isBetween(8_990_000L, 9_010_000L);
        assertThat(s.worker().count()).as("dedicated and idle").isEqualTo(2);
        assertThat(s.worker().max()).isEqualTo(5_000);
        assertThat(s.scheduler().count()).isEqualTo(1);
        assertThat(s.coordinator().isEmpty()).isTrue();
        assertThat(s.mark1Waited()).containsOnlyKeys(Enqueued.RUNNEXT);
        assertThat(s.overGoalMean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.overGoalMax()).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.overHgMean()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.sweepTermMaxNs()).isEqualTo(700_000);
        assertThat(s.markTermMaxNs()).as("the forced cycle's pause counts").isEqualTo(2_000_000);
        assertThat(s.opsPerSec()).isEqualTo(500);
    }

    @Test
    void theOvershootInMillisecondsOfAllocationIsTheExcessOverHgAtTheCyclesOwnRate() {
        // 8 MiB at the start, 24 MiB at mark termination 400 µs later: 40 MiB/ms; H_g 16 MiB: 8 MiB over = 0.2 ms
        CycleRecord r = new CycleRecord(1, false, "park", false, 4, 0, 500_000, 8 * MB, 12 * MB, 16 * MB, 24 * MB, 1, 1,
                done(CompleterKind.IDLE, 0, 1), done(CompleterKind.IDLE, 0, 1), 1, 100_000, 0, 0, 0, 0);
        assertThat(Summary.overshootMs(r)).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.overHg()).isEqualTo(1.5);
        assertThat(r.overGoal()).isEqualTo(2.0);
    }

    @Test
    void theParagraphSaysWhereTheCoordinatorWaited() {
        List<CycleRecord> cs = new ArrayList<>();
        for (int i = 1; i <= 20; i++) { // (the fewest cycles that give shares of the waits)
            CycleRecord c = cycle(i, CompleterKind.DEDICATED, 30_000_000, CompleterKind.DEDICATED, 20_000, 120, 100, 1);
            cs.add(new CycleRecord(i, false, "park", false, 4, c.startNs(), c.endNs(), c.heapTrigger(), c.heapGoal(), c.hgGoal(),
                    c.heapAtTermination(), 1, 1, done(CompleterKind.DEDICATED, c.startNs() + 100, 30_000_000,
                            i == 20 ? Enqueued.RUNNEXT : Enqueued.GLOBAL_PREEMPTED), c.mark2(), 1, 1, 0, 0, 0, 0));
        }
        String p = CompareTable.paragraph(List.of(Summary.of(run("park", cs)))).replace('\n', ' ');
        assertThat(p).contains("after sysmon preempted it before it could park in 95% of the waits (median 30.0 ms)")
                .contains("in the completer's runnext in 5% of the waits");
    }

    @Test
    void theParagraphReadsTheNumbersBack() {
        List<Summary> ss = List.of(
                Summary.of(run("note", List.of(cycle(1, CompleterKind.DEDICATED, 50_000_000, CompleterKind.DEDICATED, 30_000_000, 120, 100, 1)))),
                Summary.of(run("park", List.of(cycle(1, CompleterKind.ASSIST, 4_000_000, CompleterKind.DEDICATED, 20_000, 105, 100, 1)))),
                Summary.of(run("park-yield", List.of(cycle(1, CompleterKind.ASSIST, 40_000, CompleterKind.DEDICATED, 20_000, 101, 100, 1)))));
        String p = CompareTable.paragraph(ss).replace('\n', ' ');
        assertThat(p).contains("the transition to mark 2 began a median 50.0 ms after marking was done under note, 4.00 ms under park and 40.0 µs under park-yield")
                .containsPattern("\\(note 12[45]\\dx park-yield\\)");
        assertThat(p).contains("park's coordinator waited a median 4.00 ms and park-yield's 40.0 µs (100x)");
        assertThat(p).contains("0.60x H_g under note and 0.50x under park-yield");
        String t = CompareTable.table(ss);
        assertThat(t.lines().findFirst().orElseThrow()).contains("note").contains("park").contains("park-yield");
        assertThat(t).contains("mark 1 wakeup delay p50").contains("heap at mark term / H_g").contains("host JVM GC");
    }

    @Test
    void aCollapsedGoalIsLeftOutOfTheOvershootOverGoalButNotOutOfTheOneOverHg() {
        // Go 1.5's goal can come out near zero (heap_reachable estimated at ~0): gctrace prints "0 MB goal"
        CycleRecord r = new CycleRecord(1, false, "park", false, 4, 0, 1, 100, MB / 2, 4 * MB, 6 * MB, 50, 200,
                done(CompleterKind.IDLE, 0, 1), done(CompleterKind.IDLE, 0, 1), 1, 1, 0, 0, 0, 0);
        assertThat(r.overGoal()).isNaN();
        assertThat(r.overHg()).isEqualTo(1.5);
        Summary s = Summary.of(run("park", List.of(r)));
        assertThat(s.overGoalCycles()).isZero();
        assertThat(s.overHgMean()).isEqualTo(1.5);
    }

    @Test
    void durationsPrintInReadableUnits() {
        assertThat(CompareTable.dur(420)).isEqualTo("420 ns");
        assertThat(CompareTable.dur(85_000)).isEqualTo("85.0 µs");
        assertThat(CompareTable.dur(12_345_678)).isEqualTo("12.3 ms");
        assertThat(CompareTable.dur(1_200_000_000)).isEqualTo("1.20 s");
        assertThat(CompareTable.dur(-1)).isEqualTo("-");
    }

    @Test
    void jsonHasTheSummaryFieldsAndEveryRecord(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out.json");
        List<CycleRecord> cs = List.of(cycle(1, CompleterKind.DEDICATED, 1_000, CompleterKind.ASSIST, 9_000, 110, 100, 300));
        JsonReport.write(f, RunEnvironment.capture(java.util.Map.of("GOMAXPROCS", "4"), 4), "json", 4, List.of(run("note", cs),
                run("park-yield", cs)));
        List<String> names = new ArrayList<>();
        int records = 0;
        try (JsonParser p = new JsonFactory().createParser(Files.newInputStream(f))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME) {
                    names.add(p.currentName());
                    if (p.currentName().equals("cycle")) {
                        records++;
                    }
                }
            }
        }
        assertThat(names).contains("environment", "host", "cpus", "load_average", "jvm", "vendor", "gort", "commit", "dirty", "settings",
                "GOMAXPROCS", "warnings", "rounds", "order", "round", "position", "medians");
        assertThat(names).contains("workload", "procs", "strategies", "strategy", "cycles", "wakeup_mark1_ns", "wakeup_mark2_ns",
                "p50", "p90", "p99", "max", "wakeup_assist_ns", "wakeup_worker_ns", "wakeup_scheduler_ns", "mark1_waited",
                "heap_over_goal", "heap_over_hg", "mean", "sweep_term_max_ns", "mark_term_max_ns", "ops_per_sec", "records",
                "completer", "waited", "hg_goal", "wakeup_ns");
        assertThat(records).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("out.json.tmp"))).isFalse();
    }
}
