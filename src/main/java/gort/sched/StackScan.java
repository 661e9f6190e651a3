package gort.sched;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Getting a goroutine's stack scanned while the world runs (Go 1.5's scang in proc1.go, and the
 * preemptscan path of newstack in stack1.go): the collector's concurrent stack scan asks for each
 * goroutine in turn, and the scan itself is the layer above's ({@link Sched.Hooks#scanstack}).
 *
 * <p>Owns: the scan protocol on a G's status word and the count of self-scans. Invariants, as in
 * Go: a stack is scanned only by whoever holds the G's scan bit ({@code status | SCAN}), and only
 * while the G cannot run: it is not RUNNING (the scanner claims it), or it is the G itself,
 * stopped at a safepoint and WAITING for the scan's length; {@code gcscandone} is set once per
 * round, so a stack is scanned at most once in it. Every wait here spins through the platform
 * ({@code procyield}), a choice point for a simulated platform.
 */
final class StackScan {
    private final Sched sched;
    private final AtomicLong nselfscans = new AtomicLong();

    StackScan(Sched sched) {
        this.sched = sched;
    }

    /**
     * Gets gp's stack scanned once in this round (Go's scang): a goroutine that is not running is
     * claimed with its scan bit and scanned here; a running one is asked to scan itself at its next
     * safepoint ({@link G#preemptscan}), and the caller spins until it has. Called by the
     * collector's concurrent stack scan (Go's gcscan_m). Like Go's, this waits as long as a running
     * goroutine takes to reach a safepoint: one in a loop without safepoints holds the scan up.
     */
    void scang(G gp) {
        gp.gcscandone = false;
        SafepointWait sw = null; // made at the first turn spent waiting for gp's safepoint
        while (!gp.gcscandone) {
            int s = gp.readgstatus();
            switch (s) {
                case G.DEAD, G.IDLE -> gp.gcscandone = true; // no stack
                case G.RUNNABLE, G.SYSCALL, G.WAITING -> {
                    if (gp.castogscanstatus(s)) {
                        if (!gp.gcscandone) {
                            sched.hooks.scanstack(gp);
                            gp.gcscandone = true;
                        }
                        gp.casfromGscanstatus(s);
                    }
                }
                case G.RUNNING -> {
                    if (gp.preemptscan && gp.preempt) {
                        sched.platform.procyield(10); // asked already: wait for its safepoint
                        if (sw == null) {
                            sw = new SafepointWait(sched, "the stack scan of goroutine " + gp.goid);
                        }
                        sw.poll(() -> gp.status() == G.RUNNING ? List.of(gp) : List.of());
                    } else if (gp.castogscanstatus(G.RUNNING)) {
                        if (!gp.gcscandone) {
                            gp.preemptscan = true;
                            gp.preempt = true;
                        }
                        gp.casfromGscanstatus(G.RUNNING);
                    }
                }
                default -> sched.platform.procyield(10); // another scan holds it (its own, at a safepoint)
            }
        }
        gp.preemptscan = false; // cancel the request if it was not needed
    }

    /**
     * The calling goroutine waits for the runtime without leaving its M (Go's casgstatus from
     * _Grunning to _Gwaiting around gcscan_m): its stack can then be scanned like any other.
     */
    void casgstatusWaiting(G gp, String reason) {
        gp.waitreason = reason;
        gp.casgstatus(G.RUNNING, G.WAITING);
    }

    /** Ends {@link #casgstatusWaiting}. */
    void casgstatusRunning(G gp) {
        gp.casgstatus(G.WAITING, G.RUNNING);
        gp.waitreason = "";
    }

    /**
     * A running goroutine asked to scan itself does so at its safepoint and runs on (Go's
     * newstack with preemptscan set): it is WAITING while its stack is scanned, so nothing else
     * claims it meanwhile.
     */
    void selfScan(G gp) {
        nselfscans.incrementAndGet();
        gp.casgstatus(G.RUNNING, G.WAITING);
        while (!gp.castogscanstatus(G.WAITING)) {
            sched.platform.procyield(10); // scang may hold the scan bit for an instant
        }
        if (!gp.gcscandone) {
            sched.hooks.scanstack(gp);
            gp.gcscandone = true;
        }
        gp.preemptscan = false;
        gp.preempt = false;
        gp.casfromGscanstatus(G.WAITING);
        gp.casgstatus(G.WAITING, G.RUNNING);
    }

    /**
     * Times a running goroutine stopped at a safepoint for {@link #scang}'s request (then it, or
     * the scanner, which sees it waiting, scans its stack) and ran on.
     */
    long selfScans() {
        return nselfscans.get();
    }
}
