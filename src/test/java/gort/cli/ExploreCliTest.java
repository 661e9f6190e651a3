package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gort.explore.Explorer;
import gort.explore.MarkTermScenario;
import gort.explore.Outcome;
import gort.explore.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gort explore}: a short campaign's summary, one-line errors for bad input, a replay read from a file. */
class ExploreCliTest {
    @Test
    void aShortCampaignPrintsItsSummary() {
        CliTest.Result r = CliTest.exec("explore", "markterm", "--schedules", "3", "--seed", "5", "--godebug", "gcwakeup=park");
        assertThat(r.code()).as("stderr=%s", r.err()).isEqualTo(0);
        assertThat(r.out()).contains("explore markterm: 3 schedules (random, seeds 5..7), 0 failed, ");
        CliTest.Result pct = CliTest.exec("explore", "markterm", "--schedules", "2", "--strategy", "pct");
        assertThat(pct.code()).as("stderr=%s", pct.err()).isEqualTo(0);
        assertThat(pct.out()).contains("2 schedules (pct, seeds 1..2), 0 failed");
        CliTest.Result jobs = CliTest.exec("explore", "markterm", "--schedules", "4", "--jobs", "2");
        assertThat(jobs.code()).as("stderr=%s", jobs.err()).isEqualTo(0);
        assertThat(jobs.out()).contains("4 schedules (random, seeds 1..4, 2 jobs), 0 failed");
    }

    @Test
    void badInputIsRefusedInOneLine() {
        CliTest.assertUsageError(CliTest.exec("explore", "nope"), "unknown scenario \"nope\": one of markterm");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--schedules", "0"), "--schedules 0 is invalid");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--strategy", "pos"), "--strategy pos is invalid: must be one of random, pct");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--seed", "x"), "--seed x is invalid");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--jobs", "0"), "--jobs 0 is invalid: must be from 1 to 256");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--godebug", "gcwakeup=nap"), "--godebug gcwakeup=nap");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--replay", "/nonexistent/r.txt"), "--replay /nonexistent/r.txt: cannot read it");
    }

    @Test
    void aReplayFileRepeatsItsScheduleAndAChangedOneDiverges(@TempDir Path dir) throws Exception {
        Explorer e = new Explorer(new MarkTermScenario(), Map.of("gcwakeup", "note"), null);
        Outcome o = e.run(Explorer.Strategy.RANDOM, 3);
        Path f = dir.resolve("r.txt");
        Files.writeString(f, Replay.of(e, o).format());
        CliTest.Result r = CliTest.exec("explore", "markterm", "--replay", f.toString());
        assertThat(r.code()).as("out=%s err=%s", r.out(), r.err()).isEqualTo(0);
        assertThat(r.out()).contains("replay of seed 3 (" + o.decisions().length + " decisions): passed");

        int[] cut = java.util.Arrays.copyOf(o.decisions(), o.decisions().length / 2);
        Files.writeString(f, new Replay("markterm", Map.of("gcwakeup", "note"), 3, "none", cut).format());
        CliTest.Result d = CliTest.exec("explore", "markterm", "--replay", f.toString());
        assertThat(d.code()).isEqualTo(1);
        assertThat(d.out()).contains("DIVERGED: replay diverged: decision " + cut.length + " is past the " + cut.length + " recorded");

        Files.writeString(f, "not a replay\n");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--replay", f.toString()), "not a replay");
    }
}
