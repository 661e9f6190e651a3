package gort.sched;

import java.util.List;
import java.util.function.Supplier;

/**
 * One wait for goroutines to reach a safepoint (stop-the-world, forEachP, a stack scan, the
 * runtime's exit) that, once it has lasted {@link #REPORT_AFTER_NS}, says which goroutines hold
 * it up: their goid, function, status and where each is in the program ({@link Traceback}), in
 * one message on the runtime's diagnostic stream (where gctrace and schedtrace go, stderr by
 * default).
 *
 * <p>Owns: the wait's start time and whether it has spoken. Invariants: it speaks at most once
 * per wait, never before {@link #REPORT_AFTER_NS}; it changes nothing about the wait itself, which
 * goes on (or gives up) exactly as without it. Go 1.5 says nothing here: a loop without a
 * safepoint cannot be preempted, and a stop-the-world waits for it in silence; gort names the
 * loop so that a user sees why the program stands still.
 *
 * <p>Used only by the one thread that waits, so nothing here needs a lock.
 */
final class SafepointWait {
    /** How long a wait goes on before it names the goroutines it waits for. */
    static final long REPORT_AFTER_NS = 1_000_000_000L;

    private final Sched sched;
    /** What waits, for the message: "stop the world (GC)", "the runtime's exit", ... */
    private final String what;
    private final long start;
    private boolean reported;

    SafepointWait(Sched sched, String what) {
        this(sched, what, sched.platform.nanotime());
    }

    /** A wait that began at startNanos (the platform's clock). */
    SafepointWait(Sched sched, String what, long startNanos) {
        this.sched = sched;
        this.what = what;
        this.start = startNanos;
    }

    /**
     * Called on each turn of the wait: once the wait has lasted {@link #REPORT_AFTER_NS}, names
     * the goroutines holders gives (once; nothing when it gives none).
     */
    void poll(Supplier<List<G>> holders) {
        if (reported || sched.platform.nanotime() - start < REPORT_AFTER_NS) {
            return;
        }
        report(holders.get());
    }

    /**
     * Names gs now, unless this wait has spoken already or gs is empty; returns whether it named
     * them. For a caller that has waited {@link #REPORT_AFTER_NS} by other means.
     */
    boolean report(List<G> gs) {
        if (reported) {
            return false;
        }
        reported = true;
        if (gs.isEmpty()) {
            return false;
        }
        long waited = (sched.platform.nanotime() - start) / 1_000_000L;
        StringBuilder sb = new StringBuilder("gort: ").append(sched.name()).append(": ").append(what).append(" has waited ")
                .append(String.format(java.util.Locale.ROOT, "%.1f", waited / 1000.0)).append(" s for ")
                .append(gs.size() == 1 ? "a goroutine" : gs.size() + " goroutines").append(" to reach a safepoint: ");
        for (int i = 0; i < gs.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(describe(gs.get(i)));
        }
        sb.append(". A loop that neither allocates nor calls the runtime cannot be stopped (as in Go 1.5): call Go.poll() in it");
        sched.diagnostic(sb.toString());
        return true;
    }

    /** {@code goroutine 7 (Spin.main.func1) [running] at Spin.java:16 (Spin.spin)}. */
    static String describe(G gp) {
        String at = Traceback.programFrame(gp);
        int s = gp.status();
        return "goroutine " + gp.goid + " (" + gp.startName + ") [" + (s == G.WAITING ? gp.waitreason : G.statusName(s)) + "]"
                + (at == null ? "" : " at " + at);
    }
}
