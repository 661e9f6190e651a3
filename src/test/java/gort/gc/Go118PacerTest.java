package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import gort.heap.HeapStats;
import gort.platform.RealPlatform;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Go 1.18's pacer with Go 1.19's memory limit, checked against the formulas of Go 1.19's
 * mgcpacer.go (heapGoalInternal, memoryLimitHeapGoal, trigger, revise, endCycle). Every expected
 * value is recomputed here from Go's constants (4 MiB heapminimum, 1 MiB sweep distance, 1 MiB
 * limit headroom, the 45/64 and 61/64 trigger bounds, the 25% background utilization), not taken
 * from the class's own constants, so a changed constant fails too. The pacer is driven through
 * its controller calls with made-up times, never a clock.
 */
class Go118PacerTest {
    static final long KB = 1 << 10;
    static final long MB = 1 << 20;
    static final long HEAP_MINIMUM_AT_100 = 4 * MB;
    static final long SWEEP_DISTANCE = 1 * MB;
    static final long LIMIT_HEADROOM = 1 * MB;
    static final double U = 0.25;

    /** What one cycle looks like to the controller. */
    record Cycle(long heapScan, long stackScan, long globalsScan, long scanWork, long marked, long heapLiveEnd) {}

    /** Runs one concurrent cycle from the current trigger: start, 10 ms of marking, end, reset. */
    static void cycle(Go118Pacer p, int procs, Cycle c, long t0) {
        p.startCycle(procs, p.trigger(), c.heapScan(), c.stackScan(), c.globalsScan());
        p.assistsStarted(t0);
        p.markStarted(t0);
        p.endCycle(c.heapLiveEnd(), procs, t0 + 10_000_000, c.scanWork());
        p.markDone(c.marked(), c.heapLiveEnd(), c.scanWork());
    }

    static long heapMinimum(int gogc) {
        return HEAP_MINIMUM_AT_100 * gogc / 100;
    }

    static long gogcGoal(int gogc, long marked, long stack, long globals) {
        return Math.max(marked + (marked + stack + globals) * gogc / 100, heapMinimum(gogc));
    }

    /** Go 1.19's memoryLimitHeapGoal over gort's figures: mapped = in-use + manual spans, non-heap = mapped − allocated. */
    static long limitGoal(long limit, HeapStats s, long marked) {
        long mapped = s.heapInuse() + s.manualInuse();
        long nonHeap = Math.max(0, mapped - s.heapAlloc());
        long over = Math.max(0, mapped - limit);
        if (nonHeap + over >= limit) {
            return marked;
        }
        long g = limit - nonHeap - over;
        g = g >= 2 * LIMIT_HEADROOM ? g - LIMIT_HEADROOM : LIMIT_HEADROOM;
        return Math.max(g, marked);
    }

    static HeapStats stats(long heapAlloc, long heapInuse, long manualInuse) {
        return new HeapStats(heapAlloc, heapInuse + manualInuse, 0, heapInuse, 0, heapAlloc, manualInuse, 0, 0, 0, 0, 0);
    }

    // =====================================================================================
    // The goal
    // =====================================================================================

    @Property(tries = 300)
    void theGoalIsMarkedPlusMarkedStacksAndGlobalsTimesGogcAtLeastHeapminimum(@ForAll @IntRange(min = 0, max = 1000) int gogc,
            @ForAll @LongRange(min = 0, max = 1L << 32) long marked, @ForAll @LongRange(min = 0, max = 64 * MB) long stack,
            @ForAll @LongRange(min = 0, max = 8 * MB) long globals) {
        Go118Pacer p = new Go118Pacer(gogc, Long.MAX_VALUE, () -> {
            throw new AssertionError("no memory limit: the heap statistics are never read");
        }, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(marked / 2, stack, globals, marked / 2, marked, marked + MB), 0);
        long gp = gogcGoal(gogc, marked, stack, globals);
        assertThat(p.heapMarked()).isEqualTo(marked);
        assertThat(p.gcPercentHeapGoal()).as("GOGC's goal").isEqualTo(gp);
        // outside the memory-limited regime the goal also leaves the sweep distance above the live heap
        assertThat(p.nextGoal()).isEqualTo(Math.max(gp, marked + SWEEP_DISTANCE));
    }

