package gort.cli;

import gort.trace.CompareTable;
import gort.trace.HtmlReport;
import gort.trace.JsonReport;
import gort.trace.StrategyRun;
import gort.trace.Summary;
import gort.workloads.Program;
import gort.workloads.ProgramWorkload;
import gort.workloads.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gort compare <workload>|<program> [args]}: runs the workload or the user's program once
 * per value of one axis ({@link VaryAxis}; by default every wakeup strategy), each in a fresh
 * runtime (and, for a program, a fresh class loader), with the same options otherwise, showing
 * progress; then prints the side-by-side table (a column per run, headed by its label) and what it
 * shows, and writes the JSON ({@code --json}) and the HTML report ({@code --report}) when asked.
 * A program runs to the end of its main, or until its measured window reaches {@code --seconds};
 * its stdout and stderr of each run go to {@code <label>.txt} in a fresh directory under the
 * system's temporary directory, named before the first run and kept, so they never interleave
 * with the table.
 *
 * <p>With {@code --rounds N} every configuration runs N times, interleaved: each round runs them all,
 * and each round's order is the one before rotated by one, so no configuration always runs first
 * or after the same neighbour (the order is recorded in the JSON). The table gives each figure's
 * median with its range across the rounds; the words call a difference inside the rounds' spread
 * when the ranges overlap. Before round 1 a built-in workload runs once untimed under the first
 * configuration ({@code --no-jvm-warmup} skips it), so that the JVM's own warm-up (class loading,
 * the JIT) is not charged to whichever configuration runs first. Every output records the
 * {@link gort.trace.RunEnvironment}; GOMAXPROCS above the host's CPUs is warned about before the
 * first run.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a workload or a program under each GC wakeup strategy (or each value of --vary's axis) and compare them.")
final class CompareCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Target target = new Target();

    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure and per-cycle record as JSON to FILE")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "also write an HTML report with plots to DIR")
    Path report;

    @Option(names = "--vary", paramLabel = "AXIS=V,V,...", completionCandidates = VaryAxis.Names.class,
            description = "run once per value of one axis instead of once per wakeup strategy (e.g. --vary runnext=1,0 or "
                    + "--vary procs=2,4); axes: ${COMPLETION-CANDIDATES}")
    String vary;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "run every configuration N times, interleaved, each round's order rotated by one; each figure is then the "
                    + "median of the rounds with its range (1.." + MAX_ROUNDS + ", default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--jvm-warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "a built-in workload runs once untimed under the first configuration before round 1, so that the JVM's own "
                    + "warm-up is not charged to the first run measured (default on; --no-jvm-warmup skips it)")
    boolean jvmWarmup;

    static final int MAX_ROUNDS = 50;
    /** The untimed warm-up run's measured window, at most, for a workload that runs for a time budget. */
    static final double WARMUP_SECONDS = 2;

    @Mixin
    Options options = new Options();

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    @Mixin
    PlatformOptions platformOptions = new PlatformOptions();

    /** Per run, for workloads that run for a time budget, when neither --seconds nor --ops is given. */
    static final double DEFAULT_SECONDS = 12;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Program.Kind kind = target.check();
        Workload w = kind == null ? target.workload() : null;
        options.platform = platformOptions.platform(spec.commandLine(), options.procs);
        var config = options.baseConfig(spec.commandLine().getErr()); // each run's Config is checked once its axis is applied
        VaryAxis.Plan plan = vary == null ? VaryAxis.Plan.wakeupStrategies() : VaryAxis.parse(vary, config);
        VaryAxis axis = plan.axis();
        if (axis == VaryAxis.WAKEUP && options.wakeup != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wakeup fixes the strategy compare varies: "
                    + (vary == null ? "give --vary AXIS=... to vary something else" : "give one of --wakeup and --vary wakeup=..."));
        }
        if (axis.flag != null && options.given(axis.flag)) {
            throw new CommandLine.ParameterException(spec.commandLine(), axis.flag + " fixes what --vary " + axis.name + " varies: give one");
        }
        if (axis.godebugKey != null && options.godebugKeys().contains(axis.godebugKey)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--godebug " + axis.godebugKey + " fixes what --vary " + axis.name + " varies: give one");
        }
        if (config.godebugInt("gcstoptheworld") > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "GODEBUG gcstoptheworld is not for compare: it compares runs of the concurrent collector");
        }
        List<gort.api.Config> configs = new ArrayList<>();
        for (String v : plan.values()) {
            gort.api.Config c = axis.apply(config, v);
            try {
                c.collectorSettings();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), (vary == null ? "" : "--vary " + axis.name + "=" + v + ": ")
                        + e.getMessage());
            }
            if (c.gogc() < 0 && c.memoryLimit() == gort.api.Config.NO_MEMORY_LIMIT) {
                throw new CommandLine.ParameterException(spec.commandLine(), (vary == null ? "" : "--vary " + axis.name + "=" + v + ": ")
                        + "GOGC=off is not for compare without a memory limit: there would be no GC cycles");
            }
            configs.add(c);
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds=" + rounds + " is invalid: must be from 1 to "
                    + MAX_ROUNDS);
        }
        List<String> labels = plan.labels();
        int n = labels.size();
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json);
        List<String> reportFiles = HtmlReport.fileNames(labels, true);
        ReportDir reportOut = report == null ? null : ReportDir.check("--report", report, reportFiles);
        TraceOptions.Plan tp = traceOptions.plan();
        CommandPaths paths = new CommandPaths().reads("--input", options.input).reads("the program", target.programPath())
                .writes("--json", json).writesInto("--report", report, reportFiles);
        if (tp != null) {
            for (int r = 1; r <= rounds; r++) {
                for (String l : labels) {
                    Path tf = gort.trace.TraceExport.perStrategy(tp.out(), runName(l, r));
                    OutputFile.check("--trace", tf);
                    paths.writes("--trace", tf);
                }
            }
        }
        paths.check();
        Workload.Params params = kind == null ? options.params(w, 1) : options.programParams();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramWorkload program = kind == null ? null : target.program(err);
        Path outputDir = null;
        String each = (vary == null ? "strategy" : axis.name + " of " + String.join(", ", plan.values()))
                + (rounds == 1 ? "" : ", in " + rounds + " rounds");
        if (program != null) {
            w = program;
            outputDir = java.nio.file.Files.createTempDirectory("gort-" + program.name() + "-output-");
            out.println("compare " + program.name() + ": " + config + platformOptions.describe() + ", each run " + (params.seconds() > 0
                    ? "until its measured window reaches " + RunCommand.seconds(params.seconds()) + " s or main returns"
                    : "to the end of main") + ", under each " + each);
            out.println("the program's output of each run: " + outputDir + java.io.File.separator + "<label>"
                    + (rounds == 1 ? "" : "-r<round>") + ".txt");
            FileLedger.keeping("the program's output of each run so far is in " + outputDir);
        } else if (options.seconds == null && options.ops == null && w.takesSeconds()) {
            // enough cycles per run for stable percentiles, the runs in about a minute
            params = new Workload.Params(params.ops(), 1, params.depth(), params.input(), DEFAULT_SECONDS, params.nodeWork(),
                    params.allocRate(), params.listener());
        }
        boolean warmup = jvmWarmup && program == null;
        gort.trace.RunEnvironment env = environment(w, config, params, plan, configs, warmup);
        if (program == null) {
            out.println("compare " + w.name() + ": " + config + platformOptions.describe() + ", " + params.describe(w) + " under each "
                    + each + (platformOptions.simulated() ? " (each run a fresh simulation from the seed; its times are virtual)" : ""));
        }
        out.flush();
        env.warn(err);
        // byLabel.get(i): configuration i's runs in round order; byRound.get(r): round r's runs in the order they ran
        List<List<StrategyRun>> byLabel = new ArrayList<>();
        List<List<Workload.Result>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byLabel.add(new ArrayList<>());
            results.add(new ArrayList<>());
        }
        List<List<StrategyRun>> byRound = new ArrayList<>();
        // the report draws wakeup windows from the runs' traces: with --report every run is traced, the raw traces of
        // round 1 kept in a scratch directory until the report is written
        java.util.Map<String, Path> raws = new java.util.LinkedHashMap<>();
        Path scratch = report == null ? null : FileLedger.createTempDirectory(null, "gort-report-");
        boolean ok = true;
        try {
            if (warmup) {
                warmupRun(w, platformOptions.fresh(configs.get(0)), labels.get(0), params, tp != null || report != null, env, err);
            }
            int k = 0;
            for (int r = 1; r <= rounds; r++) {
                List<StrategyRun> round = new ArrayList<>();
                for (int i : order(n, r)) {
                    String label = labels.get(i);
                    String stage = "[" + (++k) + "/" + (n * rounds) + "] " + (rounds == 1 ? "" : "round " + r + " ") + label;
                    try (Progress pr = Progress.start(err, stage, params.seconds())) {
                        Path tf = tp == null ? null : gort.trace.TraceExport.perStrategy(tp.out(), runName(label, r));
                        Workload wi = program == null ? w : program.withOutput(outputDir.resolve(runName(label, r) + ".txt"));
                        TraceOptions.Traced t = TraceOptions.run(tp, tf, scratch, wi, platformOptions.fresh(configs.get(i)), params.alsoTelling(pr),
                                java.util.Map.of(axis.name, plan.values().get(i)), out, err, env);
                        ok &= t.traceWritten(err); // (the runs go on: the comparison is the result)
                        StrategyRun run = t.outcome().run().withLabel(label);
                        round.add(run);
                        byLabel.get(i).add(run);
                        results.get(i).add(t.outcome().result());
                        if (t.raw() != null && r == 1) {
                            raws.put(label, t.raw()); // (the report draws round 1's wakeup windows)
                        } else if (t.raw() != null) {
                            FileLedger.delete(t.raw()); // (traced as round 1 was, so that every round runs alike)
                        }
                    }
                }
                byRound.add(round);
            }
            String about = vary == null ? HtmlReport.aboutStrategies() : "Each run sets " + axis.name + " (" + axis.description
                    + ") to the value its label names; everything else is as the command gives it.";
            ok &= report(env, labels, byLabel, byRound, raws, w, config, jsonOut, reportOut, about, out, err,
                    program == null ? List.of() : programNotes(program, runNames(labels, results), flatten(results)));
        } finally {
            for (Path raw : raws.values()) {
                FileLedger.delete(raw);
            }
            FileLedger.delete(scratch);
        }
        out.flush();
        return ok ? 0 : Main.EXIT_OUTPUT;
    }

    /**
     * The order of round r (from 1) over n configurations: round 1 runs them as given, each later
     * round the order before it rotated by one (the first moves last), so over n rounds each
     * configuration runs once in each position.
     */
    static List<Integer> order(int n, int r) {
        List<Integer> o = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            o.add((i + r - 1) % n);
        }
        return o;
    }

    /** A run's name in file names: the label, with its round when there are several ("park-r2"). */
    private String runName(String label, int round) {
        return rounds == 1 ? label : label + "-r" + round;
    }

    /** Each run's name for the program notes, configuration by configuration, in round order. */
    private List<String> runNames(List<String> labels, List<List<Workload.Result>> results) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            for (int r = 1; r <= results.get(i).size(); r++) {
                names.add(rounds == 1 ? labels.get(i) : labels.get(i) + " (round " + r + ")");
            }
        }
        return names;
    }

    private static <T> List<T> flatten(List<List<T>> ls) {
        return ls.stream().flatMap(List::stream).toList();
    }

    /**
     * The untimed run before round 1: the workload under the first configuration, at most
     * {@link #WARMUP_SECONDS} of measured window, traced when the measured runs are (so that the
     * same code is warm), its figures and trace dropped.
     */
    private static void warmupRun(Workload w, gort.api.Config c, String label, Workload.Params params, boolean traced,
            gort.trace.RunEnvironment env, PrintWriter err) throws IOException {
        Workload.Params p = params.seconds() > 0 ? new Workload.Params(params.ops(), 1, params.depth(), params.input(),
                Math.min(params.seconds(), WARMUP_SECONDS), params.nodeWork(), params.allocRate(), params.listener()) : params;
        Path dir = traced ? FileLedger.createTempDirectory(null, "gort-warmup-") : null;
        try (Progress pr = Progress.start(err, "[warm-up, not measured] " + label, p.seconds())) {
            TraceOptions.Traced t = TraceOptions.run(null, null, dir, w, c, p.alsoTelling(pr), java.util.Map.of(), err, err, env);
            if (t.raw() != null) {
                FileLedger.delete(t.raw());
            }
        } finally {
            FileLedger.delete(dir);
        }
    }

    /**
     * The environment every output records: the host and build, the runtime's settings under the
     * first configuration with the varied one named as such, the workload's options, the rounds,
     * their order and the warm-up; the largest GOMAXPROCS of the runs decides the warning.
     */
    private gort.trace.RunEnvironment environment(Workload w, gort.api.Config config, Workload.Params params, VaryAxis.Plan plan,
            List<gort.api.Config> configs, boolean warmup) {
        java.util.Map<String, String> settings = Options.settings("compare", w, config, params);
        String varied = switch (plan.axis()) {
            case WAKEUP -> "wakeup";
            case PACER -> "pacer";
            case BARRIER -> "gcbarrier";
            case ASSIST_BLOCK -> "gcassistblock";
            case PROCS -> "GOMAXPROCS";
            case GOGC -> "GOGC";
            default -> null; // the ablations are set through GODEBUG only, which the command line then leaves without them
        };
        if (varied != null) {
            settings.put(varied, "varied");
        }
        settings.put("vary", plan.axis().name + "=" + String.join(",", plan.values()));
        settings.put("rounds", Integer.toString(rounds));
        settings.put("order", rounds == 1 ? "as listed" : "rotated by one each round");
        settings.put("jvm_warmup", warmup ? "one untimed run under " + plan.labels().get(0) + " before round 1" : "none");
        int maxProcs = configs.stream().mapToInt(gort.api.Config::gomaxprocs).max().orElse(config.gomaxprocs());
        if (platformOptions.simulated()) {
            maxProcs = 1; // the host's CPUs do not time-slice simulated Ps: no oversubscription to warn of
            if (plan.axis() == VaryAxis.PROCS) {
                settings.put("sim_ncpu", "each run's GOMAXPROCS");
            }
        }
        return gort.trace.RunEnvironment.capture(settings, maxProcs);
    }

    /** Under the table: which runs of a program were stopped at the time budget, and which measured nothing. */
    private static List<String> programNotes(ProgramWorkload program, List<String> labels, List<Workload.Result> results) {
        List<String> stopped = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        double budget = 0;
        for (int i = 0; i < results.size(); i++) {
            var extra = results.get(i).extra();
            if (extra.get(ProgramWorkload.STOPPED_AT) instanceof Number s) {
                stopped.add(labels.get(i));
                budget = s.doubleValue();
                if (Boolean.TRUE.equals(extra.get(ProgramWorkload.BLOCKED_AT_STOP))) {
                    blocked.add(labels.get(i));
                }
            }
            if (Boolean.FALSE.equals(extra.get(ProgramWorkload.WINDOW_OPENED))) {
                empty.add(labels.get(i));
            }
        }
        List<String> notes = new ArrayList<>();
        if (!stopped.isEmpty()) {
            notes.add((stopped.size() == results.size() ? "Every run was" : "The runs " + String.join(", ", stopped) + " were")
                    + " stopped when the measured window reached " + RunCommand.seconds(budget) + " s (--seconds)"
                    + (stopped.size() == results.size() ? "" : "; the others ended by themselves") + ".");
        }
        if (!blocked.isEmpty()) {
            notes.add("Every goroutine of " + program.name() + " was blocked when it was stopped under " + String.join(", ", blocked)
                    + ", as in a deadlock (which a pending stop keeps the runtime from reporting: run it without --seconds to see).");
        }
        if (!empty.isEmpty()) {
            notes.add(program.name() + " never called gort.api.Measure.start() under " + String.join(", ", empty)
                    + ": the measured window is empty.");
        }
        return notes;
    }

    /** Prints the table and its notes, then writes --json and --report, each whatever became of the other; false when one failed. */
    private boolean report(gort.trace.RunEnvironment env, List<String> labels, List<List<StrategyRun>> byLabel,
            List<List<StrategyRun>> byRound, java.util.Map<String, Path> raws, Workload w, gort.api.Config config, OutputFile jsonOut,
            ReportDir reportOut, String about, PrintWriter out, PrintWriter err, List<String> notes) {
        List<List<Summary>> ss = new ArrayList<>();
        for (List<StrategyRun> l : byLabel) {
            ss.add(l.stream().map(Summary::of).toList());
        }
        int procs = vary != null && VaryAxis.parse(vary, config).axis() == VaryAxis.PROCS ? 0 : config.gomaxprocs(); // 0: it varies
        out.println();
        out.print(CompareTable.tableOverRounds(env, ss));
        out.println();
        out.println(CompareTable.paragraphOverRounds(ss));
        for (String note : notes) {
            out.println(note);
        }
        out.flush();
        boolean ok = true;
        if (jsonOut != null) {
            ok &= OutputFile.attempt(err, () -> {
                jsonOut.write(os -> JsonReport.write(os, env, w.name(), procs, labels, byRound));
                PrintWriter to = jsonOut.isStdout() ? err : out; // (after the JSON on stdout, the line would spoil it)
                to.println("wrote " + json);
                to.flush();
            });
        }
        if (reportOut != null) {
            String commandLine = commandLine("compare", spec.commandLine().getParseResult().originalArgs());
            ok &= OutputFile.attempt(err, () -> {
                Path index = reportOut.write(d -> HtmlReport.write(d, env, w.name(), procs, byLabel, commandLine, raws, about));
                out.println("wrote " + index);
                out.flush();
            });
        }
        return ok;
    }

    /** The command line as the user typed it after {@code gort} (picocli's original arguments name the subcommand). */
    static String commandLine(String command, List<String> originalArgs) {
        List<String> args = originalArgs;
        if (args.isEmpty() || !args.get(0).equals(command)) {
            args = new ArrayList<>(args);
            args.add(0, command);
        }
        return "gort " + String.join(" ", args);
    }
}
