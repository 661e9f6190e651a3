package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Go 1.5's pacing controller, checked against the formulas of mgc.go and the pacing design. */
class PacerTest {
    private static final long MB = 1 << 20;

    @Test
    void workersAreAQuarterOfTheProcsSplitIntoDedicatedAndFractional() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        assertThat(p.dedicatedWorkersNeeded()).isEqualTo(1);
        assertThat(p.fractionalWorkersNeeded()).isZero();
        p.startCycle(6, 4 * MB, 0);
        assertThat(p.dedicatedWorkersNeeded()).isEqualTo(1);
        assertThat(p.fractionalUtilizationGoal()).isCloseTo(0.5, within(1e-12));
        assertThat(p.fractionalWorkersNeeded()).isEqualTo(1);
        p.startCycle(2, 4 * MB, 0);
        assertThat(p.dedicatedWorkersNeeded()).isZero();
        assertThat(p.fractionalUtilizationGoal()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theWorkerFractionAblationSetsTheWorkersShareAndTheFeedbacksGoal() {
        Pacer half = new Pacer(100, 0.5);
        half.startCycle(4, 4 * MB, 0);
        assertThat(half.dedicatedWorkersNeeded()).isEqualTo(2);
        assertThat(half.fractionalWorkersNeeded()).isZero();
        half.startCycle(3, 4 * MB, 0);
        assertThat(half.dedicatedWorkersNeeded()).isEqualTo(1);
        assertThat(half.fractionalUtilizationGoal()).isCloseTo(0.5, within(1e-12));
        // the same cycle with no assists: at Go's 0.25 and at 0.5 the utilization is on goal, so the
        // trigger moves by the growth error alone, the same for both
        Pacer go = new Pacer(100);
        for (Pacer p : new Pacer[] {go, half}) {
            p.startCycle(4, 4 * MB, 0);
            p.assistsStarted(0);
            p.markStarted(0);
            p.endCycle(6 * MB, 4, 10_000_000, 3 * MB);
        }
        assertThat(half.triggerRatio()).isCloseTo(go.triggerRatio(), within(1e-12));
        // one assist's time is a smaller share of the goal when the goal is larger: the trigger falls less
        for (Pacer p : new Pacer[] {go, half}) {
            p.startCycle(4, 4 * MB, 0);
            p.assistsStarted(0);
            p.markStarted(0);
            p.addAssistTime(8_000_000);
            p.endCycle(6 * MB, 4, 10_000_000, 3 * MB);
        }
        assertThat(half.triggerRatio()).isGreaterThan(go.triggerRatio());
        assertThatThrownBy(() -> new Pacer(100, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new Pacer(100, 1.5)).hasMessageContaining("(0, 1]");
    }

    @Test
    void dedicatedTokensAreTakenOnceEachAndGivenBack() {
        Pacer p = new Pacer(100);
        p.startCycle(8, 4 * MB, 0);
        assertThat(p.takeDedicated()).isTrue();
        assertThat(p.takeDedicated()).isTrue();
        assertThat(p.takeDedicated()).isFalse();
        p.workerDone(CompleterKind.DEDICATED, 1000);
        assertThat(p.takeDedicated()).isTrue();
    }

    @Test
    void fractionalWorkerRunsOnlyWhileUnderItsShareOfWallTime() {
        Pacer p = new Pacer(100);
        p.startCycle(2, 4 * MB, 0); // goal 0.5 of one P
        p.markStarted(0);
        assertThat(p.takeFractional(1_000_000)).isTrue();
        assertThat(p.takeFractional(1_000_000)).as("one token").isFalse();
        p.workerDone(CompleterKind.FRACTIONAL, 900_000); // ran 0.9 ms of the first 1 ms
        assertThat(p.takeFractional(1_000_000)).as("over its share").isFalse();
        assertThat(p.takeFractional(10_000_000)).as("under its share 9 ms later").isTrue();
    }

    @Test
    void firstCycleFakesHeapMarkedFromTheMinimumTrigger() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        long marked = (long) ((4 * MB) / (1 + 7 / 8.0));
        assertThat(p.heapGoal()).isEqualTo(marked + marked);
    }

    @Test
    void assistRatioIsExpectedScanWorkOverTheRemainingDistanceFlooredAtOneMiB() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        p.markStarted(0);
        p.endCycle(5 * MB, 4, 10_000_000, 3 * MB);
        long next = p.markDone(2 * MB, 5 * MB);
        assertThat(next).isGreaterThanOrEqualTo(p.heapMinimum());
        // next cycle: heap_scan = 3 MiB of scan work, distance = goal - start
        p.startCycle(4, 3 * MB, 3 * MB);
        long distance = Math.max(p.heapGoal() - 3 * MB, MB);
        assertThat(p.assistRatio()).isCloseTo((double) (3 * MB) / distance, within(1e-9));
    }