    @Test
    void stacksAndGlobalsRaiseTheGoalWhereGo15sWouldNot() {
        Go118Pacer p = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(32 * MB, 8 * MB, 2 * MB, 32 * MB, 64 * MB, 80 * MB), 0);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(64 * MB + 74 * MB); // Go 1.5's would be 128 MiB
        Go118Pacer half = new Go118Pacer(50, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        cycle(half, 4, new Cycle(32 * MB, 8 * MB, 2 * MB, 32 * MB, 64 * MB, 80 * MB), 0);
        assertThat(half.gcPercentHeapGoal()).isEqualTo(64 * MB + 37 * MB);
    }

    @Test
    void beforeAnyCycleTheGoalIsHeapminimumAndTheTriggerWithinItsBounds() {
        for (int gogc : new int[] {1, 50, 100, 400}) {
            Go118Pacer p = new Go118Pacer(gogc, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
            long g = heapMinimum(gogc);
            assertThat(p.gcPercentHeapGoal()).isEqualTo(g);
            assertThat(p.nextGoal()).isEqualTo(g); // no sweep before the first cycle: no sweep distance
            assertThat(p.trigger()).isBetween(g / 64 * 45, Math.max(g / 64 * 61, g - HEAP_MINIMUM_AT_100));
        }
    }

    // =====================================================================================
    // The trigger
    // =====================================================================================

    /**
     * Go 1.19's heapGoalInternal and trigger over the test's figures: {goal, lower bound, upper
     * bound, trigger}, with runway = the cons/mark runway; sweepDone before the first cycle (no
     * sweep distance then).
     */
    static long[] goalAndTrigger(int gogc, long lim, HeapStats s, long marked, long stack, long globals, long runway, boolean sweepDone) {
        long gp = gogcGoal(gogc, marked, stack, globals);
        long lg = lim != Long.MAX_VALUE ? limitGoal(lim, s, marked) : Long.MAX_VALUE;
        long g;
        long minTrigger;
        if (lg < gp) {
            g = lg;
            minTrigger = 0;
        } else {
            long sweepDist = sweepDone ? 0 : marked + SWEEP_DISTANCE;
            g = Math.max(gp, sweepDist);
            minTrigger = sweepDist;
        }
        if (marked >= g) {
            return new long[] {g, g, g, g};
        }
        long lower = Math.max(Math.max(minTrigger, marked), marked + (g - marked) / 64 * 45);
        long upper = marked + (g - marked) / 64 * 61;
        if (g > HEAP_MINIMUM_AT_100 && g - HEAP_MINIMUM_AT_100 > upper) {
            upper = g - HEAP_MINIMUM_AT_100;
        }
        upper = Math.max(upper, lower);
        long trigger = runway > g ? lower : Math.min(Math.max(g - runway, lower), upper);
        return new long[] {g, lower, upper, trigger};
    }

    /**
     * Go 1.19's cons/mark estimate, computed here: endCycle's measurement ((heap at mark
     * termination − the trigger the cycle started from) × (u + idle) / (scan work × (1 − u)), no
     * update when the heap did not pass the trigger) smoothed by piController.next with the gains
     * gcControllerState.init gives it (kp 0.9, ti 4, tt 1000, output within ±1000), and reset to
     * 0 when the controller's state overflows.
     */
    static final class ConsMarkModel {
        double consMark;
        private double errIntegral;

        void endCycle(long heapLive, long triggered, long scanWork, double utilization, double idleUtilization) {
            if (heapLive <= triggered) {
                return;
            }
            double measured = (heapLive - triggered) * (utilization + idleUtilization) / ((double) scanWork * (1 - utilization));
            double kp = 0.9;
            double ti = 4.0;
            double tt = 1000;
            double raw = kp * (measured - consMark) + errIntegral;
            if (Double.isInfinite(raw) || Double.isNaN(raw)) {
                errIntegral = 0;
                consMark = 0;
                return;
            }
            double out = Math.max(-1000, Math.min(1000, raw));
            errIntegral += kp / ti * (measured - consMark) + (out - raw) / tt;
            if (Double.isInfinite(errIntegral) || Double.isNaN(errIntegral)) {
                errIntegral = 0;
                consMark = 0;
                return;
            }
            consMark = out;
        }

        /** The runway it gives (Go's commit: uint64 of cons/mark × (1 − u)/u × the last cycle's scan work). */
        long runway(long lastScanWork) {
            double rw = consMark * (1 - U) / U * lastScanWork;
            return rw < 0 ? Long.MAX_VALUE : (long) rw; // a negative estimate wraps to more than any goal
        }
    }

    /**
     * After every cycle, whatever the cons/mark measurements, scan sizes and memory limit: the goal
     * is GOGC's (or the limit's, if smaller) and the trigger is goal − runway clamped into Go's
     * bounds, with runway = cons/mark × (1 − u)/u × (last heap scan + stacks + globals), and
     * cons/mark the estimate {@link ConsMarkModel} computes from the same cycles.
     */
    @Property(tries = 500)
    void theTriggerIsGoalMinusRunwayWithinGosBounds(@ForAll @IntRange(min = 0, max = 800) int gogc,
            @ForAll @LongRange(min = 0, max = 1L << 31) long marked0, @ForAll @LongRange(min = 0, max = 32 * MB) long stack,
            @ForAll @LongRange(min = 0, max = 4 * MB) long globals, @ForAll @IntRange(min = 0, max = 1000) int scanPermille,
            @ForAll @IntRange(min = 0, max = 3000) int overshootPermille, @ForAll @IntRange(min = 1, max = 6) int cycles,
            @ForAll boolean limited, @ForAll @LongRange(min = 0, max = 1L << 32) long limit,
            @ForAll @LongRange(min = 0, max = 1L << 30) long nonHeap) {
        long lim = limited ? limit : Long.MAX_VALUE;
        AtomicReference<HeapStats> now = new AtomicReference<>(stats(0, 0, 0));
        Go118Pacer p = new Go118Pacer(gogc, lim, now::get, RealPlatform.INSTANCE);
        ConsMarkModel model = new ConsMarkModel();
        long marked = marked0;
        // what the previous mark termination left (before the first cycle: nothing marked, no sweep)
        long lastMarked = 0;
        long lastStack = 0;
        long lastGlobals = 0;
        long runway = 0;
        for (int i = 0; i < cycles; i++) {
            long scan = marked * scanPermille / 1000;
            long t = p.trigger();
            long end = t + (long) ((p.nextGoal() - t + MB) * (overshootPermille / 1000.0)) + i * 64 * KB;
            // at mark termination the heap holds what was marked plus what was allocated (some of it in non-heap slack)
            now.set(stats(end, end + nonHeap / 2, nonHeap / 2));
            // startCycle fixes the trigger the cycle is measured from, with the memory limit's goal of now
            long triggered = goalAndTrigger(gogc, lim, now.get(), lastMarked, lastStack, lastGlobals, runway, i == 0)[3];
            cycle(p, 1 + i % 4, new Cycle(scan, stack, globals, scan, marked, end), i * 100_000_000L);
            model.endCycle(end, triggered, scan + stack + globals, U, 0); // no assists, no idle marking
            assertThat(p.consMark()).as("cons/mark after cycle %d", i).isCloseTo(model.consMark,
                    within(1e-9 * Math.max(1, Math.abs(model.consMark))));
            runway = model.runway(scan + stack + globals);
            long[] want = goalAndTrigger(gogc, lim, now.get(), marked, stack, globals, runway, false);
            long g = want[0];
            assertThat(p.nextGoal()).as("goal after cycle %d", i).isEqualTo(g);
            long trig = p.trigger();
            if (marked >= g) {
                assertThat(trig).as("marked >= goal: trigger at the goal").isEqualTo(g);
            } else {
                assertThat(trig).as("trigger after cycle %d", i).isBetween(want[1], want[2]).isLessThanOrEqualTo(g);
                assertThat(trig).as("goal - runway, clamped").isEqualTo(want[3]);
                assertThat(p.runway()).isEqualTo(runway);
            }
            lastMarked = marked;
            lastStack = stack;
            lastGlobals = globals;
            marked = marked + marked / 8 * (i % 3 - 1); // the live heap moves between cycles
        }
    }

    @Test
    void aLargerConsMarkMovesTheTriggerDownToItsLowerBound() {
        // slow marking (much allocation per byte of scan work) needs a long runway
        Go118Pacer fast = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        Go118Pacer slow = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        for (int i = 0; i < 20; i++) {
            cycle(fast, 4, new Cycle(32 * MB, 0, 0, 32 * MB, 64 * MB, fast.trigger() + MB), i * 100_000_000L);
            cycle(slow, 4, new Cycle(32 * MB, 0, 0, 32 * MB, 64 * MB, slow.trigger() + 200 * MB), i * 100_000_000L);
        }
        long g = 128 * MB;
        assertThat(fast.trigger()).isEqualTo(Math.max(64 * MB + 64 * MB / 64 * 61, g - 4 * MB)); // upper bound
        assertThat(slow.trigger()).isEqualTo(64 * MB + 64 * MB / 64 * 45); // lower bound
    }

    // =====================================================================================
    // The assist ratio
    // =====================================================================================

    @Test
    void theAssistRatioIsRemainingWorkOverRemainingRunwayWithItsExtremes() {
        int gogc = 100;
        Go118Pacer p = new Go118Pacer(gogc, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        long w = 32 * MB; // the last cycle's heap scan work
        long s = MB;
        long gl = 64 * KB;
        cycle(p, 4, new Cycle(w, s, gl, w, 64 * MB, 100 * MB), 0);
        long t = p.trigger();
        long hs = 40 * MB; // heap_scan at the cycle's start
        long s2 = 2 * MB;
        long gl2 = 128 * KB;
        p.startCycle(4, t, hs, s2, gl2);
        long g = p.heapGoal();
        assertThat(g).isEqualTo(gogcGoal(gogc, 64 * MB, s, gl)); // the goal was committed with the globals of then
        long expected = w + s + gl2; // the last cycle's work, with today's globals
        assertThat(p.assistRatio()).as("at the start").isCloseTo((double) expected / (g - t), within(1e-12));

        p.assistsStarted(1_000);
        p.markStarted(1_000); // the roots are scanned: stacks and globals are work done
        long done = s2 + gl2;
        p.addBgScanCredit(10 * MB);
        p.addAssistScanWork(5 * MB);
        done += 15 * MB;
        long h = t + 2 * MB;
        p.revise(h, hs);
        assertThat(p.assistRatio()).as("during the cycle").isCloseTo((double) (expected - done) / (g - h), within(1e-12));

        // more work than the last cycle: the goal extrapolates over all the scannable heap, capped at the hard goal
        p.addBgScanCredit(expected);
        done += expected;
        long hsNow = 48 * MB;
        long maxScan = hsNow + s2 + gl2;
        long ext = (long) Math.min((double) (g - t) / expected * maxScan + t, (1 + gogc / 100.0) * g);
        p.revise(h, hsNow);
        assertThat(p.assistRatio()).as("past the expected work").isCloseTo((double) Math.max(maxScan - done, 1000) / (ext - h),
                within(1e-12));

        // past even the extrapolated goal: pace to 1.1 x it
        long h2 = ext + MB;
        long over = (long) (ext * 1.1);
        p.revise(h2, hsNow);
        assertThat(p.assistRatio()).as("past the goal").isCloseTo((double) Math.max(maxScan - done, 1000) / (over - h2), within(1e-12));

        // past 1.1 x the goal: the heap left is one byte, so the ratio is the whole remaining work
        p.revise(over + MB, hsNow);
        assertThat(p.assistRatio()).as("no runway left").isCloseTo((double) Math.max(maxScan - done, 1000), within(1e-9));

        // all the scannable heap done: the floor of 1000 bytes of work remains
        p.addBgScanCredit(maxScan);
        p.revise(h, hsNow);
        assertThat(p.assistRatio()).as("no work left").isCloseTo(1000.0 / (ext - h), within(1e-12));
    }

    // =====================================================================================
    // The cons/mark controller
    // =====================================================================================

    @Test
    void theConsMarkEstimateConvergesToAConstantMeasurement() {
        Go118Pacer p = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        double c = 0.4;
        long work = 16 * MB;
        for (int i = 0; i < 150; i++) {
            long t = p.trigger();
            // with no assists, utilization is u: cons/mark = (heap end − trigger) × u / (work × (1 − u))
            long end = t + Math.round(c * work * (1 - U) / U);
            p.startCycle(4, t, work, 0, 0);
            p.assistsStarted(i * 100_000_000L);
            p.markStarted(i * 100_000_000L);
            p.endCycle(end, 4, i * 100_000_000L + 10_000_000, work);
            p.markDone(32 * MB, end, work);
            if (i == 0) {
                assertThat(p.consMark()).as("one step is not there yet").isNotCloseTo(c, within(0.01));
            }
        }
        assertThat(p.consMark()).isCloseTo(c, within(c * 1e-4));
    }

    @Test
    void theControllerConvergesAndResetsWhenItsStateOverflows() {
        ConsMarkController pi = new ConsMarkController();
        double x = 0;
        for (int i = 0; i < 200; i++) {
            x = pi.next(x, 3.0, 1.0);
            assertThat(pi.ok).isTrue();
        }
        assertThat(x).isCloseTo(3.0, within(1e-6));
        assertThat(pi.errIntegral()).isCloseTo(3.0, within(1e-6)); // at the fixed point the integral carries the whole output

        // an infinite measurement: reset, and report the minimum
        assertThat(pi.next(x, Double.POSITIVE_INFINITY, 1.0)).isEqualTo(-1000);
        assertThat(pi.ok).isFalse();
        assertThat(pi.errIntegral()).isZero();

        // a huge finite one: the output clamps at 1000, the integral grows until it overflows, then resets
        ConsMarkController big = new ConsMarkController();
        boolean reset = false;
        for (int i = 0; i < 100 && !reset; i++) {
            double out = big.next(0, 1e307, 1.0);
            if (big.ok) {
                assertThat(out).isEqualTo(1000);
                assertThat(big.errIntegral()).isFinite();
            } else {
                reset = true;
                assertThat(big.errIntegral()).isZero();
            }
        }
        assertThat(reset).as("the integral overflowed and the controller reset").isTrue();
    }

    @Test
    void aCycleWithNoScanWorkResetsTheEstimateToZero() {
        Go118Pacer p = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(16 * MB, 0, 0, 16 * MB, 32 * MB, p.trigger() + 8 * MB), 0);
        assertThat(p.consMark()).isPositive();
        long t = p.trigger();
        p.startCycle(4, t, 0, 0, 0);
        p.assistsStarted(100_000_000);
        p.markStarted(100_000_000);
        p.endCycle(t + MB, 4, 110_000_000, 0); // bytes allocated over zero work: an infinite measurement
        assertThat(p.consMark()).isZero();
        assertThat(p.endTrace()).endsWith("[controller reset]");
    }

    @Test
    void aCycleThatEndsAtOrBelowItsTriggerLeavesTheEstimate() {
        Go118Pacer p = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(16 * MB, 0, 0, 16 * MB, 32 * MB, p.trigger() + 8 * MB), 0);
        double before = p.consMark();
        cycle(p, 4, new Cycle(16 * MB, 0, 0, 16 * MB, 32 * MB, p.trigger()), 100_000_000);
        assertThat(p.consMark()).isEqualTo(before);
        assertThat(p.endTrace()).startsWith("pacer: no cons/mark update");
    }

