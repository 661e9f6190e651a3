package gort.cli;

import gort.trace.TraceExport;
import gort.trace.TraceWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The execution-trace options of run and compare: {@code --trace FILE} (the extension picks the
 * format) and one window limit. Invariant: {@link #plan} validates everything before any run
 * starts, so a bad value leaves no file behind.
 */
final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE.json|FILE.pftrace",
            description = "write an execution trace: .json (Chrome Trace Event JSON shaped as Go 1.5.1's go tool trace) or .pftrace "
                    + "(Perfetto protobuf, for long runs); both open in ui.perfetto.dev. compare writes one per strategy (FILE-note.json, ...)")
    Path trace;

    @Option(names = "--trace-cycles", paramLabel = "N..M", description = "limit the trace to GC cycles N..M (either end may be left out)")
    String cycles;

    @Option(names = "--trace-time", paramLabel = "A..B", description = "limit the trace to seconds A..B since the runtime's start")
    String time;

    /** What to write, or null when not tracing. */
    record Plan(Path out, TraceWindow window) {
        /** A scratch file for the runtime's raw trace, beside the output (deleted after export). */
        Path newRaw() throws IOException {
            Path dir = out.toAbsolutePath().getParent();
            return Files.createTempFile(dir, "." + out.getFileName() + ".", ".raw");
        }
    }

    /**
     * Runs w once under c, with the tracer on when plan is not null, and writes the trace to out
     * (naming it on msg); the raw scratch file is removed whatever happens.
     */
    static gort.workloads.Experiment.Outcome run(Plan plan, Path out, gort.workloads.Workload w, gort.api.Config c,
            gort.workloads.Workload.Params params, java.io.PrintWriter msg) throws IOException {
        if (plan == null) {
            return gort.workloads.Experiment.runWithResult(w, c, params);
        }
        Path raw = plan.newRaw();
        try {
            var o = gort.workloads.Experiment.runWithResult(w, c.withTrace(new gort.sched.Trace.Settings(raw)), params);
            java.util.Map<String, Object> about = new java.util.LinkedHashMap<>();
            about.put("producer", "gort");
            about.put("workload", w.name());
            about.put("strategy", c.wakeup().flag());
            about.put("procs", c.gomaxprocs());
            about.put("window", plan.window().toString());
            about.put("clock", "ts in microseconds since the runtime's start; x1000 = the CycleRecords' nanoseconds");
            var written = TraceExport.write(raw, out, plan.window(), o.run().cycles(), about);
            msg.printf(java.util.Locale.ROOT, "wrote %s (%.1f MB, %s)%n", out, written.bytes() / 1e6, plan.window());
            msg.flush();
            return o;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    Plan plan() {
        if (trace == null) {
            if (cycles != null || time != null) {
                throw new IllegalArgumentException((cycles != null ? "--trace-cycles" : "--trace-time") + " limits a trace: give --trace FILE too");
            }
            return null;
        }
        TraceExport.Format.of(trace);
        Options.checkParentDir(trace, "--trace");
        if (Files.isDirectory(trace)) {
            throw new IllegalArgumentException("--trace " + trace + " is a directory: give a file name ending in .json or .pftrace");
        }
        if (cycles != null && time != null) {
            throw new IllegalArgumentException("--trace-cycles and --trace-time exclude each other: give one");
        }
        TraceWindow w = cycles != null ? TraceWindow.parseCycles(cycles) : time != null ? TraceWindow.parseTime(time) : TraceWindow.ALL;
        return new Plan(trace, w);
    }
}
