package gort.trace;

import gort.api.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;

/**
 * What a reader needs beside a result to judge it: the machine it ran on (CPUs, the load average
 * when the command started, OS and architecture), the JVM, gort's own build (version, the git
 * commit and whether the tree differed from it, embedded at build time by
 * {@code scripts/build-info.sh}), every setting the command ran under, and the warnings that
 * qualify its figures (GOMAXPROCS above the host's CPUs: the figures then measure the OS's
 * time-slicing as much as the runtime). Every writer of results records one: the JSON of run,
 * compare, bench and fidelity ({@code "environment"}), the compare table's header, the HTML report,
 * and an execution trace's metadata.
 *
 * <p>Invariants: captured once per command, before its first run; immutable; the settings keep the
 * order they were given in; what the host or the build does not say is "unknown" (a load average the
 * OS does not report is left out), never guessed.
 */
public record RunEnvironment(Host host, Jvm jvm, Build build, String started, Map<String, String> settings, List<String> warnings) {
    /** The machine: CPUs the JVM may use, load averages over 1, 5 and 15 minutes at the start (empty when unknown), OS, arch. */
    public record Host(int cpus, List<Double> loadAverage, String os, String osVersion, String arch) {}

    /** The JVM gort runs in. */
    public record Jvm(String version, String vendor, String vm) {}

    /** gort's build: its version, the git commit, and "true"/"false" for a tree that differed from it ("unknown" for both outside git). */
    public record Build(String version, String commit, String dirty) {
        /** "0.1.0-SNAPSHOT 14a3b8db1115 (dirty)", "0.1.0 unknown commit". */
        public String describe() {
            if (commit.equals(UNKNOWN)) {
                return version + ", commit unknown";
            }
            return version + " " + commit.substring(0, Math.min(12, commit.length())) + (dirty.equals("true") ? " (dirty)" : "");
        }
    }

    public static final String UNKNOWN = "unknown";
    /** The resource scripts/build-info.sh writes at build time. */
    static final String BUILD_RESOURCE = "/gort-build.properties";

    public RunEnvironment {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        warnings = List.copyOf(warnings);
    }

    /**
     * This host, this JVM and this build now, with the settings given and the warnings they call
     * for; {@code maxGomaxprocs} is the largest GOMAXPROCS any of the command's runs uses.
     */
    public static RunEnvironment capture(Map<String, String> settings, int maxGomaxprocs) {
        Host h = currentHost();
        List<String> warnings = new ArrayList<>();
        String over = oversubscription(maxGomaxprocs, h.cpus());
        if (over != null) {
            warnings.add(over);
        }
        return new RunEnvironment(h, currentJvm(), thisBuild(), java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                settings, warnings);
    }

    /**
     * The warning for GOMAXPROCS above the host's CPUs, or null: more Ps than CPUs means that the
     * OS time-slices gort's threads, so wakeup delays, pauses and throughput measure that as well.
     */
    public static String oversubscription(int gomaxprocs, int cpus) {
        if (gomaxprocs <= cpus) {
            return null;
        }
        return "GOMAXPROCS=" + gomaxprocs + " is more than this host's " + cpus + " CPU" + (cpus == 1 ? "" : "s")
                + ": the figures measure the OS time-slicing " + gomaxprocs + " Ps over " + cpus + " CPU" + (cpus == 1 ? "" : "s")
                + " as much as the runtime";
    }

    /** Prints each warning as one line on err ("gort: warning: ..."). */
    public void warn(PrintWriter err) {
        for (String w : warnings) {
            err.println("gort: warning: " + w);
        }
        err.flush();
    }