    // =====================================================================================
    // The GC CPU limiter
    // =====================================================================================

    static final long S = 1_000_000_000L;

    @Test
    void theLimiterTurnsOnWhenGcTimeOutrunsMutatorTimeAndOffAgain() {
        int n = 2;
        GcCpuLimiter l = new GcCpuLimiter(U, RealPlatform.INSTANCE);
        l.resetCapacity(0, n);
        assertThat(l.capacity()).isEqualTo(n * S);
        l.startGcTransition(true, 0);
        l.finishGcTransition(0);
        long now = 0;
        long window = 100_000_000; // 100 ms
        long expectedFill = 0;
        int windows = 0;
        while (!l.limiting()) {
            // assists take half of every window: GC time = (u + 1/2) × window × n, mutator time the rest
            l.addAssistTime(window * n / 2);
            now += window;
            l.update(now);
            long gc = (long) (window * n * U) + window * n / 2;
            long change = gc - (window * n - gc);
            expectedFill = Math.min(n * S, expectedFill + change);
            assertThat(l.fill()).isEqualTo(expectedFill);
            assertThat((long) ++windows).as("windows to fill the bucket").isLessThanOrEqualTo(n * S / change + 1);
        }
        assertThat(l.fill()).isEqualTo(l.capacity());
        // the assists stop: GC time is the background 25%, mutator time 75%; the bucket drains and the limiter is off
        now += window;
        l.update(now);
        assertThat(l.limiting()).isFalse();
        assertThat(l.fill()).isEqualTo(n * S - (window * n - 2 * (long) (window * n * U)));
        // the GC turns off: all time is the mutator's, the bucket drains to empty and stays there
        l.startGcTransition(false, now);
        l.finishGcTransition(now);
        now += 10 * S;
        l.update(now);
        assertThat(l.fill()).isZero();
        assertThat(l.limiting()).isFalse();
        assertThat(l.timesEnabled()).isEqualTo(1);
    }

