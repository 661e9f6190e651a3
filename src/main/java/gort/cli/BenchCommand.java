package gort.cli;

import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code gort bench <workload>}: a warm-up, then several measured repetitions in one runtime;
 * prints the median and writes a JSON record with {@code --json}. Compare its figures only with
 * anchors measured in the same session (docs/BENCHMARKS.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure a workload: warm-up, then the median of --reps repetitions.")
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Workloads.Names.class)
    String workload;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "5", description = "measured repetitions (1..100, default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    @Mixin
    Options options = new Options();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (reps < 1 || reps > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reps=" + reps + " is invalid: must be from 1 to 100");
        }
        Workload w = Workloads.lookup(workload);
        Workload.Params params = options.params(w, reps);
        var config = options.config();
        OutputFile jsonOut = json == null ? null : OutputFile.check("--json", json, true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bench " + w.name() + ": " + config + ", " + reps + " x " + Workload.Params.count(params.ops(), w.opName()) + " after a warm-up...");
        out.flush();
        Workload.Result r = w.run(config, params);
        out.println(r.summary());
        out.flush();
        if (jsonOut != null) {
            jsonOut.write(os -> writeJson(os, r));
        }
        return 0;
    }

    static void writeJson(java.io.OutputStream os, Workload.Result r) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(new java.io.FilterOutputStream(os) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // OutputFile closes os
            }
        })) {
            g.writeStartObject();
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
