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
        if (config.godebug().containsKey("gcstoptheworld")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "GODEBUG gcstoptheworld is not for compare: the strategies differ only in the concurrent collector");
        }
        if (config.gogc() < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "GOGC=off is not for compare: there would be no GC cycles");
        }
        Options.checkParentDir(json, "--json"); // --report DIR is created, with its parents
        TraceOptions.Plan tp = traceOptions.plan();
        Workload.Params params = options.params(w, 1);
        if (options.seconds == null && options.ops == null && w.takesSeconds()) {
            // enough cycles per strategy for stable percentiles, the three runs in about a minute
            params = new Workload.Params(params.ops(), 1, params.depth(), params.input(), DEFAULT_SECONDS, params.nodeWork());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("compare " + w.name() + ": " + config + ", " + params.describe(w) + " under each strategy");
        out.flush();
        List<StrategyRun> runs = new ArrayList<>();
        WakeupStrategy[] all = WakeupStrategy.values();
        // the report draws wakeup windows from the runs' traces: with --report every run is traced
        java.util.Map<String, Path> raws = new java.util.LinkedHashMap<>();
        if (report != null) {
            java.nio.file.Files.createDirectories(report);
        }
        try {
            for (int i = 0; i < all.length; i++) {
                String stage = "[" + (i + 1) + "/" + all.length + "] " + all[i].flag();
                try (Progress pr = Progress.start(spec.commandLine().getErr(), stage, params.seconds())) {
                    Path tf = tp == null ? null : gort.trace.TraceExport.perStrategy(tp.out(), all[i].flag());
                    TraceOptions.Traced t = TraceOptions.run(tp, tf, report, w, config.withWakeup(all[i]), params, out);
                    runs.add(t.outcome().run());
                    if (t.raw() != null) {
                        raws.put(all[i].flag(), t.raw());
                    }
                }
            }
            report(runs, raws, w, config, out);
        } finally {
            for (Path r : raws.values()) {
                java.nio.file.Files.deleteIfExists(r);
            }
        }
        out.flush();
        return 0;
    }

    private void report(List<StrategyRun> runs, java.util.Map<String, Path> raws, Workload w, gort.api.Config config, PrintWriter out)
            throws IOException {
        List<Summary> ss = new ArrayList<>();
        for (StrategyRun r : runs) {
            ss.add(Summary.of(r));
        }
        out.println();
        out.print(CompareTable.table(ss));
        out.println();
        out.println(CompareTable.paragraph(ss));
        if (json != null) {
            JsonReport.write(json, w.name(), config.gomaxprocs(), runs);
            out.println("wrote " + json);
        }
        if (report != null) {
            Path index = HtmlReport.write(report, w.name(), config.gomaxprocs(), runs,
                    "gort compare " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), raws);
            out.println("wrote " + index);
        }
    }
}
