package gort.api;

import gort.sched.Sched;
import gort.sched.Sema;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's sync.Cond (Go 1.5's cond.go): goroutines wait for a condition under a {@link Mutex} (or an
 * {@link RWMutex}'s write lock); {@link #signal} wakes one waiter, {@link #broadcast} all. A waiter
 * is counted before it unlocks, so a signal between its unlock and its sleep is not lost.
 *
 * <p>Owns the waiter count and the semaphore waiters sleep on. Simplified from Go 1.5, which pairs
 * each signal with a waiter in FIFO order through its ticket semaphore (syncsemacquire): here a
 * counting {@link Sema} with a FIFO of sleepers, so a goroutine that starts waiting just after a
 * signal may take that signal before an older waiter that had not yet gone to sleep. No signal is
 * lost and none wakes more waiters than were counted.
 */
public final class Cond {
    /** The lock Wait releases and takes back (Go's Cond.L). */
    public interface Locker {
        void lock();

        void unlock();
    }

    private final Locker l;
    private final Sema sema;
    private final AtomicInteger waiters = new AtomicInteger();

    public Cond(Locker l) {
        this.l = l;
        this.sema = new Sema(Sched.current(), 0);
    }

    /** A Cond on a Mutex. */
    public Cond(Mutex m) {
        this(new Locker() {
            @Override
            public void lock() {
                m.lock();
            }

            @Override
            public void unlock() {
                m.unlock();
            }
        });
    }

    /** Unlocks L, waits for a signal, locks L again (the caller holds L). */
    public void await() {
        waiters.incrementAndGet();
        l.unlock();
        sema.acquire();
        l.lock();
    }

    public void signal() {
        release(false);
    }

    public void broadcast() {
        release(true);
    }

    private void release(boolean all) {
        for (;;) {
            int old = waiters.get();
            if (old == 0) {
                return;
            }
            int nw = all ? 0 : old - 1;
            if (waiters.compareAndSet(old, nw)) {
                for (int i = 0; i < old - nw; i++) {
                    sema.release();
                }
                return;
            }
        }
    }
}
