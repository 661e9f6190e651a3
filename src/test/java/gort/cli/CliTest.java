package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** The gort command: exit codes, one-line usage errors, help, and bench's JSON output. */
class CliTest {

    record Result(int code, String out, String err) {}

    static Result exec(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertThat(FileLedger.temporaries()).as("temporary files the command left registered").isEmpty();
        return new Result(code, out.toString(), err.toString());
    }

    static void assertUsageError(Result r, String... mentions) {
        assertThat(r.code()).as("exit code; stderr=%s", r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
        assertThat(r.err()).startsWith("gort: ");
        for (String m : mentions) {
            assertThat(r.err()).contains(m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // usage errors: exit 2, exactly one line on stderr
    // ---------------------------------------------------------------------------------------

    @Test
    void unknownCommand() {
        assertUsageError(exec("frobnicate"), "frobnicate");
    }

    @Test
    void anUnknownCommandIsCalledOneAndTheNearestIsSuggested() {
        assertUsageError(exec("runn", "json"), "gort: unknown command 'runn': did you mean 'run'?",
                "(commands: run, bench, compare, gen, fidelity, trace, explore, determinism, help;");
        assertUsageError(exec("tarce", "stats", "x.json"), "unknown command 'tarce': did you mean 'trace'?");
        assertUsageError(exec("trace", "statz", "x.json"), "unknown command 'statz' for 'gort trace': did you mean 'stats'?",
                "(commands: stats;");
        Result far = exec("frobnicate");
        assertUsageError(far, "unknown command 'frobnicate' (commands: run, bench,");
        assertThat(far.err()).doesNotContain("did you mean").doesNotContain("Unmatched");
        assertThat(Main.editDistance("runn", "run")).isEqualTo(1);
        assertThat(Main.editDistance("tarce", "trace")).isEqualTo(2);
        assertThat(Main.editDistance("", "gen")).isEqualTo(3);
    }

    @Test
    void missingCommand() {
        assertUsageError(exec(), "command");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void unknownFlag(String cmd) {
        assertUsageError(exec(cmd, "pingpong", "--bogus"), "--bogus");
    }

    @Test
    void unknownTopLevelFlag() {
        assertUsageError(exec("--bogus"), "--bogus");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void procsZero(String cmd) {
        assertUsageError(exec(cmd, "pingpong", "--procs", "0"), "GOMAXPROCS", "0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void procsTooLarge(String cmd) {
        assertUsageError(exec(cmd, "pingpong", "--procs", "257"), "GOMAXPROCS", "257");
    }

    @Test
    void procsNotANumber() {
        assertUsageError(exec("run", "pingpong", "--procs", "abc"), "abc");
    }

    @Test
    void repsZero() {
        assertUsageError(exec("bench", "pingpong", "--reps", "0"), "--reps");
    }

    @Test
    void repsTooLarge() {
        assertUsageError(exec("bench", "pingpong", "--reps", "101"), "--reps");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void opsZero(String cmd) {
        assertUsageError(exec(cmd, "pingpong", "--ops", "0"), "--ops");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void unknownWorkload(String cmd) {
        assertUsageError(exec(cmd, "nosuchworkload"), "nosuchworkload", "pingpong");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void missingWorkload(String cmd) {
        assertUsageError(exec(cmd), "WORKLOAD");
    }

    @ParameterizedTest(name = "--gogc {0}")
    @ValueSource(strings = {"x", "-5", "of"})
    void badGogc(String v) {
        assertUsageError(exec("run", "pingpong", "--gogc", v), "GOGC");
    }

    @ParameterizedTest(name = "--godebug {0}")
    @ValueSource(strings = {"frobnicate=1", "gctrace", "gcwakeup=fast", "schedtrace=x"})
    void badGodebug(String v) {
        assertUsageError(exec("bench", "pingpong", "--godebug", v), "GODEBUG");
    }

    @Test
    void jsonIntoMissingDirectory(@TempDir Path dir) {
        Path f = dir.resolve("no/such/dir/out.json");
        assertUsageError(exec("bench", "pingpong", "--ops", "10", "--reps", "1", "--json", f.toString()), "--json");
        assertThat(f).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "bench"})
    void inputForAWorkloadThatReadsNone(String cmd, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("doc.json");
        Files.writeString(f, "{}");
        assertUsageError(exec(cmd, "pingpong", "--input", f.toString()), "--input", "pingpong reads no input file", "json");
    }

    @Test
    void jsonInputWithASchemaErrorNamesThePath(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("doc.json");
        Files.writeString(f, "{\"tree\":{\"name\":\"a\",\"kids\":[{\"name\":1}]},\"username\":\"u\"}");
        assertUsageError(exec("run", "json", "--input", f.toString(), "--ops", "1", "--procs", "1"), "--input " + f,
                "$.tree.kids[0].name: expected a string, got 1");
    }

    @Test
    void jsonInputMalformedOrNotGzip(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"tree\":\n  {,}}");
        assertUsageError(exec("run", "json", "--input", bad.toString(), "--ops", "1"), "malformed JSON at line 2, column 4");
        Path gz = dir.resolve("bad.json.gz");
        Files.writeString(gz, "{}");
        assertUsageError(exec("run", "json", "--input", gz.toString(), "--ops", "1"), "not a valid gzip file");
        assertUsageError(exec("run", "json", "--input", dir.resolve("none.json").toString()), "no such file");
        assertUsageError(exec("compare", "json", "--input", "/dev/zero"), "--input /dev/zero", "more than 268435456 bytes (256 MiB)");
        Path gzJunk = dir.resolve("junk.json.gz");
        Files.write(gzJunk, "garbage".getBytes());
        assertUsageError(exec("compare", "json", "--input", gzJunk.toString()), "not a valid gzip file");
    }

    @Test
    void anEmptyInputPathIsCalledEmpty() {
        Result r = exec("run", "json", "--input", "", "--ops", "1");
        assertUsageError(r, "--input \"\": the path is empty; name a JSON file");
        assertThat(r.err()).doesNotContain("directory");
    }

    @Test
    void anOutputWhoseParentIsAFileSaysTheParentIsNotADirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("afile");
        Files.writeString(file, "x");
        Result r = exec("bench", "pingpong", "--ops", "10", "--reps", "1", "--json", file.resolve("out.json").toString());
        assertUsageError(r, "--json " + file.resolve("out.json") + ": " + file + " is a regular file, not a directory");
        assertThat(r.err()).doesNotContain("does not exist");
        assertUsageError(exec("gen", "json", "--out", file.resolve("sub/doc.json").toString()), file + " is a regular file, not a directory");
        // a directory that is really missing is still called missing
        assertUsageError(exec("gen", "json", "--out", dir.resolve("none/doc.json").toString()), "directory " + dir.resolve("none")
                + " does not exist");
    }

    @Test
    void traceStatsOfADirectoryOrAnEmptyPathSaysWhichItIs(@TempDir Path dir) {
        Result r = exec("trace", "stats", dir.toString());
        assertUsageError(r, "trace file " + dir + ": is a directory, not a file");
        assertThat(r.err()).doesNotContain("does not exist");
        assertUsageError(exec("trace", "stats", ""), "trace file \"\": the path is empty");
        assertUsageError(exec("trace", "stats", dir.resolve("none.json").toString()), "trace file " + dir.resolve("none.json")
                + " does not exist");
        assertUsageError(exec("run", "pingpong", "--trace", ""), "--trace \"\": the path is empty");
    }

    @Test
    void genUnknownDocument(@TempDir Path dir) {
        assertUsageError(exec("gen", "yaml", "--out", dir.resolve("x").toString()), "yaml", "json");
    }

    @Test
    void genWithoutOut() {
        assertUsageError(exec("gen", "json"), "--out");
    }

    @Test
    void genIntoMissingDirectory(@TempDir Path dir) {
        assertUsageError(exec("gen", "json", "--out", dir.resolve("no/such/doc.json").toString()), "does not exist");
    }

    // ---------------------------------------------------------------------------------------
    // help and version
    // ---------------------------------------------------------------------------------------

    @Test
    void helpForGort() {
        Result r = exec("--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: gort").contains("run").contains("bench").contains("gen");
    }

    @Test
    void helpForRun() {
        Result r = exec("run", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: gort run").contains("--procs").contains("--gogc").contains("--godebug")
                .contains("WORKLOAD");
    }

    @Test
    void helpForBench() {
        Result r = exec("bench", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: gort bench").contains("--json").contains("--reps").contains("--procs")
                .contains("pingpong");
    }

    @Test
    void helpSubcommand() {
        Result r = exec("help", "bench");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: gort bench");
    }

    @Test
    void version() {
        Result r = exec("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("gort ");
    }

    // ---------------------------------------------------------------------------------------
    // running
    // ---------------------------------------------------------------------------------------

    @Test
    void runPingpong() {
        Result r = exec("run", "pingpong", "--procs", "1", "--ops", "2000");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("pingpong: procs=1 ops=2000").contains("ns_per_round_trip=");
    }

    @Test
    void genJsonWritesTheEmbeddedDocument(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("code.json");
        Result r = exec("gen", "json", "--out", f.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("wrote " + f + ": ").contains(" bytes of JSON").contains("nodes");
        assertThat(Files.readAllBytes(f)).isEqualTo(gort.workloads.json.Document.embedded());

        Path gz = dir.resolve("code.json.gz");
        assertThat(exec("gen", "json", "--out", gz.toString()).code()).isZero();
        assertThat(gort.workloads.json.Document.read(gz)).isEqualTo(gort.workloads.json.Document.embedded());
        assertThat(Files.size(gz)).isLessThan(Files.size(f) / 3);
    }

    @Test
    void runJson() {
        Result r = exec("run", "json", "--ops", "4", "--procs", "2");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("json: procs=2 ops=4 ns_per_op=").contains("goroutines=8").contains("ms_per_op=")
                .contains("numgc=").contains("bytes=" + gort.workloads.json.Document.embedded().length);
    }

    @Test
    void benchPingpongWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("pingpong.json");
        Result r = exec("bench", "pingpong", "--procs", "1", "--ops", "20000", "--reps", "2", "--json", json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("bench pingpong").contains("pingpong: procs=1 ops=20000");
        assertThat(json).exists();
        assertThat(dir.resolve("pingpong.json.tmp")).doesNotExist();

        Map<String, Object> top = new HashMap<>();
        int repsCount = -1;
        try (JsonParser p = new JsonFactory().createParser(Files.readString(json))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                assertThat(t).isEqualTo(JsonToken.PROPERTY_NAME);
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case START_OBJECT -> {
                        assertThat(name).isEqualTo("environment");
                        p.skipChildren();
                    }
                    case VALUE_STRING -> top.put(name, p.getString());
                    case VALUE_NUMBER_INT -> top.put(name, p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> top.put(name, p.getDoubleValue());
                    case START_ARRAY -> {
                        int n = 0;
                        for (JsonToken a = p.nextToken(); a != JsonToken.END_ARRAY; a = p.nextToken()) {
                            assertThat(a.isNumeric()).isTrue();
                            assertThat(p.getDoubleValue()).isPositive();
                            n++;
                        }
                        if (name.equals("reps_ns_per_op")) {
                            repsCount = n;
                        }
                    }
                    default -> throw new AssertionError("unexpected token " + v + " for " + name);
                }
            }
            assertThat(p.nextToken()).isNull();
        }
        assertThat(top.get("benchmark")).isEqualTo("pingpong");
        assertThat(top.get("procs")).isInstanceOf(Number.class);
        assertThat(((Number) top.get("procs")).intValue()).isEqualTo(1);
        assertThat(top.get("ns_per_op")).isInstanceOf(Number.class);
        assertThat(((Number) top.get("ns_per_op")).doubleValue()).isPositive();
        assertThat(((Number) top.get("ops")).longValue()).isEqualTo(20000);
        assertThat(repsCount).isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------
    // what every result records about where and how it was measured; compare's rounds
    // ---------------------------------------------------------------------------------------

    static tools.jackson.databind.JsonNode readJson(Path f) throws Exception {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(f));
    }

    /** The environment object's host, build and settings, as every result records them. */
    static void assertEnvironment(tools.jackson.databind.JsonNode env, String gomaxprocs) {
        assertThat(env.path("host").path("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(env.path("host").path("load_average").isArray()).isTrue();
        assertThat(env.path("host").path("os").asString()).isEqualTo(System.getProperty("os.name"));
        assertThat(env.path("host").path("arch").asString()).isEqualTo(System.getProperty("os.arch"));
        assertThat(env.path("jvm").path("version").asString()).isEqualTo(System.getProperty("java.version"));
        assertThat(env.path("jvm").path("vendor").asString()).isEqualTo(System.getProperty("java.vendor"));
        assertThat(env.path("gort").path("commit").asString()).isEqualTo(gort.trace.RunEnvironment.thisBuild().commit());
        assertThat(env.path("gort").path("dirty").asString()).isIn("true", "false", "unknown");
        assertThat(env.path("settings").path("GOMAXPROCS").asString()).isEqualTo(gomaxprocs);
        assertThat(env.path("settings").has("GOGC")).isTrue();
        assertThat(env.path("settings").has("pacer")).isTrue();
        assertThat(env.path("warnings").isArray()).isTrue();
    }

    @Test
    void moreProcsThanCpusIsWarnedAboutInOneLineAndRecorded(@TempDir Path dir) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus < gort.sched.Sched.MAX_GOMAXPROCS, "a host with more CPUs than GOMAXPROCS can be");
        Path json = dir.resolve("run.json");
        Result r = exec("run", "pingpong", "--procs", Integer.toString(cpus + 1), "--ops", "2000", "--json", json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        String line = "gort: warning: GOMAXPROCS=" + (cpus + 1) + " is more than this host's " + cpus + " CPU";
        assertThat(r.err().lines().filter(l -> l.startsWith(line)).count()).isEqualTo(1);
        var env = readJson(json).path("environment");
        assertEnvironment(env, Integer.toString(cpus + 1));
        assertThat(env.path("warnings").get(0).asString()).startsWith(line.substring("gort: warning: ".length()));
        // no more Ps than CPUs: nothing to warn about
        Result quiet = exec("run", "pingpong", "--procs", "1", "--ops", "2000");
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void runAndBenchJsonRecordTheHostTheBuildAndTheSettings(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run.json");
        assertThat(exec("run", "bintree", "--depth", "8", "--procs", "1", "--gogc", "50", "--json", run.toString()).code()).isZero();
        var env = readJson(run).path("environment");
        assertEnvironment(env, "1");
        assertThat(env.path("settings").path("command").asString()).isEqualTo("run");
        assertThat(env.path("settings").path("workload").asString()).isEqualTo("bintree");
        assertThat(env.path("settings").path("GOGC").asString()).isEqualTo("50");
        assertThat(env.path("settings").path("depth").asString()).isEqualTo("8");
        Path bench = dir.resolve("bench.json");
        assertThat(exec("bench", "pingpong", "--procs", "1", "--ops", "2000", "--reps", "1", "--json", bench.toString()).code()).isZero();
        var benv = readJson(bench).path("environment");
        assertEnvironment(benv, "1");
        assertThat(benv.path("settings").path("reps").asString()).isEqualTo("1");
        assertThat(benv.path("settings").path("ops").asString()).isEqualTo("2000");
    }

    @Test
    void aTraceRecordsTheHostTheBuildAndTheSettings(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        Result r = exec("run", "bintree", "--depth", "8", "--procs", "1", "--trace", trace.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        var about = readJson(trace).path("otherData");
        assertThat(about.path("host.cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(about.path("gort.commit").asString()).isEqualTo(gort.trace.RunEnvironment.thisBuild().commit());
        assertThat(about.path("jvm").asString()).startsWith(System.getProperty("java.version"));
        assertThat(about.path("settings.GOMAXPROCS").asString()).isEqualTo("1");
        assertThat(about.path("settings.workload").asString()).isEqualTo("bintree");
        assertThat(about.has("host.load_average")).isTrue();
    }

    @Test
    void eachRoundRotatesTheOrderByOne() {
        assertThat(CompareCommand.order(3, 1)).containsExactly(0, 1, 2);
        assertThat(CompareCommand.order(3, 2)).containsExactly(1, 2, 0);
        assertThat(CompareCommand.order(3, 3)).containsExactly(2, 0, 1);
        assertThat(CompareCommand.order(3, 4)).containsExactly(0, 1, 2);
        assertThat(CompareCommand.order(1, 5)).containsExactly(0);
    }

    @Test
    void compareRoundsRunInterleavedRotatedAndTheJsonHoldsEveryRound(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("rounds.json");
        Result r = exec("compare", "bintree", "--depth", "10", "--gogc", "10", "--procs", "1", "--wakeup", "park", "--vary",
                "schedglobal=61,7,3", "--rounds", "3", "--json", json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).contains("[warm-up, not measured] schedglobal=61").contains("[1/9] round 1 schedglobal=61")
                .contains("[4/9] round 2 schedglobal=7").contains("[7/9] round 3 schedglobal=3").contains("[9/9] round 3 schedglobal=7");
        assertThat(r.out()).contains("in 3 rounds").contains("\nhost: ").contains("\nsettings: command=compare workload=bintree")
                .contains(" rounds=3 ").contains("median (min–max) of 3 rounds");
        var root = readJson(json);
        assertEnvironment(root.path("environment"), "1");
        assertThat(root.path("environment").path("settings").path("vary").asString()).isEqualTo("schedglobal=61,7,3");
        assertThat(root.path("rounds").asInt()).isEqualTo(3);
        List<List<String>> order = new java.util.ArrayList<>();
        for (var round : root.path("order")) {
            List<String> o = new java.util.ArrayList<>();
            round.forEach(l -> o.add(l.asString()));
            order.add(o);
        }
        assertThat(order).containsExactly(List.of("schedglobal=61", "schedglobal=7", "schedglobal=3"),
                List.of("schedglobal=7", "schedglobal=3", "schedglobal=61"), List.of("schedglobal=3", "schedglobal=61", "schedglobal=7"));
        var runs = root.path("strategies");
        assertThat(runs.size()).as("every round's runs").isEqualTo(9);
        for (int i = 0; i < 9; i++) {
            var run = runs.get(i);
            int round = i / 3 + 1;
            int position = i % 3 + 1;
            assertThat(run.path("round").asInt()).isEqualTo(round);
            assertThat(run.path("position").asInt()).isEqualTo(position);
            assertThat(run.path("label").asString()).isEqualTo(order.get(round - 1).get(position - 1));
            assertThat(run.path("records").isArray()).isTrue();
        }
        var medians = root.path("medians");
        assertThat(medians.size()).isEqualTo(3);
        assertThat(medians.get(0).path("label").asString()).isEqualTo("schedglobal=61");
        assertThat(medians.get(0).path("rounds").asInt()).isEqualTo(3);
        var tput = medians.get(0).path("ops_per_sec");
        assertThat(tput.path("min").asDouble()).isLessThanOrEqualTo(tput.path("median").asDouble());
        assertThat(tput.path("median").asDouble()).isLessThanOrEqualTo(tput.path("max").asDouble());
        assertThat(tput.path("n").asInt()).isEqualTo(3);
    }

    @Test
    void roundsOutOfRangeAreOneLine() {
        assertUsageError(exec("compare", "bintree", "--rounds", "0"), "--rounds=0", "1 to 50");
    }

    // ---------------------------------------------------------------------------------------
    // the concurrent collector's options, run's GC summary, compare
    // ---------------------------------------------------------------------------------------

    @Test
    void badWakeupNamesTheAllowedValues() {
        assertUsageError(exec("run", "pingpong", "--wakeup", "sometimes"), "sometimes", gort.gc.Choice.names(gort.gc.WakeupStrategy.class));
    }

    @Test
    void badPacerNamesTheAllowedValues() {
        assertUsageError(exec("run", "pingpong", "--pacer", "go20"), "go20", gort.gc.Choice.names(gort.gc.PacerKind.class));
    }

    @ParameterizedTest(name = "--memlimit {0}")
    @ValueSource(strings = {"-5", "12XB", "1.5GiB", "9223372036854775808", "64mib"})
    void badMemlimitNamesTheAllowedForms(String v) {
        assertUsageError(exec("run", "pingpong", "--pacer", "go118", "--memlimit", v), "--memlimit " + v, "KiB, MiB, GiB or TiB", "off");
    }

    @Test
    void aMemoryLimitNeedsTheGo118PacerAndTheConcurrentCollector() {
        assertUsageError(exec("run", "pingpong", "--memlimit", "64MiB"), "needs --pacer go118", "go15");
        assertUsageError(exec("run", "pingpong", "--memlimit", "64MiB", "--pacer", "go15"), "needs --pacer go118");
        assertUsageError(exec("run", "pingpong", "--memlimit", "64MiB", "--pacer", "go118", "--godebug", "gcstoptheworld=1"),
                "gcstoptheworld=0");
    }

    @Test
    void secondsAreOnlyForWorkloadsThatTakeThem() {
        assertUsageError(exec("run", "bintree", "--seconds", "1"), "--seconds", "bintree");
        assertUsageError(exec("run", "json", "--seconds", "0"), "--seconds=0.0");
        assertUsageError(exec("run", "json", "--seconds", "1", "--ops", "4"), "--seconds and --ops");
    }

    @Test
    void compareRefusesWhatWouldMakeItMeaningless() {
        assertUsageError(exec("compare", "bintree", "--wakeup", "park"), "--wakeup", "--vary");
        assertUsageError(exec("compare", "bintree", "--gogc", "off"), "GOGC=off");
        assertUsageError(exec("compare", "bintree", "--godebug", "gcstoptheworld=1"), "gcstoptheworld");
    }

    @ParameterizedTest(name = "--vary {0}")
    @ValueSource(strings = {"procs", "=1,2", "colour=red,blue", "procs=", "procs=1,,2", "procs=2,2", "procs=0,1", "runnext=2,0",
            "pacer=go99", "gogc=off,100", "gcworkerfrac=0,0.5", "wakeup=park,fast"})
    void badVaryIsOneLineBeforeAnyRun(String spec, @TempDir Path dir) {
        Path json = dir.resolve("out.json");
        Result r = exec("compare", "bintree", "--depth", "8", "--json", json.toString(), "--vary", spec);
        assertUsageError(r, "--vary");
        assertThat(r.out()).as("no run started").isEmpty();
        assertThat(json).doesNotExist();
    }

    @Test
    void varyNamesTheAllowedAxesAndValues() {
        assertUsageError(exec("compare", "bintree", "--vary", "colour=red"), "wakeup", "pacer", "procs", "gogc", "runnext", "schedglobal",
                "gcworkerfrac", "gcassistblock");
        assertUsageError(exec("compare", "bintree", "--vary", "wakeup=park,fast"), "fast", gort.gc.Choice.names(gort.gc.WakeupStrategy.class));
        assertUsageError(exec("compare", "bintree", "--vary", "procs=2,2"), "given twice");
    }

    @Test
    void varyRefusesAFlagThatFixesItsAxis() {
        assertUsageError(exec("compare", "bintree", "--procs", "2", "--vary", "procs=1,2"), "--procs", "--vary procs");
        assertUsageError(exec("compare", "bintree", "--wakeup", "park", "--vary", "wakeup=note,park"), "--wakeup");
        assertUsageError(exec("compare", "bintree", "--godebug", "runnext=0", "--vary", "runnext=1,0"), "--godebug runnext");
        assertUsageError(exec("compare", "bintree", "--gogc", "50", "--vary", "gogc=25,50"), "--gogc");
        assertUsageError(exec("compare", "bintree", "--pacer", "go118", "--vary", "pacer=go15,go118"), "--pacer");
    }

    @Test
    void varyRefusesAValueThatNoCollectorTakesUnderTheFixedOptions() {
        // a memory limit is for go118 only: the go15 column would fail, so nothing runs
        assertUsageError(exec("compare", "bintree", "--memlimit", "64MiB", "--vary", "pacer=go15,go118"), "--vary pacer=go15", "go118");
    }

    @Test
    void varyRunsOneColumnPerValueUnderTheFixedOptions(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("vary.json");
        Result r = exec("compare", "bintree", "--depth", "14", "--gogc", "10", "--procs", "2", "--wakeup", "park", "--vary", "runnext=1,0",
                "--json", json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).contains("[1/2] runnext=1").contains("[2/2] runnext=0");
        assertThat(r.out()).contains("under each runnext of 1, 0").contains("gcwakeup=park");
        assertThat(r.out().lines().filter(l -> l.matches("\\s*\\|\\s*runnext=1\\s*\\|\\s*runnext=0\\s*")).count())
                .as("one header line with the two labels").isEqualTo(1);
        String j = Files.readString(json);
        assertThat(j).contains("\"label\":\"runnext=1\"").contains("\"label\":\"runnext=0\"");
        assertThat(j.split("\"strategy\":\"park\"", -1)).as("both runs under park, and both columns' medians").hasSize(5);
        assertThat(j).contains("\"procs\":2,");
    }

    @Test
    void varyProcsGivesEachRunItsOwnGomaxprocs(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("procs.json");
        Result r = exec("compare", "bintree", "--depth", "12", "--gogc", "10", "--wakeup", "park", "--vary", "procs=1,2", "--json",
                json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        var root = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("procs").isNull()).as("no one GOMAXPROCS for the whole comparison").isTrue();
        var runs = root.get("strategies");
        assertThat(runs.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(runs.get(i).get("label").asString()).isEqualTo("procs=" + (i + 1));
            assertThat(runs.get(i).get("procs").asInt()).as("run %d's GOMAXPROCS", i).isEqualTo(i + 1);
        }
    }

    @Test
    void compareAcceptsGcstoptheworldOffAndCountsOneRunAsOneRun() {
        Result r = exec("compare", "bintree", "--depth", "8", "--procs", "1", "--godebug", "gcstoptheworld=0");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.out()).contains(", 1 run under each strategy").doesNotContain("1 runs");
        assertThat(exec("bench", "bintree", "--depth", "8", "--reps", "1").out()).contains("1 x 1 run after a warm-up");
    }

    @Test
    void optionsAWorkloadDoesNotTakeAreRefused() {
        assertUsageError(exec("run", "json", "--depth", "5"), "--depth", "json", "bintree");
        assertUsageError(exec("bench", "pingpong", "--depth", "5"), "--depth", "pingpong");
        assertUsageError(exec("run", "bintree", "--ops", "3"), "--ops", "bintree", "--depth");
    }

    @Test
    void flagsOverrideTheEnvironmentBeforeItIsRead() {
        CommandLine cl = new CommandLine(new RunCommand());
        cl.parseArgs("pingpong", "--procs", "2", "--gogc", "50", "--wakeup", "park", "--godebug", "gctrace=0", "--pacer", "go118",
                "--memlimit", "64MiB");
        Options o = ((RunCommand) cl.getCommand()).options;
        var c = o.config(Map.of("GOMAXPROCS", "abc", "GOGC", "x", "GODEBUG", "gcwakeup=bogus,gcpacer=bogus,gctrace=y,gccheckmark=1",
                "GOMEMLIMIT", "lots"));
        assertThat(c.gomaxprocs()).isEqualTo(2);
        assertThat(c.gogc()).isEqualTo(50);
        assertThat(c.wakeup().flag()).isEqualTo("park");
        assertThat(c.pacer().flag()).isEqualTo("go118");
        assertThat(c.memoryLimit()).isEqualTo(64L << 20);
        assertThat(c.godebug()).containsEntry("gccheckmark", "1").containsEntry("gctrace", "0");
        // what no flag replaces is still checked
        CommandLine bare = new CommandLine(new RunCommand());
        bare.parseArgs("pingpong");
        Options b = ((RunCommand) bare.getCommand()).options;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.config(Map.of("GOMAXPROCS", "abc")))
                .hasMessage("GOMAXPROCS=abc is invalid: must be an integer from 1 to 256");
    }

    /** gort in a JVM of its own, under the test's environment with env's variables set (a null value removes one). */
    static Result execIn(Map<String, String> env, String... args) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        try {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "--add-exports",
                    "java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "gort.cli.Main"));
            cmd.addAll(java.util.List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            String err = readAll(p.getErrorStream());
            return new Result(p.waitFor(), out.join(), err);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBadGomaxprocsInTheRealEnvironmentDoesNotMatterWhenProcsIsGiven() {
        Map<String, String> env = Map.of("GOMAXPROCS", "abc");
        Result ok = execIn(env, "run", "pingpong", "--procs", "1", "--ops", "1000");
        assertThat(ok.code()).as("stderr=%s", ok.err()).isZero();
        assertThat(ok.out()).contains("pingpong: procs=1");
        Result bad = execIn(env, "run", "pingpong", "--ops", "1000");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines().toList()).containsExactly("gort: GOMAXPROCS=abc is invalid: must be an integer from 1 to 256");
    }

    @Test
    void aGodebugSettingGortDoesNotKnowIsIgnoredInTheEnvironmentAsGoIgnoresIt() {
        Result r = execIn(Map.of("GODEBUG", "foo=2,http2debug=1"), "run", "pingpong", "--procs", "1", "--ops", "1000");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.out()).contains("pingpong: procs=1");
        assertThat(r.err()).as("nothing said without gctrace").isEmpty();
        // with gctrace=1 (from the environment or the flag), one line names the ignored settings
        for (Result t : java.util.List.of(execIn(Map.of("GODEBUG", "foo=2,gctrace=1,http2debug=1"), "run", "pingpong", "--procs", "1",
                "--ops", "1000"), execIn(Map.of("GODEBUG", "foo=2,http2debug=1"), "run", "pingpong", "--procs", "1", "--ops", "1000",
                "--godebug", "gctrace=1"))) {
            assertThat(t.code()).as("stderr=%s", t.err()).isZero();
            assertThat(t.err().lines().filter(l -> l.contains("foo")).toList())
                    .containsExactly("gort: ignoring GODEBUG settings gort does not know, as Go does: foo, http2debug");
        }
        // a setting gort knows is still checked in the environment
        Result bad = execIn(Map.of("GODEBUG", "foo=2,gctrace=x"), "run", "pingpong", "--procs", "1", "--ops", "1000");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines().toList()).singleElement().asString().startsWith("gort: GODEBUG gctrace=x is invalid");
    }

    @Test
    void godebugOnTheCommandLineRefusesANameGortDoesNotKnow() {
        assertUsageError(exec("run", "pingpong", "--godebug", "foo=1"), "GODEBUG setting \"foo\" is unknown", "gctrace",
                "in $GODEBUG it would be ignored");
        CommandLine cl = new CommandLine(new RunCommand());
        cl.parseArgs("pingpong", "--godebug", "gctrace=1");
        Options o = ((RunCommand) cl.getCommand()).options;
        var c = o.config(Map.of("GODEBUG", "foo=2,gccheckmark=1"));
        assertThat(c.godebug()).containsEntry("gctrace", "1").containsEntry("gccheckmark", "1").doesNotContainKey("foo");
        assertThat(c.ignoredGodebug()).containsExactly("foo");
        assertThat(Options.ignoredLine(c)).isEqualTo("gort: ignoring GODEBUG settings gort does not know, as Go does: foo");
        assertThat(Options.ignoredLine(o.config(Map.of("GODEBUG", "gccheckmark=1")))).isNull();
    }

    @Test
    void aRepetitionInWhichNoOpFinishedSaysSo() {
        Result r = exec("run", "json", "--procs", "1", "--seconds", "0.000001");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("gort: ")).toList()).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("--seconds=1.0E-6: no op finished within the measured window"));
        assertThat(r.out()).doesNotContain("ops=1 ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"note", "park", "park-yield"})
    void runPrintsTheCollectorsSummaryUnderEachStrategy(String s, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("run.json");
        // The summary's wakeup line needs a cycle that finished inside the measured repetition. Under
        // note the coordinator waits on the global queue until a P looks there (every 61st schedule,
        // or a P with nothing local to run), and a busy P schedules at sysmon's time slices, a
        // wall-time cadence: a loaded host makes the repetition (a fixed amount of work) span more
        // slices, not the wait longer. A tree of depth 14 sometimes finished no cycle under note.
        Result r = exec("run", "bintree", "--depth", "16", "--procs", "2", "--gogc", "10", "--wakeup", s, "--json", f.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.out()).contains("gc in the measured repetitions: ").contains("concurrent cycles").contains("wakeup " + s + ": mark 1 delay p50");
        // the workload's numgc and the collector's cycle count are over the same repetitions
        java.util.regex.Matcher numgc = java.util.regex.Pattern.compile(" numgc=(\\d+)").matcher(r.out());
        java.util.regex.Matcher cycles = java.util.regex.Pattern.compile("repetitions: (\\d+) concurrent cycles").matcher(r.out());
        assertThat(numgc.find() && cycles.find()).isTrue();
        assertThat(cycles.group(1)).isEqualTo(numgc.group(1));
        assertThat(Files.readString(f)).contains("\"strategy\":\"" + s + "\"").contains("\"records\"");
    }

    @Test
    void aRunWithNoGoalOf1MibOrMorePrintsADashNotNaN() {
        // GOGC=10 on a small tree: every goal is under 1 MiB, so there is no heap-over-goal figure to average
        Result r = exec("run", "bintree", "--depth", "12", "--gogc", "10", "--procs", "2");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.out()).contains("heap at mark termination / goal: ").doesNotContain("NaN");
        // the same from records, whatever a run's goals were
        long mb = 1 << 20;
        java.util.function.LongFunction<gort.gc.CycleRecord> cycle = goal -> new gort.gc.CycleRecord(1, false, "park", false, 2, 0,
                500_000, mb / 4, goal, 2 * mb, 3 * mb, mb / 4, mb, new gort.gc.CycleRecord.Completion(gort.gc.CompleterKind.IDLE, 100,
                        200, mb, mb, gort.sched.Enqueued.RUNNEXT), new gort.gc.CycleRecord.Completion(gort.gc.CompleterKind.IDLE, 300, 400,
                        mb, mb, gort.sched.Enqueued.RUNNEXT), 1000, 1000, 0, 0, 0, 0);
        java.util.function.Function<java.util.List<gort.gc.CycleRecord>, String> summary = cs -> RunCommand.gcSummary(
                new gort.trace.StrategyRun("park", cs, 1, 1.0, new gort.trace.StrategyRun.JvmGc(0, 0, 0)), "gc");
        assertThat(summary.apply(java.util.List.of(cycle.apply(mb / 2))))
                .contains("; heap at mark termination / goal: - (no cycle had a goal of 1 MiB or more); / H_g: mean 1.50x;")
                .doesNotContain("NaN");
        assertThat(summary.apply(java.util.List.of())).as("a run without cycles").contains("0 concurrent cycles").doesNotContain("NaN")
                .doesNotContain("mean");
        assertThat(summary.apply(java.util.List.of(cycle.apply(mb / 2), cycle.apply(2 * mb))))
                .contains("; heap at mark termination / goal: mean 1.50x, max 1.50x (over the 1 of 2 cycles with a goal of 1 MiB or more);");
    }

    @Test
    void compareRunsEveryStrategyAndWritesTheReportAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("cmp.json");
        Path rep = dir.resolve("report");
        Result r = exec("compare", "json", "--procs", "2", "--gogc", "25", "--seconds", "1", "--json", json.toString(),
                "--report", rep.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        gort.gc.WakeupStrategy[] all = gort.gc.WakeupStrategy.values();
        for (int i = 0; i < all.length; i++) {
            assertThat(r.err()).contains("[" + (i + 1) + "/" + all.length + "] " + all[i].flag());
        }
        assertThat(r.err()).contains("done");
        assertThat(r.err()).as("warm-up is a stage of its own").contains("[1/" + all.length + "] note: warm-up ")
                .contains("[1/" + all.length + "] note: measuring [").contains("/1 s").doesNotContain("/12 s");
        String table = r.out();
        assertThat(table).contains("mark 1 wakeup delay p50").contains("heap at mark term / goal").contains("heap at mark term / H_g")
                .contains("throughput (ops/s)");
        String header = "\\s*" + java.util.Arrays.stream(all).map(w -> "\\|\\s*" + java.util.regex.Pattern.quote(w.flag()))
                .collect(java.util.stream.Collectors.joining("\\s*")) + "\\s*";
        assertThat(table.lines().filter(l -> l.matches(header)).count())
                .as("one header line naming every strategy in registry order").isEqualTo(1);
        // JSON: the figures for each strategy
        int strategies = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        try (JsonParser p = new JsonFactory().createParser(Files.newInputStream(json))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME) {
                    names.add(p.currentName());
                    if (p.currentName().equals("strategy")) {
                        strategies++;
                    }
                }
            }
        }
        assertThat(strategies).as("each strategy's run and its medians").isEqualTo(2 * all.length);
        assertThat(names).contains("workload", "procs", "cycles", "wakeup_mark1_ns", "wakeup_mark2_ns", "wakeup_assist_ns",
                "wakeup_worker_ns", "mark1_waited", "heap_over_goal", "heap_over_hg", "sweep_term_max_ns", "mark_term_max_ns",
                "ops_per_sec", "records");
        // the report: a page and its plots (PNG files that are real images)
        String html = Files.readString(rep.resolve("index.html"));
        assertThat(html).contains("<img src=\"wakeup-cdf.png\"").contains("heap-note.png").contains("heap-park-yield.png");
        assertThat(html).contains("Command: <code>gort compare json --procs 2").doesNotContain("compare compare");
        try (var files = Files.list(rep)) {
            java.util.List<String> expected = new java.util.ArrayList<>(gort.trace.HtmlReport.fileNames(
                    java.util.Arrays.stream(all).map(gort.gc.WakeupStrategy::flag).toList(), true));
            expected.add(DirManifest.NAME);
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("the files the report names and the list of them, and no staging left").isEqualTo(expected.stream().sorted().toList());
        }
        for (String png : new String[] {"wakeup-cdf.png", "heap-note.png", "heap-park.png", "heap-park-yield.png"}) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(rep.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isGreaterThanOrEqualTo(800);
        }
    }
}
