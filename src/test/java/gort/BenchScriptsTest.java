package gort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scripts under bench/ that turn recorded runs into docs/BENCHMARKS.md's tables still read what
 * gort, JMH and bench/anchors.sh write: each runs here on a recorded sample (src/test/resources/bench/,
 * cut down from real runs) and must print its table with the figures that sample holds, and a file
 * that is not what it reads gets one line naming it and exit status 2. A script under bench/ without
 * a case here fails {@link #everyScriptUnderBenchHasACase}, so that none can rot unseen.
 */
class BenchScriptsTest {
    static final Path SAMPLES = Path.of("src/test/resources/bench");

    /**
     * The scripts this class runs, each with the arguments that come before its input file; a new one
     * under bench/ must be added here and given a test of its own.
     */
    static final Map<String, List<String>> SCRIPTS = Map.of("anchors-table.py", List.of(), "examples_summary.py", List.of("table"),
            "fidelity-why.py", List.of(), "jmh-table.py", List.of(), "pacer_summary.py", List.of(), "runnext-table.py", List.of(),
            "wakeup-split.py", List.of(), "wakeup-table.py", List.of());

    static Stream<String> scripts() {
        return SCRIPTS.keySet().stream().sorted();
    }

    record Run(int code, String out, String err) {}

    static Run python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "bench/" + script));
        cmd.addAll(List.of(args));
        Process p = start(cmd);
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete("(stderr unreadable: " + e + ")");
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", script).isTrue();
        return new Run(p.exitValue(), out, err.join());
    }

    private static Process start(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new AssertionError("python3 runs the scripts under bench/ (as bench/anchors.sh does): " + e.getMessage(), e);
        }
    }

    static String sample(String name) {
        return SAMPLES.resolve(name).toString();
    }

    static Run ok(String script, String... args) throws Exception {
        Run r = python(script, args);
        assertThat(r.code()).as("%s %s: stderr=%s", script, List.of(args), r.err()).isZero();
        return r;
    }

    @Test
    void everyScriptUnderBenchHasACase() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("bench"))) {
            List<String> found = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).sorted().toList();
            assertThat(found).as("bench/*.py, each with a case here").containsExactlyElementsOf(new TreeSet<>(SCRIPTS.keySet()));
        }
    }

    @Test
    void wakeupTableTakesTheMedianOfTheRunsAndShowsEachRun() throws Exception {
        Run r = ok("wakeup-table.py", sample("wakeup-1.json"), sample("wakeup-2.json"), sample("wakeup-3.json"));
        assertThat(r.out()).contains("| | note | park | park-yield | none |")
                .contains(WAKEUP_MARK1_P50)
                .contains("| waited in | note | park | park-yield | none |")
                .contains("CL 9291: note's mark 1 p50").contains("CL 12670: assist-completed park / park-yield");
    }

    @Test
    void runnextTablePoolsTheReadiedWorkerCompletions() throws Exception {
        Run r = ok("runnext-table.py", sample("runnext-1.json"), sample("runnext-2.json"), sample("runnext-3.json"));
        assertThat(r.out()).contains("| worker-completed, readied | n | p25 | p50 | p75 | p90 | over 1 ms |")
                .contains(RUNNEXT_GO_ROW).contains(RUNNEXT_TAIL_ROW);
    }

    @Test
    void pacerSummaryReadsBothRuntimesLogsAndGortsRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("summary.json");
        Run r = ok("pacer_summary.py", sample("pacer/manifest.tsv"), out.toString(), "meta");
        assertThat(r.out()).contains("| system | cycles (1 rounds) | mean | max | p50 | p90 |")
                .contains(PACER_GO118_ROW).contains(PACER_GO_ROW).contains(PACER_LIMIT_ROW).contains(PACER_MADE_OF_ROW);
        assertThat(Files.readString(out)).contains("\"systems\"");
    }

    @Test
    void anchorsTableShowsEachRoundsRatio() throws Exception {
        Run r = ok("anchors-table.py", sample("anchors.json"));
        assertThat(r.out()).contains("| benchmark | gort | Go 1.19 | gort ÷ Go [rounds] | target |")
                .contains("| pingpong: a round trip over two unbuffered channels, GOMAXPROCS=1 | 313 ns | 260 ns | "
                        + "**1.21** [1.21 1.26 1.02] (÷ JDK 0.60) | ≤ 1.3x Go, under the JDK |")
                .contains("| bintree depth 18, GOMAXPROCS=2 | 2.94 s | 1.69 s | **1.74** [1.72 1.61 1.86] | ≤ 2x |")
                .contains("Every benchmark is within its target in every round.");
    }

    @Test
    void examplesTableShowsEachRoundsRatioAndTheMisses() throws Exception {
        Run r = ok("examples_summary.py", "table", sample("examples.json"));
        assertThat(r.out()).contains("| example | kind | GOMAXPROCS | Go 1.19 | gort | gort ÷ Go [rounds] | target |")
                .contains("| sieve | channel/scheduler | 1 | 947 | 1017 | **1.07** [1.00 1.28 1.21] | ≤ 1.5x |")
                .contains("|  |  | 4 | 520 | 926 | **1.78** [1.41 1.83 2.18] | ≤ 1.5x: **missed** |")
                .contains("Every run of every port printed Go's output.");
    }

    /** The summary anchors.sh examples runs writes the JSON that table reads, and prints that table too. */
    @Test
    void examplesSummaryWritesWhatTheTableReads(@TempDir Path dir) throws Exception {
        String port = "examples/sieve/Main.java";
        Path raw = Files.writeString(dir.resolve("raw"), String.join("\n",
                "sieve\tsched\t3000\t" + port + "\t1\t1\tgo\t100000000\t[]\t-",
                "sieve\tsched\t3000\t" + port + "\t1\t1\tgort\t120000000\t[120000000]\tok 4",
                "sieve\tsched\t3000\t" + port + "\t1\t2\tgo\t100000000\t[]\t-",
                "sieve\tsched\t3000\t" + port + "\t1\t2\tgort\t180000000\t[180000000]\tok 4") + "\n");
        Path json = dir.resolve("examples.json");
        Run r = ok("examples_summary.py", "summary", raw.toString(), json.toString(), "2", "1", "go1.19", "java", "abc", "2");
        assertThat(r.out()).contains("| sieve | channel/scheduler | 1 | 100 | 150 | **1.50** [1.20 1.80] | ≤ 1.5x |");
        assertThat(ok("examples_summary.py", "table", json.toString()).out()).contains("**1.50** [1.20 1.80]");
    }

    @Test
    void examplesOutputCheckFindsGosOutputInEveryRun(@TempDir Path dir) throws Exception {
        Path go = Files.writeString(dir.resolve("go.txt"), "2\n3\n5\n");
        Path same = Files.writeString(dir.resolve("same.txt"), "2\n3\n5\nbench sieve: ns_per_op=1\n2\n3\n5\n");
        Path other = Files.writeString(dir.resolve("other.txt"), "2\n3\n7\n");
        assertThat(ok("examples_summary.py", "output", go.toString(), same.toString()).out()).isEqualTo("ok 2\n");
        assertThat(ok("examples_summary.py", "output", go.toString(), other.toString()).out()).startsWith("differs ");
    }

    @Test
    void jmhTablePutsEachOperationsMedianAndRangeBesideTheRawPath() throws Exception {
        Run r = ok("jmh-table.py", sample("handle-jmh.json"));
        assertThat(r.out()).contains("| operation | handle API | raw addresses |").contains(JMH_ALLOC_ROW).contains("| open and close a scope |");
    }

    @Test
    void wakeupSplitSplitsEachReadiedWaitAndSaysWhatTheCompletersGoroutineDidNext() throws Exception {
        Run r = ok("wakeup-split.py", sample("wakeup-split.json"));
        assertThat(r.out()).contains(WAKEUP_SPLIT_DEDICATED).contains(WAKEUP_SPLIT_DEDICATED_THEN).contains(WAKEUP_SPLIT_ASSIST_THEN);
    }

    @Test
    void fidelityWhyReadsBothRuntimesLogsOfEachConfiguration() throws Exception {
        Run r = ok("fidelity-why.py", sample("fidelity"));
        assertThat(r.out()).contains(FIDELITY_WHY_GO).contains(FIDELITY_WHY_GO_CPU).contains(FIDELITY_WHY_MATCHED);
    }

    /** A file that is not JSON at all: one line on stderr naming it, exit status 2. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aFileThatIsNotItsInputIsOneLineAndExitStatus2(String script, @TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "not json\n");
        List<String> args = new ArrayList<>(SCRIPTS.get(script));
        args.add(bad.toString());
        Run r = python(script, args.toArray(String[]::new));
        assertThat(r.code()).as("stdout=%s stderr=%s", r.out(), r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(script + ": ").contains(bad.toString()));
    }

    /** A sample of another script's kind: a JSON file, but not the one the script reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void aJsonFileOfAnotherKindIsOneLineAndExitStatus2(String script) throws Exception {
        String other = sample(script.equals("anchors-table.py") ? "wakeup-1.json" : "anchors.json");
        List<String> args = new ArrayList<>(SCRIPTS.get(script));
        args.add(other);
        Run r = python(script, args.toArray(String[]::new));
        assertThat(r.code()).as("stdout=%s stderr=%s", r.out(), r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(script + ": ").contains(other));
    }

    // The figures the samples hold, as the tables print them.
    static final String WAKEUP_MARK1_P50 = "| mark 1 wakeup p50 | 108 ms [108 ms, 104 ms, 114 ms] | 18.9 ms [42.9 ms, 18.9 ms, 18.5 ms] | "
            + "292 µs [460 µs, 277 µs, 292 µs] | 4.31 µs [3.89 µs, 4.42 µs, 4.31 µs] |";
    static final String RUNNEXT_GO_ROW = "| into `runnext` (Go) | 22 | 21.2 µs | 22.9 µs | 47.8 µs | 64.7 µs | 0 (0%) |";
    static final String RUNNEXT_TAIL_ROW = "| at the run queue's tail (`runnext=0`) | 25 | 20.1 µs | 27.4 µs | 2.47 ms | 32 ms | 7 (28%) |";
    static final String PACER_GO118_ROW = "| gort `go118` | 8 | 1.34 | 1.91 | 1.31 | 1.91 |";
    static final String PACER_GO_ROW = "| Go 1.19 (gctrace, MB) | 8 | 1.03 | 1.33 | 1.00 | 1.33 |";
    static final String PACER_LIMIT_ROW = "| gort go118 limit 32MiB | 8 | 40.2 MB | 67.4 MB | 2.11 | 5 | 103.2 MB |";
    static final String PACER_MADE_OF_ROW = "| gort `go118` | 1.19 | 1.41 + 0.016 | 100% | 0.98 | 0.1% | 16.7% |";
    static final String WAKEUP_SPLIT_DEDICATED = "dedicated: n=2 delay 73.4 µs: CAS -> readied 5.4 µs, readied -> on a P 50.0 µs, on a P -> resumed 8.0 µs";
    static final String WAKEUP_SPLIT_DEDICATED_THEN = "the completer's P's goroutine then: blocked: GC worker (idle): 2, 59.2 µs after the CAS";
    static final String WAKEUP_SPLIT_ASSIST_THEN = "the completer's P's goroutine then: preempted: 2, 640.4 µs after the CAS";
    static final String FIDELITY_WHY_GO = "go1.5.1: n=9 cycle 57.2 ms, alloc in cycle 1 MB, marked 17 MB, reachable est. 14 MB, goal 0 MB in 0; H_a-H_T 1.2 MB, H_a/H_g mean 0.91";
    static final String FIDELITY_WHY_GO_CPU = "mark CPU: assist 65%, background 29%, idle 7%; mark 1 wakeup p50 by assist 9.4 µs (n=5), worker 1.3 µs (n=8)";
    static final String FIDELITY_WHY_MATCHED = "gort-matched: n=9 cycle 128.3 ms, alloc in cycle 3 MB, marked 17 MB, reachable est. 16 MB";
    static final String JMH_ALLOC_ROW = "| allocate a 2-pointer node | 61.7 ns [34.3–207] | 19 ns [16.3–21.7] |";
}
