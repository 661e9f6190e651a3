package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gort fidelity asks whether --anchor is Go 1.5.1's benchmark anchor before it does anything: a
 * wrong binary is one line and exit 2, with no run directory, log or document left behind.
 */
class AnchorCheckTest {
    /** Go 1.5.1's gctrace line for a cycle (five clock phases), as the anchor prints it. */
    static final String GO15_GC = "gc 1 @0.004s 3%: 0.010+0.12+0.003+0.20+0.015 ms clock, 0.020+0.12+0+0.05/0.10/0+0.030 ms cpu,"
            + " 0->0->0 MB, 0 MB goal, 2 P";
    /** Go 1.19's gctrace line for a cycle (three clock phases). */
    static final String GO119_GC = "gc 1 @0.004s 3%: 0.010+0.12+0.003 ms clock, 0.020+0.05/0.10/0+0.030 ms cpu, 4->4->0 MB, 4 MB goal,"
            + " 0 MB stacks, 0 MB globals, 2 P";
    static final String WAKEUP = "gcwakeup phase=1 by=1 delay_ns=5210";

    static String result(int bytes) {
        return "json bytes=" + bytes + " goroutines=8 ops=16 seconds=0.010 ms_per_op=0.600 p50_op_ms=1.000 numgc=12"
                + " pause_total_ms=0.100 heap_sys_mb=1.0";
    }

    /** The directories of the system's temporary directory that an anchor check makes. */
    static List<Path> checkScratch() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("gort-anchor-check")).toList();
        }
    }

    @Test
    void aBinaryThatIsNotTheAnchorIsOneLineAndLeavesNothing(@TempDir Path tmp) throws IOException {
        List<Path> before = checkScratch();
        Path out = tmp.resolve("results");
        CliTest.Result r = CliTest.exec("fidelity", "--anchor", "/bin/true", "--out", out.toString());
        CliTest.assertUsageError(r, "--anchor /bin/true is not Go 1.5.1's benchmark anchor",
                "printed no result line 'json bytes=", "anchors/go15/build.sh");
        assertThat(out).as("fidelity's run directory").doesNotExist();
        assertThat(checkScratch()).as("the trial's scratch").isEqualTo(before);
    }

    @Test
    void aMissingBinaryIsOneLineAndLeavesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("results");
        Path none = tmp.resolve("no-such-anchor");
        CliTest.Result r = CliTest.exec("fidelity", "--anchor", none.toString(), "--out", out.toString());
        CliTest.assertUsageError(r, "--anchor " + none + ": not an executable file");
        assertThat(out).doesNotExist();
    }

    @Test
    void theTrialRunsTheJsonWorkloadAsFidelityWillAndAcceptsTheAnchorsOutput(@TempDir Path tmp) throws Exception {
        // a stand-in that prints what the anchor prints, only when called as the check calls it
        Path fake = tmp.resolve("anchors15");
        Files.writeString(fake, """
                #!/bin/sh
                [ "$1 $2 $3 $4" = "json -n 2 -input" ] && [ -f "$5" ] || { echo "bad arguments: $*"; exit 3; }
                [ "$GCWAKEUP" = park ] && [ "$GODEBUG" = gctrace=1 ] || { echo "bad environment"; exit 4; }
                echo '%s' >&2
                echo '%s' >&2
                echo "json bytes=$(wc -c <"$5" | tr -d ' ') goroutines=8 ops=16 seconds=0.010 ms_per_op=0.600"
                """.formatted(WAKEUP, GO15_GC));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        AnchorCheck.check(fake); // throws if refused
    }

    @Test
    void theVerdictNamesWhatIsMissing() {
        int bytes = 65_536;
        assertThat(AnchorCheck.verdict(0, List.of(WAKEUP, GO15_GC, result(bytes)), bytes)).isNull();
        assertThat(AnchorCheck.verdict(2, List.of("panic: open : no such file or directory"), bytes))
                .isEqualTo("a trial run on a small document exited 2 (its last line: panic: open : no such file or directory)");
        assertThat(AnchorCheck.verdict(0, List.of(WAKEUP, GO15_GC, result(bytes + 1)), bytes)).contains("printed no result line");
        assertThat(AnchorCheck.verdict(0, List.of(GO119_GC, result(bytes)), bytes)).contains("no gctrace line of Go 1.5's form");
        assertThat(AnchorCheck.verdict(0, List.of(GO15_GC, result(bytes)), bytes)).contains("no gcwakeup lines");
    }
}
