package gort.cli;

import gort.api.Config;
import gort.sched.Sched;
import picocli.CommandLine.Option;

/**
 * Options shared by run and bench: GOMAXPROCS, GOGC and GODEBUG as flags that override the
 * environment. Invariant: {@link #config()} validates every value and names the bad one.
 */
final class Options {
    @Option(names = "--ops", paramLabel = "N", description = "operations per repetition (workload-specific default)")
    Long ops;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "18", description = "bintree: tree depth (4..30, default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--input", paramLabel = "FILE", description = "json: the document to decode and encode instead of the embedded one ({tree, username} schema; .gz is gunzipped)")
    java.nio.file.Path input;

    /** The workload's parameters for {@code reps} repetitions, validated. */
    gort.workloads.Workload.Params params(gort.workloads.Workload w, int reps) {
        long n = ops != null ? gort.workloads.Workloads.checkOps(ops) : w.defaultOps();
        if (input != null && !w.takesInput()) {
            throw new IllegalArgumentException("--input " + input + ": workload " + w.name()
                    + " reads no input file (--input is for: " + gort.workloads.Workloads.takingInput() + ")");
        }
        return new gort.workloads.Workload.Params(n, reps, depth, input);
    }

    @Option(names = "--procs", paramLabel = "N", description = "GOMAXPROCS (1.." + Sched.MAX_GOMAXPROCS + "); default: $GOMAXPROCS or the number of CPUs")
    Integer procs;

    @Option(names = "--gogc", paramLabel = "PERCENT|off", description = "GOGC; default: $GOGC or 100")
    String gogc;

    @Option(names = "--godebug", paramLabel = "k=v,...", description = "GODEBUG settings, added to $GODEBUG (e.g. schedtrace=1000)")
    String godebug;

    Config config() {
        Config c = Config.fromEnv();
        if (procs != null) {
            c = c.withGomaxprocs(procs);
        }
        if (gogc != null) {
            c = c.withGogc(Config.parseGogc(gogc));
        }
        if (godebug != null) {
            c = c.withGodebug(Config.parseGodebug(godebug));
        }
        return c;
    }
}
