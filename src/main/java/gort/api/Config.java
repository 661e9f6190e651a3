package gort.api;

import gort.platform.Platform;
import gort.platform.RealPlatform;
import gort.sched.Sched;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a runtime starts: GOMAXPROCS, GOGC, GODEBUG and GOMEMLIMIT, read from the environment as Go
 * reads them and overridable in code (and by CLI flags, which call the withers).
 *
 * <p>GODEBUG has two readers. In the environment ({@link #fromEnv}) a setting gort does not know
 * is ignored, as Go's runtime ignores one (a user may have a real Go setting exported); the
 * Config keeps their names ({@link #ignoredGodebug}) so that the CLI can say so. Given explicitly
 * ({@link #parseGodebug}: {@code --godebug}, code) an unknown name is refused as the typo it
 * most likely is. Either way a setting gort knows must have a valid value.
 *
 * <p>Invariant: a Config is always valid; every bad value is rejected when it is parsed, with a
 * message naming the variable, the value and what is allowed. A combination of valid values that
 * no collector takes (a memory limit with a pacer that has none) is rejected by
 * {@link #collectorSettings}, when a runtime is made from the Config or when the CLI checks it.
 */
public final class Config {
    /** GODEBUG settings gort understands, with their meaning. */
    public static final Map<String, String> GODEBUG_KEYS = Map.ofEntries(
            Map.entry("gctrace", "1 prints one line per GC cycle"),
            Map.entry("schedtrace", "N prints the scheduler state every N ms"),
            Map.entry("gccheckmark", "1 re-marks the stopped world after every mark and dies naming any reachable object left unmarked"),
            Map.entry("gcpacertrace", "1 prints the pacer's state each cycle"),
            Map.entry("gcstoptheworld", "1 makes every collection stop-the-world"),
            Map.entry("gcdesign", gort.gc.Choice.bar(gort.gc.Design.class) + ": a design named after a Go release, which sets "
                    + "gcwakeup, gcassistblock, gcpacer, gcbarrier and gcmarking (each may still be set on top, as an ablation)"),
            Map.entry("gcwakeup", gort.gc.Choice.bar(gort.gc.WakeupStrategy.class) + ": how the GC coordinator learns marking is done"),
            Map.entry("gcpacer", gort.gc.Choice.bar(gort.gc.PacerKind.class) + ": the pacing design (the trigger, the goal, the assist ratio)"),
            Map.entry("gcbarrier", gort.gc.Choice.bar(gort.gc.BarrierKind.class) + ": the write barrier"),
            Map.entry("gcmarking", gort.gc.Choice.bar(gort.gc.MarkingKind.class) + ": the marking machinery (root scan, workers, "
                    + "assists): Go 1.5's or Go 1.6's"),
            Map.entry("gcassistblock", "1 makes an assist that cannot pay its debt sleep 100 µs and retry (Go 1.5.1 as released); 0, the "
                    + "default, carries the debt over (Go before assists could block, as CL 9291 and CL 12670 found it)"),
            Map.entry("runnext", "0 makes ready put a woken goroutine at the tail of the run queue, not in runnext (an ablation, not Go; "
                    + "default 1)"),
            Map.entry("schedglobal", "N: schedule() takes from the global run queue first every N schedules (an ablation, not Go; Go's "
                    + "is 61)"),
            Map.entry("gstatuscheck", "1 checks every goroutine status change against Go's table of legal transitions and dies on an "
                    + "illegal one (a debug check, not Go; the schedule explorer turns it on)"),
            Map.entry("gcworkerfrac", "F in (0, 1]: the background mark workers' share of GOMAXPROCS (an ablation, not Go; Go's is "
                    + "0.25)"));

    public static final int GOGC_OFF = -1;
    /** GOMEMLIMIT unset or off (Go's math.MaxInt64). */
    public static final long NO_MEMORY_LIMIT = Long.MAX_VALUE;

    private final int gomaxprocs;
    private final int gogc;
    private final Map<String, String> godebug;
    private final PrintStream traceOut;
    private final long heapCapBytes;
    private final boolean debugHeap;
    private final java.util.function.Consumer<Runtime> onExit;
    /** The platform the runtime runs on (threads, futexes, the clock); kept by every wither. */
    private Platform platform = RealPlatform.INSTANCE;
    /** Where the execution tracer writes, or null (tracing off); kept by every wither. */
    private gort.sched.Trace.Settings trace;
    /** Test-only collector faults, or null; kept by every wither. */
    private gort.gc.GcFaults gcFaults;
    /** The soft memory limit in bytes (GOMEMLIMIT), {@link #NO_MEMORY_LIMIT} for none; kept by every wither. */
    private long memoryLimit = NO_MEMORY_LIMIT;
    /** The GODEBUG settings in the environment that gort does not know and ignored, by name; kept by every wither. */
    private List<String> ignoredGodebug = List.of();

    private Config(int gomaxprocs, int gogc, Map<String, String> godebug, PrintStream traceOut, long heapCapBytes,
            boolean debugHeap) {
        this(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, null);
    }

    private Config(int gomaxprocs, int gogc, Map<String, String> godebug, PrintStream traceOut, long heapCapBytes,
            boolean debugHeap, java.util.function.Consumer<Runtime> onExit) {
        this.onExit = onExit;
        this.gomaxprocs = gomaxprocs;
        this.gogc = gogc;
        this.godebug = godebug;
        this.traceOut = traceOut;
        this.heapCapBytes = heapCapBytes;
        this.debugHeap = debugHeap;
    }

    /** Defaults on the real platform: GOMAXPROCS = the host's number of CPUs, GOGC = 100, no GODEBUG. */
    public static Config defaults() {
        return defaults(RealPlatform.INSTANCE);
    }

    /**
     * Defaults on {@code platform}: GOMAXPROCS = the platform's number of CPUs (as Go's schedinit
     * takes ncpu from osinit), capped at {@link Sched#MAX_GOMAXPROCS}; GOGC = 100; no GODEBUG.
     */
    public static Config defaults(Platform platform) {
        int ncpu = Math.min(platform.ncpu(), Sched.MAX_GOMAXPROCS);
        return new Config(ncpu, 100, Map.of(), System.err, gort.heap.AddressSpace.defaultCapBytes(), false).on(platform);
    }

    /** Defaults overridden by GOMAXPROCS, GOGC and GODEBUG from the process environment. */
    public static Config fromEnv() {
        return fromEnv(System.getenv());
    }

    public static Config fromEnv(Map<String, String> env) {
        return fromEnv(env, RealPlatform.INSTANCE);
    }

    /** {@link #fromEnv(Map)} on {@code platform}: its CPU count is the default GOMAXPROCS. */
    public static Config fromEnv(Map<String, String> env, Platform platform) {
        Config c = defaults(platform);
        String v = env.get("GOMAXPROCS");
        if (v != null && !v.isBlank()) {
            c = c.withGomaxprocs(parseInt("GOMAXPROCS", v, 1, Sched.MAX_GOMAXPROCS));
        }
        v = env.get("GOGC");
        if (v != null && !v.isBlank()) {
            c = c.withGogc(parseGogc(v));
        }
        v = env.get("GODEBUG");
        if (v != null && !v.isBlank()) {
            Godebug g = parseGodebug(v, true);
            c = c.withGodebug(g.settings()).ignoring(g.ignored());
        }
        v = env.get("GOMEMLIMIT");
        if (v != null && !v.isEmpty()) {
            c = c.withMemoryLimit(parseMemoryLimit(v));
        }
        return c;
    }

    /**
     * GOMEMLIMIT as Go 1.19 reads it (readGOMEMLIMIT, parseByteCount): "off", or a byte count: a
     * non-negative integer, alone or with one of the suffixes B, KiB, MiB, GiB, TiB (powers of
     * 1024, case as written), at most 2^63 − 1 bytes. Returns bytes, {@link #NO_MEMORY_LIMIT} for
     * off.
     */
    public static long parseMemoryLimit(String v) {
        return parseMemoryLimit("GOMEMLIMIT=", v);
    }

    /** {@link #parseMemoryLimit(String)}, the error naming the value as {@code what} (e.g. "--memlimit "). */
    public static long parseMemoryLimit(String what, String v) {
        if (v.equals("off")) {
            return NO_MEMORY_LIMIT;
        }
        String[] suffixes = {"KiB", "MiB", "GiB", "TiB", "B"};
        int shift = 0;
        String digits = v;
        for (int i = 0; i < suffixes.length; i++) {
            if (v.endsWith(suffixes[i])) {
                digits = v.substring(0, v.length() - suffixes[i].length());
                shift = i < 4 ? 10 * (i + 1) : 0;
                break;
            }
        }
        boolean ok = !digits.isEmpty() && digits.chars().allMatch(ch -> ch >= '0' && ch <= '9');
        if (ok) {
            try {
                long n = Long.parseLong(digits);
                if (n <= (Long.MAX_VALUE >> shift)) {
                    return n << shift;
                }
            } catch (NumberFormatException e) {
                // more than 2^63 - 1: the error below
            }
        }
        throw new IllegalArgumentException(what + v + " is invalid: must be a byte count, a non-negative integer with an "
                + "optional suffix B, KiB, MiB, GiB or TiB (e.g. 512MiB), at most 2^63-1 bytes, or off");
    }

    static int parseInt(String name, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(name + "=" + v + " is invalid: must be an integer from " + min + " to " + max);
    }

    /** GOGC: a non-negative percentage, or "off". */
    public static int parseGogc(String v) {
        if (v.trim().equalsIgnoreCase("off")) {
            return GOGC_OFF;
        }
        try {
            return parseInt("GOGC", v, 0, 1_000_000);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GOGC=" + v + " is invalid: must be an integer from 0 to 1000000, or off");
        }
    }

    /**
     * GODEBUG settings given explicitly ({@code --godebug}, code): comma-separated name=value
     * pairs, every name from {@link #GODEBUG_KEYS}; an unknown name is refused, naming the known
     * ones.
     */
    public static Map<String, String> parseGodebug(String v) {
        return parseGodebug(v, false).settings();
    }

    /** Parsed GODEBUG: the settings gort knows, and the names of those it ignored (in the order given). */
    public record Godebug(Map<String, String> settings, List<String> ignored) {}

    /**
     * GODEBUG as comma-separated name=value pairs. With {@code ignoreUnknown} (the environment's,
     * read as Go's runtime reads it) a field whose name gort does not know is skipped and its name
     * (or, without an '=', the whole field) listed in {@link Godebug#ignored}; without, it is an
     * error. A name gort knows must have a valid value either way.
     */
    public static Godebug parseGodebug(String v, boolean ignoreUnknown) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> ignored = new java.util.ArrayList<>();
        for (String part : v.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq);
            if (ignoreUnknown && !GODEBUG_KEYS.containsKey(k)) {
                ignored.add(k.isEmpty() ? p : k);
                continue;
            }
            if (eq <= 0) {
                throw new IllegalArgumentException("GODEBUG setting \"" + p + "\" is invalid: expected name=value, names: "
                        + String.join(", ", List.copyOf(new java.util.TreeSet<>(GODEBUG_KEYS.keySet()))));
            }
            String val = p.substring(eq + 1);
            if (!GODEBUG_KEYS.containsKey(k)) {
                throw new IllegalArgumentException("GODEBUG setting \"" + k + "\" is unknown: known are "
                        + String.join(", ", List.copyOf(new java.util.TreeSet<>(GODEBUG_KEYS.keySet())))
                        + " (given explicitly, an unknown name is taken for a typo; in $GODEBUG it would be ignored, as Go does)");
            }
            if (k.equals("gcwakeup")) {
                parseChoice(gort.gc.WakeupStrategy.class, k, val);
            } else if (k.equals("gcpacer")) {
                parseChoice(gort.gc.PacerKind.class, k, val);
            } else if (k.equals("gcbarrier")) {
                parseChoice(gort.gc.BarrierKind.class, k, val);
            } else if (k.equals("gcdesign")) {
                parseChoice(gort.gc.Design.class, k, val);
            } else if (k.equals("gcmarking")) {
                parseChoice(gort.gc.MarkingKind.class, k, val);
            } else if (k.equals("gcassistblock") || k.equals("runnext") || k.equals("gstatuscheck")) {
                parseInt("GODEBUG " + k, val, 0, 1);
            } else if (k.equals("schedglobal")) {
                parseInt("GODEBUG " + k, val, 1, Integer.MAX_VALUE);
            } else if (k.equals("gcworkerfrac")) {
                parseFraction("GODEBUG " + k, val);
            } else {
                parseInt("GODEBUG " + k, val, 0, Integer.MAX_VALUE);
            }
            m.put(k, val.trim()); // as validated
        }
        return new Godebug(Map.copyOf(m), List.copyOf(ignored));
    }

    /** A fraction in (0, 1], as a decimal number. */
    static double parseFraction(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (d > 0 && d <= 1 && !v.trim().matches(".*[a-zA-Z].*")) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(name + "=" + v + " is invalid: must be a decimal number greater than 0 and at most 1");
    }

    private static <E extends Enum<E> & gort.gc.Choice> void parseChoice(Class<E> type, String key, String val) {
        try {
            gort.gc.Choice.parse(type, key, val);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GODEBUG " + key + "=" + val + " is invalid: must be " + gort.gc.Choice.names(type));
        }
    }

    public Config withGomaxprocs(int n) {
        if (n < 1 || n > Sched.MAX_GOMAXPROCS) {
            throw new IllegalArgumentException("GOMAXPROCS=" + n + " is invalid: must be an integer from 1 to " + Sched.MAX_GOMAXPROCS);
        }
        return new Config(n, gogc, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    public Config withGogc(int g) {
        if (g < GOGC_OFF) {
            throw new IllegalArgumentException("GOGC=" + g + " is invalid: must be a non-negative integer or off");
        }
        return new Config(gomaxprocs, g, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    public Config withGodebug(Map<String, String> d) {
        Map<String, String> m = new LinkedHashMap<>(godebug);
        m.putAll(d);
        return new Config(gomaxprocs, gogc, Map.copyOf(m), traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /** Where gctrace and schedtrace lines go (stderr by default, as in Go). */
    public Config withTraceOut(PrintStream out) {
        return new Config(gomaxprocs, gogc, godebug, out, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /** The heap's hard cap: past it an allocation is {@code fatal error: out of memory}. */
    public Config withHeapCap(long bytes) {
        long min = 2L * gort.heap.AddressSpace.PAGE_BYTES;
        if (bytes < min) {
            throw new IllegalArgumentException("heap cap " + bytes + " bytes is invalid: must be at least " + min + " bytes");
        }
        return new Config(gomaxprocs, gogc, godebug, traceOut, bytes, debugHeap, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /** Debug heap: freed objects are poisoned and any access to one fails loudly. */
    public Config withDebugHeap(boolean on) {
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, on, onExit).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /**
     * Runs {@code f} on the runtime when its main goroutine returned, before {@link Runtime#run}
     * returns (the runtime's threads are winding down): how an experiment runner reads a
     * workload's per-cycle records without the workload's help.
     */
    public Config withOnExit(java.util.function.Consumer<Runtime> f) {
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, f).tracing(trace).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /**
     * Turns the execution tracer on: the runtime writes gort's raw trace to {@code t.rawFile()}
     * as it runs (gort.trace's exporters turn it into Perfetto's formats); null turns it off.
     */
    public Config withTrace(gort.sched.Trace.Settings t) {
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(t).faulting(gcFaults).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /**
     * Test-only collector faults ({@link gort.gc.GcFaults}) for the runtime started from this
     * config; null (the default) is Go's behaviour. The object is shared, not copied: a test may
     * change its mutable switches while the runtime runs.
     */
    public Config withGcFaults(gort.gc.GcFaults f) {
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(f).limited(memoryLimit).ignoring(ignoredGodebug).on(platform);
    }

    /**
     * The soft memory limit in bytes (Go 1.19's GOMEMLIMIT; {@link #NO_MEMORY_LIMIT} for none):
     * the go118 pacer keeps the heap's memory under it, collecting more often as it nears it (with
     * GOGC=off, only by it). Go 1.5's pacer has none: a runtime with a limit needs {@code gcpacer=go118}.
     */
    public Config withMemoryLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory limit " + bytes + " bytes is invalid: must be at least 0, or off");
        }
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults)
                .limited(bytes).ignoring(ignoredGodebug).on(platform);
    }

    /** The soft memory limit in bytes, {@link #NO_MEMORY_LIMIT} for none. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /**
     * The names of the settings in the environment's GODEBUG that gort does not know and ignored
     * (as Go ignores them), in the order given; empty when there were none.
     */
    public List<String> ignoredGodebug() {
        return ignoredGodebug;
    }

    /**
     * The platform the runtime started from this config runs on: {@link RealPlatform#INSTANCE}
     * by default, or a {@link gort.platform.SimPlatform} for a deterministic run in virtual time.
     * GOMAXPROCS is kept as it is (set it too, or start from {@link #defaults(Platform)}).
     */
    public Config withPlatform(Platform p) {
        if (p == null) {
            throw new IllegalArgumentException("platform must not be null");
        }
        return new Config(gomaxprocs, gogc, godebug, traceOut, heapCapBytes, debugHeap, onExit).tracing(trace).faulting(gcFaults)
                .limited(memoryLimit).ignoring(ignoredGodebug).on(p);
    }

    /** The platform the runtime runs on. */
    public Platform platform() {
        return platform;
    }

    private Config on(Platform p) {
        this.platform = p;
        return this;
    }

    private Config ignoring(List<String> names) {
        this.ignoredGodebug = names;
        return this;
    }

    private Config limited(long bytes) {
        this.memoryLimit = bytes;
        return this;
    }

    private Config faulting(gort.gc.GcFaults f) {
        this.gcFaults = f;
        return this;
    }

    private Config tracing(gort.sched.Trace.Settings t) {
        this.trace = t;
        return this;
    }

    /** The tracer's settings, or null when tracing is off. */
    public gort.sched.Trace.Settings trace() {
        return trace;
    }

    java.util.function.Consumer<Runtime> onExit() {
        return onExit;
    }

    public long heapCapBytes() {
        return heapCapBytes;
    }

    public boolean debugHeap() {
        return debugHeap;
    }

    public int gomaxprocs() {
        return gomaxprocs;
    }

    /** GOGC percentage, or {@link #GOGC_OFF}. */
    public int gogc() {
        return gogc;
    }

    public Map<String, String> godebug() {
        return godebug;
    }

    public int godebugInt(String key) {
        if (CHOICE_KEYS.contains(key)) {
            throw new IllegalArgumentException(key + " is not a number: use its own accessor");
        }
        String v = godebug.get(key);
        return v == null ? 0 : Integer.parseInt(v);
    }

    /** GODEBUG keys whose values are not integers: names from a registry, or a fraction. */
    static final java.util.Set<String> CHOICE_KEYS = java.util.Set.of("gcdesign", "gcwakeup", "gcpacer", "gcbarrier", "gcmarking", "gcworkerfrac");

    /** The design named by GODEBUG gcdesign, or null when none is set (each axis then has its own default). */
    public gort.gc.Design design() {
        String v = godebug.get("gcdesign");
        return v == null ? null : gort.gc.Design.parse(v);
    }

    /** Sets the design (as GODEBUG gcdesign would); axes set explicitly stay set, as ablations on top of it. */
    public Config withDesign(gort.gc.Design d) {
        return withGodebug(Map.of("gcdesign", d.flag()));
    }

    /**
     * How the GC coordinator learns marking is done: GODEBUG gcwakeup, else the design's, else
     * park-yield.
     */
    public gort.gc.WakeupStrategy wakeup() {
        String v = godebug.get("gcwakeup");
        gort.gc.Design d = design();
        return v != null ? gort.gc.WakeupStrategy.parse(v) : d != null ? d.axes().wakeup() : gort.gc.WakeupStrategy.PARK_YIELD;
    }

    /** Whether an assist that cannot pay sleeps and retries: GODEBUG gcassistblock, else the design's, else no. */
    public boolean assistBlock() {
        String v = godebug.get("gcassistblock");
        gort.gc.Design d = design();
        return v != null ? Integer.parseInt(v) > 0 : d != null && d.axes().assistBlock();
    }

    /** Sets the wakeup strategy (as GODEBUG gcwakeup would). */
    public Config withWakeup(gort.gc.WakeupStrategy w) {
        return withGodebug(Map.of("gcwakeup", w.flag()));
    }

    /** The pacing design: GODEBUG gcpacer, else the design's, else go15. */
    public gort.gc.PacerKind pacer() {
        String v = godebug.get("gcpacer");
        gort.gc.Design d = design();
        return v != null ? gort.gc.PacerKind.parse(v) : d != null ? d.axes().pacer() : gort.gc.PacerKind.GO15;
    }

    /** Sets the pacing design (as GODEBUG gcpacer would). */
    public Config withPacer(gort.gc.PacerKind p) {
        return withGodebug(Map.of("gcpacer", p.flag()));
    }

    /** The write barrier: GODEBUG gcbarrier, else the design's, else dijkstra (Go 1.5's). */
    public gort.gc.BarrierKind barrier() {
        String v = godebug.get("gcbarrier");
        gort.gc.Design d = design();
        return v != null ? gort.gc.BarrierKind.parse(v) : d != null ? d.axes().barrier() : gort.gc.BarrierKind.DIJKSTRA;
    }

    /** The marking machinery: GODEBUG gcmarking, else the design's, else go15 (Go 1.5's). */
    public gort.gc.MarkingKind marking() {
        String v = godebug.get("gcmarking");
        gort.gc.Design d = design();
        return v != null ? gort.gc.MarkingKind.parse(v) : d != null ? d.axes().marking() : gort.gc.MarkingKind.GO15;
    }

    /** Sets the marking machinery (as GODEBUG gcmarking would). */
    public Config withMarking(gort.gc.MarkingKind k) {
        return withGodebug(Map.of("gcmarking", k.flag()));
    }

    /** The scheduler ablations from GODEBUG runnext and schedglobal (Go 1.5's scheduler when neither is set). */
    public gort.sched.SchedAblations schedAblations() {
        String rn = godebug.get("runnext");
        String sg = godebug.get("schedglobal");
        return new gort.sched.SchedAblations(rn == null || Integer.parseInt(rn) != 0,
                sg == null ? gort.sched.SchedAblations.GO.globalQueueInterval() : Integer.parseInt(sg));
    }

    /** The background mark workers' share of GOMAXPROCS: GODEBUG gcworkerfrac, default Go's 0.25. */
    public double workerFraction() {
        String v = godebug.get("gcworkerfrac");
        return v == null ? gort.gc.Pacer.GOAL_UTILIZATION : Double.parseDouble(v);
    }

    /**
     * The collector's settings from GOGC, GODEBUG and GOMEMLIMIT; a combination no collector
     * takes (a memory limit with Go 1.5's pacer, or with the stop-the-world mode) is an
     * IllegalArgumentException naming what is allowed.
     */
    public gort.gc.Collector.Settings collectorSettings() {
        return new gort.gc.Collector.Settings(gogc, godebugInt("gctrace"), godebugInt("gccheckmark") > 0,
                godebugInt("gcpacertrace") > 0, godebugInt("gcstoptheworld") > 0, wakeup(), assistBlock(),
                pacer(), barrier(), marking(), memoryLimit, workerFraction(), gcFaults != null ? gcFaults : new gort.gc.GcFaults(),
                design());
    }

    public PrintStream traceOut() {
        return traceOut;
    }

    @Override
    public String toString() {
        return "GOMAXPROCS=" + gomaxprocs + " GOGC=" + (gogc == GOGC_OFF ? "off" : gogc) + " GODEBUG=" + godebug
                + (memoryLimit == NO_MEMORY_LIMIT ? "" : " GOMEMLIMIT=" + memoryLimit);
    }
}
