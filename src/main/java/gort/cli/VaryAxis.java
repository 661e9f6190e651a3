package gort.cli;

import gort.api.Config;
import gort.gc.BarrierKind;
import gort.gc.Choice;
import gort.gc.PacerKind;
import gort.gc.WakeupStrategy;
import gort.sched.Sched;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry of what {@code gort compare --vary AXIS=a,b,...} can vary: each axis a name, a
 * sentence, the flag or GODEBUG key that would otherwise set it, and how one of its values changes
 * a run's Config. The mechanisms' own registries (wakeup, pacer, barrier) give those axes their
 * values; the others are GOMAXPROCS, GOGC and the GODEBUG switches and ablations.
 *
 * <p>Invariant: {@link #apply} either returns a valid Config or throws an
 * IllegalArgumentException saying what is allowed, so {@link #parse} checks every value before
 * the first run.
 */
enum VaryAxis {
    DESIGN("design", "the design named after a Go release (each sets every collector axis)", "--design", "gcdesign") {
        @Override
        Config apply(Config c, String v) {
            return c.withDesign(gort.gc.Design.parse(v));
        }

        @Override
        List<String> all() {
            return Arrays.stream(gort.gc.Design.values()).map(gort.gc.Design::flag).toList();
        }
    },
    MARKING("gcmarking", "the marking machinery (root scan, workers, assists)", null, "gcmarking") {
        @Override
        List<String> all() {
            return Arrays.stream(gort.gc.MarkingKind.values()).map(gort.gc.MarkingKind::flag).toList();
        }
    },
    WAKEUP("wakeup", "the GC wakeup strategy", "--wakeup", "gcwakeup") {
        @Override
        Config apply(Config c, String v) {
            return c.withWakeup(WakeupStrategy.parse(v));
        }

        @Override
        List<String> all() {
            return Arrays.stream(WakeupStrategy.values()).map(WakeupStrategy::flag).toList();
        }
    },
    PACER("pacer", "the pacing design", "--pacer", "gcpacer") {
        @Override
        Config apply(Config c, String v) {
            return c.withPacer(PacerKind.parse(v));
        }

        @Override
        List<String> all() {
            return Arrays.stream(PacerKind.values()).map(PacerKind::flag).toList();
        }
    },
    BARRIER("gcbarrier", "the write barrier", null, "gcbarrier") {
        @Override
        List<String> all() {
            return Arrays.stream(BarrierKind.values()).map(BarrierKind::flag).toList();
        }
    },
    ASSIST_BLOCK("gcassistblock", "whether an assist that cannot pay its debt sleeps and retries (1, Go 1.5.1 as released) or "
            + "carries it over (0)", null, "gcassistblock"),
    PROCS("procs", "GOMAXPROCS, 1.." + Sched.MAX_GOMAXPROCS, "--procs", null) {
        @Override
        Config apply(Config c, String v) {
            try {
                return c.withGomaxprocs(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer from 1 to " + Sched.MAX_GOMAXPROCS);
            }
        }
    },
    GOGC("gogc", "GOGC, a percentage", "--gogc", null) {
        @Override
        Config apply(Config c, String v) {
            return c.withGogc(Config.parseGogc(v)); // off: compare refuses it unless a memory limit paces the cycles
        }
    },
    RUNNEXT("runnext", "the runnext ablation (not Go): 0 queues a readied goroutine at the tail of the run queue", null,
            "runnext"),
    SCHED_GLOBAL("schedglobal", "the global run queue interval ablation (not Go; Go's is 61)", null, "schedglobal"),
    WORKER_FRACTION("gcworkerfrac", "the background mark workers' share of GOMAXPROCS ablation (not Go; Go's is 0.25)", null,
            "gcworkerfrac");

    /** The axis and its values, as given to {@code --vary}, with each run's label. */
    record Plan(VaryAxis axis, List<String> values) {
        /** compare's default: every wakeup strategy. */
        static Plan wakeupStrategies() {
            return new Plan(WAKEUP, WAKEUP.all());
        }

        /** A run's label: a registry's name as it is (park), a number or switch with its axis (procs=4, runnext=0). */
        String label(String value) {
            return axis.all().isEmpty() ? axis.name + "=" + value : value;
        }

        List<String> labels() {
            return values.stream().map(this::label).toList();
        }
    }

    final String name;
    final String description;
    /** The flag that sets this axis for a whole command (--vary then excludes it), or null. */
    final String flag;
    /** The GODEBUG key that sets this axis (--godebug must then not set it too), or null. */
    final String godebugKey;

    VaryAxis(String name, String description, String flag, String godebugKey) {
        this.name = name;
        this.description = description;
        this.flag = flag;
        this.godebugKey = godebugKey;
    }

    /** The Config of one run: c with this axis at value v (by default, as --godebug KEY=v would set it). */
    Config apply(Config c, String v) {
        return c.withGodebug(Config.parseGodebug(godebugKey + "=" + v));
    }

    /** The values of a registry axis (every registered name); empty for the others. */
    List<String> all() {
        return List.of();
    }

    /** "wakeup (the GC wakeup strategy: note, park, ...), ...": every axis, for help and messages. */
    static String describeAll() {
        return Arrays.stream(values()).map(a -> a.name + " (" + a.description + (a.all().isEmpty() ? "" : ": "
                + String.join(", ", a.all())) + ")").collect(Collectors.joining("; "));
    }

    /** The axis names, for picocli's help. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(values()).map(a -> a.name).iterator();
        }
    }

    static String names() {
        return Arrays.stream(values()).map(a -> a.name).collect(Collectors.joining(", "));
    }

    static VaryAxis lookup(String name) {
        for (VaryAxis a : values()) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("--vary " + name + ": no such axis; the axes are " + names());
    }

    /**
     * Parses {@code AXIS=a,b,...} and checks every value against base (each value's Config is
     * built once here, so a bad one fails before any run).
     */
    static Plan parse(String spec, Config base) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--vary " + spec + ": expected AXIS=VALUE,VALUE,...; the axes are " + names());
        }
        VaryAxis axis = lookup(spec.substring(0, eq).trim());
        Set<String> values = new LinkedHashSet<>();
        for (String part : spec.substring(eq + 1).split(",", -1)) {
            String v = part.trim();
            if (v.isEmpty()) {
                throw new IllegalArgumentException("--vary " + spec + ": an empty value"
                        + (axis.all().isEmpty() ? "" : "; the values are " + String.join(", ", axis.all())));
            }
            if (!values.add(v)) {
                throw new IllegalArgumentException("--vary " + spec + ": " + v + " is given twice");
            }
        }
        for (String v : values) {
            try {
                axis.apply(base, v).collectorSettings(); // a combination no collector takes is refused here too
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--vary " + axis.name + "=" + v + ": " + e.getMessage(), e);
            }
        }
        return new Plan(axis, List.copyOf(values));
    }
}
