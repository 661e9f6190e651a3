package gort.cli;

import gort.workloads.Program;
import gort.workloads.ProgramWorkload;
import gort.workloads.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code gort bench <workload>|<program> [args]}: for a workload, a warm-up, then several measured
 * repetitions in one runtime; for a program, one unmeasured warm-up run, then --reps measured runs,
 * each in a fresh runtime and class loader of this JVM, each timed from main's start to its return
 * (the program's output of each run goes to a file in a fresh temporary directory, named first).
 * Prints the median and writes a JSON record with {@code --json}. Compare its figures only with
 * anchors measured in the same run (docs/BENCHMARKS.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a workload or a program: warm-up, then the median of --reps repetitions.")
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Target target = new Target();

    @Option(names = "--reps", paramLabel = "R", defaultValue = "5", description = "measured repetitions (1..100, default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    @Mixin
    Options options = new Options();

    @Mixin
    PlatformOptions platformOptions = new PlatformOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (reps < 1 || reps > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reps=" + reps + " is invalid: must be from 1 to 100");
        }
        Program.Kind kind = target.check();
        options.platform = platformOptions.platform(spec.commandLine(), options.procs);
        if (kind != null) {
            return benchProgram();
        }
        Workload w = target.workload();
        var config = options.config(spec.commandLine().getErr());
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json);
        new CommandPaths().reads("--input", options.input).writes("--json", json).check();
        Workload.Params params = options.params(w, reps); // (reads --input)
        gort.trace.RunEnvironment env = environment(w, config, params);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bench " + w.name() + ": " + config + platformOptions.describe() + ", " + reps + " x " + Workload.Params.count(params.ops(), w.opName()) + " after a warm-up...");
        out.flush();
        Workload.Result r = w.run(config, params);
        out.println(r.summary());
        out.flush();
        return writeJson(jsonOut, env, r);
    }

    /** The command's environment, with --reps; its warnings said on stderr before anything runs. */
    private gort.trace.RunEnvironment environment(Workload w, gort.api.Config config, Workload.Params params) {
        java.util.Map<String, String> settings = Options.settings("bench", w, config, params);
        settings.put("reps", Integer.toString(reps));
        // on the simulated platform the host's CPUs do not time-slice the Ps: no oversubscription to warn of
        gort.trace.RunEnvironment env = gort.trace.RunEnvironment.capture(settings, platformOptions.simulated() ? 1 : config.gomaxprocs());
        env.warn(spec.commandLine().getErr());
        return env;
    }

    /** Writes --json if given; the exit status (2 when it could not be written, said on stderr). */
    private int writeJson(OutputFile jsonOut, gort.trace.RunEnvironment env, Workload.Result r) {
        if (jsonOut == null) {
            return 0;
        }
        return OutputFile.attempt(spec.commandLine().getErr(), () -> jsonOut.write(os -> writeJson(os, env, r))) ? 0 : Main.EXIT_OUTPUT;
    }

    private int benchProgram() throws IOException {
        if (options.seconds != null) {
            throw new IllegalArgumentException("--seconds: bench times whole runs of a program's main (--seconds is for run and compare)");
        }
        Workload.Params params = options.programParams(); // refuses the workloads' size options
        var config = options.config(spec.commandLine().getErr());
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json);
        new CommandPaths().reads("the program", target.programPath()).writes("--json", json).check();
        PrintWriter out = spec.commandLine().getOut();
        ProgramWorkload pw = target.program(spec.commandLine().getErr());
        gort.trace.RunEnvironment env = environment(pw, config, params);
        Path outputDir = java.nio.file.Files.createTempDirectory("gort-" + pw.name() + "-output-");
        out.println("bench " + pw.name() + ": " + config + platformOptions.describe() + ", " + reps + " x " + Workload.Params.count(1, "run")
                + " of main after a warm-up run, each in a fresh runtime");
        out.println("the program's output of each run: " + outputDir + java.io.File.separator + "{warmup,run-1,...}.txt");
        FileLedger.keeping("the program's output of each run so far is in " + outputDir);
        out.flush();
        Workload.Result r = pw.bench(config, reps, outputDir, platformOptions::fresh);
        out.println(r.summary());
        out.flush();
        return writeJson(jsonOut, env, r);
    }

    static void writeJson(java.io.OutputStream os, gort.trace.RunEnvironment env, Workload.Result r) throws IOException {
        try (JsonGenerator g = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build().createGenerator(os)) {
            g.writeStartObject();
            env.writeJson(g);
            g.writeStringProperty("benchmark", r.workload());
            g.writeNumberProperty("procs", r.procs());
            g.writeNumberProperty("ns_per_op", r.median());
            g.writeStringProperty("op", r.opName());
            g.writeNumberProperty("ops", r.ops());
            g.writeName("reps_ns_per_op");
            g.writeStartArray();
            for (double d : r.nsPerOp()) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            for (var e : r.extra().entrySet()) {
                if (e.getValue() instanceof Number num) {
                    g.writeName(e.getKey());
                    g.writeNumber(num.doubleValue() == num.longValue() ? Long.toString(num.longValue()) : num.toString());
                } else {
                    g.writeStringProperty(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            g.writeStringProperty("java", System.getProperty("java.vm.version"));
            g.writeEndObject();
        }
    }
}
