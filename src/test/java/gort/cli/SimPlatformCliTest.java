package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gort run --platform sim --seed N}: the flags' errors, the run's environment record, and a
 * run that repeats exactly in another JVM — the per-cycle records and the workload's figures of
 * two launches with one seed are equal, and another seed changes them.
 */
class SimPlatformCliTest {

    @Test
    void anUnknownPlatformIsRefused() {
        CliTest.assertUsageError(CliTest.exec("run", "alloc", "--platform", "vm"), "--platform vm is invalid: must be real or sim");
    }

    @Test
    void aSeedNeedsTheSimulatedPlatform() {
        CliTest.assertUsageError(CliTest.exec("run", "alloc", "--seed", "3"), "--seed 3 needs --platform sim");
    }

    @Test
    void aSeedMustBeAnInteger() {
        CliTest.assertUsageError(CliTest.exec("run", "alloc", "--platform", "sim", "--seed", "x1"), "--seed x1 is invalid");
    }

    @Test
    void compareAndBenchTakeThePlatformFlagsAndRefuseBadOnes() {
        CliTest.assertUsageError(CliTest.exec("compare", "alloc", "--platform", "vm"), "--platform vm is invalid: must be real or sim");
        CliTest.assertUsageError(CliTest.exec("bench", "alloc", "--seed", "3"), "--seed 3 needs --platform sim");
        CliTest.assertUsageError(CliTest.exec("compare", "alloc", "--platform", "sim", "--seed", "1.5"), "--seed 1.5 is invalid");
    }

    /** bench on the simulated platform: its header and JSON name the platform and seed, and the seed repeats its figures. */
    @Test
    void benchOnTheSimulatedPlatformSaysSoAndRepeats(@TempDir Path dir) throws Exception {
        String[] figures = new String[2];
        for (int i = 0; i < 2; i++) {
            Path json = dir.resolve("b" + i + ".json");
            CliTest.Result r = CliTest.exec("bench", "alloc", "--platform", "sim", "--seed", "7", "--procs", "8", "--ops", "100000", "--reps",
                    "2", "--json", json.toString());
            assertThat(r.code()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("on the simulated platform, seed 7");
            JsonNode b = new ObjectMapper().readTree(json.toFile());
            assertThat(b.path("environment").path("settings").path("platform").asString()).isEqualTo("sim");
            assertThat(b.path("environment").path("settings").path("seed").asString()).isEqualTo("7");
            assertThat(b.path("environment").path("settings").path("sim_ncpu").asString()).isEqualTo("8");
            figures[i] = b.path("reps_ns_per_op").toString();
        }
        assertThat(figures[1]).isEqualTo(figures[0]);
    }

    /** compare on the simulated platform: GOMAXPROCS past the host's cores, each run a fresh simulation from the seed. */
    @Test
    void compareVariesProcsOnTheSimulatedPlatform(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("c.json");
        CliTest.Result r = CliTest.exec("compare", "alloc", "--platform", "sim", "--seed", "3", "--ops", "100000", "--vary", "procs=2,64",
                "--json", json.toString());
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("on the simulated platform, seed 3").contains("procs=64").doesNotContain("host JVM GC");
        JsonNode c = new ObjectMapper().readTree(json.toFile());
        assertThat(c.path("environment").path("settings").path("sim_ncpu").asString()).isEqualTo("each run's GOMAXPROCS");
        assertThat(c.path("environment").path("warnings").toString()).doesNotContain("more than this host");
        assertThat(c.withArray("strategies").size()).isEqualTo(2);
    }

    /** A trace taken on sim: trace stats names the platform and seed, and its wakeups agree with the run's records (virtual times). */
    @Test
    void aSimulatedRunsTraceReadsBack(@TempDir Path dir) throws Exception {
        for (String ext : new String[] {".json", ".pftrace"}) {
            Path t = dir.resolve("t" + ext);
            CliTest.Result r = CliTest.exec("run", "alloc", "--platform", "sim", "--seed", "9", "--ops", "200000", "--trace", t.toString());
            assertThat(r.code()).as("stderr: %s", r.err()).isZero();
            CliTest.Result s = CliTest.exec("trace", "stats", t.toString());
            assertThat(s.code()).as("stdout: %s%nstderr: %s", s.out(), s.err()).isZero();
            assertThat(s.out()).contains("on the simulated platform, seed 9");
        }
    }

    /** The JSON of one launched {@code gort run alloc} on the simulated platform. */
    static JsonNode launch(Path dir, long seed, String name) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + name));
        LaunchedGort g = LaunchedGort.start(dir, tmp, "run", "alloc", "--platform", "sim", "--seed", Long.toString(seed), "--procs", "4",
                "--ops", "1500000", "--json", name + ".json");
        try {
            assertThat(g.await(300)).as("gort ended; stderr:%n%s", g.err()).isTrue();
            assertThat(g.process().exitValue()).as("exit code; stderr:%n%s", g.err()).isZero();
        } finally {
            g.kill();
        }
        return new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
    }

    /** The run's records without what describes the host (the environment, the host JVM's own collections and their window). */
    static JsonNode records(JsonNode run) {
        ObjectNode r = (ObjectNode) run.deepCopy();
        r.remove("environment");
        for (JsonNode s : r.withArray("strategies")) {
            ((ObjectNode) s).remove("jvm_gc");
        }
        return r;
    }

    @Test
    void theSameSeedGivesTheSameRecordsInAnotherJvmAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        JsonNode a = launch(dir, 5, "a");
        JsonNode b = launch(dir, 5, "b");
        JsonNode c = launch(dir, 6, "c");
        JsonNode settings = a.path("environment").path("settings");
        assertThat(settings.path("platform").asString()).isEqualTo("sim");
        assertThat(settings.path("seed").asString()).isEqualTo("5");
        assertThat(a.path("environment").path("warnings").toString()).doesNotContain("more than this host");
        assertThat(a.path("strategies").get(0).path("records").size()).as("per-cycle records in the measured window: %s", a)
                .isGreaterThan(0);
        assertThat(records(b)).isEqualTo(records(a));
        assertThat(records(c)).isNotEqualTo(records(a));
    }
}
