package gort.bench;

import gort.explore.Explorer;
import gort.explore.MarkTermScenario;
import gort.explore.Outcome;
import gort.explore.Scenario;
import gort.explore.Scenarios;
import gort.gc.GcFaults;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The explorer's figures for docs/BENCHMARKS.md: schedules per second of host time on the
 * mark-termination scenario (unmodified runtime, after a warm-up), with the threads and decisions
 * of a schedule (PCT's n and k) and PCT's bound 1/(n·k^(d−1)) from them; for each planted lost
 * wakeup and strategy, how many schedules a campaign runs until its first failure, from several
 * starting points; the first failure replayed 100 times (how many repeat its oracle, decisions and
 * virtual end time); its shrink (non-default decisions before and after); and the rate a long
 * campaign settles at ({@link #steady}). Run on one core with {@code bench/explore.sh} (taskset -c 0);
 * {@code bench/explore.sh bugs} runs only the planted bugs' searches, {@code bench/explore.sh
 * missed} the searches for the planted bugs the explorer does not find (one start,
 * {@link #MISSED_BOUND} schedules per strategy).
 */
public final class ExploreBench {
    static final long[] STARTS = {1, 100_001, 200_001, 300_001, 400_001};
    static final int BOUND = 5000;
    static final int MISSED_BOUND = 1000;

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("missed")) {
            missed();
            return;
        }
        if (what.equals("all")) {
            throughput();
        }
        bug("park without its wake flag", "markterm", Map.of("gcwakeup", "park"), f -> f.parkWithoutWakeFlag = true, BOUND, STARTS);
        bug("note cleared at the wait", "markterm", Map.of("gcwakeup", "note"), f -> f.noteClearedAtWait = true, BOUND, STARTS);
        bug("mark 1's transition without the caches' flush", "assist", Map.of("gcwakeup", "park"), f -> f.markDoneWithoutFlush = true,
                BOUND, STARTS);
        bug("a root job counted done when claimed", "markterm", Map.of("gcdesign", "go1.6"), f -> f.rootJobDoneAtClaim = true, BOUND,
                STARTS);
        bug("a paid assist's lost ready", "assist", Map.of("gcdesign", "go1.6"), f -> f.assistReadyLost = true, BOUND, STARTS);
        bug("a spinning M stopping without the re-check", "parallel", Map.of(), f -> f.sched.stopWithoutRecheck = true, BOUND, STARTS);
    }

    /** The planted bugs the explorer does not find: how many schedules ran without a failure. */
    static void missed() {
        long[] one = {1};
        bug("none without the re-check under the transition lock", "assist", Map.of("gcwakeup", "none"), f -> f.noMarkDoneRecheck = true,
                MISSED_BOUND, one);
        bug("none without the re-check under the transition lock", "assist", Map.of("gcdesign", "go1.6"), f -> f.noMarkDoneRecheck = true,
                MISSED_BOUND, one);
        bug("no idle P woken for GC work", "markidle", Map.of("gcwakeup", "park"), f -> f.noIdleWakeForWork = true, MISSED_BOUND, one);
        bug("no idle P woken for GC work", "markidle", Map.of("gcwakeup", "note"), f -> f.noIdleWakeForWork = true, MISSED_BOUND, one);
    }

    /** Schedules/s on markterm, PCT's bound from its n and k, and the steady rate. */
    static void throughput() {
        MarkTermScenario sc = new MarkTermScenario();
        for (String wakeup : new String[] {"park", "note", "none"}) {
            Explorer e = new Explorer(sc, Map.of("gcwakeup", wakeup), null);
            e.explore(Explorer.Strategy.RANDOM, 1_000_001, 100, 0, null); // warm-up
            long decisions = 0;
            long threads = 0;
            int maxThreads = 0;
            int n = 300;
            long t0 = System.nanoTime();
            int failed = 0;
            for (int i = 0; i < n; i++) {
                Outcome o = e.run(Explorer.Strategy.RANDOM, 1 + i);
                decisions += o.decisions().length;
                int t = (int) java.util.Arrays.stream(o.decisions()).distinct().count();
                threads += t;
                maxThreads = Math.max(maxThreads, t);
                failed += o.failed() ? 1 : 0;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("throughput gcwakeup=%s: %d schedules, %d failed, %.1f schedules/s, %.0f decisions/schedule, %.0f decisions/s%n",
                    wakeup, n, failed, n / secs, (double) decisions / n, decisions / secs);
            double nThreads = (double) threads / n;
            double k = (double) decisions / n;
            int d = Explorer.PCT_DEPTH;
            System.out.printf("pct bound gcwakeup=%s: n=%.1f threads (max %d), k=%.0f decisions, d=%d: 1/(n*k^(d-1)) = %.2e "
                    + "(with the chooser's k=%d: %.2e)%n", wakeup, nThreads, maxThreads, k, d, 1 / (nThreads * Math.pow(k, d - 1)),
                    Explorer.PCT_STEPS, 1 / (nThreads * Math.pow(Explorer.PCT_STEPS, d - 1)));
        }
        steady(sc, "park");
    }

    /**
     * The rate a long campaign settles at: 300-schedule windows until the JIT has compiled the
     * runtime's paths (on one core its compiler threads take the same core), the last one printed,
     * with the process's CPU time beside the host time (the two differ by what else the core ran).
     */
    static void steady(MarkTermScenario sc, String wakeup) {
        Explorer e = new Explorer(sc, Map.of("gcwakeup", wakeup), null);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int windows = 8;
        int n = 300;
        long seed = 2_000_001;
        for (int w = 1; w <= windows; w++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                e.run(Explorer.Strategy.RANDOM, seed++);
            }
            if (w == windows) {
                System.out.printf("steady gcwakeup=%s: schedules %d-%d of a campaign, %.1f schedules/s, %.1f schedules per CPU second%n", wakeup,
                        (w - 1) * n + 1, w * n, n * 1e9 / (System.nanoTime() - t0), n * 1e9 / (os.getProcessCpuTime() - c0));
            }
        }
    }

    static void bug(String name, String scenario, Map<String, String> godebug, Consumer<GcFaults> fault, int bound, long[] starts) {
        Scenario sc = Scenarios.byName(scenario);
        Explorer e = new Explorer(sc, godebug, () -> {
            GcFaults g = new GcFaults();
            fault.accept(g);
            return g;
        });
        Outcome firstFailure = null;
        for (Explorer.Strategy st : Explorer.Strategy.values()) {
            StringBuilder sb = new StringBuilder();
            long t0 = System.nanoTime();
            for (long s : starts) {
                Explorer.Campaign c = e.explore(st, s, bound, 1, null);
                if (firstFailure == null && !c.failures().isEmpty()) {
                    firstFailure = c.failures().get(0);
                }
                sb.append(' ').append(c.failures().isEmpty() ? ">" + bound : String.valueOf(c.schedules()));
            }
            System.out.printf("schedules to failure, %s (%s %s), %s, from seeds %s:%s (%.1f s in all)%n", name, scenario, godebug, st.flag(),
                    java.util.Arrays.toString(starts), sb, (System.nanoTime() - t0) / 1e9);
        }
        if (firstFailure == null) {
            return;
        }
        Outcome f = firstFailure;
        int same = 0;
        for (int i = 0; i < REPLAYS; i++) {
            Outcome r = e.replay(f.seed(), f.decisions());
            if (f.failure().equals(r.failure()) && java.util.Arrays.equals(f.decisions(), r.decisions()) && f.virtualNs() == r.virtualNs()) {
                same++;
            }
        }
        System.out.printf("replay, %s: seed %d (%d decisions, %s) replayed %d of %d times to the same oracle, message, decisions and virtual end%n",
                name, f.seed(), f.decisions().length, f.failure().oracle(), same, REPLAYS);
        gort.explore.Shrinker.Result sr = new gort.explore.Shrinker(e, gort.explore.Shrinker.DEFAULT_BUDGET).shrink(f);
        System.out.printf("shrink, %s: seed %d: %d -> %d non-default decisions (%d -> %d decisions) in %d runs, %s%n", name, f.seed(),
                sr.nonDefaultBefore(), sr.nonDefaultAfter(), f.decisions().length, sr.after().decisions().length, sr.runs(),
                sr.after().failure().oracle());
    }

    static final int REPLAYS = 100;
}
