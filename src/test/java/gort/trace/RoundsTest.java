package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.sched.Enqueued;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A comparison over rounds, from synthetic records: each figure's median and range, and the words
 * that read them back — a difference whose ranges overlap is called inside the rounds' spread, never
 * an effect; no share of the waits is drawn from fewer than 20 cycles; one round says it shows no
 * spread.
 */
class RoundsTest {
    /** n cycles whose mark-1 wakeup took delayNs, completed by kind, the coordinator waiting where it says. */
    static List<CycleRecord> cycles(int n, CompleterKind kind, long delayNs, Enqueued waited) {
        List<CycleRecord> cs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            CycleRecord c = SummaryTest.cycle(i, kind, delayNs, CompleterKind.DEDICATED, 20_000, 120, 100, 1);
            cs.add(new CycleRecord(i, false, "park", false, 4, c.startNs(), c.endNs(), c.heapTrigger(), c.heapGoal(), c.hgGoal(),
                    c.heapAtTermination(), 1, 1, SummaryTest.done(kind, c.startNs() + 100, delayNs, waited), c.mark2(), 1, 1, 0, 0, 0, 0));
        }
        return cs;
    }

    static Summary summary(String label, long delayNs, double seconds) {
        return Summary.of(new StrategyRun(label, cycles(3, CompleterKind.DEDICATED, delayNs, Enqueued.RUNNEXT), 1000, seconds,
                new StrategyRun.JvmGc(0, 0, 0)));
    }

    /** Three rounds of note and park-yield, their mark-1 delays (ms) and throughputs (1000 ops over s seconds) as given. */
    static List<List<Summary>> noteAndYield(long[] noteMs, long[] yieldMs, double[] noteS, double[] yieldS) {
        List<Summary> note = new ArrayList<>();
        List<Summary> yield = new ArrayList<>();
        for (int r = 0; r < noteMs.length; r++) {
            note.add(summary("note", noteMs[r] * 1_000_000, noteS[r]));
            yield.add(summary("park-yield", yieldMs[r] * 1_000_000, yieldS[r]));
        }
        return List.of(note, yield);
    }

    @Test
    void theSpreadIsTheMedianAndRangeOfTheRoundsThatHaveTheFigure() {
        Spread s = Spread.of(3, Double.NaN, 1, 2);
        assertThat(s.median()).isEqualTo(2);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(3);
        assertThat(s.n()).isEqualTo(3);
        assertThat(Spread.of(1, 2, 3, 4).median()).isEqualTo(2.5);
        assertThat(Spread.of(Double.NaN).isEmpty()).isTrue();
        assertThat(s.format(v -> String.format(java.util.Locale.ROOT, "%.0f", v), 4)).isEqualTo("2 (1–3; 3 of 4 rounds)");
        assertThat(Spread.of(1, 3).overlaps(Spread.of(3, 5))).isTrue();
        assertThat(Spread.of(1, 2.9).overlaps(Spread.of(3, 5))).isFalse();
        assertThat(Spread.NONE.overlaps(Spread.of(1, 2))).isFalse();
    }

    @Test
    void overlappingRangesAreCalledInsideTheSpreadNotAnEffect() {
        // note's delays 3, 5, 9 ms and park-yield's 2, 4, 6 ms overlap; so do the throughputs
        var rounds = noteAndYield(new long[] {3, 5, 9}, new long[] {2, 4, 6}, new double[] {2, 2.2, 2.1}, new double[] {2.1, 2, 2.3});
        String p = CompareTable.paragraphOverRounds(rounds).replace('\n', ' ');
        assertThat(p).contains("5.00 ms (3.00 ms–9.00 ms) after marking was done under note and 4.00 ms (2.00 ms–6.00 ms) under park-yield")
                .contains("The ranges of mark 1's median wakeup delay overlap for note and park-yield: that difference lies inside the "
                        + "rounds' spread, not an effect these rounds show.")
                .contains("The ranges of throughput overlap for note and park-yield")
                .doesNotContain("note 1x park-yield").doesNotContain("(note ").doesNotContain("single runs");
    }

    @Test
    void rangesApartGiveTheRatioAndSaySoOverTheRounds() {
        var rounds = noteAndYield(new long[] {40, 50, 60}, new long[] {1, 2, 3}, new double[] {2, 2, 2}, new double[] {1, 1, 1});
        String p = CompareTable.paragraphOverRounds(rounds).replace('\n', ' ');
        assertThat(p).contains("(note 25x park-yield)").contains("No two ranges of mark 1's median wakeup delay overlap across the 3 rounds.")
                .contains("Throughput: 500.0 ops/s under note and 1000.0 under park-yield")
                .contains("No two ranges of throughput overlap across the 3 rounds.")
                .doesNotContain("The ranges of mark 1's median wakeup delay overlap").doesNotContain("The ranges of throughput overlap")
                // the heap over H_g is the same in every run: that comparison lies inside the spread
                .contains("0.60x H_g under note and 0.60x under park-yield (ranges that overlap: inside the rounds' spread)");
    }

    @Test
    void oneRoundSaysItShowsNoSpread() {
        var rounds = noteAndYield(new long[] {40}, new long[] {1}, new double[] {2}, new double[] {1});
        String p = CompareTable.paragraphOverRounds(rounds).replace('\n', ' ');
        assertThat(p).contains("(note 40x park-yield)").contains("These are single runs (one round)").contains("--rounds 3")
                .doesNotContain("overlap");
    }

    @Test
    void noShareOfTheWaitsIsDrawnFromFewerThanTwentyCycles() {
        List<CycleRecord> few = new ArrayList<>(cycles(5, CompleterKind.DEDICATED, 30_000_000, Enqueued.GLOBAL_PREEMPTED));
        few.addAll(cycles(1, CompleterKind.DEDICATED, 1_000, Enqueued.RUNNEXT));
        String p = CompareTable.paragraph(List.of(Summary.of(SummaryTest.run("park", few)))).replace('\n', ' ');
        assertThat(p).contains("Under park the coordinator waited in too few cycles (6) for shares of the waits; most often on the global"
                + " run queue after sysmon preempted it before it could park, 5 of the 6.").doesNotContain("%");

        // the same over rounds: 3 rounds of 6 are still too few; 4 rounds of 6 give shares
        var three = List.of(List.of(Summary.of(SummaryTest.run("park", few)), Summary.of(SummaryTest.run("park", few)),
                Summary.of(SummaryTest.run("park", few))));
        assertThat(CompareTable.paragraphOverRounds(three).replace('\n', ' ')).contains("too few cycles (18)").doesNotContain("%");
        var four = List.of(List.of(Summary.of(SummaryTest.run("park", few)), Summary.of(SummaryTest.run("park", few)),
                Summary.of(SummaryTest.run("park", few)), Summary.of(SummaryTest.run("park", few))));
        assertThat(CompareTable.paragraphOverRounds(four).replace('\n', ' ')).contains("in 83% of the waits (median 30.0 ms)")
                .doesNotContain("too few");
    }

    @Test
    void whoCompletedGivesCountsUnderTwentyCyclesAndPercentagesFromTwenty() {
        assertThat(CompareTable.mixCell(new CompleterMix(3, 2, 1, 0))).isEqualTo("3/2/1/0 of 6");
        assertThat(CompareTable.mixCell(new CompleterMix(10, 9, 1, 0))).isEqualTo("50/45/5/0 % of 20");
        assertThat(CompareTable.mixCell(CompleterMix.NONE)).isEqualTo("-");
    }

    @Test
    void theTableOverRoundsGivesEachFigureItsMedianAndRange() {
        var rounds = noteAndYield(new long[] {3, 5, 9}, new long[] {2, 4, 6}, new double[] {2, 2.5, 4}, new double[] {2, 2, 2});
        String t = CompareTable.tableOverRounds(rounds);
        String head = t.lines().findFirst().orElseThrow();
        assertThat(head).startsWith("median (min–max) of 3 rounds").contains("note").contains("park-yield");
        String p50 = t.lines().filter(l -> l.startsWith("mark 1 wakeup delay p50")).findFirst().orElseThrow();
        assertThat(p50).contains("5.00 ms (3.00 ms–9.00 ms)").contains("4.00 ms (2.00 ms–6.00 ms)");
        String tput = t.lines().filter(l -> l.startsWith("throughput")).findFirst().orElseThrow();
        assertThat(tput).contains("400.0 (250.0–500.0)").contains("500.0");
        // one round: the table of single runs, unchanged
        assertThat(CompareTable.tableOverRounds(List.of(List.of(summary("note", 1_000_000, 1)))))
                .isEqualTo(CompareTable.table(List.of(summary("note", 1_000_000, 1))));
    }

    @Test
    void theTableHeaderSaysWhereAndUnderWhatItWasMeasured() {
        RunEnvironment env = RunEnvironment.capture(java.util.Map.of("GOMAXPROCS", "4"), 1_000_000);
        String t = CompareTable.tableOverRounds(env, List.of(List.of(summary("note", 1_000_000, 1))));
        assertThat(t).startsWith("host: " + Runtime.getRuntime().availableProcessors() + " CPU").contains("load ").contains("; Java ")
                .contains("; gort ").contains("\nsettings: GOMAXPROCS=4\n").contains("\nwarning: GOMAXPROCS=1000000 is more than this host's");
    }
}
