package gort.cli;

import gort.trace.TraceExport;
import gort.trace.TraceWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The execution-trace options of run and compare: {@code --trace FILE} (the extension picks the
 * format) and one window limit. Invariants: {@link #plan} validates everything before any run
 * starts, so a bad value leaves no file behind; the raw trace a run records is a temporary file of
 * the {@link FileLedger}, removed once exported, or by a signal.
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
        /** A scratch file for the runtime's raw trace, in the temporary directory (deleted after export, or by a signal). */
        Path newRaw() throws IOException {
            return FileLedger.createTempFile(null, "gort-trace-", ".raw");
        }
    }

    /**
     * A run's outcome; when asked to keep it, its raw trace (the caller deletes it); and, when the
     * trace could not be written, why (its content kept elsewhere, said in the message).
     */
    record Traced(gort.workloads.Experiment.Outcome outcome, Path raw, OutputFile.WriteFailed traceFailure) {
        /** Whether the trace, if any, was written; if not, says so on err in one line. */
        boolean traceWritten(java.io.PrintWriter err) {
            if (traceFailure == null) {
                return true;
            }
            err.println("gort: " + traceFailure.getMessage());
            err.flush();
            return false;
        }
    }

    /**
     * Runs w once under c: traced when plan is not null (the trace written to out, named on msg, or
     * on err when out is gort's stdout) or when keepRawIn is not null (the raw trace kept in that
     * directory for the caller, e.g. the report's timelines). A raw file not kept is removed whatever
     * happens. A trace that cannot be written does not end the command: its content is kept
     * elsewhere and the failure returned in the {@link Traced}. {@code varied} names the setting a
     * compare varies and this run's value of it ({@code runnext → 0}), for the trace's metadata; empty
     * for a single run. A window that shows nothing the run measured is said in one line on err. The
     * trace's metadata records env (host, build, settings) beside this run's own strategy and GOMAXPROCS.
     */
    static Traced run(Plan plan, Path out, Path keepRawIn, gort.workloads.Workload w, gort.api.Config c,
            gort.workloads.Workload.Params params, java.util.Map<String, String> varied, java.io.PrintWriter msg,
            java.io.PrintWriter err, gort.trace.RunEnvironment env) throws IOException {
        if (plan == null && keepRawIn == null) {
            return new Traced(gort.workloads.Experiment.runWithResult(w, c, params), null, null);
        }
        // a raw trace the caller keeps lives in its directory, which the caller removes whole
        Path raw = keepRawIn != null ? FileLedger.createTempFile(keepRawIn, ".gort-trace.", ".raw") : plan.newRaw();
        boolean keep = false;
        OutputFile.WriteFailed failure = null;
        try {
            var o = gort.workloads.Experiment.runWithResult(w, c.withTrace(new gort.sched.Trace.Settings(raw)), params);
            if (plan != null) {
                java.util.Map<String, Object> about = new java.util.LinkedHashMap<>();
                about.put("producer", "gort");
                about.put("workload", w.name());
                about.put("strategy", c.wakeup().flag());
                about.put("procs", c.gomaxprocs());
                varied.forEach((axis, value) -> {
                    about.put("varied", axis);
                    about.put(axis, value);
                });
                about.put("window", plan.window().toString());
                about.put("clock", "ts in microseconds since the runtime's start; x1000 = the CycleRecords' nanoseconds");
                about.putAll(env.traceMetadata());
                try {
                    OutputFile file = OutputFile.check("--trace", out);
                    String[] warning = new String[1];
                    file.write(os -> {
                        warning[0] = TraceExport.write(raw, os, TraceExport.Format.of(out), plan.window(), o.run().cycles(), about)
                                .warning();
                    });
                    if (warning[0] != null) {
                        err.println("gort: warning: " + (plan.window().kind().equals("cycles") ? "--trace-cycles " : "--trace-time ")
                                + plan.window().flagValue() + " " + warning[0] + " (" + out + ")");
                        err.flush();
                    }
                    String size = Files.isRegularFile(out) ? String.format(java.util.Locale.ROOT, "%.1f MB, ", Files.size(out) / 1e6) : "";
                    java.io.PrintWriter to = file.isStdout() ? err : msg; // (after the trace on stdout, the line would spoil it)
                    to.printf(java.util.Locale.ROOT, "wrote %s (%s%s)%n", out, size, plan.window());
                    to.flush();
                } catch (OutputFile.WriteFailed e) {
                    failure = e;
                }
            }
            keep = keepRawIn != null;
            return new Traced(o, keep ? raw : null, failure);
        } finally {
            if (!keep) {
                FileLedger.delete(raw);
            }
        }
    }

    Plan plan() {
        if (trace == null) {
            if (cycles != null || time != null) {
                throw new IllegalArgumentException((cycles != null ? "--trace-cycles" : "--trace-time") + " limits a trace: give --trace FILE too");
            }
            return null;
        }
        if (trace.toString().isEmpty()) {
            throw new IllegalArgumentException("--trace \"\": the path is empty; give a file name ending in .json or .pftrace");
        }
        if (Files.isDirectory(trace)) {
            throw new IllegalArgumentException("--trace " + trace + " is a directory: give a file name ending in .json or .pftrace");
        }
        TraceExport.Format.of(trace);
        OutputFile.check("--trace", trace);
        if (cycles != null && time != null) {
            throw new IllegalArgumentException("--trace-cycles and --trace-time exclude each other: give one");
        }
        TraceWindow w = cycles != null ? TraceWindow.parseCycles(cycles) : time != null ? TraceWindow.parseTime(time) : TraceWindow.ALL;
        return new Plan(trace, w);
    }
}
