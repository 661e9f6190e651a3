package gort.platform;

/**
 * The simulated platform's clock: virtual nanoseconds since the simulation began.
 *
 * <p>Owns: the current virtual instant. Invariants: time never goes backwards; it moves only when
 * {@link SimPlatform} says so — by a cost at every decision point ({@link SimCost}) and by a jump to
 * the earliest deadline when no thread can run. Written only by the thread holding the simulation's
 * baton (under its lock); volatile so that a thread outside the simulation reads a recent value.
 */
public final class VirtualClock {
    private volatile long now;

    /** The current virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Moves the clock forward by {@code ns} (a cost). */
    void advance(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative cost " + ns);
        }
        now += ns;
    }

    /** Moves the clock to {@code t} if that is later (a deadline reached while nothing ran). */
    void jumpTo(long t) {
        if (t > now) {
            now = t;
        }
    }
}
