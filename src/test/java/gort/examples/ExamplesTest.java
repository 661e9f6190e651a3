package gort.examples;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.testing.Rt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ports of the example Go programs (every {@code examples/NAME/Main.java}) print exactly what
 * the Go programs print ({@code examples/NAME/expected.txt}, at the default arguments). Each port
 * is compiled once with the in-process compiler against the test classpath, and each run loads it
 * in a fresh class loader (so its static state, such as its managed types, is new) and runs its
 * main as the main goroutine of a fresh runtime with {@code GODEBUG=gccheckmark=1}, under a
 * watchdog, while System.out is captured.
 *
 * <p>Every port runs under each set-up of {@link gort.testing.Designs} (every design, and the
 * ablations that matter), at GOMAXPROCS=1 (where every
 * hand-off between goroutines is a scheduling decision on one P) and at GOMAXPROCS=4 (more Ps than
 * this machine's cores, so goroutines move between Ms and run truly in parallel). Most of the time
 * goes to treepass (many GC cycles, each with the checkmark phase) and to timeouts (its timeouts);
 * the class takes well under a minute on a loaded 2-core machine.
 */
class ExamplesTest {
    /** Every example with a port: the directories of examples/ that hold a Main.java, by name. */
    static List<String> examples() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("examples"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("Main.java"))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        }
    }

    private static Path classes;
    private static final Map<String, Path> compiled = new ConcurrentHashMap<>();

    @BeforeAll
    static void makeDir() throws IOException {
        classes = Files.createTempDirectory("gort-examples");
    }

    @AfterAll
    static void removeDir() throws IOException {
        if (classes != null) {
            try (Stream<Path> s = Files.walk(classes)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Stream<Arguments> runs() throws IOException {
        List<String> names = examples();
        assertThat(names).as("ports under examples/").contains("sieve", "workerpool", "pipeline", "bank", "bintrees", "treepass");
        List<Arguments> a = new ArrayList<>();
        for (String name : names) {
            for (int procs : new int[] {1, 4}) {
                for (String setup : gort.testing.Designs.SETUPS) {
                    a.add(Arguments.of(name, procs, setup));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} procs={1} {2}")
    @MethodSource("runs")
    void portPrintsWhatTheGoProgramPrints(String name, int procs, String setup) throws Exception {
        String expected = Files.readString(Path.of("examples", name, "expected.txt"), StandardCharsets.UTF_8);
        Config config = gort.testing.Designs.apply(Config.defaults().withGomaxprocs(procs).withGodebug(Map.of("gccheckmark", "1")),
                setup);
        assertThat(run(name, config)).as("what examples/%s/Main.java printed", name).isEqualTo(expected);
    }

    /** Runs the port's main with no arguments as the main goroutine of a runtime; returns what it printed. */
    static String run(String name, Config config) throws Exception {
        Path dir = compiled.computeIfAbsent(name, ExamplesTest::compile);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ExamplesTest.class.getClassLoader())) {
            MethodHandle main = MethodHandles.publicLookup().findStatic(loader.loadClass("Main"), "main",
                    MethodType.methodType(void.class, String[].class));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream out = System.out;
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try {
                Rt.run(config, () -> invoke(main));
            } finally {
                System.out.flush();
                System.setOut(out);
            }
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** main.invoke(new String[0]), letting what it throws through unwrapped (a panic, the runtime's unwinding). */
    private static void invoke(MethodHandle main) {
        try {
            main.invoke((Object) new String[0]);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("main threw a checked exception", t);
        }
    }

    /** Compiles examples/NAME/Main.java into its own directory under the class's temp directory. */
    private static Path compile(String name) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the JDK's compiler (javax.tools)").isNotNull();
        Path out = classes.resolve(name);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int rc;
        try {
            Files.createDirectories(out);
            rc = javac.run(null, messages, messages, "-d", out.toString(), "-cp", System.getProperty("java.class.path"),
                    "-Xlint:all,-try", "-Werror", Path.of("examples", name, "Main.java").toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(rc).as("javac examples/%s/Main.java:%n%s", name, messages.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
