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
 * <p>Under the go16 marking ({@link MarkingKind#GO16}) the assist is Go 1.6's instead: every
 * allocation takes its size off the G's {@code gcAssistBytes}; a G in debt pays it and 64 KiB ahead
 * by stealing credit or draining, and what it still owes it waits for on the {@link AssistQueue}.
 *
 * <p>Owns the assists' counters (for tests). Simplified from Go: the assist time is published per
 * assist, not batched per P.
 */
final class Assists {
    /** How long an assist that could not pay its debt sleeps before it retries (Go's timeSleep(100 * 1000)). */
    static final long RETRY_NS = 100_000;

    /** Go 1.6's gcOverAssistBytes: an assist pays this much allocation ahead, to amortize its cost. */
    static final long OVER_ASSIST_BYTES = 64 << 10;
    /**
     * The smallest assist ratio the go16 assists convert with (scan work per byte). Go 1.6's
     * controller never sets a ratio below 1000 bytes of scan work over the heap distance; Go 1.5's
     * (which the go16 marking may run beside) sets 0 for a heap with nothing to scan, where Go 1.6's
     * conversions would divide by zero. gort's guard.
     */
    static final double MIN_RATIO = 1e-9;

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
        if (c.marking == MarkingKind.GO16) {
            gp.gcAssistBytes -= size; // Go 1.6's mallocgc: every allocation, refill or not
            if (gp.gcAssistBytes < 0) {
                gcAssistAlloc16(m, gp);
            }
            return;
        }
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

    /**
     * Go 1.6's gcAssistAlloc (go16 marking): gp is in debt; pay the debt and
     * {@link #OVER_ASSIST_BYTES} ahead by stealing background credit, else by draining that much
     * scan work from its P's cache and the global list; if it is still in debt, yield if it was
     * asked to and try again, else park on the assist queue until background credit pays it (or
     * marking ends). An assist that brings marking to a completion point takes the phase
     * transition (gcMarkDone) whether or not it is then out of debt.
     */
    private void gcAssistAlloc16(M m, G gp) {
        GcFaults f = c.faults;
        if (gp.isSystem() || f.assistsDisabled || !m.preemptible()) {
            return; // Go: no assist in non-preemptible contexts, which could not block
        }
        GcController ctl = c.controller;
        if (ctl.limiting()) {
            return;
        }
        double ratio = c.assistQueue.assistRatio();
        long debtBytes = -gp.gcAssistBytes + OVER_ASSIST_BYTES;
        long scanWork = (long) (ratio * debtBytes);
        for (;;) { // Go's retry label
            if (ctl.bgScanCredit() > 0) {
                long stolen = ctl.stealBgScanCredit(scanWork);
                if (stolen < scanWork) {
                    gp.gcAssistBytes += 1 + (long) (stolen / ratio);
                } else {
                    gp.gcAssistBytes += debtBytes;
                }
                scanWork -= stolen;
                if (scanWork <= 0) {
                    return;
                }
            }
            if (!c.blackenEnabled) {
                gp.gcAssistBytes = 0; // the cycle is over: ignore the debt
                return;
            }
            long t0 = c.platform.nanotime();
            if (c.sched.trace != null) c.sched.trace.assistStart();
            c.work.startWorking();
            GcWork gcw = (GcWork) m.p().gcw;
            long done = c.mark.gcDrainN16(gcw, gp, scanWork);
            if (c.blackenPromptly) {
                gcw.dispose();
            }
            if (c.sched.trace != null) c.sched.trace.assistDone();
            gp.gcAssistBytes += 1 + (long) (done / ratio);
            gp.gcscanwork += done;
            ctl.addAssistScanWork(done);
            boolean completed = c.work.stopWorking();
            ctl.addAssistTime(c.platform.nanotime() - t0);
            if (completed) {
                completionPoints.incrementAndGet();
                c.driver.complete(CompleterKind.ASSIST);
                if (c.driver.yieldsAfterAssistCompletion()) {
                    yields.incrementAndGet(); // CL 12670, when a coordinator drives Go 1.6's marking (no release)
                    c.sched.gosched();
                    m = Sched.currentM();
                }
            }
            if (gp.gcAssistBytes >= 0) {
                return;
            }
            if (gp.preempt()) {
                c.sched.gosched(); // asked to yield: reschedule, then try some more
                m = Sched.currentM();
                continue;
            }
            if (c.assistQueue.park(gp)) {
                return; // paid by background credit, or the cycle ended
            }
            m = Sched.currentM(); // credit appeared before we parked: steal it
        }
    }
}
