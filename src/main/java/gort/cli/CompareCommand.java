package gort.cli;

import gort.gc.WakeupStrategy;
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
 * {@code gort compare <workload>}: runs the workload under note, park and park-yield in turn, with
 * the same options, showing progress; then prints the side-by-side table and what it shows, and
 * writes the JSON ({@code --json}) and the HTML report ({@code --report}) when asked.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a workload under each GC wakeup strategy (note, park, park-yield) and compare them.")
final class CompareCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Workloads.Names.class)
    String workload;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure and per-cycle record as JSON to FILE")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "also write an HTML report with plots to DIR")
    Path report;

    @Mixin
    Options options = new Options();

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    /** Per strategy, for workloads that run for a time budget, when neither --seconds nor --ops is given. */
    static final double DEFAULT_SECONDS = 12;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Workload w = Workloads.lookup(workload);
        var config = options.config();
        if (options.wakeup != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wakeup is not for compare: it runs every strategy in turn");
        }
        if (config.godebugInt("gcstoptheworld") > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "GODEBUG gcstoptheworld is not for compare: the strategies differ only in the concurrent collector");
        }
        if (config.gogc() < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "GOGC=off is not for compare: there would be no GC cycles");
        }
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json, true);
        List<String> strategyNames = java.util.Arrays.stream(WakeupStrategy.values()).map(WakeupStrategy::flag).toList();
        ReportDir reportOut = report == null ? null : ReportDir.check("--report", report, HtmlReport.fileNames(strategyNames, true));
        TraceOptions.Plan tp = traceOptions.plan();
        Workload.Params params = options.params(w, 1);
        if (options.seconds == null && options.ops == null && w.takesSeconds()) {
            // enough cycles per strategy for stable percentiles, the runs in about a minute
            params = new Workload.Params(params.ops(), 1, params.depth(), params.input(), DEFAULT_SECONDS, params.nodeWork(),
                    params.listener());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("compare " + w.name() + ": " + config + ", " + params.describe(w) + " under each strategy");
        out.flush();
        List<StrategyRun> runs = new ArrayList<>();
        WakeupStrategy[] all = WakeupStrategy.values();
        // the report draws wakeup windows from the runs' traces: with --report every run is traced, its raw trace kept
        // in a scratch directory until the report is written
        java.util.Map<String, Path> raws = new java.util.LinkedHashMap<>();
        Path scratch = report == null ? null : java.nio.file.Files.createTempDirectory("gort-report-");
        try {
            for (int i = 0; i < all.length; i++) {
                String stage = "[" + (i + 1) + "/" + all.length + "] " + all[i].flag();
                try (Progress pr = Progress.start(spec.commandLine().getErr(), stage, params.seconds())) {
                    Path tf = tp == null ? null : gort.trace.TraceExport.perStrategy(tp.out(), all[i].flag());
                    TraceOptions.Traced t = TraceOptions.run(tp, tf, scratch, w, config.withWakeup(all[i]), params.alsoTelling(pr), out);
                    runs.add(t.outcome().run());
                    if (t.raw() != null) {
                        raws.put(all[i].flag(), t.raw());
                    }
                }
            }
            report(runs, raws, w, config, jsonOut, reportOut, out);
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
            OutputFile jsonOut, ReportDir reportOut, PrintWriter out) throws IOException {
        List<Summary> ss = new ArrayList<>();
        for (StrategyRun r : runs) {
            ss.add(Summary.of(r));
        }
        out.println();
        out.print(CompareTable.table(ss));
        out.println();
        out.println(CompareTable.paragraph(ss));
        if (jsonOut != null) {
            jsonOut.write(os -> JsonReport.write(os, w.name(), config.gomaxprocs(), runs));
            out.println("wrote " + json);
        }
        if (reportOut != null) {
            String commandLine = commandLine(spec.commandLine().getParseResult().originalArgs());
            Path index = reportOut.write(d -> HtmlReport.write(d, w.name(), config.gomaxprocs(), runs, commandLine, raws));
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
