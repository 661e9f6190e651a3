package gort.gc;

/**
 * The registry of pacing designs (the controller axis: {@code --pacer}, {@code GODEBUG=gcpacer}):
 * each a name, a sentence, and how to make its {@link GcController} for a runtime. GOGC=off
 * takes {@link OffController} whatever the choice.
 */
public enum PacerKind implements Choice {
    GO15("go15", "Go 1.5's pacer (Clements 2015): a trigger-ratio feedback controller, goal = reachable heap x (1 + GOGC/100), "
            + "assist ratio = heap_scan / (goal - heap at the start)") {
        @Override
        GcController create(int gogc, long memoryLimit, double workerFraction) {
            return new Pacer(gogc, workerFraction);
        }
    };

    private final String flag;
    private final String description;

    PacerKind(String flag, String description) {
        this.flag = flag;
        this.description = description;
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
     * This design's controller for GOGC = gogc (>= 0), a soft memory limit in bytes (Long.MAX_VALUE:
     * none) and the background workers' share of GOMAXPROCS (0.25 in Go; others are the
     * gcworkerfrac ablation).
     */
    abstract GcController create(int gogc, long memoryLimit, double workerFraction);

    /** Parses a name; the error names the allowed values. */
    public static PacerKind parse(String s) {
        return Choice.parse(PacerKind.class, "pacer", s);
    }
}
