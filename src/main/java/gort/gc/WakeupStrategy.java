package gort.gc;

/**
 * How the GC coordinator goroutine learns that a phase of concurrent marking is done: the
 * subject of the seeds (DESIGN.md's table). One is chosen per run ({@code --wakeup},
 * {@code GODEBUG=gcwakeup=...}).
 */
public enum WakeupStrategy {
    /**
     * Before seed 000: the coordinator sleeps in {@code notetsleepg}, handing its P away; the
     * completer wakes the note; the coordinator's M finds no idle P, puts it on the global run
     * queue and stops, and it waits there until some P looks.
     */
    NOTE("note"),
    /**
     * Seed 000: the coordinator {@code gopark}s; the completer {@code ready}s it into its own P's
     * {@code runnext}; a background worker parks right after, so the coordinator runs next; an
     * assist keeps running its mutator until something deschedules it, at the latest sysmon's
     * preemption (a time slice of 10 to 20 ms: sysmon looks every 10 ms once the program is busy,
     * and preempts a P whose tick it has seen unchanged for 10 ms).
     */
    PARK("park"),
    /** Seed 003: as PARK, and an assist that completed marking calls Gosched at once. */
    PARK_YIELD("park-yield");

    private final String flag;

    WakeupStrategy(String flag) {
        this.flag = flag;
    }

    /** The name used by flags and GODEBUG. */
    public String flag() {
        return flag;
    }

    /** Parses note, park or park-yield; the error names the allowed values. */
    public static WakeupStrategy parse(String s) {
        for (WakeupStrategy w : values()) {
            if (w.flag.equals(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("wakeup strategy \"" + s + "\" is invalid: must be note, park or park-yield");
    }
}
