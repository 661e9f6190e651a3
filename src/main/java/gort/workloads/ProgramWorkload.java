package gort.workloads;

import gort.api.Config;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's {@link Program} with its arguments as a {@link Workload}, so that {@link Experiment},
 * the tracer and {@code gort run|compare} treat it as they treat the built-in workloads: one
 * repetition is one run of the program, measured over its window ({@code Measure.start()} to
 * {@code Measure.stop()}, by default the whole of main), and one op is one run. {@link #bench} is
 * {@code gort bench}'s: a warm-up run, then measured runs timed from main's start to its return.
 *
 * <p>Owns nothing between runs (each run is a fresh runtime and class loader). Invariant: the
 * program's output goes where {@link #withOutput} says, or to System.out/System.err; a file given
 * is written whole by the run, then closed.
 */
public final class ProgramWorkload implements Workload {
    /** Key of {@link Result#extra()}: the seconds at which the program was stopped (its --seconds budget), when it was. */
    public static final String STOPPED_AT = "stopped_at_s";
    /** Key of {@link Result#extra()}: true when every goroutine of the program was blocked as it was stopped. */
    public static final String BLOCKED_AT_STOP = "blocked_at_stop";
    /** Key of {@link Result#extra()}: main's wall time in ns, from its start to its return (absent when stopped). */
    public static final String MAIN_NS = "main_ns";
    /** Key of {@link Result#extra()}: false when the program uses Measure but never called Measure.start(). */
    public static final String WINDOW_OPENED = "window_opened";

    private final Program program;
    private final List<String> args;
    private final Path output;

    public ProgramWorkload(Program program, List<String> args) {
        this(program, args, null);
    }

    private ProgramWorkload(Program program, List<String> args, Path output) {
        this.program = program;
        this.args = List.copyOf(args);
        this.output = output;
    }

    /** This workload with the program's stdout and stderr written to file (replaced), or left alone (null). */
    public ProgramWorkload withOutput(Path file) {
        return new ProgramWorkload(program, args, file);
    }

    public Program program() {
        return program;
    }

    public List<String> args() {
        return args;
    }

    @Override
    public String name() {
        return program.name();
    }

    @Override
    public String opName() {
        return "run";
    }

    @Override
    public long defaultOps() {
        return 1;
    }

    /** A run is the program's main: no number of ops. */
    @Override
    public boolean takesOps() {
        return false;
    }

    /** {@code --seconds S}: the program is stopped when its measured window reaches S. */
    @Override
    public boolean takesSeconds() {
        return true;
    }

    /** One run of the program (p.reps() must be 1), measured over its window. */
    @Override
    public Result run(Config config, Params p) {
        if (p.reps() != 1) {
            throw new IllegalArgumentException("a program runs once per repetition: " + p.reps() + " repetitions asked");
        }
        Program.Run r = runOnce(config, p.listener(), p.seconds(), output);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(GC_BEFORE, r.gcBefore());
        extra.put(GC_AFTER, r.gcAfter());
        extra.put("numgc", r.gcAfter() - r.gcBefore());
        if (r.stopped()) {
            extra.put(STOPPED_AT, r.stoppedAtSeconds());
            extra.put(BLOCKED_AT_STOP, r.blockedAtStop());
        } else {
            extra.put(MAIN_NS, r.mainNs());
        }
        extra.put(WINDOW_OPENED, r.windowOpened());
        return new Result(name(), opName(), config.gomaxprocs(), 1, new double[] {r.windowNs()}, extra);
    }

    /**
     * {@code gort bench}: one unmeasured warm-up run, then reps measured runs, each in a fresh
     * runtime of this JVM and all in one class loader, so that neither the JVM's start nor the JIT's
     * warm-up of gort's or the program's code is counted (the runs share the program's static
     * state, as the iterations of a Go benchmark loop share its globals; run and compare load it
     * afresh each time). Each run's figure is main's wall time, from its start to its return. With
     * outputDir, each run's output goes to {@code warmup.txt}, {@code run-1.txt}, ... in it.
     */
    public Result bench(Config config, int reps, Path outputDir) {
        return bench(config, reps, outputDir, java.util.function.UnaryOperator.identity());
    }

    /**
     * {@link #bench(Config, int, Path)} with each run's config {@code eachRun.apply(config)}: a
     * fresh platform per runtime (a simulated platform is one simulation, begun from its seed).
     */
    public Result bench(Config config, int reps, Path outputDir, java.util.function.UnaryOperator<Config> eachRun) {
        double[] ns = new double[reps];
        Program.Run warm;
        try (java.net.URLClassLoader loader = program.sharedLoader()) {
            warm = runOnce(eachRun.apply(config), Listener.NONE, 0, outputDir == null ? null : outputDir.resolve("warmup.txt"), loader);
            for (int i = 0; i < reps; i++) {
                ns[i] = runOnce(eachRun.apply(config), Listener.NONE, 0, outputDir == null ? null : outputDir.resolve("run-" + (i + 1) + ".txt"), loader)
                        .mainNs();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing the loader
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("warmup_ns", warm.mainNs());
        return new Result(name(), opName(), config.gomaxprocs(), 1, ns, extra);
    }

    private Program.Run runOnce(Config config, Listener l, double seconds, Path file) {
        if (file == null) {
            return program.run(config, args, l, seconds, null);
        }
        try (PrintStream ps = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), false)) {
            return program.run(config, args, l, seconds, ps);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the program's output", e);
        }
    }

    private Program.Run runOnce(Config config, Listener l, double seconds, Path file, java.net.URLClassLoader loader) {
        if (file == null) {
            return program.run(config, args, l, seconds, null, loader);
        }
        try (PrintStream ps = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), false)) {
            return program.run(config, args, l, seconds, ps, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the program's output", e);
        }
    }
}
