package gort.gc;

/**
 * The registry of cycle drivers: how the GC coordinator goroutine learns that a phase of
 * concurrent marking is done. Two Go changes are about exactly this: golang/go CL 9291 ("use
 * park/ready to wake up GC at end of concurrent mark": {@code note} is what Go did before it,
 * {@code park} is the change) and CL 12670 ("yield to GC coordinator after assist completion":
 * {@code park-yield}, in Go 1.5.1 as released); {@code none} is Go 1.6's design, which removed the
 * coordinator. One is chosen per run ({@code --wakeup}, {@code GODEBUG=gcwakeup=...}); each names
 * its {@link CycleDriver}.
 */
public enum WakeupStrategy implements Choice {
    NOTE("note", "Go before CL 9291: the coordinator sleeps in notetsleepg, handing its P away; the completer wakes the note; "
            + "the coordinator's M finds no idle P, puts it on the global run queue and stops, and it waits there until some P "
            + "looks") {
        @Override
        CycleDriver driver(Collector c) {
            return new CoordinatorDriver(c, this, true, false);
        }
    },
    PARK("park", "CL 9291: the coordinator parks; the completer readies it into its own P's runnext; a background worker parks "
            + "right after, so the coordinator runs next; an assist keeps running its mutator until something deschedules it, at "
            + "the latest sysmon's preemption (a time slice of 10 to 20 ms)") {
        @Override
        CycleDriver driver(Collector c) {
            return new CoordinatorDriver(c, this, false, false);
        }
    },
    PARK_YIELD("park-yield", "CL 12670 (Go 1.5.1): as park, and an assist that reached a completion point calls Gosched at once") {
        @Override
        CycleDriver driver(Collector c) {
            return new CoordinatorDriver(c, this, false, true);
        }
    },
    NONE("none", "Go 1.6's design: no coordinator; the allocating goroutine starts the cycle and whoever finds a phase "
            + "complete performs the transition itself") {
        @Override
        CycleDriver driver(Collector c) {
            return new NoCoordinatorDriver(c, this);
        }

        @Override
        public boolean hasCoordinator() {
            return false;
        }
    };

    private final String flag;
    private final String description;

    WakeupStrategy(String flag, String description) {
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

    /** Whether a coordinator goroutine waits for each phase (so the figures of where it waited apply). */
    public boolean hasCoordinator() {
        return true;
    }

    /**
     * Whether the strategy named {@code flag} has a coordinator: false only for a registered
     * strategy without one, so that a name this registry does not hold (a Go 1.5.1 trace's "?")
     * reads as Go 1.5's design, which has one.
     */
    public static boolean hasCoordinator(String flag) {
        for (WakeupStrategy w : values()) {
            if (w.flag.equals(flag)) {
                return w.hasCoordinator();
            }
        }
        return true;
    }

    /** The driver of a runtime's concurrent cycles under this strategy. */
    abstract CycleDriver driver(Collector c);

    /** Parses a name; the error names the allowed values. */
    public static WakeupStrategy parse(String s) {
        return Choice.parse(WakeupStrategy.class, "wakeup strategy", s);
    }
}