    static Host currentHost() {
        List<Double> load = new ArrayList<>();
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                load.add(Double.parseDouble(f[i]));
            }
        } catch (IOException | RuntimeException e) {
            load.clear();
            double one = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            if (one >= 0) {
                load.add(one); // the JVM knows the last minute's only
            }
        }
        return new Host(java.lang.Runtime.getRuntime().availableProcessors(), List.copyOf(load), prop("os.name"), prop("os.version"),
                prop("os.arch"));
    }

    static Jvm currentJvm() {
        return new Jvm(prop("java.version"), prop("java.vendor"), prop("java.vm.name"));
    }

    /** gort's build, as scripts/build-info.sh recorded it; "unknown" throughout when the class path has no record. */
    public static Build thisBuild() {
        Properties p = new Properties();
        try (InputStream in = RunEnvironment.class.getResourceAsStream(BUILD_RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            p.clear();
        }
        return new Build(p.getProperty("version", UNKNOWN), p.getProperty("commit", UNKNOWN), p.getProperty("dirty", UNKNOWN));
    }

    private static String prop(String k) {
        String v = System.getProperty(k);
        return v == null || v.isBlank() ? UNKNOWN : v;
    }

    /**
     * A runtime's settings from its Config, in Go's terms: GOMAXPROCS, GOGC, GODEBUG as given,
     * GOMEMLIMIT, and the effective design of each switchable mechanism (defaults included, so a
     * reader need not know them).
     */
    public static Map<String, String> settingsOf(Config c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("GOMAXPROCS", Integer.toString(c.gomaxprocs()));
        m.put("GOGC", c.gogc() == Config.GOGC_OFF ? "off" : Integer.toString(c.gogc()));
        StringBuilder gd = new StringBuilder();
        for (var e : new TreeMap<>(c.godebug()).entrySet()) {
            gd.append(gd.isEmpty() ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        m.put("GODEBUG", gd.toString());
        m.put("GOMEMLIMIT", c.memoryLimit() == Config.NO_MEMORY_LIMIT ? "off" : Long.toString(c.memoryLimit()));
        m.put("wakeup", c.wakeup().flag());
        m.put("pacer", c.pacer().flag());
        m.put("gcassistblock", c.godebugInt("gcassistblock") > 0 ? "1" : "0");
        m.put("gcbarrier", c.barrier().flag());
        if (c.platform() instanceof gort.platform.SimPlatform sim) {
            m.put("platform", "sim");
            m.put("seed", Long.toString(sim.seed()));
            m.put("sim_ncpu", Integer.toString(sim.ncpu()));
        } else {
            m.put("platform", "real");
        }
        return m;
    }

    /** Writes {@code "environment": {...}} into the object g is in. */
    public void writeJson(JsonGenerator g) {
        g.writeName("environment");
        g.writeStartObject();
        g.writeName("host");
        g.writeStartObject();
        g.writeNumberProperty("cpus", host.cpus());
        g.writeName("load_average");
        g.writeStartArray();
        for (double l : host.loadAverage()) {
            g.writeNumber(l);
        }
        g.writeEndArray();
        g.writeStringProperty("os", host.os());
        g.writeStringProperty("os_version", host.osVersion());
        g.writeStringProperty("arch", host.arch());
        g.writeEndObject();
        g.writeName("jvm");
        g.writeStartObject();
        g.writeStringProperty("version", jvm.version());
        g.writeStringProperty("vendor", jvm.vendor());
        g.writeStringProperty("vm", jvm.vm());
        g.writeEndObject();
        g.writeName("gort");
        g.writeStartObject();
        g.writeStringProperty("version", build.version());
        g.writeStringProperty("commit", build.commit());
        g.writeStringProperty("dirty", build.dirty());
        g.writeEndObject();
        g.writeStringProperty("started", started);
        g.writeName("settings");
        g.writeStartObject();
        for (var e : settings.entrySet()) {
            g.writeStringProperty(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeName("warnings");
        g.writeStartArray();
        for (String w : warnings) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** "1.52 0.98 0.77", or "unknown". */
    String load() {
        if (host.loadAverage().isEmpty()) {
            return UNKNOWN;
        }
        StringBuilder sb = new StringBuilder();
        for (double l : host.loadAverage()) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.2f", l));
        }
        return sb.toString();
    }

    /** The settings as "k=v k=v ..." (an empty value as k=""). */
    String settingsLine() {
        StringBuilder sb = new StringBuilder();
        for (var e : settings.entrySet()) {
            sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(e.getValue().isEmpty() ? "\"\"" : e.getValue());
        }
        return sb.toString();
    }

    /** The lines a table or a report opens with: host, JVM and build; settings; each warning. */
    public List<String> lines() {
        List<String> ls = new ArrayList<>();
        ls.add("host: " + host.cpus() + " CPU" + (host.cpus() == 1 ? "" : "s") + ", load " + load() + " at the start, " + host.os() + " "
                + host.osVersion() + " " + host.arch() + "; Java " + jvm.version() + " (" + jvm.vendor() + "); gort " + build.describe());
        ls.add("settings: " + settingsLine());
        for (String w : warnings) {
            ls.add("warning: " + w);
        }
        return ls;
    }

    /** The same, flattened for an execution trace's metadata (its "gort trace" instant, a JSON trace's otherData). */
    public Map<String, Object> traceMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host.cpus", host.cpus());
        m.put("host.load_average", load());
        m.put("host.os", host.os() + " " + host.osVersion());
        m.put("host.arch", host.arch());
        m.put("jvm", jvm.version() + " (" + jvm.vendor() + ", " + jvm.vm() + ")");
        m.put("gort.version", build.version());
        m.put("gort.commit", build.commit());
        m.put("gort.dirty", build.dirty());
        m.put("started", started);
        for (var e : settings.entrySet()) {
            m.put("settings." + e.getKey(), e.getValue());
        }
        for (int i = 0; i < warnings.size(); i++) {
            m.put("warning" + (warnings.size() == 1 ? "" : "." + (i + 1)), warnings.get(i));
        }
        return m;
    }
}
