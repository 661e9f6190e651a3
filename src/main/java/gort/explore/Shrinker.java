package gort.explore;

import gort.platform.Chooser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reduces a failing schedule toward the default schedule (the first runnable thread, in id order,
 * at every decision point) while the same oracle still fails, in two steps. First the shortest
 * prefix: a binary search for the fewest leading decisions that, followed by default choices to
 * the end, still fail the same way (a lost wakeup is decided early, and the rest of such a
 * schedule is the hang's long wait, tens of thousands of decisions). Then delta debugging within
 * the prefix (Zeller and Hildebrandt's ddmin, complements only): its decisions that did not take
 * the first runnable thread are cut into n chunks, and a run that turns one chunk into default
 * choices and follows the rest is kept if it fails the same way; then n shrinks by one, else it
 * doubles, until no single non-default decision can be dropped or the run budget is spent.
 *
 * <p>A run follows its list leniently ({@link Guided}): a decision whose recorded thread is not
 * runnable, and every decision past the list's end, takes the default; the list kept is what the
 * run actually chose, so it replays exactly (the result is checked with a strict
 * {@link Explorer#replay}). The measure is the number of non-default decisions, not the list's
 * length: a default choice costs nothing to read, and the run ends where the program does.
 *
 * <p>Owns nothing between calls; each run is a fresh schedule of the explorer.
 */
public final class Shrinker {
    /** Runs a shrink may spend unless told otherwise. */
    public static final int DEFAULT_BUDGET = 400;

    private final Explorer explorer;
    private final int budget;

    public Shrinker(Explorer explorer, int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("a shrink needs a budget of at least 1 run, not " + budget);
        }
        this.explorer = explorer;
        this.budget = budget;
    }

    /**
     * What a shrink came to: the failing schedule before and after, their counts of non-default
     * decisions, and the runs spent (the strict replay of the result included).
     */
    public record Result(Outcome before, Outcome after, int nonDefaultBefore, int nonDefaultAfter, int runs) {}

    /**
     * Whether a candidate run fails as the original did: the same oracle, and not merely because it
     * ran into the candidates' bound (a run cut there is no failure of its own: the strict replay,
     * without that bound, would go on) unless the original ended at a time limit too.
     */
    static boolean sameFailure(Outcome o, Outcome original) {
        return o.failed() && o.failure().oracle() == original.failure().oracle()
                && atTimeLimit(o) == atTimeLimit(original);
    }

    private static boolean atTimeLimit(Outcome o) {
        return o.failure().message().contains("virtual time limit");
    }

    /** Added to twice the failure's virtual time to bound each candidate run. */
    static final long SHRINK_MARGIN_NS = 10_000_000L;

    /** Follows {@code decisions} except at the positions in {@code toDefault}; records the index chosen at each decision. */
    static final class Guided implements Chooser {
        private final int[] decisions;
        private final boolean[] toDefault;
        private int next;
        int[] chosen = new int[512];
        int n;

        Guided(int[] decisions, boolean[] toDefault) {
            this.decisions = decisions;
            this.toDefault = toDefault;
        }

        @Override
        public int choose(int[] runnable, int k) {
            int i = next++;
            int pick = 0;
            if (i < decisions.length && !toDefault[i]) {
                for (int j = 0; j < k; j++) {
                    if (runnable[j] == decisions[i]) {
                        pick = j;
                        break;
                    }
                }
            }
            if (n == chosen.length) {
                chosen = Arrays.copyOf(chosen, 2 * n);
            }
            chosen[n++] = pick;
            return pick;
        }

        /** The positions at which the run did not take the first runnable thread. */
        List<Integer> nonDefault() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (chosen[i] != 0) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    /**
     * Shrinks the failing schedule {@code failing} (an outcome of this explorer, by seed or replay).
     *
     * @throws IllegalArgumentException if it did not fail, or its decisions do not reproduce its oracle
     */
    public Result shrink(Outcome failing) {
        if (!failing.failed()) {
            throw new IllegalArgumentException("seed " + failing.seed() + " passed: there is no failure to shrink");
        }
        Outcome.Oracle want = failing.failure().oracle();
        long seed = failing.seed();
        // a candidate may spin past the failure's time with its default choices: bound it, so its
        // recorded decisions stay near the failure's count (a hang of the scenario's own bound
        // repeats within it; a run cut at the bound ends as HANG)
        long limit = 2 * failing.virtualNs() + SHRINK_MARGIN_NS;
        int runs = 0;
        Guided g0 = new Guided(failing.decisions(), new boolean[failing.decisions().length]);
        Outcome cur = explorer.run(seed, g0, limit);
        runs++;
        if (!cur.failed() || cur.failure().oracle() != want) {
            throw new IllegalArgumentException("seed " + seed + "'s decisions do not fail with " + want + " again: "
                    + (cur.failed() ? cur.failure().oracle() + ": " + cur.failure().headline() : "the run passed"));
        }
        List<Integer> nd = g0.nonDefault();
        int before = nd.size();
        // the shortest prefix of non-default decisions that still fails: keep nd[0..keep) and default the rest
        int lo = 0;
        int hi = nd.size();
        while (lo < hi && runs < budget) {
            int mid = (lo + hi) >>> 1;
            // follow the run up to its mid-th non-default decision, then the default to the end
            boolean[] mask = new boolean[cur.decisions().length];
            Arrays.fill(mask, mid == nd.size() ? mask.length : nd.get(mid), mask.length, true);
            Guided g = new Guided(cur.decisions(), mask);
            Outcome o = explorer.run(seed, g, limit);
            runs++;
            if (sameFailure(o, failing)) {
                cur = o;
                nd = g.nonDefault(); // the first mid of the old ones: the run followed them exactly
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int parts = 2;
        while (!nd.isEmpty() && runs < budget) {
            int size = nd.size();
            parts = Math.min(parts, size);
            int chunk = (size + parts - 1) / parts;
            boolean progress = false;
            for (int start = 0; start < size && runs < budget; start += chunk) {
                boolean[] mask = new boolean[cur.decisions().length];
                for (int k = start; k < Math.min(size, start + chunk); k++) {
                    mask[nd.get(k)] = true;
                }
                Guided g = new Guided(cur.decisions(), mask);
                Outcome o = explorer.run(seed, g, limit);
                runs++;
                if (sameFailure(o, failing)) {
                    List<Integer> left = g.nonDefault();
                    if (left.size() < size) {
                        cur = o;
                        nd = left;
                        parts = Math.max(parts - 1, 2);
                        progress = true;
                        break;
                    }
                }
            }
            if (!progress) {
                if (parts >= size) {
                    break;
                }
                parts = Math.min(size, 2 * parts);
            }
        }
        Outcome check = explorer.replay(seed, cur.decisions());
        runs++;
        if (!check.failed() || check.failure().oracle() != want) {
            throw new IllegalStateException("the shrunk schedule of seed " + seed + " did not replay to " + want + ": "
                    + (check.failed() ? check.failure().oracle() + ": " + check.failure().headline() : "it passed"));
        }
        return new Result(failing, check, before, nd.size(), runs);
    }
}
