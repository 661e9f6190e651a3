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
 * schedule's length and no change points.
 *
 * <p>Adapted (not in the paper, which samples terminating programs): a starvation bound. Only the
 * thread that ran re-draws, so a runnable thread whose priority is low waits until every thread
 * that keeps running has drawn below it; among spin-waiters that is unbounded (a waiter at the
 * 10^-6 quantile waits some millions of decisions), and a program that needs a waiter to run
 * (goroutines that must all run at once, a coordinator a spinner waits for) hangs under POS where
 * no fair scheduler would leave it. A runnable thread passed over {@link #STARVATION_BOUND}
 * decisions in a row runs next (the longest waiting first) and then draws anew, as PCT's spin
 * demotion bounds its own starvation. Owns the priorities, the waits and the generator; not
 * thread-safe (the simulation calls it under its lock).
 */
public final class PosChooser implements Chooser {
    private final SplittableRandom rnd;
    private final Map<Integer, Long> priority = new HashMap<>();
    /** Decisions in a row each runnable thread has been passed over (reset when it runs or was not runnable). */
    private final Map<Integer, Integer> passedOver = new HashMap<>();

    /** How many decisions in a row a runnable thread may be passed over before it runs. */
    public static final int STARVATION_BOUND = 256;

    public PosChooser(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public int choose(int[] runnable, int n) {
        int best = -1;
        long bestPri = Long.MIN_VALUE;
        int starved = -1;
        int longest = STARVATION_BOUND - 1;
        for (int i = 0; i < n; i++) {
            long p = priority.computeIfAbsent(runnable[i], id -> rnd.nextLong());
            if (best < 0 || p > bestPri) {
                bestPri = p;
                best = i;
            }
            int w = passedOver.getOrDefault(runnable[i], 0);
            if (w > longest) {
                longest = w;
                starved = i;
            }
        }
        if (starved >= 0) {
            best = starved;
        }
        java.util.Map<Integer, Integer> next = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (i != best) {
                next.put(runnable[i], passedOver.getOrDefault(runnable[i], 0) + 1);
            }
        }
        passedOver.clear();
        passedOver.putAll(next);
        priority.put(runnable[best], rnd.nextLong()); // its event ran: the thread's next one draws anew
        return best;
    }
}
