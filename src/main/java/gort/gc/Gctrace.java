package gort.gc;

import java.util.Locale;

/**
 * The lines {@code GODEBUG=gctrace=1} prints, in Go 1.5's format: one per concurrent cycle
 * (five clock phases: sweep termination, scan, install-WB, mark, mark termination; CPU: sweep
 * termination, scan, install-WB, assist/background/idle mark, mark termination), one per forced
 * cycle (every phase after sweep termination collapsed into mark termination, the goal shown as
 * the heap at the start, "(forced)"), and after each of the coordinator's waits the line the
 * patched Go 1.5.1 anchor prints ({@code gcwakeup phase=P by=K delay_ns=N}) with gort's detail.
 * Owns nothing.
 */
final class Gctrace {
    private Gctrace() {}

    /** A concurrent cycle's line; clock and cpu in ns as Go's fields, heaps in bytes. */
    static String concurrent(int cycle, long startSinceInit, long utilization, long[] clock, long[] cpu, long heap0, long heap1,
            long marked, long goal, int procs) {
        String cl = GoFormat.fmtNSAsMS(clock[0]) + "+" + GoFormat.fmtNSAsMS(clock[1]) + "+" + GoFormat.fmtNSAsMS(clock[2]) + "+"
                + GoFormat.fmtNSAsMS(clock[3]) + "+" + GoFormat.fmtNSAsMS(clock[4]);
        String cp = GoFormat.fmtNSAsMS(cpu[0]) + "+" + GoFormat.fmtNSAsMS(cpu[1]) + "+0+" + GoFormat.fmtNSAsMS(cpu[2]) + "/"
                + GoFormat.fmtNSAsMS(cpu[3]) + "/" + GoFormat.fmtNSAsMS(cpu[4]) + "+" + GoFormat.fmtNSAsMS(cpu[5]);
        return "gc " + cycle + " @" + GoFormat.itoaDiv(startSinceInit / 1_000_000, 3) + "s " + utilization + "%: " + cl + " ms clock, "
                + cp + " ms cpu, " + (heap0 >> 20) + "->" + (heap1 >> 20) + "->" + (marked >> 20) + " MB, " + (goal >> 20) + " MB goal, "
                + procs + " P";
    }

    /** A forced (stop-the-world) cycle's line (Go's gc(gcForceMode) with gcstoptheworld=1). */
    static String forced(int cycle, long startSinceInit, long utilization, long sweepTermNs, long markNs, int stwprocs, long heap0,
            long marked, int procs) {
        String clock = GoFormat.fmtNSAsMS(sweepTermNs) + "+0+0+0+" + GoFormat.fmtNSAsMS(markNs);
        String cpu = GoFormat.fmtNSAsMS(stwprocs * sweepTermNs) + "+0+0+0/0/0+" + GoFormat.fmtNSAsMS(stwprocs * markNs);
        return "gc " + cycle + " @" + GoFormat.itoaDiv(startSinceInit / 1_000_000, 3) + "s " + utilization + "%: " + clock + " ms clock, "
                + cpu + " ms cpu, " + (heap0 >> 20) + "->" + (heap0 >> 20) + "->" + (marked >> 20) + " MB, " + (heap0 >> 20)
                + " MB goal, " + procs + " P (forced)";
    }

    /** The wakeup line of the patched Go 1.5.1 anchor (its README), then gort's detail. */
    static String wakeup(int phase, MarkDoneSignal s, WakeupStrategy strategy, boolean assistBlock) {
        return "gcwakeup phase=" + phase + " by=" + s.completer().anchorCode() + " delay_ns=" + s.wakeupDelayNanos() + " completer="
                + s.completer().name().toLowerCase(Locale.ROOT) + " waited=\"" + s.waited().label() + "\" strategy=" + strategy.flag()
                + " assistblock=" + (assistBlock ? 1 : 0);
    }
}
