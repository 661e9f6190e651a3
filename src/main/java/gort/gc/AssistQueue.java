package gort.gc;

import gort.platform.RuntimeMutex;
import gort.sched.G;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Go 1.6's assist queue (work.assistQueue, gcFlushBgCredit, gcWakeAllAssists), under the go16
 * marking: assists that could neither steal enough background credit nor find enough work park
 * here; background workers' scan credit pays them off in order before any is left for the
 * global pool; the end of marking wakes every one still parked.
 *
 * <p>Owns the queue and its lock. Invariants: a goroutine is on the queue only while it is parked
 * on it (or about to be, holding the lock); it is queued only while blackening is enabled, checked
 * under the lock, so once the cycle has cleared blackening and {@link #wakeAll} has run, nobody is
 * left parked; a queued goroutine's {@code gcAssistBytes} is negative (it is in debt) and only
 * whoever holds the lock changes it. Simplified from Go: the queue is a deque, not a list linked
 * through the goroutines.
 */
final class AssistQueue {
    private final Collector c;
    private final RuntimeMutex lock;
    private final ArrayDeque<G> queue = new ArrayDeque<>();
    /** Whether the queue may be non-empty: the flush's lock-free fast path reads it (Go reads the head racily). */
    private volatile boolean nonEmpty;
    /** Assists that parked, and that background credit readied (for tests and the records). */
    final java.util.concurrent.atomic.AtomicLong parks = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong paidByCredit = new java.util.concurrent.atomic.AtomicLong();

    AssistQueue(Collector c) {
        this.c = c;
        this.lock = c.sched.newMutex();
    }

    /**
     * The assist gp parks until background credit pays its debt or marking ends (the end of Go 1.6's
     * gcAssistAlloc). Returns false, without parking, if background credit appeared meanwhile (the
     * caller tries to steal again); true once it was woken, or if marking is already over.
     */
    boolean park(G gp) {
        lock.lock();
        if (!c.blackenEnabled) {
            lock.unlock();
            return true; // the cycle is over (the likely case if this assist completed marking)
        }
        queue.addLast(gp);
        nonEmpty = true;
        if (c.controller.bgScanCredit() > 0) {
            // credit was flushed since the caller looked: back out and steal it
            queue.removeLast();
            nonEmpty = !queue.isEmpty();
            lock.unlock();
            return false;
        }
        parks.incrementAndGet();
        c.sched.goparkunlock(lock, "GC assist wait");
        return true;
    }

    /**
     * Background scan work {@code scanWork} pays queued assists first, in order, and what is left
     * goes to the global credit (Go 1.6's gcFlushBgCredit). An assist paid in full is readied; one
     * paid in part moves to the back, so a large debt cannot hold up small ones.
     */
    void flush(long scanWork) {
        GcController ctl = c.controller;
        if (!nonEmpty) {
            // no parked assist: an assist that parks now is paid by a later flush
            ctl.addBgScanCredit(scanWork);
            return;
        }
        double ratio = assistRatio();
        long scanBytes = (long) (scanWork / ratio);
        List<G> paid = new ArrayList<>();
        lock.lock();
        while (!queue.isEmpty() && scanBytes > 0) {
            G gp = queue.peekFirst();
            if (scanBytes + gp.gcAssistBytes >= 0) {
                scanBytes += gp.gcAssistBytes;
                gp.gcAssistBytes = 0;
                queue.removeFirst();
                paid.add(gp);
            } else {
                gp.gcAssistBytes += scanBytes;
                scanBytes = 0;
                if (queue.size() > 1) {
                    queue.addLast(queue.removeFirst());
                }
            }
        }
        nonEmpty = !queue.isEmpty();
        if (!c.faults.assistReadyLost) { // (the planted bug loses the ready)
            for (G gp : paid) { // readied holding the lock, as Go's
                c.sched.ready(gp);
            }
        }
        paidByCredit.addAndGet(paid.size());
        long left = scanBytes > 0 ? (long) (scanBytes * ratio) : 0;
        if (left > 0) {
            ctl.addBgScanCredit(left);
        }
        ctl.countBgScanWork(scanWork - left); // what paid assists is still work done, for the controller's estimates
        lock.unlock();
    }

    /** Wakes every parked assist (Go 1.6's gcWakeAllAssists); blackening is already off. */
    void wakeAll() {
        lock.lock();
        List<G> all = new ArrayList<>(queue);
        queue.clear();
        nonEmpty = false;
        lock.unlock();
        c.sched.injectglist(all);
    }

    /** The queued assists, first to be paid first (for tests). */
    List<G> queuedInOrder() {
        lock.lock();
        try {
            return List.copyOf(queue);
        } finally {
            lock.unlock();
        }
    }

    /** Whether gp is parked on the queue (for tests). */
    boolean queued(G gp) {
        lock.lock();
        try {
            return queue.contains(gp);
        } finally {
            lock.unlock();
        }
    }

    /** The assist ratio the queue converts with: scan work per byte, never 0 (see {@link Assists}). */
    double assistRatio() {
        return Math.max(Math.max(c.controller.assistRatio(), c.faults.minAssistRatio), Assists.MIN_RATIO);
    }
}
