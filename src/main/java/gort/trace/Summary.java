package gort.trace;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The figures DESIGN.md defines, over the concurrent cycles of one {@link StrategyRun}: wakeup
 * delays (resumed − done) for every completion, for mark 1 and mark 2 apart, and split by who
 * completed (a background worker — dedicated, fractional, idle, or the scheduler on its behalf —
 * or an assist); heap at mark termination over the goal (mean and max); the largest
 * stop-the-world pause; throughput. Forced (stop-the-world) cycles are left out of the wakeup and
 * overshoot figures: they have no completions.
 */
public record Summary(String strategy, int cycles, Percentiles wakeup, Percentiles mark1, Percentiles mark2,
        Percentiles worker, Percentiles assist, double overGoalMean, double overGoalMax, long stwMaxNs,
        double opsPerSec, StrategyRun.JvmGc jvmGc) {

    public static Summary of(StrategyRun run) {
        List<CycleRecord> cs = new ArrayList<>();
        long stwMax = 0;
        for (CycleRecord r : run.cycles()) {
            stwMax = Math.max(stwMax, r.stwMaxNs());
            if (!r.forced()) {
                cs.add(r);
            }
        }
        double sum = 0;
        double max = Double.NaN;
        for (CycleRecord r : cs) {
            double o = r.overGoal();
            sum += o;
            max = Double.isNaN(max) ? o : Math.max(max, o);
        }
        return new Summary(run.strategy(), cs.size(),
                delays(cs, 0, c -> true), delays(cs, 1, c -> true), delays(cs, 2, c -> true),
                delays(cs, 0, c -> c.completer().isWorker()), delays(cs, 0, c -> c.completer() == CompleterKind.ASSIST),
                cs.isEmpty() ? Double.NaN : sum / cs.size(), max, stwMax, run.opsPerSec(), run.jvmGc());
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
}
