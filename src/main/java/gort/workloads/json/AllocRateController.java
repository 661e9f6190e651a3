package gort.workloads.json;

import java.util.function.LongSupplier;

/**
 * Holds the json workload's allocation rate at a target number of bytes per second
 * ({@code --alloc-rate}) by moving its per-node extra work ({@link NodeWork}) while it runs: a
 * feedback controller, so that the rate stays on target when the host's load moves under the run.
 * gort's own addition for comparing runtimes at one allocation rate; no part of Go, and no
 * runtime mechanism: it only changes how much non-allocating work the mutator does per node.
 *
 * <p>The control law. Every {@link #PERIOD_NS} it reads the heap's cumulative allocated bytes,
 * takes the rate r over the period just ended and scales the effective work per node, the extra
 * rounds plus {@link #BASE_ROUNDS} standing for the mutator's own work, by 1 + {@link #GAIN} × (r /
 * target − 1), at most doubled or halved in one step. At a steady load the op time is about linear
 * in the rounds, so the rate is about inversely proportional to the effective work, and the step
 * with gain 1 would land on the target at once if BASE_ROUNDS were the mutator's own work exactly;
 * the gain of one half and the step bound keep it stable when that guess is off by a factor of a
 * few and when a period's rate is noisy (a collection's stop-the-world, a burst of assists). The
 * correction is linear in the error, not in its logarithm: a correction by (r / target)^GAIN
 * balances the logarithms of the periods' rates, which leaves their average above the target by
 * about half their squared coefficient of variation; the linear one keeps it within 3% in the
 * test's noisy simulation (AllocRateControllerTest), where the other ends above that. The work is
 * integrated, not set from the last error alone, so a lasting change of load is followed until
 * the rate is back on target.
 *
 * <p>Runs on its own host thread, outside the runtime: it never takes a P, so it adds no
 * goroutine to the schedule whose wakeups are being measured. Owns that thread and the control
 * state. Invariants: {@link #step} is called by one thread at a time (the controller's own, or a
 * test); the work it sets stays in 0..MAX_NODE_WORK ({@link NodeWork#set}).
 */
final class AllocRateController implements AutoCloseable {
    /** How often the rate is read and the work moved. */
    static final long PERIOD_NS = 200_000_000L;
    /**
     * The mutator's own work per node, in rounds of {@link NodeWork}: a guess, which the gain
     * tolerates from a third of the real figure to four times it (the test's range).
     */
    static final int BASE_ROUNDS = 250;
    /** The exponent of the correction. */
    static final double GAIN = 0.5;
    /** The largest factor of one step, either way. */
    static final double MAX_STEP = 2.0;

    private final NodeWork work;
    private final double target;
    private final LongSupplier allocatedBytes;
    private final LongSupplier nanotime;

    /** The reading the current period started from; lastNs < 0 before the first reading. */
    private long lastBytes;
    private long lastNs = -1;
    /** The integral of the rounds over the time the controller has run (rounds × ns), and that time. */
    private volatile double roundsNs;
    private volatile double ns;

    private volatile boolean closed;
    private Thread thread;

    /**
     * @param target bytes per second, more than 0
     * @param allocatedBytes the heap's cumulative allocated bytes (any thread may read it)
     * @param nanotime the clock the rate is measured with
     */
    AllocRateController(NodeWork work, double target, LongSupplier allocatedBytes, LongSupplier nanotime) {
        if (!(target > 0)) {
            throw new IllegalArgumentException("alloc rate target must be more than 0, got " + target);
        }
        this.work = work;
        this.target = target;
        this.allocatedBytes = allocatedBytes;
        this.nanotime = nanotime;
    }

    double target() {
        return target;
    }

    /** Starts the controller's thread; the first period starts now. */
    AllocRateController start() {
        step(allocatedBytes.getAsLong(), nanotime.getAsLong());
        thread = Thread.ofPlatform().daemon().name("gort-alloc-rate").start(() -> {
            while (!closed) {
                java.util.concurrent.locks.LockSupport.parkNanos(PERIOD_NS);
                if (!closed) {
                    step(allocatedBytes.getAsLong(), nanotime.getAsLong());
                }
            }
        });
        return this;
    }

    /**
     * One reading: the heap had allocated {@code bytes} in all at {@code now}. Moves the work for
     * the rate since the previous reading and returns that rate in bytes per second (NaN at the
     * first reading, or when no time passed).
     */
    double step(long bytes, long now) {
        if (lastNs < 0 || now <= lastNs) {
            if (lastNs < 0) {
                lastBytes = bytes;
                lastNs = now;
            }
            return Double.NaN;
        }
        long dt = now - lastNs;
        double rate = (bytes - lastBytes) * 1e9 / dt;
        int before = work.rounds();
        roundsNs += (double) before * dt;
        ns += dt;
        work.set(next(before, rate, target));
        lastBytes = bytes;
        lastNs = now;
        return rate;
    }

    /** The rounds after one step from {@code rounds} at the measured {@code rate}. */
    static int next(int rounds, double rate, double target) {
        double f = 1 + GAIN * (Math.max(rate, 0) / target - 1);
        f = Math.max(1 / MAX_STEP, Math.min(MAX_STEP, f));
        return (int) Math.round((rounds + BASE_ROUNDS) * f - BASE_ROUNDS);
    }

    /** The controller's time so far and its rounds integrated over it, as {ns, rounds × ns}. */
    double[] integral() {
        return new double[] {ns, roundsNs};
    }

    /** Stops the thread (waits for it); the work keeps its last value. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
