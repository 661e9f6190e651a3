package gort.cli;

import gort.trace.CompareTable;
import gort.trace.HtmlReport;
import gort.trace.JsonReport;
import gort.trace.StrategyRun;
import gort.trace.Summary;
import gort.workloads.Experiment;
import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gort compare <workload>}: runs the workload once per value of one axis ({@link VaryAxis};
 * by default every wakeup strategy), with the same options otherwise, showing progress; then prints
 * the side-by-side table (a column per run, headed by its label) and what it shows, and writes the
 * JSON ({@code --json}) and the HTML report ({@code --report}) when asked.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a workload under each GC wakeup strategy (or each value of --vary's axis) and compare them.")
final class CompareCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Workloads.Names.class)
    String workload;

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
        Workload w = Workloads.lookup(workload);
        var config = options.baseConfig(); // each run's Config is checked once its axis is applied
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
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json, true);
        ReportDir reportOut = report == null ? null : ReportDir.check("--report", report, HtmlReport.fileNames(labels, true));
        TraceOptions.Plan tp = traceOptions.plan();
        if (tp != null) {
            for (String l : labels) {
                OutputFile.check("--trace", gort.trace.TraceExport.perStrategy(tp.out(), l), true);
            }
        }
        Workload.Params params = options.params(w, 1);
        if (options.seconds == null && options.ops == null && w.takesSeconds()) {
            // enough cycles per run for stable percentiles, the runs in about a minute
            params = new Workload.Params(params.ops(), 1, params.depth(), params.input(), DEFAULT_SECONDS, params.nodeWork(),
                    params.listener());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("compare " + w.name() + ": " + config + ", " + params.describe(w) + " under each "
                + (vary == null ? "strategy" : axis.name + " of " + String.join(", ", plan.values())));
        out.flush();
        List<StrategyRun> runs = new ArrayList<>();
        // the report draws wakeup windows from the runs' traces: with --report every run is traced, its raw trace kept
        // in a scratch directory until the report is written
        java.util.Map<String, Path> raws = new java.util.LinkedHashMap<>();
        Path scratch = report == null ? null : java.nio.file.Files.createTempDirectory("gort-report-");
        try {
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                String stage = "[" + (i + 1) + "/" + labels.size() + "] " + label;
                try (Progress pr = Progress.start(spec.commandLine().getErr(), stage, params.seconds())) {
                    Path tf = tp == null ? null : gort.trace.TraceExport.perStrategy(tp.out(), label);
                    TraceOptions.Traced t = TraceOptions.run(tp, tf, scratch, w, configs.get(i), params.alsoTelling(pr), out);
                    runs.add(t.outcome().run().withLabel(label));
                    if (t.raw() != null) {
                        raws.put(label, t.raw());
                    }
                }
            }
            String about = vary == null ? HtmlReport.aboutStrategies() : "Each run sets " + axis.name + " (" + axis.description
                    + ") to the value its label names; everything else is as the command gives it.";
            report(runs, raws, w, config, jsonOut, reportOut, about, out);
        } finally {
            for (Path r : raws.values()) {
                java.nio.file.Files.deleteIfExists(r);
            }
            if (scratch != null) {
                try (var st = java.nio.file.Files.list(scratch)) {
                    for (Path x : st.toList()) {
                        java.nio.file.Files.deleteIfExists(x);
                    }
                }
                java.nio.file.Files.deleteIfExists(scratch);
            }
        }
        out.flush();
        return 0;
    }

    private void report(List<StrategyRun> runs, java.util.Map<String, Path> raws, Workload w, gort.api.Config config,
            OutputFile jsonOut, ReportDir reportOut, String about, PrintWriter out) throws IOException {
        List<Summary> ss = new ArrayList<>();
        for (StrategyRun r : runs) {
            ss.add(Summary.of(r));
        }
        int procs = vary != null && VaryAxis.parse(vary, config).axis() == VaryAxis.PROCS ? 0 : config.gomaxprocs(); // 0: it varies
        out.println();
        out.print(CompareTable.table(ss));
        out.println();
        out.println(CompareTable.paragraph(ss));
        if (jsonOut != null) {
            jsonOut.write(os -> JsonReport.write(os, w.name(), procs, runs));
            out.println("wrote " + json);
        }
        if (reportOut != null) {
            String commandLine = commandLine(spec.commandLine().getParseResult().originalArgs());
            Path index = reportOut.write(d -> HtmlReport.write(d, w.name(), procs, runs, commandLine, raws, about));
            out.println("wrote " + index);
        }
    }

    /** The command line as the user typed it after {@code gort} (picocli's original arguments name the subcommand). */
    static String commandLine(List<String> originalArgs) {
        List<String> args = originalArgs;
        if (args.isEmpty() || !args.get(0).equals("compare")) {
            args = new ArrayList<>(args);
            args.add(0, "compare");
        }
        return "gort " + String.join(" ", args);
    }
}
