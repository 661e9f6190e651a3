package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.gc.CycleRecord;
import gort.platform.RuntimeMutex;
import gort.api.Chan;
import gort.sched.G;
import gort.sched.Sched;
import gort.sched.Trace;
import gort.api.WaitGroup;
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
 * what it waited for ("blocked: sleep", "blocked: select", ...); and the timer goroutine is named
 * (Go's TimerGoroutine), so that what it readies is drawn from a "Timers" lane, as Go's viewer does.
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
            // a goroutine that only sleeps: the one unblock into it is the timer's
            WaitGroup slept = new WaitGroup();
            slept.add(1);
            Go.go("trace.sleeper", () -> {
                goids.put("sleep", Go.getg().goid());
                Go.sleep(1_000_000);
                slept.done();
            });
            slept.await();
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
            while (selector.get() == null || selector.get().status() != G.WAITING || goids.size() < 4) { // the sleeper, the selector and both parkers
                Go.sleep(100_000);
            }
            s.ready(selector.get());
            wg.await();
            while (Go.numGoroutine() > 3 || !parked(s, goids.get("select (no cases)"))
                    || !parked(s, goids.get("chan receive (nil chan)"))) {
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
        Map<Long, String> created = new HashMap<>();
        List<Long> timerGoroutines = new ArrayList<>();
        rt.forEach(e -> {
            if (e.kind == Trace.EV_GO_CREATE) {
                created.put(e.a, rt.string(e.b));
            } else if (e.kind == Trace.EV_TIMER_GOROUTINE) {
                timerGoroutines.add(e.a);
            }
            return true;
        });
        assertThat(timerGoroutines).as("TimerGoroutine events").hasSize(1);
        assertThat(created.get(timerGoroutines.get(0))).isEqualTo("runtime.timerproc");

        // the exported timelines, read back: each goroutine's slice ends saying what it waited for
        for (String ext : new String[] {".json", ".pftrace"}) {
            Path f = dir.resolve("kinds" + ext);
            TraceExport.write(raw, f, TraceWindow.ALL, recs.get(), Map.of());
            Map<Long, List<Object>> ends = new HashMap<>();
            Map<Long, List<String>> starts = new HashMap<>(); // goid -> "tid@ts" of its slices
            Map<Long, String> arrowFrom = new HashMap<>();
            Map<Long, String> arrowTo = new HashMap<>();
            List<String> timerInstants = new ArrayList<>();
            TimelineFile.read(f, new TimelineFile.Visitor() {
                @Override
                public void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {
                    if (group == TraceSink.PROCS && name.matches("G\\d+ .*") && args != null) {
                        long goid = Long.parseLong(name.substring(1, name.indexOf(' ')));
                        ends.computeIfAbsent(goid, k -> new ArrayList<>()).add(args.get("end"));
                        starts.computeIfAbsent(goid, k -> new ArrayList<>()).add(tid + "@" + ts);
                    }
                }

                @Override
                public void instant(int group, long tid, String name, long ts, Map<String, Object> args, long sf) {
                    if (group == TraceSink.PROCS && tid == TraceModel.TIMERS.tid()) {
                        timerInstants.add(name + "@" + ts);
                    }
                }

                @Override
                public void flow(String name, char ph, long id, int group, long tid, long ts) {
                    if (ph != 's') {
                        arrowTo.put(id, tid + "@" + ts);
                    } else if (name.equals("unblock")) { // (an arrow's end may not repeat its name)
                        arrowFrom.put(id, tid + "@" + ts);
                    }
                }
            });
            kindOf.keySet().forEach(reason -> assertThat(ends.get(goids.get(reason)))
                    .as("%s: the slices of the goroutine that waited in %s", f, reason).contains("blocked: " + reason));
            // the sleeper was readied by the timer goroutine: the arrow into its next start comes from
            // the Timers lane, from an "unblock" instant there, as in Go 1.5.1's viewer
            List<String> fromTimers = arrowTo.entrySet().stream()
                    .filter(en -> starts.get(goids.get("sleep")).contains(en.getValue()) && arrowFrom.containsKey(en.getKey()))
                    .map(en -> arrowFrom.get(en.getKey())).toList();
            assertThat(fromTimers).as("%s: unblock arrows into the sleeper's starts", f).isNotEmpty()
                    .allMatch(from -> from.startsWith(TraceModel.TIMERS.tid() + "@"));
            fromTimers.forEach(from -> assertThat(timerInstants).contains("unblock@" + from.substring(from.indexOf('@') + 1)));
        }
        // and trace stats reads such a trace (no GC cycle in it: no waits)
        assertThat(TraceStats.of(dir.resolve("kinds.pftrace"), null).waits()).isEmpty();
    }

    private static boolean parked(Sched s, Long goid) {
        return goid != null && s.allgs().stream().anyMatch(g -> g.goid() == goid && g.status() == G.WAITING);
    }
}
