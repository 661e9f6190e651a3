package gort.cli;

import static gort.cli.CliTest.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * gort run, compare and bench of a user's program: how a program and its arguments are given, the
 * errors a program can have (it does not compile, is not there, has no main, panics, deadlocks), a
 * fresh class loader per run, the measured window of gort.api.Measure, compare's table and bench's
 * JSON, and one real run through the launcher. The programs are compiled once into a cache of
 * this class's own, and each mode of a program is chosen by its first argument.
 */
class ProgramCliTest {
    @TempDir
    static Path dir;
    static Path basic;
    static Path window;
    private static String cacheBefore;

    /** No use of Measure: its window is the whole of main. */
    static final String BASIC = """
            import gort.api.Go;
            import gort.api.WaitGroup;
            import java.util.Arrays;

            class Basic {
                static int runs;

                public static void main(String[] args) {
                    runs++;
                    String mode = args.length == 0 ? "args" : args[0];
                    switch (mode) {
                        case "panic" -> {
                            System.out.println("before the panic");
                            throw new IllegalStateException("boom");
                        }
                        case "deadlock" -> {
                            Go.go(() -> Go.makeChan(Integer.class, 0).recv()); // blocks forever
                            WaitGroup wg = new WaitGroup();
                            wg.add(1);
                            wg.await(); // main blocks
                        }
                        case "spin" -> {
                            for (int i = 0; i < 2; i++) {
                                Go.go(() -> { for (long x = 0;; x++) { if ((x & 255) == 0) Go.gosched(); } });
                            }
                            System.out.println("spinning");
                            for (;;) {
                                Go.gosched();
                            }
                        }
                        case "goroutines" -> {
                            int alone = Go.numGoroutine();
                            WaitGroup wg = new WaitGroup();
                            int[] got = new int[5]; // a slot per goroutine: no two write the same one
                            for (int i = 1; i <= 4; i++) {
                                int k = i;
                                wg.add(1);
                                Go.go(() -> { got[k] = k; wg.done(); });
                                Go.gosched();
                            }
                            wg.await();
                            System.out.println("sum=" + Arrays.stream(got).sum() + " goroutines=" + alone + " runs=" + runs);
                        }
                        default -> {
                            System.out.println("args=" + Arrays.toString(args) + " runs=" + runs);
                            System.err.println("to stderr");
                        }
                    }
                }
            }
            """;

    /** Uses Measure: its window opens at Measure.start(). */
    static final String WINDOW = """
            import gort.api.Go;
            import gort.api.Measure;

            class Window {
                public static void main(String[] args) {
                    switch (args[0]) {
                        case "window" -> {
                            Go.gc();
                            Go.gc();
                            Measure.start();
                            Go.gc();
                            Go.gc();
                            Go.gc();
                            Measure.stop();
                            for (int i = 0; i < 4; i++) {
                                Go.gc();
                            }
                            System.out.println("collected");
                        }
                        case "start-twice" -> {
                            Measure.start();
                            Measure.start();
                        }
                        case "stop-first" -> Measure.stop();
                        case "never" -> System.out.println("no window");
                        default -> throw new IllegalArgumentException(args[0]);
                    }
                }
            }
            """;

    @BeforeAll
    static void programs() throws Exception {
        cacheBefore = System.getProperty("gort.cache");
        System.setProperty("gort.cache", dir.resolve("cache").toString());
        basic = Files.writeString(dir.resolve("Basic.java"), BASIC);
        window = Files.writeString(dir.resolve("Window.java"), WINDOW);
    }

    @AfterAll
    static void restore() {
        if (cacheBefore == null) {
            System.clearProperty("gort.cache");
        } else {
            System.setProperty("gort.cache", cacheBefore);
        }
    }

    /** A command's exit code, gort's own stdout and stderr, and what the program wrote to System.out and System.err. */
    record Ran(int code, String out, String err, String programOut, String programErr) {}

