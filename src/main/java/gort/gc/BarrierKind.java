package gort.gc;

/** The registry of write barriers (the barrier axis: {@code GODEBUG=gcbarrier}). */
public enum BarrierKind implements Choice {
    DIJKSTRA("dijkstra", "Go 1.5's insertion barrier: shade the object a pointer store installs; stacks take no barrier and "
            + "are rescanned at mark termination") {
        @Override
        WriteBarrier create(Collector c) {
            return new DijkstraBarrier(c);
        }
    };

    private final String flag;
    private final String description;

    BarrierKind(String flag, String description) {
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

    abstract WriteBarrier create(Collector c);

    /** Parses a name; the error names the allowed values. */
    public static BarrierKind parse(String s) {
        return Choice.parse(BarrierKind.class, "write barrier", s);
    }
}
