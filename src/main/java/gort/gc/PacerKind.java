package gort.gc;

import gort.heap.HeapStats;
import gort.platform.Platform;
import java.util.function.Supplier;

/**
 * The registry of pacing designs (the controller axis: {@code --pacer}, {@code GODEBUG=gcpacer}):
 * each a name, a sentence, whether it takes a soft memory limit ({@code GOMEMLIMIT}), and how to
 * make its {@link GcController} for a runtime. GOGC=off without a memory limit takes
 * {@link OffController} whatever the choice.
 */
public enum PacerKind implements Choice {
    GO15("go15", "Go 1.5's pacer (Clements 2015): a trigger-ratio feedback controller, goal = reachable heap x (1 + GOGC/100), "
            + "assist ratio = heap_scan / (goal - heap at the start)", false) {
        @Override
        GcController create(int gogc, long memoryLimit, double workerFraction, Supplier<HeapStats> memory, Platform platform) {
            return new Pacer(gogc, workerFraction);
        }
    },
    GO16("go16", "Go 1.6's pacer: Go 1.5's trigger feedback and goal, the goal at least 1 MiB above the heap at the start, and "
            + "assist ratio = (heap_scan - scan work done) / (goal - heap_live now), revised as the heap grows", false) {
        @Override
        GcController create(int gogc, long memoryLimit, double workerFraction, Supplier<HeapStats> memory, Platform platform) {
            return new Pacer(gogc, workerFraction, true);
        }
    },
    GO118("go118", "Go 1.18's pacer redesign as Go 1.19 has it: goal = marked + (marked + stacks + globals) x GOGC/100, "
            + "the trigger from a smoothed cons/mark estimate, assist ratio = remaining scan work / remaining runway; with Go 1.19's "
            + "soft memory limit (GOMEMLIMIT) and GC CPU limiter", true) {
        @Override
        GcController create(int gogc, long memoryLimit, double workerFraction, Supplier<HeapStats> memory, Platform platform) {
            return new Go118Pacer(gogc, memoryLimit, workerFraction, memory, platform);
        }
    };

    private final String flag;
    private final String description;
    private final boolean memoryLimit;

    PacerKind(String flag, String description, boolean memoryLimit) {
        this.flag = flag;
        this.description = description;
        this.memoryLimit = memoryLimit;
    }

    /**
     * Whether this pacer takes Go 1.19's inputs: heap_live counted at refills (the whole free
     * space of a cached span, {@code MHeap.liveAtRefill}) and objects allocated black in every phase
     * of marking, so heap_marked includes mark 1's allocation. Only go118 does.
     */
    public boolean accountsLikeGo119() {
        return this == GO118;
    }

    /** Whether this design takes a soft memory limit (Go 1.5's has none). */
    public boolean takesMemoryLimit() {
        return memoryLimit;
    }

    @Override
    public String flag() {
        return flag;
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * This design's controller for GOGC = gogc (>= 0; -1, off, only with a memory limit), a soft
     * memory limit in bytes (Long.MAX_VALUE: none; only for designs that take one), the
     * background workers' share of GOMAXPROCS (0.25 in Go; others are the gcworkerfrac
     * ablation), and the heap's statistics, which a memory limit is measured against.
     */
    abstract GcController create(int gogc, long memoryLimit, double workerFraction, Supplier<HeapStats> memory, Platform platform);

    /** Parses a name; the error names the allowed values. */
    public static PacerKind parse(String s) {
        return Choice.parse(PacerKind.class, "pacer", s);
    }
}