    static synchronized Ran exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        ByteArrayOutputStream pOut = new ByteArrayOutputStream();
        ByteArrayOutputStream pErr = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(pOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(pErr, true, StandardCharsets.UTF_8));
            // built after the swap: picocli's execute() replaces the writers set below when System.err is no longer the
            // stream it saw when the command line was built
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
            assertThat(FileLedger.temporaries()).as("temporary files the command left registered").isEmpty();
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
        return new Ran(code, out.toString(), err.toString(), pOut.toString(StandardCharsets.UTF_8), pErr.toString(StandardCharsets.UTF_8));
    }

    static CliTest.Result asResult(Ran r) {
        return new CliTest.Result(r.code(), r.out(), r.err());
    }

    static void assertOk(Ran r) {
        assertThat(r.code()).as("exit code; stderr=%s; program's stderr=%s", r.err(), r.programErr()).isZero();
    }

    // ---------------------------------------------------------------------------------------
    // how a program and its arguments are given
    // ---------------------------------------------------------------------------------------

    @Test
    void aProgramGetsThePositionalsAfterItAndGortKeepsItsOptionsOnEitherSide() {
        Ran r = exec("run", "--procs", "1", basic.toString(), "a", "b", "--gogc", "50", "c");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("args=[a, b, c] runs=1\n");
        assertThat(r.programErr()).isEqualTo("to stderr\n");
        assertThat(r.out()).as("gort adds nothing to a program's stdout").isEmpty();
        assertThat(r.err()).as("nor to its stderr").isEmpty();
    }

    @Test
    void everythingAfterDoubleDashIsTheProgramsEvenGortsOptions() {
        Ran r = exec("run", basic.toString(), "--procs", "1", "--", "x", "--procs", "3", "-v", "--");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("args=[x, --procs, 3, -v, --] runs=1\n");
    }

    @Test
    void anOptionGortDoesNotKnowSaysWhereAProgramsOptionsGo() {
        CliTest.Result r = asResult(exec("run", basic.toString(), "--count", "3"));
        assertUsageError(r, "--count", "a program's own options go after --");
    }

    @Test
    void aSourceThatDoesNotCompileShowsJavacsMessagesThenOneLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("Bad.java"), "class Bad {\n    public static void main(String[] a) {\n        int x = \"s\"\n    }\n}\n");
        Ran r = exec("run", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Bad.java:3: error: ';' expected").contains("1 error");
        List<String> gortLines = r.err().lines().filter(l -> l.startsWith("gort: ")).toList();
        assertThat(gortLines).containsExactly("gort: " + bad + ": does not compile (javac's messages above)");
        assertThat(r.err().strip()).endsWith("does not compile (javac's messages above)");
        assertThat(r.programOut()).isEmpty();
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no entry and no half-compiled directory left for it")
                    .noneMatch(n -> n.startsWith(".compiling-"));
        }
    }

    @Test
    void aMissingProgramOrAnUnknownNameIsOneLine() {
        assertUsageError(asResult(exec("run", dir.resolve("Nope.java").toString())), "Nope.java: no such file");
        assertUsageError(asResult(exec("compare", dir.resolve("nope.jar").toString())), "nope.jar: no such file");
        assertUsageError(asResult(exec("bench", dir.resolve("no/such/dir").toString())), "no such file or directory");
        assertUsageError(asResult(exec("run", "nosuchthing")), "unknown workload or program \"nosuchthing\"", "json", ".java");
    }

    @Test
    void aFileThatIsNoProgramIsOneLine() throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertUsageError(asResult(exec("run", txt.toString())), "notes.txt: not a program", ".java", ".jar", "class folder");
    }

    @Test
    void aClassWithoutAStandardMainIsOneLine() throws Exception {
        Path p = Files.writeString(dir.resolve("NoMain.java"), "class NoMain {\n    static void main(String[] a) {}\n}\n");
        assertUsageError(asResult(exec("run", p.toString())), "class NoMain", "has no public static void main(String[] args)");
    }

    @Test
    void workloadsTakeNoArgumentsAndNoMainAndProgramsNoSizeOptions() {
        assertUsageError(asResult(exec("run", "pingpong", "extra")), "workload pingpong takes no arguments");
        assertUsageError(asResult(exec("run", "pingpong", "--main", "X")), "--main is for a program");
        assertUsageError(asResult(exec("run", basic.toString(), "--ops", "5")), "--ops is for the built-in workloads");
        assertUsageError(asResult(exec("compare", basic.toString(), "--depth", "5")), "--depth is for the built-in workloads");
        assertUsageError(asResult(exec("bench", basic.toString(), "--seconds", "1")), "--seconds", "bench times whole runs");
        assertUsageError(asResult(exec("run", basic.toString(), "--seconds", "0")), "--seconds=0.0");
    }

    // ---------------------------------------------------------------------------------------
    // jars and class folders
    // ---------------------------------------------------------------------------------------

    /** Basic's class files (compiled into the cache by a first run). */
    static Path basicClasses() {
        return gort.workloads.Program.open(basic, null, Path.of(System.getProperty("gort.cache")), new PrintWriter(java.io.Writer.nullWriter()))
                .classPath();
    }

    static Path jar(Path name, Path classes, String mainClass) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream os = Files.newOutputStream(name); JarOutputStream j = new JarOutputStream(os, mf);
                Stream<Path> files = Files.list(classes)) {
            for (Path f : files.toList()) {
                j.putNextEntry(new JarEntry(f.getFileName().toString()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return name;
    }

    @Test
    void aJarRunsItsMainClassOrTheOneNamed() throws Exception {
        Path classes = basicClasses();
        Path with = jar(dir.resolve("with.jar"), classes, "Basic");
        Ran r = exec("run", with.toString(), "--procs", "1", "j");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("args=[j] runs=1\n");

        Path without = jar(dir.resolve("without.jar"), classes, null);
        assertUsageError(asResult(exec("run", without.toString())), "without.jar", "names no Main-Class", "--main CLASS");
        Ran named = exec("run", without.toString(), "--main", "Basic", "--procs", "1", "k");
        assertOk(named);
        assertThat(named.programOut()).isEqualTo("args=[k] runs=1\n");
        assertUsageError(asResult(exec("run", without.toString(), "--main", "Nope")), "class Nope not found in " + without);
    }

    @Test
    void aClassFolderRunsItsOneMainOrNeedsMain() throws Exception {
        Path classes = basicClasses();
        Ran r = exec("run", classes.toString(), "--procs", "1", "f");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("args=[f] runs=1\n");

        Path two = Files.createDirectories(dir.resolve("two"));
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.toList()) {
                Files.copy(f, two.resolve(f.getFileName()));
            }
        }
        Path windowClasses = gort.workloads.Program.open(window, null, Path.of(System.getProperty("gort.cache")),
                new PrintWriter(java.io.Writer.nullWriter())).classPath();
        Files.copy(windowClasses.resolve("Window.class"), two.resolve("Window.class")); // a second class with a main
        assertUsageError(asResult(exec("run", two.toString())), "several classes have a main (Basic, Window)", "--main CLASS");
        Ran picked = exec("run", two.toString(), "--main", "Window", "--procs", "1", "--", "never");
        assertOk(picked);
        assertThat(picked.programOut()).isEqualTo("no window\n");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertUsageError(asResult(exec("run", empty.toString())), "no class in this folder has public static void main");
    }

    // ---------------------------------------------------------------------------------------
    // the runtime's end: panic, deadlock, fresh state
    // ---------------------------------------------------------------------------------------

    @Test
    void aPanicPrintsGosMessageAndExits2() {
        Ran r = exec("run", basic.toString(), "--procs", "1", "--", "panic");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.programOut()).isEqualTo("before the panic\n");
        assertThat(r.err()).startsWith("panic: java.lang.IllegalStateException: boom\n\ngoroutine 1 [running]:");
    }

    @Test
    void aDeadlockPrintsGosMessageAndExits2() {
        Ran r = exec("run", basic.toString(), "--procs", "2", "--", "deadlock");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("fatal error: all goroutines are asleep - deadlock!").contains("goroutine 1 [semacquire]:");
    }

    @Test
    void theDeadlockDumpNamesTheFileAndLineWhereEachGoroutineBlocked() {
        Ran r = exec("run", basic.toString(), "--procs", "2", "--", "deadlock");
        assertThat(r.code()).isEqualTo(2);
        // as Go's traceback prints file:line under each goroutine's function
        assertThat(r.err()).contains("goroutine 1 [semacquire]:\n\tmain.main\n\t\tBasic.java:" + lineOf(BASIC, "// main blocks")
                + " (Basic.main)\n");
        assertThat(r.err()).containsPattern("goroutine \\d+ \\[chan receive\\]:\n\tBasic\\.main\\.func\\d+\n\t\tBasic\\.java:"
                + lineOf(BASIC, "// blocks forever") + " \\(Basic\\.lambda\\$main\\$\\d+\\)\n");
    }

    /** The 1-based line of source that holds text (once). */
    static int lineOf(String source, String text) {
        String[] lines = source.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                assertThat(found).as("%s occurs once", text).isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as("%s occurs", text).isPositive();
        return found;
    }

    @Test
    void staticStateDoesNotLeakFromOneRunToTheNext() {
        for (int i = 0; i < 2; i++) {
            Ran r = exec("run", basic.toString(), "--procs", "2", "--", "goroutines");
            assertOk(r);
            assertThat(r.programOut()).as("run %d", i).isEqualTo("sum=10 goroutines=1 runs=1\n");
        }
    }

    // ---------------------------------------------------------------------------------------
    // the measured window
    // ---------------------------------------------------------------------------------------

    @Test
    void onlyTheCyclesInsideMeasureStartAndStopAreCounted() throws Exception {
        Path json = dir.resolve("window.json");
        Ran r = exec("run", window.toString(), "--procs", "1", "--summary", "--json", json.toString(), "--", "window");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("collected\n");
        assertThat(r.err()).contains("(from Measure.start())").contains("gc in the measured window: 0 concurrent cycles + 3 stop-the-world")
                .contains("wrote " + json);
        // the records kept are the three collections between start() and stop(): cycles 3, 4 and 5 of the nine
        List<Long> cycles = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(Files.readString(json))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME && p.currentName().equals("cycle")) {
                    p.nextToken();
                    cycles.add(p.getLongValue());
                }
            }
        }
        assertThat(cycles).containsExactly(3L, 4L, 5L);
    }

    @Test
    void withoutMeasureTheWindowIsTheWholeOfMain() {
        Ran r = exec("run", basic.toString(), "--procs", "1", "--summary", "--", "goroutines");
        assertOk(r);
        assertThat(r.err()).contains("Basic: procs=1, main returned after ").contains("(the whole of main)")
                .contains("gc in the measured window: 0 concurrent cycles");
    }

    @Test
    void measureMisuseIsAPanicNamingTheRule() {
        Ran twice = exec("run", window.toString(), "--procs", "1", "--", "start-twice");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).startsWith("panic: gort.api.Measure.start() called twice: the measured window opens once per run");
        Ran first = exec("run", window.toString(), "--procs", "1", "--", "stop-first");
        assertThat(first.code()).isEqualTo(2);
        assertThat(first.err()).startsWith("panic: gort.api.Measure.stop() before Measure.start()");
    }

    @Test
    void aWindowThatNeverOpenedIsSaid() {
        Ran r = exec("run", window.toString(), "--procs", "1", "--summary", "--", "never");
        assertOk(r);
        assertThat(r.err()).contains("(Measure.start() was never called)").contains("never called gort.api.Measure.start()");
    }

    @Test
    void aProgramIsStoppedWhenItsWindowReachesSeconds() {
        Ran r = exec("run", basic.toString(), "--procs", "2", "--seconds", "0.3", "--", "spin");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("spinning\n");
        assertThat(r.err().lines().toList()).containsExactly("gort: stopped Basic when its measured window reached 0.3 s (--seconds)");
        assertThat(gort.api.Runtime.lastStarted().sched().liveMs()).as("threads of the stopped runtime left running").isZero();
    }

    // ---------------------------------------------------------------------------------------
    // compare, bench, run --report
    // ---------------------------------------------------------------------------------------

    /** The directory compare or bench named for the program's output (deleted by the caller). */
    static Path outputDir(String out) {
        Matcher m = Pattern.compile("the program's output of each run: (\\S+)" + Pattern.quote(java.io.File.separator)).matcher(out);
        assertThat(m.find()).as("output directory named in: %s", out).isTrue();
        return Path.of(m.group(1));
    }

    static void deleteTree(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @Test
    void compareRunsTheProgramUnderEveryStrategyWithItsOutputInFiles() throws Exception {
        Path json = dir.resolve("cmp.json");
        Ran r = exec("compare", basic.toString(), "--procs", "2", "--json", json.toString(), "--", "goroutines");
        assertOk(r);
        assertThat(r.programOut()).as("the program's output is not on stdout").isEmpty();
        gort.gc.WakeupStrategy[] all = gort.gc.WakeupStrategy.values();
        String header = "\\s*" + java.util.Arrays.stream(all).map(w -> "\\|\\s*" + Pattern.quote(w.flag()))
                .collect(java.util.stream.Collectors.joining("\\s*")) + "\\s*";
        assertThat(r.out().lines().filter(l -> l.matches(header)).count()).as("one header naming every strategy").isEqualTo(1);
        assertThat(r.out()).startsWith("compare Basic: ").contains("each run to the end of main").contains("GC cycles (concurrent)");
        for (int i = 0; i < all.length; i++) {
            assertThat(r.err()).contains("[" + (i + 1) + "/" + all.length + "] " + all[i].flag());
        }
        Path out = outputDir(r.out());
        try {
            for (gort.gc.WakeupStrategy s : all) {
                assertThat(Files.readString(out.resolve(s.flag() + ".txt"))).as(s.flag()).isEqualTo("sum=10 goroutines=1 runs=1\n");
            }
        } finally {
            deleteTree(out);
        }
        assertThat(Files.readString(json).split("\"round\":", -1)).as("one run per strategy").hasSize(all.length + 1);
        assertThat(Files.readString(json)).contains("\"workload\":\"Basic\"");
    }

    @Test
    void compareSaysWhichRunsWereStoppedAtSeconds() throws Exception {
        Ran r = exec("compare", basic.toString(), "--procs", "2", "--seconds", "0.3", "--vary", "wakeup=park,none", "--", "spin");
        assertOk(r);
        assertThat(r.out()).contains("each run until its measured window reaches 0.3 s or main returns")
                .contains("Every run was stopped when the measured window reached 0.3 s (--seconds).");
        Path out = outputDir(r.out());
        try {
            assertThat(Files.readString(out.resolve("park.txt"))).isEqualTo("spinning\n");
        } finally {
            deleteTree(out);
        }
    }

    @Test
    void benchTimesWholeRunsOfMainAndWritesJson() throws Exception {
        Path json = dir.resolve("bench.json");
        Ran r = exec("bench", basic.toString(), "--procs", "1", "--reps", "3", "--json", json.toString(), "--", "goroutines");
        assertOk(r);
        assertThat(r.out()).contains("bench Basic: ").contains("3 x 1 run of main after a warm-up run").contains("Basic: procs=1 ops=1");
        Path out = outputDir(r.out());
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("run-1.txt", "run-2.txt", "run-3.txt", "warmup.txt");
            // bench runs every repetition in one class loader (the program's code is compiled once): its static
            // counter goes on from the warm-up run, where run and compare start each run afresh
            assertThat(Files.readString(out.resolve("run-3.txt"))).as("one class loader for bench's runs").isEqualTo("sum=10 goroutines=1 runs=4\n");
        } finally {
            deleteTree(out);
        }
        String benchmark = null;
        Number procs = null;
        double nsPerOp = -1;
        int reps = 0;
        try (JsonParser p = new JsonFactory().createParser(Files.readString(json))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.PROPERTY_NAME) {
                    continue;
                }
                switch (p.currentName()) {
                    case "benchmark" -> benchmark = p.nextStringValue();
                    case "procs" -> {
                        p.nextToken();
                        procs = p.getNumberValue();
                    }
                    case "ns_per_op" -> {
                        p.nextToken();
                        nsPerOp = p.getDoubleValue();
                    }
                    case "reps_ns_per_op" -> {
                        p.nextToken();
                        for (JsonToken a = p.nextToken(); a != JsonToken.END_ARRAY; a = p.nextToken()) {
                            assertThat(p.getDoubleValue()).isPositive();
                            reps++;
                        }
                    }
                    default -> {}
                }
            }
        }
        assertThat(benchmark).isEqualTo("Basic");
        assertThat(procs.intValue()).isEqualTo(1);
        assertThat(nsPerOp).isPositive();
        assertThat(reps).isEqualTo(3);
    }

    @Test
    void runWritesTheReportForOneRun() throws Exception {
        Path rep = dir.resolve("report");
        Ran r = exec("run", basic.toString(), "--procs", "1", "--report", rep.toString(), "--", "goroutines");
        assertOk(r);
        assertThat(r.programOut()).isEqualTo("sum=10 goroutines=1 runs=1\n");
        assertThat(r.err()).contains("wrote " + rep.resolve("index.html"));
        assertThat(Files.readString(rep.resolve("index.html"))).contains("One run under GOMAXPROCS=1").contains("gort run " + basic);

        Path wrep = dir.resolve("wreport");
        Ran w = exec("run", "bintree", "--depth", "8", "--procs", "1", "--report", wrep.toString());
        assertOk(w);
        assertThat(w.out()).contains("bintree: procs=1").contains("wrote " + wrep.resolve("index.html"));
        assertThat(wrep.resolve("heap-park-yield.png")).exists();
    }

    // ---------------------------------------------------------------------------------------
    // through the launcher
    // ---------------------------------------------------------------------------------------

    @Test
    void theLauncherRunsAProgramThatPrintsExactlyItsOwnOutput() throws Exception {
        basicClasses(); // compiled into the cache the launched gort shares (same class path, same key)
        ProcessBuilder pb = new ProcessBuilder("./gort", "run", basic.toString(), "--procs", "2", "one", "--", "two");
        pb.environment().put("GORT_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("GORT_JAVA_OPTS", "-Dgort.cache=" + System.getProperty("gort.cache"));
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                err.completeExceptionally(e);
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("the launched gort ended").isTrue();
        String e = err.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(p.exitValue()).as("stderr=%s", e).isZero();
        assertThat(out).isEqualTo("args=[one, two] runs=1\n");
        assertThat(e).isEqualTo("to stderr\n");
    }
}
