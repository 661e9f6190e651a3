package gort.cli;

import gort.trace.CompareTable;
import gort.trace.HtmlReport;
import gort.trace.JsonReport;
import gort.trace.StrategyRun;
import gort.trace.Summary;
import gort.workloads.Experiment;
import gort.workloads.Program;
import gort.workloads.ProgramWorkload;
import gort.workloads.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gort run <workload>|<program> [args]}: runs a workload or a user's program once under one
 * configuration (GODEBUG=gctrace=1 for a line per cycle). A workload's run prints its figures, then
 * the collector's (cycles, wakeup delays, heap over goal, pauses); {@code --json} also writes every
 * per-cycle record, {@code --report} the HTML report compare makes, for this one run. A program's
 * run is like {@code go run}: stdout and stderr are the program's, and gort adds nothing to them
 * unless asked — {@code --summary} prints the same figures on stderr after the program ends, and
 * the lines gort writes for {@code --json}, {@code --report}, {@code --trace} and for a program
 * stopped at its {@code --seconds} budget go to stderr too.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a workload or a program once.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Target target = new Target();

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary and every per-cycle record as JSON to FILE")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "also write the HTML report compare makes, for this one run, to DIR "
            + "(the run is traced for its wakeup windows)")
    Path report;

    @Option(names = "--summary", description = "for a program: after it ends, print gort's summary of the run (its measured window, the GC "
            + "cycles in it, wakeup delays, heap over goal, pauses) on stderr; a workload's run always prints it, on stdout")
    boolean summary;

    @Mixin
    Options options = new Options();

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    @Mixin
    PlatformOptions platformOptions = new PlatformOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Program.Kind kind = target.check();
        Workload w = kind == null ? target.workload() : null;
        options.platform = platformOptions.platform(spec.commandLine(), options.procs);
        var config = options.config(spec.commandLine().getErr());
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json);
        TraceOptions.Plan tp = traceOptions.plan();
        String label = config.wakeup().flag();
        List<String> reportFiles = HtmlReport.fileNames(List.of(label), true);
        ReportDir reportOut = report == null ? null : ReportDir.check("--report", report, reportFiles);
        new CommandPaths().reads("--input", options.input).reads("the program", target.programPath()).writes("--json", json)
                .writes("--trace", tp == null ? null : tp.out()).writesInto("--report", report, reportFiles).check();
        Workload.Params params = kind == null ? options.params(w, 1) : options.programParams(); // (reads --input)
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (kind != null) {
            return runProgram(target.program(err), config, params, jsonOut, reportOut, tp, err);
        }
        gort.trace.RunEnvironment env = environment(w, config, params, err);
        Path scratch = reportOut == null ? null : FileLedger.createTempDirectory(null, "gort-report-");
        try {
            TraceOptions.Traced t;
            try (Progress pr = params.seconds() > 0 ? Progress.start(err, w.name(), params.seconds()) : null) {
                t = TraceOptions.run(tp, tp == null ? null : tp.out(), scratch, w, config, pr == null ? params : params.alsoTelling(pr),
                        java.util.Map.of(), out, err, env);
            }
            Experiment.Outcome o = t.outcome();
            out.println(o.result().summary());
            out.println(gcSummary(o.run(), config.gomaxprocs()));
            out.flush();
            boolean ok = t.traceWritten(err);
            ok &= writeFiles(env, w.name(), config, o.run(), t.raw(), jsonOut, reportOut, out, err);
            return ok ? 0 : Main.EXIT_OUTPUT;
        } finally {
            FileLedger.delete(scratch);
        }
    }

    /**
     * A program's run: straight, when nothing is measured; else through the experiment runner (and
     * the tracer), with gort's own lines on stderr, so that stdout stays the program's.
     */
    private int runProgram(ProgramWorkload pw, gort.api.Config config, Workload.Params params, OutputFile jsonOut, ReportDir reportOut,
            TraceOptions.Plan tp, PrintWriter err) throws IOException {
        if (!summary && jsonOut == null && reportOut == null && tp == null) {
            Program.Run r = pw.program().run(config, pw.args(), Workload.Listener.NONE, params.seconds(), null);
            if (r.stopped()) {
                err.println(stoppedLine(pw.name(), r.stoppedAtSeconds(), r.blockedAtStop()));
                err.flush();
            }
            return 0;
        }
        gort.trace.RunEnvironment env = environment(pw, config, params, err); // (figures are asked for: say what qualifies them)
        Path scratch = reportOut == null ? null : FileLedger.createTempDirectory(null, "gort-report-");
        try {
            TraceOptions.Traced t = TraceOptions.run(tp, tp == null ? null : tp.out(), scratch, pw, config, params, java.util.Map.of(), err,
                    err, env);
            Experiment.Outcome o = t.outcome();
            if (summary) {
                err.println(programSummary(pw, o.result()));
                err.println(gcSummary(o.run(), "gc in the measured window"));
            }
            for (String note : programNotes(pw, o.result())) {
                err.println(note);
            }
            err.flush();
            boolean ok = t.traceWritten(err);
            ok &= writeFiles(env, pw.name(), config, o.run(), t.raw(), jsonOut, reportOut, err, err);
            return ok ? 0 : Main.EXIT_OUTPUT;
        } finally {
            FileLedger.delete(scratch);
        }
    }

    /**
     * The run's environment, its warnings said on err before it starts. A program run like
     * {@code go run} (no figures asked for) has none: its stderr is the program's.
     */
    static gort.trace.RunEnvironment environment(Workload w, gort.api.Config config, Workload.Params params, PrintWriter err) {
        // on the simulated platform the host's CPUs do not time-slice the Ps: no oversubscription to warn of
        int procsOnHost = config.platform() instanceof gort.platform.SimPlatform ? 1 : config.gomaxprocs();
        gort.trace.RunEnvironment env = gort.trace.RunEnvironment.capture(Options.settings("run", w, config, params), procsOnHost);
        env.warn(err);
        return env;
    }

    /** Writes --json and --report, each whatever became of the other; false when one failed (said on err). */
    private boolean writeFiles(gort.trace.RunEnvironment env, String name, gort.api.Config config, StrategyRun run, Path raw, OutputFile jsonOut, ReportDir reportOut,
            PrintWriter msg, PrintWriter err) {
        boolean ok = true;
        if (jsonOut != null) {
            ok &= OutputFile.attempt(err, () -> {
                jsonOut.write(os -> JsonReport.write(os, env, name, config.gomaxprocs(), List.of(run)));
                PrintWriter to = jsonOut.isStdout() ? err : msg; // (after the JSON on stdout, the line would spoil it)
                to.println("wrote " + json);
                to.flush();
            });
        }
        if (reportOut != null) {
            String commandLine = CompareCommand.commandLine("run", spec.commandLine().getParseResult().originalArgs());
            java.util.Map<String, Path> raws = raw == null ? java.util.Map.of() : java.util.Map.of(run.label(), raw);
            String about = "One run under " + config + ".";
            ok &= OutputFile.attempt(err, () -> {
                Path index = reportOut.write(d -> HtmlReport.write(d, env, name, config.gomaxprocs(), List.of(List.of(run)), commandLine, raws,
                        about));
                msg.println("wrote " + index);
                msg.flush();
            });
        }
        return ok;
    }

    /** "Prog: procs=2, main returned after 1.52 s; measured window 1.20 s (Measure.start() to Measure.stop())". */
    static String programSummary(ProgramWorkload pw, Workload.Result r) {
        StringBuilder sb = new StringBuilder(pw.name()).append(": procs=").append(r.procs());
        if (r.extra().get(ProgramWorkload.STOPPED_AT) instanceof Number s) {
            sb.append(", stopped at ").append(seconds(s.doubleValue())).append(" s of its measured window (--seconds)");
        } else if (r.extra().get(ProgramWorkload.MAIN_NS) instanceof Number ns) {
            sb.append(", main returned after ").append(CompareTable.dur(ns.longValue()));
        }
        sb.append("; measured window ").append(CompareTable.dur((long) r.nsPerOp()[0]));
        if (!pw.program().usesMeasure()) {
            sb.append(" (the whole of main)");
        } else if (Boolean.FALSE.equals(r.extra().get(ProgramWorkload.WINDOW_OPENED))) {
            sb.append(" (Measure.start() was never called)");
        } else {
            sb.append(" (from Measure.start())");
        }
        return sb.toString();
    }

    /** What a reader must know about a program's run beside its figures: that it was stopped, or measured nothing. */
    static List<String> programNotes(ProgramWorkload pw, Workload.Result r) {
        List<String> notes = new java.util.ArrayList<>();
        if (r.extra().get(ProgramWorkload.STOPPED_AT) instanceof Number s) {
            notes.add(stoppedLine(pw.name(), s.doubleValue(), Boolean.TRUE.equals(r.extra().get(ProgramWorkload.BLOCKED_AT_STOP))));
        }
        if (Boolean.FALSE.equals(r.extra().get(ProgramWorkload.WINDOW_OPENED))) {
            notes.add("gort: " + pw.name() + " never called gort.api.Measure.start(): its measured window is empty");
        }
        return notes;
    }

    static String stoppedLine(String name, double s, boolean blocked) {
        return "gort: stopped " + name + " when its measured window reached " + seconds(s) + " s (--seconds)"
                + (blocked ? "; every goroutine of it was blocked then, as in a deadlock (which a pending stop keeps the runtime from"
                        + " reporting: run it without --seconds to see)" : "");
    }

    static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    static String gcSummary(StrategyRun r, int procs) {
        return gcSummary(r, "gc in the measured repetitions");
    }

    static String gcSummary(StrategyRun r, String what) {
        Summary s = Summary.of(r);
        long forced = r.cycles().stream().filter(c -> c.forced()).count();
        StringBuilder sb = new StringBuilder(what).append(": ").append(s.cycles()).append(" concurrent cycles");
        if (forced > 0) {
            sb.append(" + ").append(forced).append(" stop-the-world");
        }
        sb.append(", wakeup ").append(r.strategy()).append(s.assistBlock() ? " (blocking assists)" : "");
        if (!s.mark1().isEmpty()) {
            sb.append(": mark 1 delay p50 ").append(CompareTable.dur(s.mark1().p50())).append(", p99 ")
                    .append(CompareTable.dur(s.mark1().p99())).append(", max ").append(CompareTable.dur(s.mark1().max()));
            sb.append("; mark 2 p50 ").append(CompareTable.dur(s.mark2().p50()));
            sb.append("; heap at mark termination / goal: ");
            if (s.overGoalCycles() == 0) {
                sb.append("- (no cycle had a goal of 1 MiB or more)");
            } else {
                sb.append(String.format(Locale.ROOT, "mean %.2fx, max %.2fx", s.overGoalMean(), s.overGoalMax()));
                if (s.overGoalCycles() < s.cycles()) {
                    sb.append(" (over the ").append(s.overGoalCycles()).append(" of ").append(s.cycles())
                            .append(" cycles with a goal of 1 MiB or more)");
                }
            }
            sb.append("; / H_g: ").append(Double.isNaN(s.overHgMean()) ? "-" : String.format(Locale.ROOT, "mean %.2fx", s.overHgMean()));
        }
        sb.append("; STW max ").append(CompareTable.dur(Math.max(s.sweepTermMaxNs(), s.markTermMaxNs())));
        sb.append("; host JVM GC in the measured window: ").append(r.jvmGc().count()).append(" pauses, ")
                .append(CompareTable.dur(r.jvmGc().totalNs()));
        if (r.design() != null) {
            sb.append("; design ").append(r.design());
        }
        return sb.toString();
    }
}
