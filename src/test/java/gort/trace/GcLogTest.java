package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocation rate read from gctrace and pacer lines, as both runtimes print them. */
class GcLogTest {
    /** A pacer end line and a gc line: cycle n starting at startSec, 10 ms before mark termination. */
    static List<String> cycle(int n, double startSec, long markedPrev, long heapLive, boolean forced) {
        List<String> l = new ArrayList<>();
        if (!forced) {
            l.add("pacer: H_m_prev=" + markedPrev + " h_t=+9.5e-001 H_T=1 h_a=+1.0e+000 H_a=" + heapLive
                    + " h_g=+1.0e+000 H_g=" + 2 * markedPrev + " u_a=+2.5e-001 u_g=+2.5e-001 W_a=1 goalΔ=+0 actualΔ=+0 u_a/u_g=+1");
        }
        l.add(String.format(java.util.Locale.ROOT, "gc %d @%.3fs 5%%: 1.0+2.0+3.0+4.0+0.5 ms clock, 1+2+0+1/1/1+1 ms cpu, 4->8->4 MB,"
                + " 8 MB goal, 4 P%s", n, startSec, forced ? " (forced)" : ""));
        return l;
    }

    @Test
    void theRateIsTheBytesBetweenMarkTerminationsOverTheTimeBetweenThem() {
        List<String> lines = new ArrayList<>();
        lines.addAll(cycle(1, 0.100, 4_000_000, 9_000_000, false));
        lines.addAll(cycle(2, 0.200, 5_000_000, 11_000_000, false)); // 6 MB since cycle 1's mark termination, 0.1 s later
        lines.addAll(cycle(3, 0.400, 5_000_000, 13_000_000, false)); // 8 MB in 0.2 s
        GcLog g = GcLog.parse(lines);
        assertThat(g.cycles().get(1).allocatedSincePrev()).isEqualTo(6_000_000);
        assertThat(g.cycles().get(0).markTermSec()).isCloseTo(0.110, within(1e-9));
        assertThat(g.allocRate()).isCloseTo(14e6 / 0.3, within(1.0));
        assertThat(g.figures().allocBytesPerSec()).isEqualTo(g.allocRate());
    }

    @Test
    void gortsWarmUpCyclesAndForcedCyclesBreakTheSum() {
        List<String> lines = new ArrayList<>();
        lines.addAll(cycle(1, 0.100, 4_000_000, 50_000_000, false)); // warm-up
        lines.addAll(cycle(2, 0.200, 5_000_000, 60_000_000, false)); // first measured: its interval began in the warm-up
        lines.addAll(cycle(3, 0.400, 5_000_000, 13_000_000, false)); // 8 MB in 0.2 s
        lines.addAll(cycle(4, 0.500, 0, 0, true)); // forced: no pacer line
        lines.addAll(cycle(5, 0.600, 5_000_000, 99_000_000, false)); // after a forced cycle: left out
        lines.addAll(cycle(6, 0.700, 5_000_000, 7_000_000, false)); // 2 MB in 0.1 s
        lines.add("json: procs=4 ops=10 ns_per_op=1 ms_per_op=100.0 gc_before=1 gc_after=6 node_work_mean=1234");
        GcLog g = GcLog.parse(lines);
        assertThat(g.allocRate()).isCloseTo(10e6 / 0.3, within(1.0));
        assertThat(g.nodeWorkMean()).isEqualTo(1234);
        assertThat(g.figures().allocBytesPerOp()).isCloseTo(10e6 / 0.3 * 0.1, within(1.0));
    }

    @Test
    void fewerThanTwoCyclesHaveNoRate() {
        assertThat(GcLog.parse(cycle(1, 0.1, 1, 2, false)).allocRate()).isNaN();
        assertThat(GcLog.parse(List.of("json bytes=1 ms_per_op=3.0")).nodeWorkMean()).isEqualTo(-1);
    }
}
