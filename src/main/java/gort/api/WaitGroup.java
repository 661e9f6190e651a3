package gort.api;

import gort.sched.GoPanic;
import gort.sched.Sched;
import gort.sched.Sema;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Go's sync.WaitGroup (Go 1.5): a counter in the high 32 bits and a waiter count in the low 32
 * bits of one word, and a semaphore the waiters sleep on. Invariants: the counter never goes
 * negative (a panic); when it returns to zero every waiter is released and the word is reset;
 * only goroutines of the runtime that made it use it (any other panics, naming both runtimes).
 */
public final class WaitGroup {
    private final AtomicLong state = new AtomicLong();
    private final Sema sema;
    private final Sched sched;

    /** Creates a WaitGroup of the calling goroutine's runtime. */
    public WaitGroup() {
        this(Sched.current());
    }

    public WaitGroup(Sched sched) {
        this.sched = sched;
        this.sema = new Sema(sched, 0);
    }

    public void add(int delta) {
        Sched.checkOwner("WaitGroup", sched);
        long s = state.addAndGet((long) delta << 32);
        int v = (int) (s >> 32);
        int w = (int) s;
        if (v < 0) {
            throw new GoPanic("sync: negative WaitGroup counter");
        }
        if (w != 0 && delta > 0 && v == delta) {
            throw new GoPanic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        if (v > 0 || w == 0) {
            return;
        }
        // This goroutine set the counter to 0 while there are waiters: release them all.
        state.set(0);
        for (; w != 0; w--) {
            sema.release();
        }
    }

    public void done() {
        add(-1);
    }

    public void await() {
        Sched.checkOwner("WaitGroup", sched);
        for (;;) {
            long s = state.get();
            int v = (int) (s >> 32);
            if (v == 0) {
                return;
            }
            if (state.compareAndSet(s, s + 1)) {
                sema.acquire();
                if (state.get() != 0) {
                    throw new GoPanic("sync: WaitGroup is reused before previous Wait has returned");
                }
                return;
            }
        }
    }
}
