package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.gc.CycleRecord;
import gort.platform.RuntimeMutex;
import gort.sched.Chan;
import gort.sched.G;
import gort.sched.Sched;
import gort.sched.Trace;
import gort.sched.WaitGroup;
import gort.testing.Rt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a goroutine parks is traced as the event kind Go 1.5's gopark call passes for it — a
 * sleep as GoSleep, a select as GoBlockSelect, a select with no cases and an operation on a nil
 * channel as GoStop — and reaches both exported formats, so that the goroutine's slice ends saying
 * what it waited for ("blocked: sleep", "blocked: select", ...).
 */
class BlockKindsTraceTest {
    @TempDir
    Path dir;

    @Test
    void aGoroutineSliceEndsWithItsWaitAndTheRawEventHasGo15sKind() throws IOException {
        Path raw = dir.resolve("kinds.raw");
        AtomicReference<List<CycleRecord>> recs = new AtomicReference<>();
        Map<String, Long> goids = new ConcurrentHashMap<>(); // wait reason -> the goroutine that waited so
        Config c = Config.defaults().withGomaxprocs(2).withTrace(new Trace.Settings(raw))
                .withOnExit(rt -> recs.set(rt.collector().cycleRecords()));
        Rt.run(c, 60, () -> {
            Sched s = Sched.current();
            goids.put("sleep", Go.getg().goid());
            Go.sleep(1_000_000);
            // a goroutine parks as select will park it, and is readied once it is off its M
            RuntimeMutex lk = s.newMutex();
            AtomicReference<G> selector = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go("trace.selector", () -> {
                goids.put("select", Go.getg().goid());
                selector.set(Go.getg());
                lk.lock();
                s.goparkunlock(lk, "select");
                wg.done();
            });
            // parks that nothing ends
            Go.go("trace.nocases", () -> {
                goids.put("select (no cases)", Go.getg().goid());
                s.gopark(null, null, "select (no cases)");
            });
            Go.go("trace.nilchan", () -> {
                goids.put("chan receive (nil chan)", Go.getg().goid());
                Chan.recv(null);
            });
            while (selector.get() == null || selector.get().status() != G.WAITING || goids.size() < 4) {
                Go.sleep(100_000);
            }
            s.ready(selector.get());
            wg.await();
            while (Go.numGoroutine() > 3 || !parked(s, goids.get("select (no cases)")) || !parked(s, goids.get("chan receive (nil chan)"))) {
                Go.sleep(100_000);
            }
        });
        Map<String, Integer> kindOf = Map.of("sleep", Trace.EV_GO_SLEEP, "select", Trace.EV_GO_BLOCK_SELECT,
                "select (no cases)", Trace.EV_GO_STOP, "chan receive (nil chan)", Trace.EV_GO_STOP);

        // the raw events: the reason's kind, carrying the reason
        RawTrace rt = RawTrace.open(raw);
        Map<String, List<Integer>> seen = new HashMap<>();
        rt.forEach(e -> {
            if (Trace.kindName(e.kind) != null && (e.kind == Trace.EV_GO_SLEEP || e.kind == Trace.EV_GO_BLOCK_SELECT
                    || e.kind == Trace.EV_GO_STOP || e.kind == Trace.EV_GO_BLOCK)) {
                seen.computeIfAbsent(rt.string(e.a), k -> new ArrayList<>()).add(e.kind);
            }
            return true;
        });
        kindOf.forEach((reason, kind) -> assertThat(seen.get(reason)).as("events for %s", reason).isNotEmpty()
                .allMatch(k -> k.equals(kind), Trace.kindName(kind)));
        assertThat(seen.get("timer goroutine (idle)")).as("the idle timer goroutine").isNotEmpty()
                .allMatch(k -> k == Trace.EV_GO_BLOCK, "GoBlock");

        // the exported timelines, read back: each goroutine's slice ends saying what it waited for
        for (String ext : new String[] {".json", ".pftrace"}) {
            Path f = dir.resolve("kinds" + ext);
            TraceExport.write(raw, f, TraceWindow.ALL, recs.get(), Map.of());
            Map<Long, List<Object>> ends = new HashMap<>();
            TimelineFile.read(f, new TimelineFile.Visitor() {
                @Override
                public void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {
                    if (group == TraceSink.PROCS && name.matches("G\\d+ .*") && args != null) {
                        ends.computeIfAbsent(Long.parseLong(name.substring(1, name.indexOf(' '))), k -> new ArrayList<>()).add(args.get("end"));
                    }
                }
            });
            kindOf.keySet().forEach(reason -> assertThat(ends.get(goids.get(reason))).as("%s: the slices of the goroutine that waited in %s", f, reason)
                    .contains("blocked: " + reason));
        }
        // and trace stats reads such a trace (no GC cycle in it: no waits)
        assertThat(TraceStats.of(dir.resolve("kinds.pftrace"), null).waits()).isEmpty();
    }

    private static boolean parked(Sched s, Long goid) {
        return goid != null && s.allgs().stream().anyMatch(g -> g.goid() == goid && g.status() == G.WAITING);
    }
}
