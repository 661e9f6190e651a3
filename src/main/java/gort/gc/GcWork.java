package gort.gc;

/**
 * A worker's cache of grey objects (Go's gcWork): one work buffer it fills and drains without
 * synchronization, exchanging whole buffers with the global lists. Owns: that buffer and its
 * local counts. Invariant: only its owner touches it; {@link #dispose} hands everything back.
 * A P's cache (concurrent marking) is owned by whatever runs on that P: its background worker, an
 * assist, or the write barrier of the running goroutine; or, while the P runs no goroutine, by
 * whoever runs its forEachP function (the P's own M in the scheduler, the forEachP caller for an
 * idle or syscall P, or handoffp called by sysmon's retake) and by mark termination.
 */
final class GcWork {
    private final Work work;
    private WorkBuf wbuf;
    long bytesMarked;
    long scanWork;

    GcWork(Work work) {
        this.work = work;
    }

    /** The slot entry of the object the last get/tryGet returned. */
    long info;

    /** Queues a grey object with its slot entry. */
    void put(long obj, long objInfo) {
        WorkBuf b = wbuf;
        if (b == null) {
            b = wbuf = work.getempty();
        } else if (b.isFull()) {
            work.putfull(b);
            b = wbuf = work.getempty();
        }
        int n = b.nobj++;
        b.obj[n] = obj;
        b.info[n] = objInfo;
    }

    /** Takes a grey object, waiting for other workers' buffers; 0 when marking is complete. */
    long get() {
        WorkBuf b = wbuf;
        if (b == null || b.isEmpty()) {
            if (b != null) {
                work.putempty(b);
            }
            b = wbuf = work.getfull();
            if (b == null) {
                return 0;
            }
        }
        int n = --b.nobj;
        info = b.info[n];
        return b.obj[n];
    }

    /** Takes a grey object without waiting (Go's tryGet); 0 if neither this cache nor the full list has one. */
    long tryGet() {
        WorkBuf b = wbuf;
        if (b == null || b.isEmpty()) {
            WorkBuf f = work.trygetfull();
            if (f == null) {
                return 0;
            }
            if (b != null) {
                work.putempty(b);
            }
            b = wbuf = f;
        }
        int n = --b.nobj;
        info = b.info[n];
        return b.obj[n];
    }

    /** True if this cache holds no grey object. */
    boolean isEmpty() {
        return wbuf == null || wbuf.isEmpty();
    }

    /** Gives the buffer back (full ones to the full list) and flushes the counts. */
    void dispose() {
        WorkBuf b = wbuf;
        if (b != null) {
            if (b.isEmpty()) {
                work.putempty(b);
            } else {
                work.putfull(b);
            }
            wbuf = null;
        }
        if (bytesMarked != 0) {
            work.bytesMarked.addAndGet(bytesMarked);
            bytesMarked = 0;
        }
        if (scanWork != 0) {
            work.scanWork.addAndGet(scanWork);
            scanWork = 0;
        }
    }

    /**
     * Moves half of the local buffer to the global list when it holds more than a few objects
     * (Go's gcWork.balance), so that idle workers get work even when this one's buffer never fills
     * (a depth-first walk of a tree keeps only about its depth in the buffer).
     */
    void balance() {
        WorkBuf b = wbuf;
        if (b == null || b.nobj <= 4) {
            return;
        }
        WorkBuf b1 = work.getempty();
        int n = b.nobj / 2;
        System.arraycopy(b.obj, b.nobj - n, b1.obj, 0, n);
        System.arraycopy(b.info, b.nobj - n, b1.info, 0, n);
        b.nobj -= n;
        b1.nobj = n;
        work.putfull(b);
        wbuf = b1;
    }
}
