package gort.platform;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The host threads that run a {@link SimPlatform}'s threads as continuations, kept between
 * simulations: a driver serves one platform from its first newosproc until its last continuation
 * has ended, then waits in an idle pool for the next platform, and ends after
 * {@link #KEEP_ALIVE_NS} of host time unused. An explorer that runs one short simulation after
 * another thus starts no host thread per simulation (starting and ending one, stack unmapping
 * included, costs more than the rest of a small simulation's set-up).
 *
 * <p>Owns: the idle pool and each driver's current platform. Invariants: a driver is in the pool
 * exactly when it serves no platform; its {@link OsThread#platform} names the platform it serves
 * (so that {@link OsThread#currentOwner()} asks that platform), written before the platform's
 * work is handed over and read only by the driver itself; the pool is guarded by its own monitor,
 * never held across a platform call.
 */
final class SimDriver implements Runnable {
    /** How long an idle driver waits for another platform before it ends. */
    static final long KEEP_ALIVE_NS = TimeUnit.SECONDS.toNanos(5);

    private static final ArrayDeque<SimDriver> idle = new ArrayDeque<>();
    private static int started;

    final OsThread thread;
    /** The platform to serve next, or null while idle; handed over by {@link #serve}. */
    private volatile SimPlatform job;

    private SimDriver() {
        thread = new OsThread(null, "gort-sim-driver-" + nextNumber(), null, this);
    }

    private static synchronized int nextNumber() {
        return started++;
    }

    /**
     * A driver for platform p, idle or new, told to serve it: its thread runs
     * {@link SimPlatform#drive} and is p's until that returns. The caller publishes the thread as
     * p's driver before it can be chosen (the driver parks until a continuation holds the baton).
     */
    static OsThread serve(SimPlatform p) {
        SimDriver d;
        synchronized (idle) {
            d = idle.pollFirst();
        }
        boolean fresh = d == null;
        if (fresh) {
            d = new SimDriver();
        }
        d.thread.platform = p;
        d.job = p;
        if (fresh) {
            d.thread.start();
        } else {
            LockSupport.unpark(d.thread);
        }
        return d.thread;
    }

    @Override
    public void run() {
        for (;;) {
            SimPlatform p = job;
            if (p == null) {
                if (!awaitJob()) {
                    return;
                }
                continue;
            }
            try {
                p.drive();
            } finally {
                job = null;
                thread.platform = null;
                thread.setOwner(null);
            }
            synchronized (idle) {
                idle.addFirst(this);
            }
        }
    }

    /** Waits idle for a job; false (and out of the pool) if none came within the keep-alive. */
    private boolean awaitJob() {
        long deadline = System.nanoTime() + KEEP_ALIVE_NS;
        for (;;) {
            if (job != null) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                synchronized (idle) {
                    if (job == null && idle.remove(this)) {
                        return false;
                    }
                }
                continue; // a job was handed over as the time ran out
            }
            LockSupport.parkNanos(this, left);
        }
    }
}
