package gort.sched;

import gort.platform.Futex;
import gort.platform.Platform;

/**
 * A one-shot wakeup for one sleeper (Go's note, lock_futex.go): key 0 = not signalled,
 * 1 = signalled, 2 = abandoned (the runtime ended: {@link #abandon}, not Go's). Invariants: at most
 * one thread sleeps on a note; {@link #wakeup} happens at most once between {@link #clear}s (a
 * double wakeup is fatal, as in Go), except on an abandoned note, where it does nothing. The sleep that also hands the
 * P away, {@code notetsleepg}, lives in {@link Sched} because it needs the scheduler.
 */
public final class Note extends Futex {
    private final Platform platform;

    public Note(Platform platform) {
        this.platform = platform;
    }

    public void clear() {
        store(0);
    }

    private static final int ABANDONED = 2;

    public void wakeup() {
        if (cas(0, 1)) {
            platform.futexwakeup(this, 1);
            return;
        }
        int old = load();
        if (old != ABANDONED) {
            throw new IllegalStateException("fatal error: notewakeup - double wakeup (" + old + ")");
        }
    }

    /**
     * Wakes the sleeper, if any, because the runtime is ending: a sleep on this note returns (as if
     * woken) until the next {@link #clear}, and a later {@link #wakeup} is no double wakeup.
     * Idempotent; safe to race with {@link #wakeup}.
     */
    public void abandon() {
        if (cas(0, ABANDONED)) {
            platform.futexwakeup(this, 1);
        }
    }

    public boolean isSet() {
        return load() != 0;
    }

    /** Blocks the calling thread (and any G mounted on it) until woken. */
    public void sleep() {
        while (load() == 0) {
            platform.futexsleep(this, 0, -1);
        }
    }

    /** Blocks up to ns (forever if negative); true if woken. Go's notetsleep_internal. */
    public boolean tsleep(long ns) {
        if (ns < 0) {
            sleep();
            return true;
        }
        if (load() != 0) {
            return true;
        }
        long deadline = platform.nanotime() + ns;
        for (;;) {
            platform.futexsleep(this, 0, ns);
            if (load() != 0) {
                return true;
            }
            long now = platform.nanotime();
            if (now >= deadline) {
                return load() != 0;
            }
            ns = deadline - now;
        }
    }
}
