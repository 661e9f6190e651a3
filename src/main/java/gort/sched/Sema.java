package gort.sched;

import gort.platform.RuntimeMutex;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counting semaphore for goroutines (Go's sema.go: semacquire/semrelease), the base of
 * WaitGroup, Mutex and the world semaphore.
 *
 * <p>Owns: the count, its waiters and their lock. Invariants: {@code nwait} counts goroutines that
 * are or are about to be queued; a release that sees {@code nwait == 0} need not take the lock.
 * Simplification: Go hashes semaphore addresses into a shared table of treaps; here each semaphore
 * owns its own FIFO, which has the same wakeup order (first waiter first, with barging).
 */
public final class Sema {
    private final Sched sched;
    private final AtomicInteger count;
    private final AtomicInteger nwait = new AtomicInteger();
    private final RuntimeMutex lock;
    private final Sudog.WaitQ waiters = new Sudog.WaitQ();

    public Sema(Sched sched, int initial) {
        this.sched = sched;
        this.count = new AtomicInteger(initial);
        this.lock = new RuntimeMutex(sched.platform);
    }

    private boolean cansemacquire() {
        for (;;) {
            int v = count.get();
            if (v == 0) {
                return false;
            }
            if (count.compareAndSet(v, v - 1)) {
                return true;
            }
        }
    }

    /** Waits until the count is positive, then decrements it. Called on a goroutine. */
    public void acquire() {
        if (cansemacquire()) {
            return;
        }
        M m = Sched.currentM();
        if (m.sched != sched) {
            throw Sched.foreignUse("semaphore", sched, m.sched);
        }
        G gp = m.curg;
        Sudog s = gp.sudog;
        for (;;) {
            lock.lock();
            nwait.incrementAndGet();
            if (cansemacquire()) {
                nwait.decrementAndGet();
                lock.unlock();
                return;
            }
            s.key = this;
            s.elem = null;
            gp.waiting = s;
            waiters.enqueue(s);
            sched.goparkunlock(m, lock, "semacquire");
            gp.waiting = null;
            m = Sched.currentM();
            if (cansemacquire()) {
                return;
            }
        }
    }

    /** Increments the count and readies the first waiter, if any. Called on a goroutine. */
    public void release() {
        Sched.checkOwner("semaphore", sched);
        count.incrementAndGet();
        if (nwait.get() == 0) {
            return;
        }
        lock.lock();
        if (nwait.get() == 0) {
            lock.unlock();
            return;
        }
        Sudog s = waiters.dequeue();
        if (s != null) {
            nwait.decrementAndGet();
        }
        lock.unlock();
        if (s != null) {
            sched.ready(s.g);
        }
    }

    public int count() {
        return count.get();
    }
}
