package gort.platform;

/**
 * The runtime's mutex, after Go's lock_futex.go: a futex word that is unlocked (0), locked (1) or
 * locked with sleepers (2). Acquire spins actively, then yields, then sleeps on the futex.
 *
 * <p>Not owned by a thread: it may be released on a different stack than it was taken on (a
 * goroutine parks holding a channel lock and its M releases it), exactly as in Go. It is not a
 * Java monitor, so holding it never pins a continuation. Invariant: unlocking an unlocked mutex
 * is a fatal error.
 */
public final class RuntimeMutex extends Futex {
    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    private static final int SLEEPING = 2;
    private static final int ACTIVE_SPIN = 4;
    private static final int ACTIVE_SPIN_CNT = 30;
    private static final int PASSIVE_SPIN = 1;

    private final Platform platform;
    private final boolean schedulingPoint;

    public RuntimeMutex(Platform platform) {
        this(platform, true);
    }

    /**
     * A mutex whose {@link #lock} is a scheduling point ({@link Platform#choicepoint}) only if
     * {@code schedulingPoint}: false for a lock that must not add a decision on a simulated
     * platform (the tracer's: tracing must not move the schedule). On such a platform an
     * uncontended lock then makes no platform call at all.
     */
    public RuntimeMutex(Platform platform, boolean schedulingPoint) {
        this.platform = platform;
        this.schedulingPoint = schedulingPoint;
    }

    public void lock() {
        if (schedulingPoint) {
            platform.choicepoint(); // a decision point on a simulated platform; nothing on the real one
        }
        int v = xchg(LOCKED);
        if (v == UNLOCKED) {
            return;
        }
        lockSlow(v);
    }

    private void lockSlow(int v) {
        int wait = v;
        int spin = platform.ncpu() > 1 ? ACTIVE_SPIN : 0;
        for (;;) {
            for (int i = 0; i < spin; i++) {
                while (load() == UNLOCKED) {
                    if (cas(UNLOCKED, wait)) {
                        return;
                    }
                }
                platform.procyield(ACTIVE_SPIN_CNT);
            }
            for (int i = 0; i < PASSIVE_SPIN; i++) {
                while (load() == UNLOCKED) {
                    if (cas(UNLOCKED, wait)) {
                        return;
                    }
                }
                platform.osyield();
            }
            v = xchg(SLEEPING);
            if (v == UNLOCKED) {
                return;
            }
            wait = SLEEPING;
            platform.futexsleep(this, SLEEPING, -1);
        }
    }

    public void unlock() {
        int v = xchg(UNLOCKED);
        if (v == UNLOCKED) {
            throw new IllegalStateException("fatal error: unlock of unlocked lock");
        }
        if (v == SLEEPING) {
            platform.futexwakeup(this, 1);
        }
    }

    /** True when some thread holds the mutex (diagnostics and assertions only). */
    public boolean isLocked() {
        return load() != UNLOCKED;
    }
}
