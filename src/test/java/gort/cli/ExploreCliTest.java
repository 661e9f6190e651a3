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

/**
 * {@code gort explore}: a short campaign's summary, one-line errors for bad input, a replay read
 * from a file; with a planted bug (set on the command object, as no option can), a failure's
 * replay goes to a file whose path is printed, replays from it, and shrinks to a file of its own.
 */
class ExploreCliTest {
    record Run(int code, String out, String err) {}

    /** gort explore ARGS with the park protocol's planted lost wakeup in every schedule. */
    static Run withParkBug(String... args) {
        ExploreCommand cmd = new ExploreCommand();
        cmd.faults = () -> {
            gort.gc.GcFaults f = new gort.gc.GcFaults();
            f.parkWithoutWakeFlag = true;
            return f;
        };
        picocli.CommandLine cl = new picocli.CommandLine(cmd);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aFailuresReplayGoesToAFileThatReplaysAndShrinks(@TempDir Path dir) throws Exception {
        Run c = withParkBug("markterm", "--godebug", "gcwakeup=park", "--seed", "1", "--schedules", "40", "--replay-dir", dir.toString());
        assertThat(c.code()).as("out=%s err=%s", c.out(), c.err()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("FAIL seed (\\d+): HANG: ").matcher(c.out());
        assertThat(m.find()).as("a failure in %s", c.out()).isTrue();
        String seed = m.group(1);
        Path file = dir.resolve("markterm-random-seed" + seed + ".replay");
        assertThat(c.out()).contains("decisions): " + file).contains("explore markterm: 40 schedules (random, seeds 1..40), ")
                .contains("failing seeds: " + seed);
        assertThat(c.out()).doesNotContain("decisions 0"); // the list itself is in the file, not on stdout
        assertThat(Files.readString(file)).startsWith("gort explore replay\nscenario markterm\ngodebug gcwakeup=park\nseed " + seed + "\n");
        for (int i = 0; i < 10; i++) {
            Run r = withParkBug("markterm", "--replay", file.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("): HANG: gort.explore.CycleHang: the GC cycle did not end");
        }
        Run s = withParkBug("markterm", "--replay", file.toString(), "--shrink", "--shrink-runs", "20", "--replay-dir", dir.toString());
        Path shrunk = dir.resolve("markterm-random-seed" + seed + "-shrunk.replay");
        assertThat(s.out()).containsPattern("shrink of seed " + seed + ": \\d+ non-default decisions before, \\d+ after \\(\\d+ runs;")
                .contains("  shrunk replay: " + shrunk);
        Run again = withParkBug("markterm", "--replay", shrunk.toString());
        assertThat(again.out()).contains("): HANG: ");
        // the unmodified runtime has nothing to shrink
        CliTest.Result none = CliTest.exec("explore", "markterm", "--schedules", "1", "--shrink", "--replay-dir", dir.toString());
        assertThat(none.out()).contains("shrink: no failure to shrink");
    }

    @Test
    void aShortCampaignPrintsItsSummary() {
        CliTest.Result r = CliTest.exec("explore", "markterm", "--schedules", "3", "--seed", "5", "--godebug", "gcwakeup=park");
        assertThat(r.code()).as("stderr=%s", r.err()).isEqualTo(0);
        assertThat(r.out()).contains("explore markterm: 3 schedules (random, seeds 5..7), 0 failed, ");
        CliTest.Result pct = CliTest.exec("explore", "markterm", "--schedules", "2", "--strategy", "pct");
        assertThat(pct.code()).as("stderr=%s", pct.err()).isEqualTo(0);
        assertThat(pct.out()).contains("2 schedules (pct, seeds 1..2), 0 failed");
        CliTest.Result pos = CliTest.exec("explore", "markterm", "--schedules", "2", "--strategy", "pos", "--seed", "10");
        assertThat(pos.code()).as("stderr=%s", pos.err()).isEqualTo(0);
        assertThat(pos.out()).contains("2 schedules (pos, seeds 10..11), 0 failed");
        CliTest.Result jobs = CliTest.exec("explore", "markterm", "--schedules", "4", "--jobs", "2");
        assertThat(jobs.code()).as("stderr=%s", jobs.err()).isEqualTo(0);
        assertThat(jobs.out()).contains("4 schedules (random, seeds 1..4, 2 jobs), 0 failed");
    }

    @Test
    void badInputIsRefusedInOneLine() {
        CliTest.assertUsageError(CliTest.exec("explore", "nope"), "unknown scenario \"nope\": one of markterm");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--schedules", "0"), "--schedules 0 is invalid");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--strategy", "wild"), "--strategy wild is invalid: must be one of random, pct, pos");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--seed", "x"), "--seed x is invalid");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--jobs", "0"), "--jobs 0 is invalid: must be from 1 to 256");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--godebug", "gcwakeup=nap"), "--godebug gcwakeup=nap");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--replay", "/nonexistent/r.txt"), "--replay /nonexistent/r.txt: cannot read it");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--shrink", "--shrink-runs", "0"), "--shrink-runs 0 is invalid: must be at least 1");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--seed", String.valueOf(Long.MAX_VALUE), "--schedules", "2"),
                "runs past the largest seed");
        CliTest.assertUsageError(CliTest.exec("explore", "markterm", "--replay-dir", "/dev/null/replays"), "--replay-dir /dev/null/replays: cannot make it (/dev/null is not a directory)");
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
