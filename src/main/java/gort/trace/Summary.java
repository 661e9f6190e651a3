package gort.trace;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.sched.Enqueued;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The figures of a run (as docs/ARCHITECTURE.md, "How a GC cycle flows", step 8, defines them),
 * over the concurrent cycles of one {@link StrategyRun}:
 * <ul>
 *   <li>wakeup delays (resumed − done): mark 1's (the headline: the runtime golang/go CL 9291
 *       changed had one wait per cycle) and mark 2's apart; by who completed, over both phases as the Go 1.5.1
 *       anchor's summarizer counts them (a background worker in any mode, an assist, the
 *       scheduler's own check, the arming goroutine's own check); who completed each phase, as
 *       counts ({@link CompleterMix}); and mark 1's by where the coordinator waited ({@link Enqueued});
 *   <li>heap at mark termination over Go 1.5's goal (cycles whose goal collapsed under 1 MiB
 *       left out and counted) and over H_g (heap marked in the previous cycle × (1 + GOGC/100));
 *   <li>what the wait cost in heap: bytes allocated while the coordinator waited for mark 1, and
 *       the overshoot over H_g in milliseconds of the cycle's own allocation rate, which holds
 *       still when the mutator's speed changes and the wakeup mechanism does not;
 *   <li>both stop-the-world pauses' maxima; throughput.
 * </ul>
 * Forced (stop-the-world) cycles are left out of every figure but the pauses: they have no
 * completions.
 */
public record Summary(String strategy, boolean assistBlock, int cycles, Percentiles mark1, Percentiles mark2,
        Percentiles worker, Percentiles assist, Percentiles scheduler, Percentiles coordinator,
        CompleterMix mark1By, CompleterMix mark2By, Map<Enqueued, Percentiles> mark1Waited, double overGoalMean, double overGoalMax, int overGoalCycles,
        double overHgMean, double overHgMax, double mark1AllocatedMean, double overshootMsMean,
        long sweepTermMaxNs, long markTermMaxNs, double opsPerSec, StrategyRun.JvmGc jvmGc, String label, String design) {

    public static Summary of(StrategyRun run) {
        List<CycleRecord> cs = new ArrayList<>();
        long sweepMax = 0;
        long termMax = 0;
        boolean block = false;
        for (CycleRecord r : run.cycles()) {
            sweepMax = Math.max(sweepMax, r.sweepTermPauseNs());
            termMax = Math.max(termMax, r.markTermPauseNs());
            if (!r.forced()) {
                cs.add(r);
                block |= r.assistBlock();
            }
        }
        Stat goal = new Stat();
        Stat hg = new Stat();
        Stat alloc = new Stat();
        Stat ms = new Stat();
        for (CycleRecord r : cs) {
            goal.add(r.overGoal());
            hg.add(r.overHg());
            alloc.add(r.mark1().allocatedWhileWaiting());
            ms.add(overshootMs(r));
        }
        Map<Enqueued, Percentiles> waited = new EnumMap<>(Enqueued.class);
        boolean coordinator = gort.gc.WakeupStrategy.parse(run.strategy()).hasCoordinator();
        for (Enqueued e : coordinator ? Enqueued.values() : new Enqueued[0]) { // with no coordinator, nobody waited
            Percentiles p = delays(cs, 1, c -> c.waited() == e);
            if (!p.isEmpty()) {
                waited.put(e, p);
            }
        }
        return new Summary(run.strategy(), block, cs.size(), delays(cs, 1, c -> true), delays(cs, 2, c -> true),
                delays(cs, 0, c -> c.completer().isWorker()), delays(cs, 0, c -> c.completer() == CompleterKind.ASSIST),
                delays(cs, 0, c -> c.completer() == CompleterKind.SCHEDULER),
                delays(cs, 0, c -> c.completer() == CompleterKind.COORDINATOR), mix(cs, 1), mix(cs, 2), Map.copyOf(waited),
                goal.mean(), goal.max, goal.n, hg.mean(), hg.max, alloc.mean(), ms.mean(), sweepMax, termMax, run.opsPerSec(),
                run.jvmGc(), run.label(), run.design());
    }

    /**
     * The cycle's heap at mark termination over H_g, in milliseconds of the allocation rate the
     * cycle itself saw between its start and mark termination; NaN when that rate is unknown.
     */
    static double overshootMs(CycleRecord r) {
        long tMarkTerm = r.endNs() - r.markTermPauseNs();
        long dt = tMarkTerm - r.startNs();
        long grew = r.heapAtTermination() - r.heapTrigger();
        if (dt <= 0 || grew <= 0 || r.hgGoal() <= 0) {
            return Double.NaN;
        }
        double bytesPerMs = grew / (dt / 1e6);
        return (r.heapAtTermination() - r.hgGoal()) / bytesPerMs;
    }

    /** Who completed mark 1 (which = 1) or mark 2 (2) in each cycle. */
    static CompleterMix mix(List<CycleRecord> cs, int which) {
        CompleterMix m = CompleterMix.NONE;
        for (CycleRecord r : cs) {
            m = m.plus((which == 1 ? r.mark1() : r.mark2()).completer().anchorCode());
        }
        return m;
    }

    /** Wakeup delays of mark 1 (which = 1), mark 2 (2) or both (0), of the completions accepted. */
    static Percentiles delays(List<CycleRecord> cs, int which, Predicate<CycleRecord.Completion> accept) {
        List<Long> v = new ArrayList<>();
        for (CycleRecord r : cs) {
            if (which != 2 && accept.test(r.mark1())) {
                v.add(r.mark1().delayNs());
            }
            if (which != 1 && accept.test(r.mark2())) {
                v.add(r.mark2().delayNs());
            }
        }
        long[] a = new long[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return Percentiles.of(a);
    }

    /** Mean and max of the defined (non-NaN) values. */
    private static final class Stat {
        int n;
        double sum;
        double max = Double.NaN;

        void add(double v) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }

        double mean() {
            return n == 0 ? Double.NaN : sum / n;
        }
    }
}
