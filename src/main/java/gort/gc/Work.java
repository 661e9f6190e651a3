package gort.gc;

import gort.platform.Platform;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicStampedReference;

/**
 * The collector's global work state (Go's {@code work} struct, mgcwork.go): lock-free lists of
 * full and empty work buffers, and the worker counts that define termination.
 *
 * <p>Invariants: a grey object is in exactly one buffer, owned by one gcWork or on {@code full};
 * {@code nwait <= nproc}; marking is complete exactly when {@code nwait == nproc} and no buffer
 * holds work: every worker is waiting, and none has anything to give.
 *
 * <p>Two regimes, as Go 1.5: with the world stopped, {@code nproc} is the number of marking Ms
 * and {@code nwait} counts those waiting in {@link #getfull}; during concurrent marking the number
 * of workers is unknown (background workers and assists come and go), so both start at
 * {@link #CONCURRENT} ("almost all workers waiting"), a worker decrements {@code nwait} while it
 * works and increments it when it stops, and {@code nwait == nproc} means nobody is working. In
 * that regime a completion point can be transient (a write barrier may grey an object into a P's
 * cache right after); mark 2 and mark termination clean it up.
 */
final class Work {
    private final AtomicStampedReference<WorkBuf> full = new AtomicStampedReference<>(null, 0);
    private final AtomicStampedReference<WorkBuf> empty = new AtomicStampedReference<>(null, 0);
    private final AtomicInteger nfull = new AtomicInteger();
    /** Workers taking part in this mark (Go's work.nproc). */
    volatile int nproc;
    /** Workers waiting for work (Go's work.nwait). */
    final AtomicInteger nwait = new AtomicInteger();
    /**
     * The root jobs (Go 1.6's work.markrootNext and work.markrootJobs, go16 marking): jobs below
     * {@code markrootJobs} not yet claimed start at {@code markrootNext}. A job claimed is done by
     * the worker that claimed it while that worker counts as working, so "every job claimed and
     * nobody working" means every job done. Both stay 0 under go15 marking, whose cycle goroutine
     * scans the roots itself.
     */
    final AtomicInteger markrootNext = new AtomicInteger();
    volatile int markrootJobs;
    /** Root jobs of the current handing out that have run to their end (Go's gcMarkRootCheck reads the like). */
    final AtomicInteger markrootDone = new AtomicInteger();
    /** Bytes of objects marked this cycle. */
    final AtomicLong bytesMarked = new AtomicLong();
    /** Words scanned this cycle (Go's scan work). */
    final AtomicLong scanWork = new AtomicLong();
    private final Platform platform;
    /** True once the runtime is dying: a marker waiting for work gives up instead of spinning on. */
    private final java.util.function.BooleanSupplier dying;

    Work(Platform platform, java.util.function.BooleanSupplier dying) {
        this.platform = platform;
        this.dying = dying;
    }

    /**
     * Pops a buffer. The heads carry a version stamp bumped by every push and pop (Go's lfstack
     * packs a count beside the pointer for the same reason): buffers are reused, so a plain CAS
     * could succeed on a head that was popped and pushed back meanwhile (ABA) and drop the
     * buffers below it — grey objects that would never be scanned.
     */
    private static WorkBuf pop(AtomicStampedReference<WorkBuf> head) {
        int[] stamp = new int[1];
        for (;;) {
            WorkBuf b = head.get(stamp);
            if (b == null) {
                return null;
            }
            if (head.compareAndSet(b, b.next, stamp[0], stamp[0] + 1)) {
                b.next = null;
                return b;
            }
        }
    }

    private static void push(AtomicStampedReference<WorkBuf> head, WorkBuf b) {
        int[] stamp = new int[1];
        for (;;) {
            WorkBuf h = head.get(stamp);
            b.next = h;
            if (head.compareAndSet(h, b, stamp[0], stamp[0] + 1)) {
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

    /** Grey objects in the buffers on the full list. World stopped (nobody pushes or pops). */
    long fullObjects() {
        long n = 0;
        for (WorkBuf b = full.getReference(); b != null; b = b.next) {
            n += b.nobj;
        }
        return n;
    }

    boolean hasFull() {
        return full.getReference() != null;
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
                if (dying.getAsBoolean()) {
                    return null; // another marker died (fatal error): the runtime is exiting
                }
                platform.usleep(100);
            }
        }
    }

    /** nproc and nwait during concurrent marking (Go's ^uint32(0)). */
    static final int CONCURRENT = Integer.MAX_VALUE;

    /** Prepares concurrent marking (gcBgMarkPrepare): nobody works yet. World stopped. */
    void prepareConcurrent() {
        nproc = CONCURRENT;
        nwait.set(CONCURRENT);
    }

    /** A worker starts working (Go's xadd(&work.nwait, -1) with its check). */
    void startWorking() {
        int dec = nwait.decrementAndGet();
        if (dec == nproc) {
            throw new IllegalStateException("fatal error: work.nwait was > work.nproc");
        }
    }

    /**
     * A worker stops working; true if it was the last one and no buffer on the global list holds
     * work: a mark completion point.
     */
    boolean stopWorking() {
        int inc = nwait.incrementAndGet();
        if (inc > nproc || inc < 0) {
            throw new IllegalStateException("fatal error: work.nwait > work.nproc (" + inc + " > " + nproc + ")");
        }
        return inc == nproc && !hasFull() && !rootJobsLeft();
    }

    /** True when nobody works and no global buffer or root job holds work. */
    boolean atCompletionPoint() {
        return nwait.get() == nproc && !hasFull() && !rootJobsLeft();
    }

    /** Whether a root job is still unclaimed (Go 1.6's markrootNext < markrootJobs). */
    boolean rootJobsLeft() {
        return markrootNext.get() < markrootJobs;
    }

    /**
     * Hands out root jobs 0..jobs-1 (Go 1.6's gcMarkRootPrepare and the mark-2 rescan): the count
     * is lowered before the cursor is reset, so a worker racing with this never claims a job of the
     * old numbering past the new count.
     */
    void setRootJobs(int jobs) {
        markrootJobs = 0;
        markrootNext.set(0);
        markrootDone.set(0);
        markrootJobs = jobs;
    }

    /**
     * Go's gcMarkRootCheck, where a phase of marking is declared complete: every root job handed
     * out has run to its end (a stack scan not finished is a root that completion missed: "scan
     * missed a g", the failure golang/go #16083 reports). Sound only while whoever runs markroot
     * counts as working (startWorking) until after its job is counted in markrootDone: every way
     * to declare completion needs nobody working and no job unclaimed. Today only background
     * workers run root jobs; an assist that ran them would have to keep this.
     */
    void checkRootJobsDone(String phase) {
        int jobs = markrootJobs;
        int done = markrootDone.get();
        if (done < jobs) {
            throw new IllegalStateException("fatal error: scan missed a g: " + phase + " declared complete with " + done + " of " + jobs
                    + " root jobs done");
        }
    }

    /** Claims the next root job; -1 when none is left. */
    int claimRootJob() {
        if (!rootJobsLeft()) {
            return -1;
        }
        int job = markrootNext.getAndIncrement();
        return job < markrootJobs ? job : -1;
    }

    /**
     * Switches to stop-the-world marking by {@code nproc} Ms at mark termination: buffers left by
     * concurrent marking stay on the full list for them.
     */
    void resetForTermination(int nproc) {
        this.nproc = nproc;
        nwait.set(0);
    }

    /** Clears the cycle's counters (sweep termination, world stopped). */
    void resetCounters() {
        bytesMarked.set(0);
        scanWork.set(0);
    }
}
