package gort.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One json run's log as both runtimes print it with {@code GODEBUG=gctrace=1,gcpacertrace=1}: Go
 * 1.5's gctrace and pacer lines, the wakeup line of the patched Go 1.5.1 anchor
 * ({@code gcwakeup phase=P by=K delay_ns=N}, which gort prints too), and the run's result line
 * (the anchor's {@code json bytes=... ms_per_op=...}, gort's {@code json: ... ms_per_op=...
 * gc_before=N}, and {@code node_work_mean=N} when held at a rate). Parsing the same lines from both runtimes gives the side-by-side figures one
 * definition: {@link #figures()}.
 *
 * <p>Owns the parsed cycles. Invariants: a cycle's wakeups are the gcwakeup lines printed before
 * its gc line (the coordinator prints each as it resumes, the gc line at the cycle's end); forced
 * cycles have none; cycles that gort ran before its measured window (its warm-up, numbered up to
 * {@code gc_before}) are left out of the figures.
 */
public final class GcLog {
    /** Go 1.5's gctrace line: the five clock phases, the heap at start, at termination, marked, the goal. */
    static final Pattern GC = Pattern.compile("^gc (\\d+) @([0-9.]+)s \\d+%: ([0-9.]+)\\+([0-9.]+)\\+([0-9.]+)\\+([0-9.]+)\\+([0-9.]+)"
            + " ms clock, .* ms cpu, (\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal, \\d+ P( \\(forced\\))?");
    static final Pattern PACER_END = Pattern.compile("^pacer: H_m_prev=(\\d+) .* H_a=(\\d+) .* H_g=(\\d+) ");
    static final Pattern WAKEUP = Pattern.compile("^gcwakeup phase=([12]) by=(\\d) delay_ns=(-?\\d+)");
    static final Pattern MS_PER_OP = Pattern.compile("\\bms_per_op=([0-9.]+)");
    static final Pattern GC_BEFORE = Pattern.compile("\\bgc_before=(\\d+)");
    static final Pattern NODE_WORK_MEAN = Pattern.compile("\\bnode_work_mean=(\\d+)");

    /** A wakeup: phase 1 or 2, the anchor's completer code (1 worker, 2 assist, 3 scheduler, 4 gort's coordinator). */
    public record Wakeup(int phase, int by, long delayNs) {}

    /**
     * One cycle's gctrace figures (its start, seconds since the process began; the five clock
     * phases), its pacer end line's H_m_prev, H_a and H_g (0 if none), and its wakeups.
     */
    public record Cycle(int n, double startSec, boolean forced, double[] clockMs, long heap0Mb, long heap1Mb, long markedMb, long goalMb,
            long heapMarkedPrev, long heapLive, long hg, List<Wakeup> wakeups) {
        /** When mark termination began: the start plus the four clock phases before it, in seconds. */
        public double markTermSec() {
            return startSec + (clockMs[0] + clockMs[1] + clockMs[2] + clockMs[3]) / 1e3;
        }

        /**
         * The bytes allocated since the previous cycle's mark termination: H_a − H_m_prev (both
         * runtimes set heap_live to the bytes marked at mark termination, and heap_live grows by
         * every byte allocated after, folded in from the per-P caches: Go 1.5.1's gcMark and
         * mCache_Refill); -1 without a pacer line.
         */
        public long allocatedSincePrev() {
            return heapLive <= 0 || heapMarkedPrev <= 0 ? -1 : heapLive - heapMarkedPrev;
        }

        /** Heap at mark termination ÷ goal as gctrace shows them (whole MB); NaN under a 1 MB goal. */
        public double overGoal() {
            return goalMb <= 0 ? Double.NaN : (double) heap1Mb / goalMb;
        }

        /** H_a ÷ H_g from the pacer line; NaN without one. */
        public double overHg() {
            return hg <= 0 ? Double.NaN : (double) heapLive / hg;
        }

        /**
         * H_a − H_g in milliseconds of the cycle's own allocation rate (heap growth from its start to
         * mark termination over the clock time of the phases before mark termination); NaN when
         * either is unknown.
         */
        public double overshootMs() {
            double ms = clockMs[0] + clockMs[1] + clockMs[2] + clockMs[3];
            double grewBytes = heapLive - heap0Mb * 1048576.0;
            if (hg <= 0 || ms <= 0 || grewBytes <= 0) {
                return Double.NaN;
            }
            return (heapLive - hg) / (grewBytes / ms);
        }
    }

    private final List<Cycle> cycles;
    private final double msPerOp;
    private final int gcBefore;
    private final int nodeWorkMean;

    private GcLog(List<Cycle> cycles, double msPerOp, int gcBefore, int nodeWorkMean) {
        this.cycles = cycles;
        this.msPerOp = msPerOp;
        this.gcBefore = gcBefore;
        this.nodeWorkMean = nodeWorkMean;
    }

    /** Parses a run's output (stdout and stderr together, or either). Unknown lines are ignored. */
    public static GcLog parse(List<String> lines) {
        List<Cycle> cycles = new ArrayList<>();
        List<Wakeup> pending = new ArrayList<>();
        long[] pacer = null;
        double msPerOp = Double.NaN;
        int gcBefore = 0;
        int nodeWorkMean = -1;
        for (String line : lines) {
            Matcher m;
            if ((m = WAKEUP.matcher(line)).find()) {
                pending.add(new Wakeup(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
            } else if ((m = PACER_END.matcher(line)).find()) {
                pacer = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
            } else if ((m = GC.matcher(line)).find()) {
                double[] clock = new double[5];
                for (int i = 0; i < 5; i++) {
                    clock[i] = Double.parseDouble(m.group(3 + i));
                }
                boolean forced = m.group(12) != null;
                boolean paced = pacer != null && !forced;
                cycles.add(new Cycle(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), forced, clock, Long.parseLong(m.group(8)),
                        Long.parseLong(m.group(9)), Long.parseLong(m.group(10)), Long.parseLong(m.group(11)),
                        paced ? pacer[0] : 0, paced ? pacer[1] : 0, paced ? pacer[2] : 0, forced ? List.of() : List.copyOf(pending)));
                pending.clear();
                pacer = null;
            } else if (line.startsWith("json") && (m = MS_PER_OP.matcher(line)).find()) {
                msPerOp = Double.parseDouble(m.group(1));
                Matcher b = GC_BEFORE.matcher(line);
                if (b.find()) {
                    gcBefore = Integer.parseInt(b.group(1));
                }
                Matcher w = NODE_WORK_MEAN.matcher(line);
                if (w.find()) {
                    nodeWorkMean = Integer.parseInt(w.group(1));
                }
            }
        }
        return new GcLog(List.copyOf(cycles), msPerOp, gcBefore, nodeWorkMean);
    }

    /** Every cycle parsed, warm-up included. */
    public List<Cycle> cycles() {
        return cycles;
    }

    /** The run's milliseconds per op (wall time over ops, as both print it); NaN if absent. */
    public double msPerOp() {
        return msPerOp;
    }

    /**
     * gort's json run held at an allocation rate ({@code --alloc-rate}): the mean extra work per
     * node over its measured window; -1 for any other run.
     */
    public int nodeWorkMean() {
        return nodeWorkMean;
    }

    /**
     * The figures of one run, computed alike for both runtimes. {@code allocBytesPerSec} is the
     * allocation rate ({@link #allocRate}); {@code allocBytesPerOp} that rate times the run's time
     * per op (NaN when either is missing).
     */
    public record Figures(int cycles, Percentiles mark1, Percentiles mark2, Percentiles mark1Worker, Percentiles mark1Assist,
            Percentiles assist, CompleterMix mark1By, CompleterMix mark2By, double overGoalMean, int overGoalCycles, double overHgMean, double overshootMsMean,
            double sweepTermMaxMs, double markTermMaxMs, double opsPerSec, double allocBytesPerSec, double allocBytesPerOp) {}

    /**
     * The run's allocation rate in bytes per second, read from the gctrace and pacer lines alone:
     * over every pair of consecutive measured, unforced cycles, the bytes allocated between their
     * mark terminations ({@link Cycle#allocatedSincePrev}) over the time between them, summed;
     * NaN with fewer than two such cycles. The same lines from both runtimes give the same
     * definition, whatever each runtime's own counters say.
     */
    public double allocRate() {
        double bytes = 0;
        double secs = 0;
        Cycle prev = null;
        for (Cycle c : cycles) {
            boolean measured = !c.forced() && c.n() > gcBefore;
            if (measured && prev != null && prev.n() == c.n() - 1 && c.allocatedSincePrev() >= 0) {
                double dt = c.markTermSec() - prev.markTermSec();
                if (dt > 0) {
                    bytes += c.allocatedSincePrev();
                    secs += dt;
                }
            }
            prev = measured ? c : null;
        }
        return secs > 0 ? bytes / secs : Double.NaN;
    }

    /** The figures of the measured concurrent cycles. */
    public Figures figures() {
        List<Long> m1 = new ArrayList<>();
        List<Long> m2 = new ArrayList<>();
        List<Long> m1w = new ArrayList<>();
        List<Long> m1a = new ArrayList<>();
        List<Long> as = new ArrayList<>();
        CompleterMix by1 = CompleterMix.NONE;
        CompleterMix by2 = CompleterMix.NONE;
        double goalSum = 0;
        int goalN = 0;
        double hgSum = 0;
        int hgN = 0;
        double msSum = 0;
        int msN = 0;
        double sweepMax = 0;
        double termMax = 0;
        int n = 0;
        for (Cycle c : cycles) {
            if (c.forced() || c.n() <= gcBefore) {
                continue;
            }
            n++;
            sweepMax = Math.max(sweepMax, c.clockMs()[0]);
            termMax = Math.max(termMax, c.clockMs()[4]);
            for (Wakeup w : c.wakeups()) {
                long d = Math.max(0, w.delayNs());
                (w.phase() == 1 ? m1 : m2).add(d);
                if (w.phase() == 1) {
                    by1 = by1.plus(w.by());
                    if (w.by() == 1 || w.by() == 2) {
                        (w.by() == 2 ? m1a : m1w).add(d);
                    }
                } else {
                    by2 = by2.plus(w.by());
                }
                if (w.by() == 2) {
                    as.add(d);
                }
            }
            if (!Double.isNaN(c.overGoal())) {
                goalSum += c.overGoal();
                goalN++;
            }
            if (!Double.isNaN(c.overHg())) {
                hgSum += c.overHg();
                hgN++;
            }
            if (!Double.isNaN(c.overshootMs())) {
                msSum += c.overshootMs();
                msN++;
            }
        }
        return new Figures(n, pct(m1), pct(m2), pct(m1w), pct(m1a), pct(as), by1, by2, goalN == 0 ? Double.NaN : goalSum / goalN, goalN,
                hgN == 0 ? Double.NaN : hgSum / hgN, msN == 0 ? Double.NaN : msSum / msN, sweepMax, termMax,
                Double.isNaN(msPerOp) || msPerOp <= 0 ? Double.NaN : 1000 / msPerOp, allocRate(), allocRate() * msPerOp / 1000);
    }

    private static Percentiles pct(List<Long> v) {
        return Percentiles.of(v.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GcLog[%d cycles, %.1f ms/op]", cycles.size(), msPerOp);
    }
}
