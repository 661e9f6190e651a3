package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gort determinism}: a simulated run's trace and records, host fields left out, hash the
 * same in this JVM and in a launched one (other JVM flags, another class path order of loading),
 * and another seed hashes otherwise. A small part of the matrix (alloc, pingpong and the timeouts
 * example, which selects over timers); bench/determinism.sh runs the whole of it.
 */
class DeterminismCliTest {
    static final String TARGETS = "alloc,pingpong,timeouts";

    /** The hash lines (without the heading) of a determinism run's stdout. */
    static List<String> hashes(String stdout) {
        return stdout.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    @Test
    void aSeedHashesTheSameInAnotherJvm(@TempDir Path dir) throws Exception {
        CliTest.Result here = CliTest.exec("determinism", "--only", TARGETS, "--seeds", "1");
        assertThat(here.code()).as("stderr: %s", here.err()).isZero();
        List<String> a = hashes(here.out());
        assertThat(a).hasSize(3).allMatch(l -> l.matches("\\S+ 1 [0-9a-f]{64}"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve("out.txt");
        LaunchedGort g = LaunchedGort.start(Path.of("").toAbsolutePath(), tmp, ProcessBuilder.Redirect.to(out.toFile()), "determinism",
                "--only", TARGETS, "--seeds", "1");
        try {
            assertThat(g.await(300)).as("gort ended; stderr:%n%s", g.err()).isTrue();
            assertThat(g.process().exitValue()).as("exit code; stderr:%n%s", g.err()).isZero();
        } finally {
            g.kill();
        }
        assertThat(hashes(Files.readString(out))).isEqualTo(a);
    }

    @Test
    void anotherSeedHashesOtherwise() {
        CliTest.Result r = CliTest.exec("determinism", "--only", "alloc,timeouts", "--seeds", "1..2");
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        List<String> h = hashes(r.out());
        assertThat(h).hasSize(4);
        for (int i = 0; i < 4; i += 2) {
            String[] s1 = h.get(i).split(" ");
            String[] s2 = h.get(i + 1).split(" ");
            assertThat(s2[0]).isEqualTo(s1[0]);
            assertThat(s2[2]).as("%s: seed 2's hash against seed 1's", s1[0]).isNotEqualTo(s1[2]);
        }
    }

    @Test
    void badSeedsAreRefused() {
        CliTest.assertUsageError(CliTest.exec("determinism", "--seeds", "3..1"), "--seeds 3..1 is invalid");
        CliTest.assertUsageError(CliTest.exec("determinism", "--only", "nosuch"), "--only nosuch is invalid");
    }
}
