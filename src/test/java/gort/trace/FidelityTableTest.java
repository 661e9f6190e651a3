package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gort fidelity's table: the check of the two Go changes' claims on gort's own runs. */
class FidelityTableTest {
    /** One run's figures with the given mark-1 median and assist-completed median (ns). */
    static GcLog.Figures run(long mark1P50, long assistP50) {
        Percentiles m1 = new Percentiles(10, mark1P50, mark1P50, mark1P50, mark1P50);
        Percentiles as = new Percentiles(5, assistP50, assistP50, assistP50, assistP50);
        return run(mark1P50, assistP50, CompleterMix.NONE);
    }

    static GcLog.Figures run(long mark1P50, long assistP50, CompleterMix mark1By) {
        Percentiles m1 = new Percentiles(10, mark1P50, mark1P50, mark1P50, mark1P50);
        Percentiles as = new Percentiles(5, assistP50, assistP50, assistP50, assistP50);
        return new GcLog.Figures(10, m1, m1, m1, as, as, mark1By, CompleterMix.NONE, 1.5, 10, 1.0, 2.0, 1.0, 1.0, 30.0);
    }

    static FidelityTable table(long noteMark1, long parkAssist, long yieldMark1, long yieldAssist) {
        Map<String, Map<String, List<GcLog.Figures>>> results = new LinkedHashMap<>();
        results.put("note", Map.of(FidelityTable.GORT, List.of(run(noteMark1, noteMark1))));
        results.put("park", Map.of(FidelityTable.GORT, List.of(run(10_000_000, parkAssist))));
        results.put("park-yield", Map.of(FidelityTable.GORT, List.of(run(yieldMark1, yieldAssist))));
        return new FidelityTable(results, 0);
    }

    @Test
    void theClaimsLineNamesEachChangeAndWhatItChecks() {
        String line = table(100_000_000, 20_000_000, 100_000, 400_000).clClaims();
        assertThat(line).startsWith("the CLs' claims in gort (non-blocking assists): ")
                .contains("CL 9291: note mark-1 p50 100 ms (>= 10 ms: yes), note / park-yield 1000x (>= 30x: yes)")
                .contains("CL 12670: assist-completed park / park-yield 50x (>= 10x: yes)");
        assertThat(table(100_000_000, 20_000_000, 100_000, 400_000).render()).contains(line);
    }

    @Test
    void whoCompletedMarkOneIsPooledOverTheRoundsPerRuntime() {
        Map<String, Map<String, List<GcLog.Figures>>> results = new LinkedHashMap<>();
        Map<String, List<GcLog.Figures>> park = new LinkedHashMap<>();
        park.put(FidelityTable.GO, List.of(run(1, 1, new CompleterMix(40, 39, 5, 0))));
        park.put(FidelityTable.GORT, List.of(run(1, 1, new CompleterMix(3, 1, 0, 0)), run(1, 1, new CompleterMix(1, 2, 1, 2))));
        results.put("park", park);
        String mix = new FidelityTable(results, 0).mixes();
        assertThat(mix).contains("park              go1.5.1      mark 1 48/46/6/0 (84)")
                .contains("park              gort         mark 1 40/30/10/20 (10)");
    }

    @Test
    void aClaimWhoseConfigurationsWereNotRunSaysSo() {
        Map<String, Map<String, List<GcLog.Figures>>> results = new LinkedHashMap<>();
        results.put("park:block", Map.of(FidelityTable.GORT, List.of(run(30_000, 40_000))));
        assertThat(new FidelityTable(results, 0).clClaims()).doesNotContain("NO").contains("(>= 10 ms: not measured)")
                .contains("(>= 30x: not measured)").contains("(>= 10x: not measured)");
    }

    @Test
    void aClaimThatDoesNotHoldSaysNo() {
        String line = table(5_000_000, 800_000, 1_000_000, 400_000).clClaims();
        assertThat(line).contains("(>= 10 ms: NO)").contains("5x (>= 30x: NO)").contains("2x (>= 10x: NO)");
    }
}
