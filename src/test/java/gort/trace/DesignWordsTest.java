package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.sched.Enqueued;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What trace stats, the compare table and the report say fits the design that ran: under
 * {@code none}, which has no coordinator, nothing waits and nothing resumes, the goroutine that
 * completed a phase takes the transition itself; and a caption says what its plot plots.
 */
class DesignWordsTest {
    static TraceStats.Wait wait(String strategy, int cycle, int phase, String completer) {
        return new TraceStats.Wait(cycle, phase, strategy, completer, 1_000_000, 2_000_000, 2_040_000, "running on P1 0.040 ms",
                List.of(new TraceStats.Ran(0, "G7 main.worker", 40_000)), "= record");
    }

    @Test
    void traceStatsUnderNoneNamesTheTransitionNotACoordinator() {
        String none = TraceStats.format(new TraceStats.Result("gort (none)", List.of(wait("none", 1, 1, "coordinator"),
                wait("none", 1, 2, "assist")), 2, 0, List.of(), false));
        assertThat(none).startsWith("trace of gort (none): 2 transitions (no coordinator: the goroutine that completed a phase took "
                + "the transition itself)\n")
                .contains("mark 1 delay (done -> transition): n=1 p50 40.0 µs")
                .contains("GC 1 mark 1 (none): done at 2.000 ms by the goroutine that armed the phase, at arming, transition began after "
                        + "40.0 µs")
                .contains("GC 1 mark 2 (none): done at 2.000 ms by assist, transition began after 40.0 µs")
                .contains("    the goroutine that took the transition: running on P1 0.040 ms\n");
        assertThat(none.replace("no coordinator", "")).doesNotContain("coordinator").doesNotContain("resumed").doesNotContain("waits");

        String park = TraceStats.format(new TraceStats.Result("gort (park)", List.of(wait("park", 1, 1, "coordinator")), 1, 0, List.of(),
                true));
        assertThat(park).startsWith("trace of gort (park): 1 waits of the GC coordinator\n")
                .contains("mark 1 wakeup delay (done -> resumed): n=1")
                .contains("done at 2.000 ms by the coordinator, at arming, resumed after 40.0 µs")
                .contains("    coordinator: running on P1 0.040 ms\n");
    }

    @Test
    void theCompleterAtArmingIsTheCoordinatorOnlyWhereThereIsOne() {
        assertThat(CompleterKind.doneBy("coordinator", true)).isEqualTo("by the coordinator, at arming");
        assertThat(CompleterKind.doneBy("coordinator", false)).isEqualTo("by the goroutine that armed the phase, at arming");
        assertThat(CompleterKind.doneBy("fractional", false)).isEqualTo("by fractional");
        assertThat(CompleterKind.doneBy("worker", true)).as("a Go 1.5.1 trace's name").isEqualTo("by worker");
        assertThat(gort.gc.WakeupStrategy.hasCoordinator("none")).isFalse();
        assertThat(gort.gc.WakeupStrategy.hasCoordinator("park-yield")).isTrue();
        assertThat(gort.gc.WakeupStrategy.hasCoordinator("?")).isTrue();
    }

    static CycleRecord cycle(String strategy, CompleterKind k) {
        long mb = 1 << 20;
        return new CycleRecord(1, false, strategy, false, 2, 0, 500_000, 4 * mb, 8 * mb, 8 * mb, 9 * mb, 4 * mb, 8 * mb,
                new CycleRecord.Completion(k, 100_000, 101_500, 5 * mb, 5 * mb, Enqueued.NONE),
                new CycleRecord.Completion(CompleterKind.ASSIST, 300_000, 302_000, 6 * mb, 6 * mb, Enqueued.NONE), 1000, 1000, 0, 0, 0, 0);
    }

    @Test
    void theReportsWakeupWindowsUnderNoneNameTheTransition() {
        WakeupTimeline.Window w = new WakeupTimeline.Window("none", "median", cycle("none", CompleterKind.COORDINATOR), 1, -2_900_000,
                1_101_500, List.of("P0", "P1", "coordinator"), List.of(), 100_000, 101_500, "coordinator", "P1", "running on P1 0.002 ms");
        String none = HtmlReport.windowCaption(w, false);
        assertThat(none).startsWith("marking was done by the goroutine that armed the phase, at arming, on P1; it started the transition "
                + "itself 1.50 µs later.");
        assertThat(none).doesNotContain("coordinator");
        assertThat(HtmlReport.windowCaption(w, true)).startsWith("marking was done by the coordinator, at arming, on P1; the coordinator "
                + "resumed 1.50 µs later.");
        assertThat(HtmlReport.windowsIntro(false, true)).doesNotContain("coordinator").contains("began the transition");
        assertThat(HtmlReport.windowsIntro(true, false)).contains("until after the coordinator ran again").doesNotContain("none");
        assertThat(HtmlReport.windowsIntro(true, true)).contains("under none");
        // the picture's lane and legend
        assertThat(WakeupTimeline.laneName("coordinator", false)).isEqualTo("transition");
        assertThat(WakeupTimeline.laneName("coordinator", true)).isEqualTo("coordinator");
        for (WakeupTimeline.Kind k : WakeupTimeline.Kind.values()) {
            assertThat(k.label(false)).doesNotContain("coordinator");
        }
    }

    @Test
    void theCompareTableAsksWhereTheCoordinatorWaitedOnlyWhenARunHadOne() {
        StrategyRun.JvmGc gc = new StrategyRun.JvmGc(0, 0, 0);
        String none = CompareTable.table(List.of(Summary.of(new StrategyRun("none", List.of(cycle("none", CompleterKind.ASSIST)), 1, 1.0,
                gc))));
        assertThat(none).contains("at arming (already done)").doesNotContain("coordinator");
        String both = CompareTable.table(List.of(Summary.of(new StrategyRun("park", List.of(cycle("park", CompleterKind.IDLE)), 1, 1.0, gc)),
                Summary.of(new StrategyRun("none", List.of(cycle("none", CompleterKind.ASSIST)), 1, 1.0, gc))));
        assertThat(both).contains("mark 1: where the coordinator waited");
    }

    @Test
    void theOvershootCaptionSaysWhatThePlotPlots() {
        var chart = HtmlReport.overshootChart(List.of());
        assertThat(chart.getTitle()).startsWith("Heap at mark termination ÷ H_g");
        assertThat(chart.getYAxisTitle()).isEqualTo("heap ÷ H_g");
        assertThat(HtmlReport.OVERSHOOT_CAPTION).startsWith("Heap at mark termination ÷ H_g (the heap marked in the previous cycle × (1 + "
                + "GOGC/100)").doesNotContain("4 MiB").doesNotContain("cycle's goal");
    }
}
