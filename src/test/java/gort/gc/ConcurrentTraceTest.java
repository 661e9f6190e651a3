package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.testing.Rt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** gctrace's concurrent line and gcpacertrace's two lines per cycle, in Go 1.5's shapes. */
class ConcurrentTraceTest {
    static final Pattern CONCURRENT = Pattern.compile("gc (\\d+) @\\d+\\.\\d{3}s \\d+%: [0-9.]+\\+[0-9.]+\\+[0-9.]+\\+[0-9.]+\\+[0-9.]+ ms clock, "
            + "[0-9.]+\\+[0-9.]+\\+0\\+[0-9.]+/[0-9.]+/[0-9.]+\\+[0-9.]+ ms cpu, \\d+->\\d+->\\d+ MB, \\d+ MB goal, 2 P");

    @Test
    void gctraceAndPacertracePrintEveryConcurrentCycle() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Config cfg = Config.defaults().withGomaxprocs(2).withGodebug(Config.parseGodebug("gctrace=1,gcpacertrace=1")).withTraceOut(ps);
        Type node = Type.struct("ctt.node", "ptr,scalar");
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            int g = Raw.newGlobal();
            for (int i = 0; i < 2_000_000; i++) { // ~32 MB through a 4 MiB goal: at least one paced cycle (how many is the host's pace)
                long n = h.alloc(node);
                if ((i & 1023) == 0) {
                    h.storePtr(n, 0, Raw.global(g));
                    Raw.setGlobal(g, n);
                }
            }
            Go.gc(); // waits for a concurrent cycle in flight (world semaphore), so every started cycle ends
        });
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> gc = lines.stream().filter(l -> l.startsWith("gc ") && !l.endsWith("(forced)")).toList();
        assertThat(lines.stream().filter(l -> l.endsWith("(forced)")).count()).as("Go.gc()'s own line").isEqualTo(1);
        // every cycle that ran printed its line and its two pacer lines; a loaded host may let one
        // cycle's marking span the whole allocation, so the test asks for one cycle, not several
        assertThat(gc).isNotEmpty().allMatch(l -> CONCURRENT.matcher(l).matches());
        long starts = lines.stream().filter(l -> l.startsWith("pacer: assist ratio=")).count();
        long ends = lines.stream().filter(l -> l.startsWith("pacer: H_m_prev=")).count();
        assertThat(starts).as("a start line per cycle").isEqualTo(gc.size());
        assertThat(ends).as("an end line per cycle").isEqualTo(gc.size());
    }
}