    /** Random windows, assists, idle time and GC transitions: the fill stays in [0, capacity] and the limiter is on exactly when it is full. */
    @Property(tries = 300)
    void theBucketStaysWithinItsCapacity(@ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll("steps") java.util.List<long[]> steps) {
        GcCpuLimiter l = new GcCpuLimiter(U, RealPlatform.INSTANCE);
        l.resetCapacity(0, n);
        long now = 0;
        boolean gcOn = false;
        for (long[] st : steps) {
            long window = st[0];
            now += window;
            l.addAssistTime(st[1] * window * n / 1000);
            l.addIdleTime(st[2] * window * n / 1000);
            if (st[3] == 1) {
                gcOn = !gcOn;
                l.startGcTransition(gcOn, now);
                l.finishGcTransition(now);
            } else {
                l.update(now);
            }
            assertThat(l.fill()).isBetween(0L, l.capacity());
            assertThat(l.limiting()).as("on exactly while full").isEqualTo(l.fill() == l.capacity());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<java.util.List<long[]>> steps() {
        var window = net.jqwik.api.Arbitraries.longs().between(0, 2 * S);
        var assist = net.jqwik.api.Arbitraries.longs().between(0, 1000); // permille of the window's CPU
        var idle = net.jqwik.api.Arbitraries.longs().between(0, 500);
        var transition = net.jqwik.api.Arbitraries.longs().between(0, 1);
        return net.jqwik.api.Combinators.combine(window, assist, idle, transition).as((a, b, c, d) -> new long[] {a, b, c, d})
                .list().ofMaxSize(60);
    }

    @Test
    void whileTheLimiterIsOnThePacerSaysSoAndAssistsAreSkipped() {
        Go118Pacer p = new Go118Pacer(100, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE);
        p.startCycle(2, p.trigger(), MB, 0, 0);
        p.assistsStarted(0);
        p.markStarted(0);
        assertThat(p.limiting()).isFalse();
        long now = 0;
        for (int i = 0; i < 100 && !p.limiting(); i++) {
            p.addAssistTime(2 * 100_000_000L); // both Ps assisting the whole window
            now += 100_000_000L;
            p.takeFractional(now); // the scheduler's worker check gives the limiter its update
        }
        assertThat(p.limiting()).isTrue();
    }

    // =====================================================================================
    // The memory limit
    // =====================================================================================

    @Test
    void underAMemoryLimitTheGoalShrinksToTheLimitLessNonHeapMemoryAndHeadroom() {
        long limit = 96 * MB;
        HeapStats s = stats(70 * MB, 72 * MB, 3 * MB); // 5 MiB not in heap objects
        Go118Pacer p = new Go118Pacer(100, limit, () -> s, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(32 * MB, MB, 0, 32 * MB, 64 * MB, 70 * MB), 0);
        long gp = gogcGoal(100, 64 * MB, MB, 0);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(gp);
        long expected = limit - 5 * MB - LIMIT_HEADROOM;
        assertThat(expected).isLessThan(gp);
        assertThat(p.memoryLimitGoal()).isEqualTo(expected);
        assertThat(p.nextGoal()).isEqualTo(expected);
        assertThat(p.trigger()).isLessThan(expected);

        // the same cycle without a limit paces to GOGC's goal
        Go118Pacer free = new Go118Pacer(100, Long.MAX_VALUE, () -> s, RealPlatform.INSTANCE);
        cycle(free, 4, new Cycle(32 * MB, MB, 0, 32 * MB, 64 * MB, 70 * MB), 0);
        assertThat(free.nextGoal()).isEqualTo(gp);
    }

    @Test
    void mappedMemoryOverTheLimitComesOffTheGoalAndNoRoomMeansTheMarkedHeap() {
        long limit = 64 * MB;
        AtomicReference<HeapStats> s = new AtomicReference<>(stats(60 * MB, 70 * MB, 0)); // 6 MiB over the limit, 10 MiB slack
        Go118Pacer p = new Go118Pacer(100, limit, s::get, RealPlatform.INSTANCE);
        cycle(p, 4, new Cycle(8 * MB, 0, 0, 8 * MB, 30 * MB, 60 * MB), 0);
        assertThat(gogcGoal(100, 30 * MB, 0, 0)).isGreaterThan(limit - 10 * MB - 6 * MB - LIMIT_HEADROOM);
        assertThat(p.nextGoal()).isEqualTo(limit - 10 * MB - 6 * MB - LIMIT_HEADROOM);
        // the non-heap memory alone fills the limit: collect continuously at the marked heap
        s.set(stats(10 * MB, 80 * MB, 0));
        cycle(p, 4, new Cycle(8 * MB, 0, 0, 8 * MB, 30 * MB, 60 * MB), 100_000_000);
        assertThat(p.nextGoal()).isEqualTo(30 * MB);
        assertThat(p.trigger()).isEqualTo(30 * MB);
    }

    @Test
    void gogcOffWithALimitPacesByTheLimitAlone() {
        long limit = 200 * MB;
        HeapStats s = stats(100 * MB, 100 * MB, 0);
        Go118Pacer p = new Go118Pacer(-1, limit, () -> s, RealPlatform.INSTANCE);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.heapMinimum()).isZero();
        cycle(p, 4, new Cycle(32 * MB, MB, 0, 32 * MB, 64 * MB, 100 * MB), 0);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.nextGoal()).isEqualTo(limit - LIMIT_HEADROOM);
        assertThat(p.trigger()).isLessThan(limit - LIMIT_HEADROOM).isGreaterThanOrEqualTo(64 * MB);
        // GOGC=off without a limit is not this pacer's to run
        assertThatThrownBy(() -> new Go118Pacer(-1, Long.MAX_VALUE, () -> s, RealPlatform.INSTANCE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOGC=off");
    }

    // =====================================================================================
    // Bad input
    // =====================================================================================

    @Test
    void badInputIsOneClearMessage() {
        assertThatThrownBy(() -> new Go118Pacer(-2, Long.MAX_VALUE, () -> null, RealPlatform.INSTANCE)).hasMessageContaining("GOGC >= 0 or off");
        assertThatThrownBy(() -> new Go118Pacer(100, -1, () -> null, RealPlatform.INSTANCE)).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> gort.api.Config.defaults().withGogc(-2)).hasMessage(
                "GOGC=-2 is invalid: must be a non-negative integer or off");
        assertThatThrownBy(() -> gort.api.Config.defaults().withMemoryLimit(-1)).hasMessageContaining("memory limit -1")
                .hasMessageContaining("at least 0, or off");
        for (String bad : new String[] {"-1", "12XB", "1.5GiB", "MiB", "9223372036854775808", "8388608TiB", ""}) {
            assertThatThrownBy(() -> gort.api.Config.parseMemoryLimit(bad)).as(bad).hasMessageStartingWith("GOMEMLIMIT=" + bad + " is invalid")
                    .hasMessageContaining("KiB, MiB, GiB or TiB").hasMessageNotContaining("\n");
        }
        assertThat(gort.api.Config.parseMemoryLimit("64MiB")).isEqualTo(64 * MB);
        assertThat(gort.api.Config.parseMemoryLimit("off")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> gort.api.Config.defaults().withPacer(PacerKind.GO15).withMemoryLimit(64 * MB).collectorSettings())
                .hasMessage("a memory limit (GOMEMLIMIT, --memlimit) needs --pacer go118: the go15 pacer has none");
        assertThatThrownBy(() -> gort.api.Config.defaults().withPacer(PacerKind.GO118).withMemoryLimit(64 * MB)
                .withGodebug(java.util.Map.of("gcstoptheworld", "1")).collectorSettings())
                .hasMessageContaining("needs the concurrent collector (GODEBUG gcstoptheworld=0)").hasMessageNotContaining("\n");
        assertThat(gort.api.Config.defaults().withPacer(PacerKind.GO118).withMemoryLimit(64 * MB).collectorSettings().memoryLimit())
                .isEqualTo(64 * MB);
    }
}
