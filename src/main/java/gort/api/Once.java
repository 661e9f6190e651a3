package gort.api;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's sync.Once (Go 1.5): {@link #run} calls f the first time it is called on this Once; every
 * call returns only after that first call of f has returned. A fast path reads the done flag; the
 * slow path serializes on a {@link Mutex}, so a second caller waits (parked) while f runs. Owns the
 * flag and the mutex. Invariant: done is set only after f returned (or panicked, as Go's deferred
 * store does), so f runs at most once.
 */
public final class Once {
    private final AtomicInteger done = new AtomicInteger();
    private final Mutex m = new Mutex();

    /** Go's Once.Do. */
    public void run(Runnable f) {
        if (done.get() == 1) {
            return;
        }
        m.lock();
        try {
            if (done.get() == 0) {
                try {
                    f.run();
                } finally {
                    done.set(1);
                }
            }
        } finally {
            m.unlock();
        }
    }
}
