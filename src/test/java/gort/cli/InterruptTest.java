package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A signal to a running {@code ./gort}: the process ends with 128 + the signal's number, removes
 * every temporary file it made (the raw trace, the report's scratch directory) and says in one line
 * which of its outputs it did not write. Sent with the shell's kill to the JVM the launcher became,
 * once gort's progress line says the measured window started, as a user's Ctrl-C or a job
 * scheduler's SIGTERM comes: in the middle of the work. Nothing here depends on how fast the
 * machine is: every wait is for something gort says or does, with generous limits.
 */
class InterruptTest {
    static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Whether the process ignores the signal (it may inherit that: a background job of a shell without job control). */
    static boolean ignores(long pid, int signal) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(l.substring(7).trim(), 16) >>> (signal - 1) & 1) != 0;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 2", "TERM, 15"})
    void aSignalMidRunLeavesNoTemporaryFileAndSaysWhatWasNotWritten(String signal, int number, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc to see the process's signal dispositions");
        Path work = Files.createDirectory(dir.resolve("work"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        LaunchedGort g = LaunchedGort.start(work, tmp, "run", "json", "--procs", "2", "--seconds", "600", "--json", "out.json",
                "--trace", "t.pftrace", "--report", "rep");
        try {
            // stderr is no terminal, so the progress line is a line at every change of stage
            assertThat(g.awaitErr(l -> l.startsWith("json: measuring"), 600)).as("gort started measuring; stderr:%n%s", g.err()).isTrue();
            long pid = g.process().pid();
            assertThat(g.process().info().command()).as("the launcher ran the JVM in its own place (exec)")
                    .hasValueSatisfying(c -> assertThat(Path.of(c).getFileName().toString()).isEqualTo("java"));
            assertThat(tree(tmp)).as("what the signal must clean up: the raw trace in the report's scratch directory")
                    .anyMatch(n -> n.startsWith("gort-report-") && n.contains("/.gort-trace.") && n.endsWith(".raw"));
            Assumptions.assumeFalse(ignores(pid, number), "this test's process was started with SIG" + signal
                    + " ignored, and gort keeps it so, as it should");

            Process kill = new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + pid).inheritIO().start(); // (the shell's own kill)
            assertThat(kill.waitFor()).as("kill -s %s %d", signal, pid).isZero();
            assertThat(g.await(300)).as("gort ended after SIG%s; stderr:%n%s", signal, g.err()).isTrue();

            assertThat(g.process().exitValue()).as("128 + the signal's number; stderr:%n%s", g.err()).isEqualTo(128 + number);
            List<String> err = g.errLines();
            assertThat(err.get(err.size() - 1)).isEqualTo("gort: interrupted by SIG" + signal
                    + "; not written: --json out.json, --trace t.pftrace, --report rep; no temporary file left");
            assertThat(tree(tmp)).as("nothing left in the temporary directory").isEmpty();
            assertThat(tree(work)).as("no output, no half-written file beside one").isEmpty();
        } finally {
            g.kill();
        }
    }
}
