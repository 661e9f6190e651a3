package gort.workloads.json;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.workloads.Workload;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The json workload's allocation-rate controller: on a simulated mutator whose op time is linear
 * in the extra work per node and whose speed the host's load changes mid-run, the work it sets
 * brings the rate back to the target; and in a real run it moves the work when the rate is off.
 */
class AllocRateControllerTest {
    /**
     * A mutator of bytes per op whose op costs own + rounds time units (own: its work in rounds,
     * which the controller only guesses), on a host that gives it speed units per second.
     */
    record Plant(double bytesPerOp, double own) {
        double rate(int rounds, double speed) {
            return bytesPerOp * speed / (own + rounds);
        }
    }

    /** Steps the controller over the plant for n periods at speed; returns the last period's rate. */
    static double run(AllocRateController c, NodeWork w, Plant p, double speed, int n, long[] clock, double[] bytes) {
        double rate = Double.NaN;
        for (int i = 0; i < n; i++) {
            rate = p.rate(w.rounds(), speed);
            bytes[0] += rate * AllocRateController.PERIOD_NS / 1e9;
            clock[0] += AllocRateController.PERIOD_NS;
            c.step((long) bytes[0], clock[0]);
        }
        return rate;
    }

    @Property(tries = 200)
    void theRateReturnsToTheTargetAfterTheLoadMoves(@ForAll @DoubleRange(min = 80, max = 1000) double own,
            @ForAll @DoubleRange(min = 0.4, max = 2.5) double loadChange, @ForAll @IntRange(min = 0, max = 20_000) int start) {
        Plant p = new Plant(5e6, own);
        double speed = 1e8;
        double target = p.rate(0, speed) / 3; // the mutator at full speed is 3x too fast, as gort's json is beside Go 1.5.1's
        NodeWork w = new NodeWork(start);
        long[] clock = {0};
        double[] bytes = {0};
        AllocRateController c = new AllocRateController(w, target, () -> 0, () -> 0);
        c.step(0, 0);
        assertThat(run(c, w, p, speed, 60, clock, bytes) / target).as("settled at the first load").isBetween(0.98, 1.02);
        // the host's load moves: the same work now takes longer (or shorter)
        assertThat(run(c, w, p, speed / loadChange, 60, clock, bytes) / target).as("settled after the load moved")
                .isBetween(0.98, 1.02);
    }

    /**
     * Periods up to 40% faster or slower than the work alone gives (a cycle's pauses and assists,
     * at random from a fixed seed): the rate averaged over the periods stays within 3% of the
     * target. A correction by (rate / target)^gain balances the rates' logarithms and leaves the
     * average about 4% above.
     */
    @Test
    void noisyPeriodsAverageNearTheTarget() {
        Plant p = new Plant(5e6, 250);
        double speed = 1e8;
        double target = p.rate(0, speed) / 3;
        java.util.Random noise = new java.util.Random(7);
        NodeWork w = new NodeWork(0);
        AllocRateController c = new AllocRateController(w, target, () -> 0, () -> 0);
        long now = 0;
        double bytes = 0;
        c.step(0, 0);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 2000; i++) {
            double rate = p.rate(w.rounds(), speed) * (0.6 + 0.8 * noise.nextDouble());
            bytes += rate * AllocRateController.PERIOD_NS / 1e9;
            now += AllocRateController.PERIOD_NS;
            c.step((long) bytes, now);
            if (i >= 100) {
                sum += rate;
                n++;
            }
        }
        assertThat(sum / n / target).isBetween(0.99, 1.03);
    }

    @Test
    void oneStepMovesTheWorkAtMostByTheStepBoundAndNeverBelowZero() {
        int r = 5000;
        double eff = r + AllocRateController.BASE_ROUNDS;
        assertThat(AllocRateController.next(r, 1e12, 1e6)).isEqualTo((int) Math.round(eff * AllocRateController.MAX_STEP
                - AllocRateController.BASE_ROUNDS));
        assertThat(AllocRateController.next(r, 1e6, 1e6)).isEqualTo(r);
        assertThat(AllocRateController.next(r, 0, 1e6)).isLessThan(r);
        NodeWork w = new NodeWork(0);
        AllocRateController c = new AllocRateController(w, 1e9, () -> 0, () -> 0);
        c.step(0, 0);
        assertThat(c.step(0, 1)).as("no bytes at all in a period").isZero();
        assertThat(w.rounds()).isZero();
    }

    @Test
    void theFirstReadingOnlyStartsAPeriod() {
        NodeWork w = new NodeWork(700);
        AllocRateController c = new AllocRateController(w, 1e6, () -> 0, () -> 0);
        assertThat(c.step(123, 456)).isNaN();
        assertThat(w.rounds()).isEqualTo(700);
        assertThat(c.step(123 + 10_000_000, 456 + 1_000_000_000)).isEqualTo(1e7);
        assertThat(w.rounds()).as("10x too fast: more work").isGreaterThan(700);
        assertThat(c.integral()).containsExactly(1e9, 700 * 1e9);
    }

    /**
     * A real run held far below what the mutator allocates at full speed: the controller raised the
     * work per node (what it decided, not how fast the host ran). The measured window is 2 s, ten of
     * the controller's periods: the work it reports is integrated at its steps, so the window must
     * hold a step after the first raise, however fast the host runs the ops (40 ops at full speed
     * took 0.4 s on a quiet host). The target is low enough to need extra work on any host that
     * runs the suite, and high enough that an op at that rate takes well under the window (8
     * goroutines of this small document's ops at 4 MB/s: under a second each), so ops finish on a
     * loaded host too.
     */
    @Test
    void aRunHeldBelowItsOwnRateGetsExtraWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.json");
        Document.write(file, JsonWorkloadTest.SMALL);
        Workload.Result r = new JsonWorkload().run(Config.defaults().withGomaxprocs(2),
                new Workload.Params(8, 1, 18, file, 2.0, 0).withAllocRate(4e6));
        assertThat(r.extra()).containsEntry("alloc_rate_target_mb_per_s", 4.0).containsKeys("alloc_mb_per_s", "alloc_bytes_per_op",
                "allocs_per_op", "scan_words_per_op");
        assertThat(((Number) r.extra().get("node_work_mean")).longValue()).isPositive();
    }
}
