package gort.gc;

import gort.platform.Platform;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The collector's global work state (Go's {@code work} struct, mgcwork.go): lock-free lists of
 * full and empty work buffers, and the worker counts that define termination.
 *
 * <p>Invariants: a grey object is in exactly one buffer, owned by one gcWork or on {@code full};
 * {@code nwait <= nproc}; marking is complete exactly when {@code nwait == nproc} and no buffer
 * holds work: every worker is waiting, and none has anything to give.
 */
final class Work {
    private final AtomicReference<WorkBuf> full = new AtomicReference<>();
    private final AtomicReference<WorkBuf> empty = new AtomicReference<>();
    private final AtomicInteger nfull = new AtomicInteger();
    /** Workers taking part in this mark (Go's work.nproc). */
    volatile int nproc;
    /** Workers waiting for work (Go's work.nwait). */
    final AtomicInteger nwait = new AtomicInteger();
    /** Bytes of objects marked this cycle. */
    final AtomicLong bytesMarked = new AtomicLong();
    /** Words scanned this cycle (Go's scan work). */
    final AtomicLong scanWork = new AtomicLong();
    private final Platform platform;

    Work(Platform platform) {
        this.platform = platform;
    }

    private static WorkBuf pop(AtomicReference<WorkBuf> head) {
        for (;;) {
            WorkBuf b = head.get();
            if (b == null) {
                return null;
            }
            if (head.compareAndSet(b, b.next)) {
                b.next = null;
                return b;
            }
        }
    }

    private static void push(AtomicReference<WorkBuf> head, WorkBuf b) {
        for (;;) {
            WorkBuf h = head.get();
            b.next = h;
            if (head.compareAndSet(h, b)) {
                return;
            }
        }
    }

    WorkBuf getempty() {
        WorkBuf b = pop(empty);
        return b != null ? b : new WorkBuf();
    }

    void putempty(WorkBuf b) {
        b.nobj = 0;
        push(empty, b);
    }

    void putfull(WorkBuf b) {
        nfull.incrementAndGet();
        push(full, b);
    }

    WorkBuf trygetfull() {
        WorkBuf b = pop(full);
        if (b != null) {
            nfull.decrementAndGet();
        }
        return b;
    }

    boolean hasFull() {
        return full.get() != null;
    }

    /**
     * Takes a full buffer, waiting while other workers may still produce one (Go's getfull).
     * Returns null when marking is complete: every worker waits and no buffer holds work.
     */
    WorkBuf getfull() {
        WorkBuf b = trygetfull();
        if (b != null) {
            return b;
        }
        int incnwait = nwait.incrementAndGet();
        if (incnwait > nproc) {
            throw new IllegalStateException("fatal error: work.nwait > work.nproc (" + incnwait + " > " + nproc + ")");
        }
        for (int i = 0; ; i++) {
            if (hasFull()) {
                nwait.decrementAndGet();
                b = trygetfull();
                if (b != null) {
                    return b;
                }
                nwait.incrementAndGet();
            }
            if (nwait.get() == nproc) {
                return null;
            }
            if (i < 10) {
                platform.procyield(20);
            } else if (i < 20) {
                platform.osyield();
            } else {
                platform.usleep(100);
            }
        }
    }

    /** Resets for a new cycle (world stopped). */
    void reset(int nproc) {
        this.nproc = nproc;
        nwait.set(0);
        bytesMarked.set(0);
        scanWork.set(0);
        if (hasFull()) {
            throw new IllegalStateException("fatal error: work.full not empty at the start of a cycle");
        }
    }
}
