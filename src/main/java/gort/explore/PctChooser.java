package gort.explore;

import gort.platform.Chooser;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (PCT; Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
 * Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010) as a
 * {@link Chooser}: every thread gets a random priority when the simulation first offers it, the
 * runnable thread of highest priority runs at every decision point, and at {@code depth - 1}
 * change points, drawn uniformly among the first {@code steps} decisions, the thread that would
 * run has its priority lowered below every initial one (the i-th change point to {@code depth -
 * i}). A bug of depth d among n threads and k steps is then found with probability at least
 * 1/(n·k^(d−1)) per schedule.
 *
 * <p>Adapted: a thread that runs {@link #SPIN_LIMIT} decisions in a row while others could is
 * demoted below every other (a spin-wait, not a block); threads appear while the run goes (the paper's n is not known in advance), so an
 * initial priority is drawn from the seed when a thread is first runnable; {@code steps} is an
 * estimate of the decisions of one run (the scenario's typical count), not a bound. Owns the
 * priorities and the generator; not thread-safe (the simulation calls it under its lock).
 */
public final class PctChooser implements Chooser {
    private final SplittableRandom rnd;
    private final long[] changePoints;
    private final Map<Integer, Long> priority = new HashMap<>();
    private long step;
    private int lastChosen = -1;
    private int run;
    /** The priority the next demoted spinner gets: below every other so far. */
    private long floor;

    /**
     * A thread chosen this many decisions in a row while others were runnable is demoted below
     * every other: it is spinning (procyield, osyield) on something a lower-priority thread must
     * do, and strict priorities would starve that thread for ever (PCT assumes a thread that
     * waits blocks; a spin-wait is a yield, which PCT implementations treat as a priority change).
     */
    static final int SPIN_LIMIT = 64;

    public PctChooser(long seed, int depth, long steps) {
        if (depth < 1 || steps < 1) {
            throw new IllegalArgumentException("PCT needs depth >= 1 and steps >= 1, not " + depth + " and " + steps);
        }
        this.rnd = new SplittableRandom(seed);
        this.changePoints = new long[depth - 1];
        for (int i = 0; i < changePoints.length; i++) {
            changePoints[i] = 1 + rnd.nextLong(steps);
        }
    }

    @Override
    public int choose(int[] runnable, int n) {
        step++;
        int best = best(runnable, n);
        for (int i = 0; i < changePoints.length; i++) {
            if (changePoints[i] == step) {
                priority.put(runnable[best], (long) (changePoints.length - i)); // below every initial priority
                best = best(runnable, n);
            }
        }
        if (runnable[best] == lastChosen && n > 1) {
            if (++run >= SPIN_LIMIT) {
                priority.put(runnable[best], --floor);
                best = best(runnable, n);
                run = 0;
            }
        } else {
            run = 0;
        }
        lastChosen = runnable[best];
        return best;
    }

    private int best(int[] runnable, int n) {
        int best = -1;
        long bestPri = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long p = priority.computeIfAbsent(runnable[i], id -> changePoints.length + 1 + rnd.nextLong(Long.MAX_VALUE / 2));
            if (p > bestPri) {
                bestPri = p;
                best = i;
            }
        }
        return best;
    }
}
