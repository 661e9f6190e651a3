package gort.api;

import gort.sched.GoPanic;
import gort.sched.Sched;
import gort.sched.Sema;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's sync.Mutex (Go 1.5, before starvation mode): a state word with a locked bit, a woken bit
 * and a waiter count, plus a semaphore. Lock spins briefly on multicore machines, then sleeps on
 * the semaphore; Unlock wakes one waiter unless one is already awake. Invariant: unlocking an
 * unlocked mutex panics. Not reentrant and not owned by a goroutine, as in Go; owned by the
 * runtime that made it (a goroutine of another panics, naming both runtimes).
 */
public final class Mutex {
    private static final int LOCKED = 1;
    private static final int WOKEN = 2;
    private static final int WAITER_SHIFT = 2;

    private final AtomicInteger state = new AtomicInteger();
    private final Sema sema;
    private final Sched sched;

    public Mutex() {
        this(Sched.current());
    }

    public Mutex(Sched sched) {
        this.sched = sched;
        this.sema = new Sema(sched, 0);
    }

    public void lock() {
        Sched.checkOwner("Mutex", sched);
        if (state.compareAndSet(0, LOCKED)) {
            return;
        }
        boolean awoke = false;
        int iter = 0;
        for (;;) {
            int old = state.get();
            int nw = old | LOCKED;
            if ((old & LOCKED) != 0) {
                if (canSpin(iter)) {
                    // Tell Unlock not to wake others while we spin.
                    if (!awoke && (old & WOKEN) == 0 && (old >>> WAITER_SHIFT) != 0
                            && state.compareAndSet(old, old | WOKEN)) {
                        awoke = true;
                    }
                    sched.platform().procyield(30);
                    iter++;
                    continue;
                }
                nw = old + (1 << WAITER_SHIFT);
            }
            if (awoke) {
                if ((nw & WOKEN) == 0) {
                    throw new GoPanic("sync: inconsistent mutex state");
                }
                nw &= ~WOKEN;
            }
            if (state.compareAndSet(old, nw)) {
                if ((old & LOCKED) == 0) {
                    return;
                }
                sema.acquire();
                awoke = true;
                iter = 0;
            }
        }
    }

    private boolean canSpin(int iter) {
        return sched.canSpin(iter);
    }

    public boolean tryLock() {
        Sched.checkOwner("Mutex", sched);
        return state.compareAndSet(0, LOCKED);
    }

    public void unlock() {
        Sched.checkOwner("Mutex", sched);
        int nw = state.addAndGet(-LOCKED);
        if (((nw + LOCKED) & LOCKED) == 0) {
            throw new GoPanic("sync: unlock of unlocked mutex");
        }
        int old = nw;
        for (;;) {
            // No waiters, or one is already awake or has the lock: nobody to wake.
            if ((old >>> WAITER_SHIFT) == 0 || (old & (LOCKED | WOKEN)) != 0) {
                return;
            }
            nw = (old - (1 << WAITER_SHIFT)) | WOKEN;
            if (state.compareAndSet(old, nw)) {
                sema.release();
                return;
            }
            old = state.get();
        }
    }
}
