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
        return run(mark1P50, assistP50, mark1By, 100e6);
    }

    static GcLog.Figures run(long mark1P50, long assistP50, CompleterMix mark1By, double allocRate) {
        Percentiles m1 = new Percentiles(10, mark1P50, mark1P50, mark1P50, mark1P50);
        Percentiles as = new Percentiles(5, assistP50, assistP50, assistP50, assistP50);
        return new GcLog.Figures(10, m1, m1, m1, as, as, mark1By, CompleterMix.NONE, 1.5, 10, 1.0, 2.0, 1.0, 1.0, 30.0, allocRate,
                allocRate / 30);
    }

    static GcLog.Figures rate(double bytesPerSec) {
        return run(1, 1, CompleterMix.NONE, bytesPerSec);
    }

    @Test
    void eachRoundsMatchedRateIsSetBesideTheAnchorsOfTheSameRound() throws Exception {
        Map<String, Map<String, List<GcLog.Figures>>> results = new LinkedHashMap<>();
        Map<String, List<GcLog.Figures>> park = new LinkedHashMap<>();
        park.put(FidelityTable.GO, List.of(rate(100e6), rate(50e6)));
        park.put(FidelityTable.GORT, List.of(rate(400e6), rate(400e6)));
        park.put(FidelityTable.GORT_MATCHED, List.of(rate(105e6), rate(45e6)));
        results.put("park", park);
        Map<String, List<GcLog.Figures>> note = new LinkedHashMap<>();
        note.put(FidelityTable.GO, List.of(rate(100e6)));
        note.put(FidelityTable.GORT_MATCHED, List.of(rate(111e6)));
        results.put("note", note);
        FidelityTable t = new FidelityTable(results, FidelityTable.HELD);
        assertThat(t.rateRatio("park", 0)).isCloseTo(1.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(t.rateRatio("park", 1)).isCloseTo(0.90, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(t.rateLines()).contains("park              r1 105.0/100.0 = 1.05x r2 45.0/50.0 = 0.90x (every round within 10%)")
                .contains("note              r1 111.0/100.0 = 1.11x (OUTSIDE 10% in a round)");
        assertThat(t.render()).contains("holds json's allocation rate at the anchor's run just before it").contains("alloc MB/s")
                .contains(t.rateLines());
        java.nio.file.Path f = java.nio.file.Files.createTempFile("fidelity", ".json");
        try {
            t.writeJson(f, RunEnvironment.capture(java.util.Map.of("command", "fidelity"), 4), 4, 2, "anchor");
            var json = new tools.jackson.databind.ObjectMapper().readTree(f.toFile());
            var matched = json.get("configs").get(2);
            assertThat(matched.get("runtime").asText()).isEqualTo(FidelityTable.GORT_MATCHED);
            assertThat(matched.get("rounds").get(1).get("alloc_rate_over_go").asDouble()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(matched.get("rounds").get(1).get("alloc_mb_per_s").asDouble()).isEqualTo(45.0);
        } finally {
            java.nio.file.Files.delete(f);
        }
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