    @Test
    void heapOvershootLowersTheTriggerAndUndershootRaisesIt() {
        Pacer over = new Pacer(100);
        over.startCycle(4, 4 * MB, 0);
        over.markStarted(0);
        double t0 = over.triggerRatio();
        long marked = (long) (4 * MB / (1 + t0));
        over.endCycle((long) (marked * 2.5), 4, 1_000_000, 0); // grew 150%: past the goal
        assertThat(over.triggerRatio()).isLessThan(t0);

        Pacer under = new Pacer(100);
        under.startCycle(4, 4 * MB, 0);
        under.markStarted(0);
        under.endCycle((long) (marked * 1.1), 4, 1_000_000, 0); // marking finished early
        assertThat(under.triggerRatio()).isGreaterThan(t0);
    }

    @Property(tries = 200)
    void triggerRatioStaysWithinItsClamp(@ForAll @IntRange(min = 1, max = 400) int gogc,
            @ForAll @IntRange(min = 1, max = 16) int procs,
            @ForAll @LongRange(min = 1, max = 1L << 34) long heapLive,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long assistNs) {
        Pacer p = new Pacer(gogc);
        p.startCycle(procs, 4 * MB, 0);
        p.markStarted(0);
        p.assistTime.set(assistNs);
        p.endCycle(heapLive, procs, 100_000_000L, 0);
        assertThat(p.triggerRatio()).isBetween(0.0, gogc / 100.0 * 0.95);
        long next = p.markDone(heapLive / 2, heapLive);
        assertThat(next).isGreaterThanOrEqualTo(Pacer.heapMinimum(gogc));
        assertThat(next).isGreaterThanOrEqualTo(heapLive / 2 + Pacer.SWEEP_MIN_HEAP_DISTANCE * gogc / 100);
    }

    @Test
    void pacerTraceLinesHaveGosShape() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        assertThat(p.startTrace()).matches("pacer: assist ratio=\\S+ \\(scan \\d+ MB in \\d+->\\d+ MB\\) workers=\\d+\\+\\d+");
        p.markStarted(0);
        p.endCycle(6 * MB, 4, 5_000_000, 0);
        assertThat(p.endTrace()).startsWith("pacer: H_m_prev=").contains(" h_t=", " H_T=", " h_a=", " u_a/u_g=");
    }

    @Test
    void theTraceGivesHeapScanInMegabytesAsGoDoes() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        p.markStarted(0);
        p.endCycle(64 * MB, 4, 5_000_000, 32 * MB);
        p.markDone(40 * MB, 64 * MB);
        p.startCycle(4, 80 * MB, 32 * MB); // heap_scan is in bytes, as Go's
        assertThat(p.startTrace()).contains("(scan 32 MB in 80->");
    }

    @Property(tries = 50)
    void heapMinimumScalesWithGogcAsSetGCPercentSetsIt(@ForAll @IntRange(min = 0, max = 1000) int gogc) {
        Pacer p = new Pacer(gogc);
        assertThat(p.heapMinimum()).isEqualTo((4L << 20) * gogc / 100);
        assertThat(p.trigger()).as("the first trigger").isEqualTo(p.heapMinimum());
        long next = p.markDone(0, 0);
        assertThat(next).isEqualTo(Math.max(p.heapMinimum(), Pacer.SWEEP_MIN_HEAP_DISTANCE * gogc / 100));
    }

    @Test
    void theFirstCycleStartsFromGosSevenEighthsGuessWhateverGogc() {
        assertThat(new Pacer(1).triggerRatio()).isEqualTo(7 / 8.0);
        assertThat(new Pacer(400).triggerRatio()).isEqualTo(7 / 8.0);
    }

    @Test
    void theAssistRatioRisesAsScannableHeapIsAllocatedDuringACycle() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        assertThat(p.assistRatio()).as("nothing scannable yet").isZero();
        p.revise(4 * MB, 2 * MB);
        double second = p.assistRatio();
        p.revise(4 * MB, 6 * MB);
        assertThat(second).isPositive();
        assertThat(p.assistRatio()).isCloseTo(3 * second, within(1e-12)); // the distance stays the cycle's
    }

    @Test
    void backgroundCreditIsStolenUpToWhatIsThere() {
        Pacer p = new Pacer(100);
        p.startCycle(4, 4 * MB, 0);
        assertThat(p.stealBgScanCredit(100)).isZero();
        p.addBgScanCredit(2000);
        assertThat(p.stealBgScanCredit(500)).isEqualTo(500);
        assertThat(p.stealBgScanCredit(5000)).isEqualTo(1500);
        assertThat(p.stealBgScanCredit(1)).isZero();
    }

    @Test
    void gogcOffHasNoPacer() {
        assertThatThrownBy(() -> new Pacer(-1)).hasMessageContaining("GOGC >= 0");
    }
}
