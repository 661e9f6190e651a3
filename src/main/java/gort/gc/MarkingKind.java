package gort.gc;

/**
 * The registry of concurrent-marking machineries (the marking axis: {@code GODEBUG=gcmarking}):
 * how a cycle's roots are scanned, how background workers are handed out and when they give
 * their P back, and how an assist is charged and what it does with a debt it cannot pay. The
 * three are one axis because Go changed them together, and each leans on the others: Go 1.6's
 * root jobs are found by workers that run only when {@code gcMarkWorkAvailable}, and its parked
 * assists are paid by the credit those workers flush.
 */
public enum MarkingKind implements Choice {
    GO15("go15", "Go 1.5's: the cycle's goroutine scans every root before marking is armed (gcscan_m); dedicated workers "
            + "drain until marking completes, blocking in getfull; an assist is charged at each refill (gcalloc, gcscanwork) "
            + "and what it cannot pay carries over or, with gcassistblock=1, sleeps 100 µs and retries"),
    GO16("go16", "Go 1.6's: marking is armed as the world restarts and the roots are jobs that workers take one by one "
            + "(markrootNext); a worker runs only when there is work (gcMarkWorkAvailable) and returns its P when there is "
            + "none; an assist is charged at every allocation (gcAssistBytes) and, when it can neither steal credit nor find "
            + "work, parks on the assist queue until background credit pays its debt (gcFlushBgCredit)");

    private final String flag;
    private final String description;

    MarkingKind(String flag, String description) {
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

    /** Parses a name; the error names the allowed values. */
    public static MarkingKind parse(String s) {
        return Choice.parse(MarkingKind.class, "marking", s);
    }
}
