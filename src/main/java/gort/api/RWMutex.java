package gort.api;

import gort.sched.GoPanic;
import gort.sched.Sched;
import gort.sched.Sema;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's sync.RWMutex (Go 1.5's rwmutex.go): any number of readers or one writer. A writer takes the
 * writers' {@link Mutex}, then announces itself by making the reader count negative (subtracting
 * {@value #MAX_READERS}) and waits on its semaphore for the readers already inside; readers that
 * arrive after that wait on the readers' semaphore until the writer unlocks. Owns the counts and
 * the two semaphores. Invariants: readerCount is the number of readers inside (minus MAX_READERS
 * while a writer is pending or inside); readerWait counts the readers the pending writer still
 * waits for; RUnlock of an unlocked RWMutex and Unlock of one not write-locked panic as in Go.
 */
public final class RWMutex {
    static final int MAX_READERS = 1 << 30;

    private final Mutex w = new Mutex();
    private final Sema writerSem;
    private final Sema readerSem;
    private final AtomicInteger readerCount = new AtomicInteger();
    private final AtomicInteger readerWait = new AtomicInteger();

    public RWMutex() {
        Sched s = Sched.current();
        writerSem = new Sema(s, 0);
        readerSem = new Sema(s, 0);
    }

    public void rlock() {
        if (readerCount.incrementAndGet() < 0) {
            readerSem.acquire(); // a writer is pending: wait for it
        }
    }

    public void runlock() {
        int r = readerCount.decrementAndGet();
        if (r < 0) {
            if (r + 1 == 0 || r + 1 == -MAX_READERS) {
                throw new GoPanic("sync: RUnlock of unlocked RWMutex");
            }
            if (readerWait.decrementAndGet() == 0) {
                writerSem.release(); // the last reader the writer waited for
            }
        }
    }

    public void lock() {
        w.lock();
        int r = readerCount.addAndGet(-MAX_READERS) + MAX_READERS;
        if (r != 0 && readerWait.addAndGet(r) != 0) {
            writerSem.acquire();
        }
    }

    public void unlock() {
        int r = readerCount.addAndGet(MAX_READERS);
        if (r >= MAX_READERS) {
            throw new GoPanic("sync: Unlock of unlocked RWMutex");
        }
        for (int i = 0; i < r; i++) {
            readerSem.release();
        }
        w.unlock();
    }
}
