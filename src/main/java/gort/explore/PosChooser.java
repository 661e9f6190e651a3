package gort.explore;

import gort.platform.Chooser;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Partial-order sampling (POS; Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling", CAV
 * 2018) as a {@link Chooser}, at the granularity of threads: every thread's next event has a
 * random priority, the runnable thread whose next event has the highest priority runs, and the
 * event it ran is gone, so the thread's next event gets a fresh priority drawn from the seed.
 *
 * <p>Simplified: this is the paper's BasicPOS. POS proper also re-draws, after each event, the
 * priorities of the pending events that race with it (same object, one of them a write), which
 * samples partial orders closer to uniformly; the platform's decision points tell a chooser only
 * which threads are runnable, not what object a thread's next event touches, so no race is known
 * and only the thread that ran re-draws. Unlike PCT there is no depth, no estimate of the
 * schedule's length and no change points, and no spin-wait demotion is needed: a thread that ran
 * re-draws, so one that spins loses to any waiting thread of higher priority within a few turns.
 * Owns the priorities and the generator; not thread-safe (the simulation calls it under its lock).
 */
public final class PosChooser implements Chooser {
    private final SplittableRandom rnd;
    private final Map<Integer, Long> priority = new HashMap<>();

    public PosChooser(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public int choose(int[] runnable, int n) {
        int best = -1;
        long bestPri = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long p = priority.computeIfAbsent(runnable[i], id -> rnd.nextLong());
            if (best < 0 || p > bestPri) {
                bestPri = p;
                best = i;
            }
        }
        priority.put(runnable[best], rnd.nextLong()); // its event ran: the thread's next one draws anew
        return best;
    }
}
