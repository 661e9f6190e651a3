package gort.cli;

import gort.trace.CompareTable;
import gort.trace.JsonReport;
import gort.trace.StrategyRun;
import gort.trace.Summary;
import gort.workloads.Experiment;
import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gort run <workload>}: runs one workload once under one configuration (GODEBUG=gctrace=1
 * for a line per cycle) and summarizes it: the workload's figures, then the collector's (cycles,
 * wakeup delays, heap over goal, pauses), which {@code --json} also writes with every per-cycle
 * record.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a workload once and print a summary.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Workloads.Names.class)
    String workload;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary and every per-cycle record as JSON to FILE")
    Path json;

    @Mixin
    Options options = new Options();

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Workload w = Workloads.lookup(workload);
        var config = options.config();
        Workload.Params params = options.params(w, 1);
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json, true);
        TraceOptions.Plan tp = traceOptions.plan();
        PrintWriter out = spec.commandLine().getOut();
        Experiment.Outcome o;
        try (Progress pr = params.seconds() > 0 ? Progress.start(spec.commandLine().getErr(), w.name(), params.seconds()) : null) {
            o = TraceOptions.run(tp, tp == null ? null : tp.out(), null, w, config, pr == null ? params : params.alsoTelling(pr), out)
                    .outcome();
        }
        out.println(o.result().summary());
        out.println(gcSummary(o.run(), config.gomaxprocs()));
        out.flush();
        if (jsonOut != null) {
            jsonOut.write(os -> JsonReport.write(os, w.name(), config.gomaxprocs(), List.of(o.run())));
            out.println("wrote " + json);
            out.flush();
        }
        return 0;
    }

    static String gcSummary(StrategyRun r, int procs) {
        Summary s = Summary.of(r);
        long forced = r.cycles().stream().filter(c -> c.forced()).count();
        StringBuilder sb = new StringBuilder("gc in the measured repetitions: ").append(s.cycles()).append(" concurrent cycles");
        if (forced > 0) {
            sb.append(" + ").append(forced).append(" stop-the-world");
        }
        sb.append(", wakeup ").append(r.strategy()).append(s.assistBlock() ? " (blocking assists)" : "");
        if (!s.mark1().isEmpty()) {
            sb.append(": mark 1 delay p50 ").append(CompareTable.dur(s.mark1().p50())).append(", p99 ")
                    .append(CompareTable.dur(s.mark1().p99())).append(", max ").append(CompareTable.dur(s.mark1().max()));
            sb.append("; mark 2 p50 ").append(CompareTable.dur(s.mark2().p50()));
            sb.append(String.format(Locale.ROOT, "; heap at mark termination / goal: mean %.2fx, max %.2fx; / H_g: mean %.2fx",
                    s.overGoalMean(), s.overGoalMax(), s.overHgMean()));
        }
        sb.append("; STW max ").append(CompareTable.dur(Math.max(s.sweepTermMaxNs(), s.markTermMaxNs())));
        sb.append("; host JVM GC in the measured window: ").append(r.jvmGc().count()).append(" pauses, ")
                .append(CompareTable.dur(r.jvmGc().totalNs()));
        return sb.toString();
    }
}
