package gort.gc;

import gort.platform.Platform;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Go 1.19's GC CPU limiter (mgclimit.go's gcCPULimiterState): a leaky bucket of CPU time that
 * fills by GC time and drains by mutator time, of GOMAXPROCS × 1 s; while it is full the
 * limiter is on and assists are skipped. GC time is the background workers' share (25%) of every
 * window the GC is on, plus assist time; idle-mark time is taken out of the window.
 *
 * <p>Owns the bucket, the pools of time not yet accounted, and the last update's time.
 * Invariants: {@code 0 <= fill <= capacity}; enabled exactly while {@code fill == capacity}
 * after an update that filled it; the state changes only under its try-lock (an update that
 * finds it taken skips, as Go's); a GC transition is a start/finish pair.
 */
final class GcCpuLimiter {
    /** Go's gcCPULimiterUpdatePeriod. */
    static final long UPDATE_PERIOD = 10_000_000;
    /** Go's capacityPerProc: one second of CPU per P. */
    static final long CAPACITY_PER_PROC = 1_000_000_000;
    private static final long NEVER = Long.MIN_VALUE;

    /** The share of every window the GC is on that counts as background workers' time. */
    private final double backgroundUtilization;
    /** Where a transition that finds an update in flight spins (a choice point on a simulated platform). */
    private final Platform platform;
    private final AtomicBoolean lock = new AtomicBoolean();
    private volatile boolean enabled;
    private long fill;
    private long capacity;
    private long overflow;
    private boolean gcEnabled;
    private boolean transitioning;
    private final AtomicLong assistTimePool = new AtomicLong();
    private final AtomicLong idleTimePool = new AtomicLong();
    private volatile long lastUpdate = NEVER;
    volatile int nprocs;
    /** How many times the limiter turned on (Go's lastEnabledCycle, as a count). */
    private volatile long timesEnabled;

    /**
     * @param backgroundUtilization the background workers' share of GOMAXPROCS (Go's 0.25)
     * @param platform the runtime's platform, through which a transition spins
     */
    GcCpuLimiter(double backgroundUtilization, Platform platform) {
        this.backgroundUtilization = backgroundUtilization;
        this.platform = platform;
    }

    boolean limiting() {
        return enabled;
    }

    boolean needUpdate(long now) {
        long last = lastUpdate;
        return last == NEVER || now - last > UPDATE_PERIOD;
    }

    void addAssistTime(long ns) {
        assistTimePool.addAndGet(ns);
    }

    void addIdleTime(long ns) {
        idleTimePool.addAndGet(ns);
    }

    /** Accounts the time since the last update, unless someone else holds the limiter (Go's update). */
    void update(long now) {
        if (!lock.compareAndSet(false, true)) {
            return;
        }
        try {
            if (transitioning) {
                throw new IllegalStateException("fatal error: update during transition");
            }
            updateLocked(now);
        } finally {
            lock.set(false);
        }
    }

    private void lockForTransition() {
        while (!lock.compareAndSet(false, true)) {
            platform.procyield(1); // an update in flight; it is short
        }
    }

    /** The GC turns on or off at now (Go's startGCTransition): everything so far is accounted first. */
    void startGcTransition(boolean enableGc, long now) {
        lockForTransition();
        if (gcEnabled == enableGc) {
            lock.set(false);
            throw new IllegalStateException("fatal error: transitioning GC to the same state as before");
        }
        updateLocked(now);
        gcEnabled = enableGc;
        transitioning = true;
    }

    /** The transition is over (Go's finishGCTransition): the time it took counts as GC time on every P. */
    void finishGcTransition(long now) {
        if (!transitioning) {
            throw new IllegalStateException("fatal error: finishGCTransition without a start");
        }
        long last = lastUpdate;
        if (last != NEVER && now >= last) {
            accumulate(0, (now - last) * nprocs);
        }
        lastUpdate = now;
        transitioning = false;
        lock.set(false);
    }

    /** GOMAXPROCS is n from now on (Go's resetCapacity): the bucket holds n seconds. */
    void resetCapacity(long now, int n) {
        lockForTransition();
        try {
            updateLocked(now);
            nprocs = n;
            capacity = n * CAPACITY_PER_PROC;
            if (fill > capacity) {
                fill = capacity;
                enable();
            } else if (fill < capacity) {
                enabled = false;
            }
        } finally {
            lock.set(false);
        }
    }

    private void updateLocked(long now) {
        long last = lastUpdate;
        if (last == NEVER) {
            lastUpdate = now; // the first update opens the first window
            assistTimePool.set(0);
            idleTimePool.set(0);
            return;
        }
        if (now < last) {
            return;
        }
        long windowTotal = (now - last) * nprocs;
        lastUpdate = now;
        long assist = assistTimePool.getAndSet(0);
        long idle = idleTimePool.getAndSet(0);
        long gcTime = assist;
        if (gcEnabled) {
            gcTime += (long) (windowTotal * backgroundUtilization);
        }
        windowTotal -= idle;
        accumulate(windowTotal - gcTime, gcTime);
    }

    /** Fills the bucket by GC time and drains it by mutator time (Go's accumulate). */
    private void accumulate(long mutatorTime, long gcTime) {
        long headroom = capacity - fill;
        boolean wasEnabled = headroom == 0;
        long change = gcTime - mutatorTime;
        if (change > 0 && headroom <= change) {
            overflow += change - headroom;
            fill = capacity;
            if (!wasEnabled) {
                enable();
            }
            return;
        }
        fill = change < 0 && fill <= -change ? 0 : fill + change;
        if (change != 0 && wasEnabled) {
            enabled = false;
        }
    }

    private void enable() {
        enabled = true;
        timesEnabled++;
    }

    long fill() {
        return fill;
    }

    long capacity() {
        return capacity;
    }

    long overflow() {
        return overflow;
    }

    long timesEnabled() {
        return timesEnabled;
    }
}
