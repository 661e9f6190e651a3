package gort.gc;

import gort.sched.G;
import gort.sched.M;
import gort.sched.Sched;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mutator assists (Go 1.5.1's gcAssistAlloc): while blackening is enabled, every allocation
 * charges its rounded size to its goroutine ({@code G.gcalloc}); at a refill the goroutine owes
 * {@code assistRatio × gcalloc − gcscanwork} bytes of scan work, and pays it by stealing
 * background credit or by scanning from its P's work cache and the global lists.
 *
 * <p>What an assist cannot pay: with {@code gcassistblock=1} (Go 1.5.1 as released) it sleeps
 * 100 µs on a runtime timer and tries again, until the debt is paid or marking is over; with
 * {@code gcassistblock=0} (Go before assists could block, which CL 12670 prepared for) the debt stays
 * owed and the next assist pays it. An assist that brings marking to a completion point signals
 * it through the cycle driver, whether or not it is the first to, and yields at once if the
 * driver says so (park-yield: golang/go CL 12670). While the controller's GC CPU limiter is on (Go 1.19's,
 * {@code --pacer go118}), no assist runs and the debt stays owed.
 *
 * <p>Owns the assists' counters (for tests). Simplified from Go: the assist time is published per
 * assist, not batched per P.
 */
final class Assists {
    /** How long an assist that could not pay its debt sleeps before it retries (Go's timeSleep(100 * 1000)). */
    static final long RETRY_NS = 100_000;

    private final Collector c;
    /** Assists that reached a completion point, that then yielded, that slept on unpaid debt. */
    final AtomicLong completionPoints = new AtomicLong();
    final AtomicLong yields = new AtomicLong();
    final AtomicLong sleeps = new AtomicLong();

    Assists(Collector c) {
        this.c = c;
    }

    /** Charges size bytes to gp and, when allowed (a refill just happened), pays its debt. */
    void gcAssistAlloc(M m, G gp, long size, boolean allowAssist) {
        gp.gcalloc += size;
        GcFaults f = c.faults;
        if (!allowAssist || gp.isSystem() || f.assistsDisabled || !m.preemptible()) {
            return; // Go: no assist in non-preemptible contexts, which could not block
        }
        GcController ctl = c.controller;
        if (ctl.limiting()) {
            return; // Go 1.19: the GC CPU limiter is on; the debt stays owed
        }
        double ratio = Math.max(ctl.assistRatio(), f.minAssistRatio);
        long scanWork = (long) (ratio * gp.gcalloc) - gp.gcscanwork;
        if (scanWork <= 0) {
            return;
        }
        for (;;) { // Go's retry label
            long stolen = ctl.stealBgScanCredit(scanWork);
            scanWork -= stolen;
            gp.gcscanwork += stolen;
            if (scanWork == 0) {
                return;
            }
            if (!c.blackenEnabled) {
                return; // the cycle left marking since the check in malloc: ignore the debt
            }
            long t0 = c.platform.nanotime();
            if (c.sched.trace != null) c.sched.trace.assistStart();
            c.work.startWorking();
            GcWork gcw = (GcWork) m.p().gcw;
            long done = c.mark.gcDrainN(gcw, scanWork);
            if (c.sched.trace != null) c.sched.trace.assistDone();
            gp.gcscanwork += done;
            scanWork -= done;
            ctl.addAssistScanWork(done);
            if (c.blackenPromptly) {
                gcw.dispose();
            }
            boolean completed = c.work.stopWorking();
            ctl.addAssistTime(c.platform.nanotime() - t0); // before the completion, which may end the cycle (none)
            if (completed) {
                c.driver.complete(CompleterKind.ASSIST); // Go yields whether or not this call was the first completer
                completionPoints.incrementAndGet();
            }
            if (completed && c.driver.yieldsAfterAssistCompletion()) {
                // CL 12670: the coordinator is runnable (in this P's runnext if we readied it): run it now
                yields.incrementAndGet();
                c.sched.gosched();
                if (!c.blackenEnabled) {
                    scanWork = 0; // the Gosched let the cycle finish: no point in waiting
                }
            }
            if (scanWork <= 0 || !c.assistBlock) {
                return;
            }
            // Go 1.5.1: we could neither steal nor do enough work to pay the debt; sleep 100 µs
            // (the getfull barrier's sleep) to let other mutators run, then go around again
            sleeps.incrementAndGet();
            c.sched.timeSleep(RETRY_NS);
            m = Sched.currentM(); // we may wake on another M
        }
    }
}
