package gort.cli;

import gort.api.Config;
import gort.sched.Sched;
import picocli.CommandLine.Option;

/**
 * Options shared by run, bench and compare: the workload's parameters, and GOMAXPROCS, GOGC,
 * GODEBUG, the wakeup strategy, the pacer and GOMEMLIMIT as flags that override the environment. Invariant:
 * {@link #config} and {@link #params} validate every value and name the bad one (a setting in
 * $GODEBUG that gort does not know is not a bad value: Go ignores it, and so does gort).
 */
final class Options {
    @Option(names = "--ops", paramLabel = "N", description = "operations per repetition (workload-specific default)")
    Long ops;

    @Option(names = "--depth", paramLabel = "D", description = "bintree: tree depth (4..30, default " + gort.workloads.Workload.Params.DEFAULT_DEPTH + ")")
    Integer depth;

    @Option(names = "--input", paramLabel = "FILE", description = "json: the document to decode and encode instead of the embedded one ({tree, username} schema; .gz is gunzipped)")
    java.nio.file.Path input;

    /** The workload's parameters for {@code reps} repetitions, validated. */
    gort.workloads.Workload.Params params(gort.workloads.Workload w, int reps) {
        if (w instanceof gort.workloads.ProgramWorkload) {
            return programParams();
        }
        if (ops != null && !w.takesOps()) {
            throw new IllegalArgumentException("--ops: workload " + w.name() + " measures whole " + w.opName()
                    + "s, not a number of ops (options it takes: " + String.join(", ", w.options()) + ")");
        }
        if (depth != null && !w.takesDepth()) {
            throw new IllegalArgumentException("--depth: workload " + w.name() + " has no tree depth (--depth is for: "
                    + gort.workloads.Workloads.taking(gort.workloads.Workload::takesDepth) + ")");
        }
        long n = ops != null ? gort.workloads.Workloads.checkOps(ops) : w.defaultOps();
        if (input != null && !w.takesInput()) {
            throw new IllegalArgumentException("--input " + input + ": workload " + w.name()
                    + " reads no input file (--input is for: " + gort.workloads.Workloads.takingInput() + ")");
        }
        if (seconds != null) {
            checkSeconds();
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
        if (allocRate != null) {
            if (!w.takesNodeWork()) {
                throw new IllegalArgumentException("--alloc-rate: workload " + w.name() + " has no nodes to add work to (it is for json)");
            }
            if (!(allocRate > 0 && allocRate <= 100_000)) {
                throw new IllegalArgumentException("--alloc-rate=" + allocRate + " is invalid: must be more than 0 and at most 100000 (MB/s)");
            }
        }
        int d = depth != null ? depth : gort.workloads.Workload.Params.DEFAULT_DEPTH;
        gort.workloads.Workload.Params p = new gort.workloads.Workload.Params(n, reps, d, input, seconds == null ? 0 : seconds,
                nodeWork == null ? 0 : nodeWork).withAllocRate(allocRate == null ? 0 : allocRate * 1e6);
        w.check(p);
        return p;
    }

    /**
     * A program's parameters, validated before it is compiled: one run, with a time budget for
     * its measured window when {@code --seconds} is given; the workloads' size options are refused.
     */
    gort.workloads.Workload.Params programParams() {
        String given = ops != null ? "--ops" : depth != null ? "--depth" : input != null ? "--input" : nodeWork != null ? "--node-work"
                : allocRate != null ? "--alloc-rate" : null;
        if (given != null) {
            throw new IllegalArgumentException(given + " is for the built-in workloads: a program's run is its main (--seconds S stops it when"
                    + " its measured window reaches S seconds)");
        }
        checkSeconds();
        return new gort.workloads.Workload.Params(1, 1, gort.workloads.Workload.Params.DEFAULT_DEPTH, null, seconds == null ? 0 : seconds);
    }

    private void checkSeconds() {
        if (seconds != null && !(seconds > 0 && seconds <= 86_400)) {
            throw new IllegalArgumentException("--seconds=" + seconds + " is invalid: must be more than 0 and at most 86400");
        }
    }

    @Option(names = "--node-work", paramLabel = "N", description = "json: N rounds of extra non-allocating CPU work per node decoded and"
            + " encoded, to run at another runtime's allocation rate (a measurement knob, not a runtime mechanism)")
    Integer nodeWork;

    @Option(names = "--alloc-rate", paramLabel = "MB/s", description = "json: hold the allocation rate at MB/s (10^6 bytes) by moving"
            + " the extra work per node while the run goes, from --node-work (default 0) on: a feedback controller, a measurement knob,"
            + " not a runtime mechanism")
    Double allocRate;

    @Option(names = "--seconds", paramLabel = "S", description = "run each repetition for S seconds instead of a number of ops (json); "
            + "a program is stopped when its measured window reaches S seconds")
    Double seconds;

    @Option(names = "--design", paramLabel = "RELEASE", completionCandidates = DesignNames.class,
            description = "a design named after a Go release, which sets the wakeup, assists, pacer, barrier and marking: "
                    + "${COMPLETION-CANDIDATES} (default: $GODEBUG gcdesign, else each axis's own default); --wakeup, --pacer and "
                    + "--godebug still change one axis on top, and the result is then labelled as no release")
    String design;

    /** The designs' names, from their registry, for picocli's help. */
    static final class DesignNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(gort.gc.Design.values()).map(gort.gc.Design::flag).iterator();
        }
    }

    @Option(names = "--wakeup", paramLabel = "STRATEGY", completionCandidates = WakeupNames.class,
            description = "how the collector learns a phase of marking is done: ${COMPLETION-CANDIDATES} (default: $GODEBUG gcwakeup, "
                    + "else park-yield)")
    String wakeup;

    /** The wakeup strategies' names, from their registry, for picocli's help. */
    static final class WakeupNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(gort.gc.WakeupStrategy.values()).map(gort.gc.WakeupStrategy::flag).iterator();
        }
    }

    @Option(names = "--pacer", paramLabel = "DESIGN", completionCandidates = PacerNames.class,
            description = "the pacing design: ${COMPLETION-CANDIDATES} (default: $GODEBUG gcpacer, else go15)")
    String pacer;

    /** The pacing designs' names, from their registry, for picocli's help. */
    static final class PacerNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(gort.gc.PacerKind.values()).map(gort.gc.PacerKind::flag).iterator();
        }
    }

    @Option(names = "--memlimit", paramLabel = "BYTES|off",
            description = "the soft memory limit, as GOMEMLIMIT (e.g. 64MiB; needs --pacer go118); default: $GOMEMLIMIT, else off")
    String memlimit;

    /**
     * The platform the runtime runs on: set by a command that takes {@link PlatformOptions} before
     * it asks for the config; its CPU count is GOMAXPROCS's default.
     */
    gort.platform.Platform platform = gort.platform.RealPlatform.INSTANCE;

    @Option(names = "--procs", paramLabel = "N", description = "GOMAXPROCS (1.." + Sched.MAX_GOMAXPROCS + "); default: $GOMAXPROCS or the number of CPUs")
    Integer procs;

    @Option(names = "--gogc", paramLabel = "PERCENT|off", description = "GOGC; default: $GOGC or 100")
    String gogc;

    @Option(names = "--godebug", paramLabel = "k=v,...", description = "GODEBUG settings, added to $GODEBUG (e.g. schedtrace=1000); a name gort does not know is refused here as a "
            + "typo, while in $GODEBUG it is ignored, as Go does")
    String godebug;

    /**
     * Every setting a command runs under, for its {@link gort.trace.RunEnvironment}: the command,
     * what it runs, the runtime's settings ({@link gort.trace.RunEnvironment#settingsOf}) and the
     * workload's options as they took effect (defaults included), or a program's arguments.
     */
    static java.util.Map<String, String> settings(String command, gort.workloads.Workload w, Config c, gort.workloads.Workload.Params p) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("command", command);
        m.put(w instanceof gort.workloads.ProgramWorkload ? "program" : "workload", w.name());
        m.putAll(gort.trace.RunEnvironment.settingsOf(c));
        if (w instanceof gort.workloads.ProgramWorkload pw) {
            m.put("args", String.join(" ", pw.args()));
        }
        if (p.seconds() > 0) {
            m.put("seconds", Double.toString(p.seconds()));
        } else if (w.takesOps()) {
            m.put("ops", Long.toString(p.ops()));
        }
        if (w.takesDepth()) {
            m.put("depth", Integer.toString(p.depth()));
        }
        if (w.takesInput()) {
            m.put("input", p.input() == null ? "embedded" : p.input().toString());
        }
        if (w.takesNodeWork()) {
            m.put("node_work", Integer.toString(p.nodeWork()));
        }
        return m;
    }

    /** Whether the flag (--wakeup, --pacer, --procs, --gogc) was given. */
    boolean given(String flag) {
        return switch (flag) {
            case "--wakeup" -> wakeup != null;
            case "--procs" -> procs != null;
            case "--gogc" -> gogc != null;
            case "--pacer" -> pacer != null;
            case "--design" -> design != null;
            default -> false;
        };
    }

    /** The GODEBUG keys --godebug sets. */
    java.util.Set<String> godebugKeys() {
        return godebug == null ? java.util.Set.of() : Config.parseGodebug(godebug).keySet();
    }

    /**
     * The configuration: the environment's GOMAXPROCS, GOGC, GODEBUG and GOMEMLIMIT, then the
     * flags. A flag overrides its variable before the variable is read, so a bad value in the
     * environment does not matter when the flag replaces it (for GODEBUG, per key). A combination
     * no collector takes (a memory limit with Go 1.5's pacer) is refused here, before anything runs.
     * $GODEBUG's settings that gort does not know are ignored, as Go ignores them, and with
     * gctrace on named in one line on {@code err}; {@code --godebug} refuses them (a typo on the
     * command line is the user's own, and better caught than ignored).
     */
    Config config(java.io.PrintWriter err) {
        Config c = baseConfig(err);
        c.collectorSettings();
        return c;
    }

    /**
     * {@link #config} before the combination is checked: for compare, which checks each run's
     * Config once its varied axis is applied (a memory limit is fine for a go118 column).
     */
    Config baseConfig(java.io.PrintWriter err) {
        Config c = config(System.getenv());
        String line = ignoredLine(c);
        if (line != null) {
            err.println(line);
            err.flush();
        }
        return c;
    }

    /** The line that names $GODEBUG's ignored settings when gctrace is on, else null. */
    static String ignoredLine(Config c) {
        if (c.ignoredGodebug().isEmpty() || c.godebugInt("gctrace") <= 0) {
            return null;
        }
        return "gort: ignoring GODEBUG settings gort does not know, as Go does: " + String.join(", ", c.ignoredGodebug());
    }

    Config config(java.util.Map<String, String> environment) {
        java.util.Map<String, String> env = new java.util.HashMap<>(environment);
        if (procs != null) {
            env.remove("GOMAXPROCS");
        }
        if (gogc != null) {
            env.remove("GOGC");
        }
        if (memlimit != null) {
            env.remove("GOMEMLIMIT");
        }
        String envDebug = env.get("GODEBUG");
        if (envDebug != null && (godebug != null || wakeup != null || pacer != null || design != null)) {
            java.util.Set<String> overridden = new java.util.HashSet<>();
            for (String part : (godebug == null ? "" : godebug).split(",")) {
                int eq = part.indexOf('=');
                overridden.add((eq < 0 ? part : part.substring(0, eq)).trim());
            }
            if (wakeup != null) {
                overridden.add("gcwakeup");
            }
            if (pacer != null) {
                overridden.add("gcpacer");
            }
            if (design != null) {
                // the flag names a whole design: the environment's axis settings do not stay on top of it
                overridden.addAll(java.util.List.of("gcdesign", "gcwakeup", "gcassistblock", "gcpacer", "gcbarrier", "gcmarking"));
            }
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String part : envDebug.split(",")) {
                int eq = part.indexOf('=');
                if (!overridden.contains((eq < 0 ? part : part.substring(0, eq)).trim())) {
                    kept.add(part);
                }
            }
            env.put("GODEBUG", String.join(",", kept));
        }
        Config c = Config.fromEnv(env, platform);
        if (procs != null) {
            c = c.withGomaxprocs(procs);
        }
        if (gogc != null) {
            c = c.withGogc(Config.parseGogc(gogc));
        }
        if (design != null) {
            c = c.withDesign(gort.gc.Design.parse(design));
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
        return c;
    }
}
