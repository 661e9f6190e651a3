package gort.cli;

import gort.api.Config;
import gort.sched.Sched;
import picocli.CommandLine.Option;

/**
 * Options shared by run, bench and compare: the workload's parameters, and GOMAXPROCS, GOGC,
 * GODEBUG, the wakeup strategy, the pacer and GOMEMLIMIT as flags that override the environment. Invariant:
 * {@link #config()} and {@link #params} validate every value and name the bad one.
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
        if (seconds != null) {
            if (!(seconds > 0 && seconds <= 86_400)) {
                throw new IllegalArgumentException("--seconds=" + seconds + " is invalid: must be more than 0 and at most 86400");
            }
            if (!w.takesSeconds()) {
                throw new IllegalArgumentException("--seconds: workload " + w.name() + " runs a number of ops (use --ops)");
            }
            if (ops != null) {
                throw new IllegalArgumentException("--seconds and --ops exclude each other: give one");
            }
        }
        if (nodeWork != null) {
            if (!w.takesNodeWork()) {
                throw new IllegalArgumentException("--node-work: workload " + w.name() + " has no nodes to add work to (it is for json)");
            }
            if (nodeWork < 0 || nodeWork > gort.workloads.Workload.Params.MAX_NODE_WORK) {
                throw new IllegalArgumentException("--node-work=" + nodeWork + " is invalid: must be an integer from 0 to "
                        + gort.workloads.Workload.Params.MAX_NODE_WORK);
            }
        }
        return new gort.workloads.Workload.Params(n, reps, depth, input, seconds == null ? 0 : seconds, nodeWork == null ? 0 : nodeWork);
    }

    @Option(names = "--node-work", paramLabel = "N", description = "json: N rounds of extra non-allocating CPU work per node decoded and"
            + " encoded, to run at another runtime's allocation rate (a measurement knob, not a runtime mechanism)")
    Integer nodeWork;

    @Option(names = "--seconds", paramLabel = "S", description = "run each repetition for S seconds instead of a number of ops (json)")
    Double seconds;

    @Option(names = "--wakeup", paramLabel = "note|park|park-yield",
            description = "how the GC coordinator learns marking is done (default: $GODEBUG gcwakeup, else park-yield)")
    String wakeup;

    static {
        // picocli fills the --pacer label and description from these: the names come from the registry
        System.setProperty("gort.pacer.names", gort.gc.Choice.bar(gort.gc.PacerKind.class));
        System.setProperty("gort.pacer.help", gort.gc.Choice.names(gort.gc.PacerKind.class));
    }

    @Option(names = "--pacer", paramLabel = "${sys:gort.pacer.names:-NAME}",
            description = "the pacing design, ${sys:gort.pacer.help:-see GODEBUG gcpacer} (default: $GODEBUG gcpacer, else go15)")
    String pacer;

    @Option(names = "--memlimit", paramLabel = "BYTES|off",
            description = "the soft memory limit, as GOMEMLIMIT (e.g. 64MiB; needs --pacer go118); default: $GOMEMLIMIT, else off")
    String memlimit;

    @Option(names = "--procs", paramLabel = "N", description = "GOMAXPROCS (1.." + Sched.MAX_GOMAXPROCS + "); default: $GOMAXPROCS or the number of CPUs")
    Integer procs;

    @Option(names = "--gogc", paramLabel = "PERCENT|off", description = "GOGC; default: $GOGC or 100")
    String gogc;

    @Option(names = "--godebug", paramLabel = "k=v,...", description = "GODEBUG settings, added to $GODEBUG (e.g. schedtrace=1000)")
    String godebug;

    /** A file option's directory must exist (we do not create directories for a single file). */
    static void checkParentDir(java.nio.file.Path file, String flag) {
        java.nio.file.Path dir = file == null ? null : file.toAbsolutePath().getParent();
        if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + file + ": directory " + dir + " does not exist");
        }
    }

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
        if (wakeup != null) {
            c = c.withWakeup(gort.gc.WakeupStrategy.parse(wakeup));
        }
        if (pacer != null) {
            c = c.withPacer(gort.gc.PacerKind.parse(pacer));
        }
        if (memlimit != null) {
            c = c.withMemoryLimit(Config.parseMemoryLimit("--memlimit ", memlimit));
        }
        c.collectorSettings(); // a combination no collector takes fails here, before anything runs
        return c;
    }
}
