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

    @Mixin
    Options options = new Options();

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    /** Per run, for workloads that run for a time budget, when neither --seconds nor --ops is given. */
    static final double DEFAULT_SECONDS = 12;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Program.Kind kind = target.check();
        Workload w = kind == null ? target.workload() : null;
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
        List<String> labels = plan.labels();
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json);
        List<String> reportFiles = HtmlReport.fileNames(labels, true);
        ReportDir reportOut = report == null ? null : ReportDir.check("--report", report, reportFiles);
        TraceOptions.Plan tp = traceOptions.plan();
        CommandPaths paths = new CommandPaths().reads("--input", options.input).reads("the program", target.programPath())
                .writes("--json", json).writesInto("--report", report, reportFiles);
        if (tp != null) {
            for (String l : labels) {
                Path tf = gort.trace.TraceExport.perStrategy(tp.out(), l);
                OutputFile.check("--trace", tf);
                paths.writes("--trace", tf);
            }
        }
        paths.check();
        Workload.Params params = kind == null ? options.params(w, 1) : options.programParams();
        PrintWriter out = spec.commandLine().getOut();
        ProgramWorkload program = kind == null ? null : target.program(spec.commandLine().getErr());
        Path outputDir = null;
        if (program != null) {
            w = program;
            outputDir = java.nio.file.Files.createTempDirectory("gort-" + program.name() + "-output-");
            out.println("compare " + program.name() + ": " + config + ", each run " + (params.seconds() > 0
                    ? "until its measured window reaches " + RunCommand.seconds(params.seconds()) + " s or main returns"
                    : "to the end of main") + ", under each " + (vary == null ? "strategy" : axis.name + " of " + String.join(", ", plan.values())));
            out.println("the program's output of each run: " + outputDir + java.io.File.separator + "<label>.txt");
            FileLedger.keeping("the program's output of each run so far is in " + outputDir);
        } else if (options.seconds == null && options.ops == null && w.takesSeconds()) {
            // enough cycles per run for stable percentiles, the runs in about a minute
            params = new Workload.Params(params.ops(), 1, params.depth(), params.input(), DEFAULT_SECONDS, params.nodeWork(),
                    params.allocRate(), params.listener());
        }
        if (program == null) {
            out.println("compare " + w.name() + ": " + config + ", " + params.describe(w) + " under each "
                    + (vary == null ? "strategy" : axis.name + " of " + String.join(", ", plan.values())));
        }
        out.flush();
        List<StrategyRun> runs = new ArrayList<>();
        List<Workload.Result> results = new ArrayList<>();
        // the report draws wakeup windows from the runs' traces: with --report every run is traced, its raw trace kept
        // in a scratch directory until the report is written
        java.util.Map<String, Path> raws = new java.util.LinkedHashMap<>();
        Path scratch = report == null ? null : FileLedger.createTempDirectory(null, "gort-report-");
        PrintWriter err = spec.commandLine().getErr();
        boolean ok = true;
        try {
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                String stage = "[" + (i + 1) + "/" + labels.size() + "] " + label;
                try (Progress pr = Progress.start(spec.commandLine().getErr(), stage, params.seconds())) {
                    Path tf = tp == null ? null : gort.trace.TraceExport.perStrategy(tp.out(), label);
                    Workload wi = program == null ? w : program.withOutput(outputDir.resolve(label + ".txt"));
                    TraceOptions.Traced t = TraceOptions.run(tp, tf, scratch, wi, configs.get(i), params.alsoTelling(pr), out, err);
                    ok &= t.traceWritten(err); // (the runs go on: the comparison is the result)
                    runs.add(t.outcome().run().withLabel(label));
                    results.add(t.outcome().result());
                    if (t.raw() != null) {
                        raws.put(label, t.raw());
                    }
                }
            }
            String about = vary == null ? HtmlReport.aboutStrategies() : "Each run sets " + axis.name + " (" + axis.description
                    + ") to the value its label names; everything else is as the command gives it.";
            ok &= report(runs, raws, w, config, jsonOut, reportOut, about, out, err,
                    program == null ? List.of() : programNotes(program, labels, results));
        } finally {
            for (Path r : raws.values()) {
                FileLedger.delete(r);
            }
            FileLedger.delete(scratch);
        }
        out.flush();
        return ok ? 0 : Main.EXIT_OUTPUT;
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
    private boolean report(List<StrategyRun> runs, java.util.Map<String, Path> raws, Workload w, gort.api.Config config,
            OutputFile jsonOut, ReportDir reportOut, String about, PrintWriter out, PrintWriter err, List<String> notes) {
        List<Summary> ss = new ArrayList<>();
        for (StrategyRun r : runs) {
            ss.add(Summary.of(r));
        }
        int procs = vary != null && VaryAxis.parse(vary, config).axis() == VaryAxis.PROCS ? 0 : config.gomaxprocs(); // 0: it varies
        out.println();
        out.print(CompareTable.table(ss));
        out.println();
        out.println(CompareTable.paragraph(ss));
        for (String n : notes) {
            out.println(n);
        }
        out.flush();
        boolean ok = true;
        if (jsonOut != null) {
            ok &= OutputFile.attempt(err, () -> {
                jsonOut.write(os -> JsonReport.write(os, w.name(), procs, runs));
                PrintWriter to = jsonOut.isStdout() ? err : out; // (after the JSON on stdout, the line would spoil it)
                to.println("wrote " + json);
                to.flush();
            });
        }
        if (reportOut != null) {
            String commandLine = commandLine("compare", spec.commandLine().getParseResult().originalArgs());
            ok &= OutputFile.attempt(err, () -> {
                Path index = reportOut.write(d -> HtmlReport.write(d, w.name(), procs, runs, commandLine, raws, about));
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
