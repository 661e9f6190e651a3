package gort.cli;

import static gort.cli.CliTest.assertUsageError;
import static gort.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tracer's command-line side: bad --trace values and bad trace files are one-line usage
 * errors (exit 2) that leave nothing behind; a traced run writes the file it names, and
 * {@code gort trace stats} reads it back and agrees with the run's records.
 */
class TraceCliTest {
    static long filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "compare"})
    void traceNeedsAKnownExtension(String cmd, @TempDir Path dir) throws Exception {
        assertUsageError(exec(cmd, "pingpong", "--ops", "100", "--trace", dir.resolve("t.txt").toString()), "t.txt", ".json", ".pftrace");
        assertUsageError(exec(cmd, "pingpong", "--ops", "100", "--trace", dir.resolve(".json").toString()), ".json", ".pftrace");
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void traceIntoAMissingDirectory(@TempDir Path dir) {
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace", dir.resolve("no/t.json").toString()), "does not exist");
    }

    @Test
    void traceOntoADirectory(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("x.json"));
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace", d.toString()), "is a directory");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5", "9..3", "a..b", "0..2", "1..2..3", "-1..4"})
    void badCycleWindows(String v, @TempDir Path dir) throws Exception {
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace", dir.resolve("t.json").toString(), "--trace-cycles", v),
                "--trace-cycles", v);
        assertThat(filesIn(dir)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2", "3..1", "x..", "-1..2", "NaN..1"})
    void badTimeWindows(String v, @TempDir Path dir) throws Exception {
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace", dir.resolve("t.json").toString(), "--trace-time", v),
                "--trace-time", "seconds");
    }

    @Test
    void windowsNeedATraceAndExcludeEachOther(@TempDir Path dir) {
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace-cycles", "1..2"), "--trace-cycles", "--trace FILE");
        assertUsageError(exec("run", "pingpong", "--ops", "100", "--trace", dir.resolve("t.json").toString(), "--trace-cycles", "1..2",
                "--trace-time", "0..1"), "exclude");
    }

    @Test
    void statsOfAMissingOrUnknownFile(@TempDir Path dir) throws Exception {
        assertUsageError(exec("trace", "stats", dir.resolve("none.json").toString()), "does not exist");
        Path txt = Files.writeString(dir.resolve("t.txt"), "hello");
        assertUsageError(exec("trace", "stats", txt.toString()), ".json", ".pftrace");
        assertUsageError(exec("trace"), "stats");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{", "[1,2]", "{}", "{\"traceEvents\": 3}", "not json"})
    void statsOfMalformedJson(String content, @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.json"), content);
        assertUsageError(exec("trace", "stats", f.toString()), f.toString());
    }

    @Test
    void statsOfJsonWithoutACoordinator(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.json"), "{\"traceEvents\": [{\"name\": \"G1 main.main\", \"ph\": \"X\", \"ts\": 1, \"dur\": 2, "
                + "\"pid\": 0, \"tid\": 0}]}");
        assertUsageError(exec("trace", "stats", f.toString()), "no GC coordinator");
    }

    @Test
    void statsOfABrokenPerfettoFile(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("t.pftrace"), new byte[] {0x12, 0x05, 1, 2, 3});
        assertUsageError(exec("trace", "stats", f.toString()), f.toString(), "not a Perfetto trace");
        Path g = Files.write(dir.resolve("u.pftrace"), new byte[] {0x0A, 0x7F, 1, 2});
        assertUsageError(exec("trace", "stats", g.toString()), g.toString());
    }

    @Test
    void aTracedRunAndItsStats(@TempDir Path dir) throws Exception {
        Path pf = dir.resolve("run.pftrace");
        CliTest.Result r = exec("run", "json", "--ops", "8", "--procs", "2", "--trace", pf.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.out()).contains("wrote " + pf);
        assertThat(filesIn(dir)).as("only the trace is left: no raw scratch file, no .tmp").isEqualTo(1);
        CliTest.Result s = exec("trace", "stats", pf.toString());
        assertThat(s.code()).as("stderr=%s", s.err()).isZero();
        assertThat(s.out()).contains("trace of gort (park-yield)").contains("mark 1 wakeup delay").contains("0 mismatches")
                .contains("ran meanwhile: P");
        // the gcwakeup file is for Go's traces only
        assertUsageError(exec("trace", "stats", pf.toString(), "--gcwakeup", pf.toString()), "--gcwakeup", "only for Go 1.5.1");

        Path js = dir.resolve("win.json");
        CliTest.Result w = exec("run", "json", "--ops", "8", "--procs", "2", "--wakeup", "note", "--trace", js.toString(), "--trace-cycles",
                "2..3");
        assertThat(w.code()).as("stderr=%s", w.err()).isZero();
        CliTest.Result ws = exec("trace", "stats", js.toString());
        assertThat(ws.code()).as("stderr=%s", ws.err()).isZero();
        assertThat(ws.out()).contains("trace of gort (note): 4 waits").contains("GC 2 mark 1 (note)").contains("GC 3 mark 2 (note)")
                .doesNotContain("GC 4 ");
    }

    @Test
    void aRunWithoutACoordinatorIsReadBackInTheWordsOfItsDesign(@TempDir Path dir) throws Exception {
        Path pf = dir.resolve("none.pftrace");
        Path rep = dir.resolve("report");
        CliTest.Result r = exec("run", "bintree", "--depth", "14", "--gogc", "10", "--procs", "2", "--wakeup", "none", "--trace",
                pf.toString(), "--report", rep.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        CliTest.Result s = exec("trace", "stats", pf.toString());
        assertThat(s.code()).as("stderr=%s", s.err()).isZero();
        assertThat(s.out()).startsWith("trace of gort (none): ").contains(" transitions (no coordinator: ").contains("0 mismatches")
                .contains("transition began after");
        assertThat(s.out().replace("no coordinator", "")).doesNotContain("coordinator").doesNotContain("resumed after");
        String html = Files.readString(rep.resolve("index.html"));
        assertThat(html).contains("<h2>Wakeup windows</h2>").contains("it started the transition itself")
                .doesNotContain("done by coordinator").doesNotContain("the coordinator ran").doesNotContain("at least 4 MiB");
    }

    @Test
    void aWindowThatShowsNothingMeasuredIsSaidInOneLineAndInTheTrace(@TempDir Path dir) throws Exception {
        // cycle 1 falls in json's set-up and warm-up; the run has far fewer than 1000 cycles
        Path warm = dir.resolve("warm.json");
        CliTest.Result r = exec("run", "json", "--ops", "40", "--procs", "2", "--wakeup", "park", "--trace", warm.toString(),
                "--trace-cycles", "1..1");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.startsWith("gort: warning: --trace-cycles 1..1 selects only warm-up cycles "
                + "(the measured cycles are ")).count()).as("stderr=%s", r.err()).isEqualTo(1);
        assertThat(Files.readString(warm)).contains("\"warning\":\"cycles 1..1 selects only warm-up cycles");
        CliTest.Result s = exec("trace", "stats", warm.toString());
        assertThat(s.out()).contains("note: the trace's window cycles 1..1 selects only warm-up cycles");

        Path none = dir.resolve("none.pftrace");
        r = exec("run", "json", "--ops", "8", "--procs", "2", "--trace", none.toString(), "--trace-cycles", "1000..2000");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).containsPattern("gort: warning: --trace-cycles 1000..2000 selects no cycle: the run had cycles 1\\.\\.\\d+ \\(");

        // a window that reaches the measured cycles says nothing
        Path all = dir.resolve("all.json");
        r = exec("run", "json", "--ops", "40", "--procs", "2", "--wakeup", "park", "--trace", all.toString(), "--trace-cycles", "1..");
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        assertThat(Files.readString(all)).doesNotContain("\"warning\"");
    }

    @Test
    void eachTraceOfACompareNamesTheValueOfTheVariedSetting(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("x.json");
        CliTest.Result r = exec("compare", "bintree", "--depth", "14", "--gogc", "10", "--procs", "2", "--wakeup", "park", "--vary",
                "runnext=1,0", "--trace", t.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        for (String v : new String[] {"1", "0"}) {
            Path f = dir.resolve("x-runnext=" + v + ".json");
            assertThat(Files.readString(f)).contains("\"strategy\":\"park\"").contains("\"varied\":\"runnext\"")
                    .contains("\"runnext\":\"" + v + "\"");
            CliTest.Result s = exec("trace", "stats", f.toString());
            assertThat(s.code()).as("stderr=%s", s.err()).isZero();
            assertThat(s.out()).startsWith("trace of gort (park, runnext=" + v + "): ");
        }
    }
}
