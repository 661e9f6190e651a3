package gort.trace;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.gc.Collector;
import gort.gc.CycleRecord;
import gort.gc.WakeupStrategy;
import gort.heap.Type;
import gort.api.Chan;
import gort.sched.Sched;
import gort.sched.Trace;
import gort.testing.Rt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Traces of real runs, parsed back from both formats, keep the invariants a timeline must have:
 * goroutine slices on one P never overlap; every goroutine start follows what made it runnable
 * (its creation, an unblock, a Gosched or preemption, a syscall exit); each cycle's mark-done and
 * coordinator-resume timestamps equal its CycleRecord's; under park every completion has an arrow
 * from the completer to where the coordinator runs next (and an unblock arrow when it was parked);
 * under note the coordinator's wait passes through the note's syscall, and it is seen runnable on
 * the global run queue; under none the completer itself resumes the phase. One traced run per strategy (2 Ps, allocating goroutines, a channel pair,
 * forced concurrent cycles), shared by the tests.
 */
class TraceInvariantsTest {
    static final Type NODE = Type.struct("trace.node", "ptr,ptr,scalar");
    static final int CYCLES = 6;

    record Run(List<CycleRecord> records, Path raw, Path json, Path pftrace) {}

    static final Map<WakeupStrategy, Run> RUNS = new EnumMap<>(WakeupStrategy.class);

    @TempDir
    static Path dir;

    @BeforeAll
    static void traceOneRunPerStrategy() throws IOException {
        for (WakeupStrategy s : WakeupStrategy.values()) {
            RUNS.put(s, traced(s, dir.resolve(s.flag())));
        }
    }

    static Run traced(WakeupStrategy s, Path base) throws IOException {
        Path raw = Path.of(base + ".raw");
        AtomicReference<List<CycleRecord>> recs = new AtomicReference<>();
        Config c = Config.defaults().withGomaxprocs(2).withWakeup(s).withTrace(new Trace.Settings(raw))
                .withOnExit(rt -> recs.set(rt.collector().cycleRecords()));
        Rt.run(c, 120, () -> {
            Heap h = Raw.heap();
            Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
            int g = Raw.newGlobal();
            for (int i = 0; i < 20_000; i++) { // a live list: marking has work
                long n = h.alloc(NODE);
                h.storePtr(n, 0, Raw.global(g));
                Raw.setGlobal(g, n);
            }
            AtomicBoolean stop = new AtomicBoolean();
            for (int w = 0; w < 3; w++) {
                Go.go("trace.mutator", () -> {
                    while (!stop.get()) {
                        h.alloc(NODE); // garbage: refills, assists
                        Go.poll();
                    }
                });
            }
            Chan<Integer> ping = Go.makeChan(Integer.class, 0);
            Go.go("trace.receiver", () -> {
                for (;;) {
                    ping.recv();
                }
            });
            Go.go("trace.sender", () -> {
                for (int k = 0; !stop.get(); k++) {
                    ping.send(k);
                    for (int j = 0; j < 200; j++) {
                        h.alloc(NODE);
                    }
                }
            });
            for (int k = 0; k < CYCLES; k++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    h.alloc(NODE);
                }
            }
            stop.set(true);
        });
        Path json = Path.of(base + ".json");
        Path pf = Path.of(base + ".pftrace");
        TraceExport.write(raw, json, TraceWindow.ALL, recs.get(), Map.of("strategy", s.flag()));
        TraceExport.write(raw, pf, TraceWindow.ALL, recs.get(), Map.of());
        return new Run(recs.get().stream().filter(r -> !r.forced()).toList(), raw, json, pf);
    }

    // ---- what a file holds, read back ----

    record Slice(long tid, String name, long ts, long end, Map<String, Object> args) {}

    record Point(String name, long tid, long ts) {}

    static final class Parsed implements TimelineFile.Visitor {
        final Map<Long, List<Slice>> goroutineSlices = new HashMap<>();
        final List<Slice> waits = new ArrayList<>();
        final List<Slice> doneInstants = new ArrayList<>();
        final List<Slice> resumedInstants = new ArrayList<>();
        final Map<Long, Point> flowStart = new HashMap<>();
        final Map<Long, Point> flowEnd = new HashMap<>();

        @Override
        public void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {
            if (group == TraceSink.PROCS && name.matches("G\\d+ .*")) {
                goroutineSlices.computeIfAbsent(tid, k -> new ArrayList<>()).add(new Slice(tid, name, ts, ts + dur, args));
            } else if (group == TraceSink.GC && name.matches("mark [12] wait \\(.*\\)")) {
                waits.add(new Slice(tid, name, ts, ts + dur, args));
            }
        }

        @Override
        public void instant(int group, long tid, String name, long ts, Map<String, Object> args, long sf) {
            if (name.matches("mark [12] done")) {
                doneInstants.add(new Slice(tid, name, ts, ts, args));
            } else if (name.matches("mark [12] resumed")) {
                resumedInstants.add(new Slice(tid, name, ts, ts, args));
            }
        }

        @Override
        public void flow(String name, char ph, long id, int group, long tid, long ts) {
            (ph == 's' ? flowStart : flowEnd).put(id, new Point(name, tid, ts));
        }

        List<Slice> all() {
            List<Slice> l = new ArrayList<>();
            goroutineSlices.values().forEach(l::addAll);
            return l;
        }

        boolean isCoordinator(Slice s) {
            return s.name().endsWith(" " + TraceModel.COORDINATOR_NAME);
        }
    }

    static Parsed parse(Path f) throws IOException {
        Parsed p = new Parsed();
        TimelineFile.read(f, p);
        return p;
    }

    static List<Path> files(WakeupStrategy s) {
        return List.of(RUNS.get(s).json(), RUNS.get(s).pftrace());
    }

    // ---- the invariants ----

    @ParameterizedTest
    @EnumSource(WakeupStrategy.class)
    void slicesOnOnePNeverOverlap(WakeupStrategy s) throws IOException {
        for (Path f : files(s)) {
            Parsed p = parse(f);
            assertThat(p.goroutineSlices).as("%s: some P ran goroutines", f).isNotEmpty();
            for (var en : p.goroutineSlices.entrySet()) {
                List<Slice> l = new ArrayList<>(en.getValue());
                l.sort((a, b) -> Long.compare(a.ts(), b.ts()));
                for (int i = 1; i < l.size(); i++) {
                    assertThat(l.get(i).ts()).as("%s: P%d: %s starts before %s ends", f, en.getKey(), l.get(i), l.get(i - 1))
                            .isGreaterThanOrEqualTo(l.get(i - 1).end());
                }
                assertThat(l).as("%s: no slice is cut by a defensive close", f)
                        .noneMatch(x -> x.args() != null && ("replaced".equals(x.args().get("end")) || "proc stop".equals(x.args().get("end"))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WakeupStrategy.class)
    void everyGoStartFollowsWhatMadeItRunnable(WakeupStrategy s) throws IOException {
        // in the event stream: a goroutine starts only after its creation, an unblock, a Gosched or
        // preemption, or a syscall exit, and each of those is used by at most one start
        Map<Long, Boolean> runnable = new HashMap<>();
        Map<Integer, Long> running = new HashMap<>(); // per P, the goroutine it runs (Gosched and preemption name none)
        int[] starts = new int[1];
        RawTrace.open(RUNS.get(s).raw()).forEach(e -> {
            switch (e.kind) {
                case Trace.EV_GO_CREATE, Trace.EV_GO_UNBLOCK, Trace.EV_GO_SYSEXIT -> {
                    assertThat(runnable.get(e.a)).as("G%d made runnable twice (%s)", e.a, e).isNotEqualTo(Boolean.TRUE);
                    runnable.put(e.a, true);
                }
                case Trace.EV_GO_SCHED, Trace.EV_GO_PREEMPT -> {
                    Long g = running.remove(e.pid);
                    assertThat(g).as("a yield on P%d with no goroutine running (%s)", e.pid, e).isNotNull();
                    runnable.put(g, true);
                }
                case Trace.EV_GO_START -> {
                    assertThat(runnable.get(e.a)).as("G%d starts without having been made runnable (%s)", e.a, e).isEqualTo(Boolean.TRUE);
                    runnable.put(e.a, false);
                    running.put(e.pid, e.a);
                    starts[0]++;
                }
                case Trace.EV_GO_END, Trace.EV_GO_SLEEP, Trace.EV_GO_BLOCK, Trace.EV_GO_BLOCK_SEND, Trace.EV_GO_BLOCK_RECV,
                        Trace.EV_GO_BLOCK_SELECT, Trace.EV_GO_BLOCK_SYNC, Trace.EV_GO_STOP, Trace.EV_GO_SYSBLOCK -> running.remove(e.pid);
                default -> {}
            }
            return true;
        });
        assertThat(starts[0]).isPositive();
    }

    @ParameterizedTest
    @EnumSource(WakeupStrategy.class)
    void everyExportedStartHasAnArrowOrFollowsAYield(WakeupStrategy s) throws IOException {
        for (Path f : files(s)) {
            Parsed p = parse(f);
            Set<String> arrowsIn = new HashSet<>();
            for (var en : p.flowEnd.entrySet()) {
                Point st = p.flowStart.get(en.getKey());
                assertThat(st).as("%s: arrow %d has an end but no start", f, en.getKey()).isNotNull();
                assertThat(st.ts()).as("%s: arrow %s goes back in time", f, st).isLessThanOrEqualTo(en.getValue().ts());
                arrowsIn.add(en.getValue().tid() + "@" + en.getValue().ts() + ":" + st.name());
            }
            Map<String, Slice> lastOfG = new HashMap<>();
            List<Slice> all = p.all();
            all.sort((a, b) -> Long.compare(a.ts(), b.ts()));
            int withArrow = 0;
            for (Slice x : all) {
                Slice prev = lastOfG.put(x.name(), x);
                boolean arrow = arrowsIn.contains(x.tid() + "@" + x.ts() + ":go") || arrowsIn.contains(x.tid() + "@" + x.ts() + ":unblock")
                        || arrowsIn.contains(x.tid() + "@" + x.ts() + ":sysexit");
                Object how = prev == null || prev.args() == null ? null : prev.args().get("end");
                boolean yielded = "preempted".equals(how) || "Gosched".equals(how);
                assertThat(arrow || yielded).as("%s: %s starts with no arrow into it, after a slice that ended %s", f, x, how).isTrue();
                withArrow += arrow ? 1 : 0;
            }
            assertThat(withArrow).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(WakeupStrategy.class)
    void markDoneAndResumeTimesEqualTheRecords(WakeupStrategy s) throws IOException {
        List<CycleRecord> recs = RUNS.get(s).records();
        assertThat(recs).hasSizeGreaterThanOrEqualTo(CYCLES);
        for (Path f : files(s)) {
            Parsed p = parse(f);
            for (CycleRecord r : recs) {
                for (int phase = 1; phase <= 2; phase++) {
                    CycleRecord.Completion c = phase == 1 ? r.mark1() : r.mark2();
                    final int ph = phase;
                    List<Slice> done = p.doneInstants.stream()
                            .filter(d -> num(d.args().get("cycle")) == r.cycle() && num(d.args().get("phase")) == ph).toList();
                    if (s.hasCoordinator()) {
                        assertThat(done).as("%s: cycle %d mark %d done instant", f, r.cycle(), phase).hasSize(1);
                    } else {
                        // without a coordinator, a completion whose re-check fails (a barrier greyed an
                        // object meanwhile) re-arms the phase: its CAS stays in the trace, and the
                        // completion that takes the transition is the last one, as in the record
                        assertThat(done).as("%s: cycle %d mark %d done instants", f, r.cycle(), phase).isNotEmpty();
                    }
                    Slice last = done.get(done.size() - 1);
                    assertThat(last.ts()).as("%s: cycle %d mark %d done", f, r.cycle(), phase).isEqualTo(c.doneNs());
                    assertThat(last.args().get("completer")).isEqualTo(c.completer().name().toLowerCase(java.util.Locale.ROOT));
                    List<Slice> w = p.waits.stream()
                            .filter(x -> num(x.args().get("cycle")) == r.cycle() && num(x.args().get("phase")) == ph).toList();
                    assertThat(w).as("%s: cycle %d mark %d wait", f, r.cycle(), phase).hasSize(1);
                    assertThat(w.get(0).end()).as("%s: cycle %d mark %d resumed", f, r.cycle(), phase).isEqualTo(c.resumedNs());
                    assertThat(num(w.get(0).args().get("resumed_ns"))).isEqualTo(c.resumedNs());
                    assertThat(num(w.get(0).args().get("done_ns"))).isEqualTo(c.doneNs());
                }
            }
        }
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    @ParameterizedTest
    @EnumSource(value = WakeupStrategy.class, names = {"PARK", "PARK_YIELD"})
    void underParkEveryCompletionHasAnArrowFromTheCompleterToTheCoordinator(WakeupStrategy s) throws IOException {
        for (Path f : files(s)) {
            Parsed p = parse(f);
            List<Slice> coord = p.all().stream().filter(p::isCoordinator).toList();
            Set<String> coordStarts = new HashSet<>();
            coord.forEach(x -> coordStarts.add(x.tid() + "@" + x.ts()));
            Set<String> resumed = new HashSet<>();
            p.resumedInstants.forEach(x -> resumed.add(x.tid() + "@" + x.ts()));
            int unblocks = 0;
            for (Slice d : p.doneInstants) {
                // the "mark done" arrow starts at the completion, on the completer's P
                List<Long> ids = p.flowStart.entrySet().stream().filter(en -> en.getValue().name().equals("mark done")
                        && en.getValue().tid() == d.tid() && en.getValue().ts() == d.ts()).map(Map.Entry::getKey).toList();
                assertThat(ids).as("%s: an arrow from %s", f, d).hasSize(1);
                Point end = p.flowEnd.get(ids.get(0));
                assertThat(end).as("%s: the arrow from %s ends", f, d).isNotNull();
                String at = end.tid() + "@" + end.ts();
                assertThat(coordStarts.contains(at) || resumed.contains(at)).as("%s: the arrow from %s ends at the coordinator's start or "
                        + "resumption, not at %s", f, d, at).isTrue();
                if (coordStarts.contains(at)) {
                    // it was off its P: either it had parked, and it was readied after the completion (an unblock
                    // arrow that starts after the done and ends at its start; the lane the arrow starts on is not
                    // checked here: a park-yield completion that comes while the coordinator parks has been seen with its
                    // ready arrow on another lane than the done's, which is not yet explained), or sysmon had preempted it before it
                    // could park, and it waited on the global run queue (its wait's path says so; the completer then
                    // only set the wake flag)
                    boolean unblock = p.flowStart.entrySet().stream().anyMatch(en -> en.getValue().name().equals("unblock")
                            && en.getValue().ts() >= d.ts() && p.flowEnd.get(en.getKey()) != null
                            && (p.flowEnd.get(en.getKey()).tid() + "@" + p.flowEnd.get(en.getKey()).ts()).equals(at));
                    String path = p.waits.stream().filter(w -> num(w.args().get("cycle")) == num(d.args().get("cycle"))
                            && num(w.args().get("phase")) == num(d.args().get("phase"))).map(w -> String.valueOf(w.args().get("path")))
                            .findFirst().orElse("");
                    boolean preemptedBeforeParking = path.contains("global run queue (preempted)") && !path.contains("blocked (mark wait");
                    assertThat(unblock || preemptedBeforeParking).as("%s: %s readied the coordinator (an unblock arrow into its start "
                            + "at %s), or it was preempted before it parked (path: %s)", f, d, at, path).isTrue();
                    if (unblock) {
                        unblocks++;
                    }
                }
            }
            assertThat(p.doneInstants).hasSizeGreaterThanOrEqualTo(2 * CYCLES);
            assertThat(unblocks).as("%s: completions that readied a parked coordinator", f).isPositive();
        }
    }

    @Test
    void underNoneTheCompleterTakesTheTransitionItself() throws IOException {
        // Go 1.6's gcMarkDone: the goroutine whose CAS won the phase is the one that resumes it (no
        // coordinator is woken), and a mark 1 transition hands straight on to mark 2's
        Map<Integer, Long> running = new HashMap<>();
        Map<Long, Long> completerOfPhase = new HashMap<>();
        int[] checked = new int[1];
        RawTrace.open(RUNS.get(WakeupStrategy.NONE).raw()).forEach(e -> {
            switch (e.kind) {
                case Trace.EV_GO_START -> running.put(e.pid, e.a);
                case Trace.EV_GC_MARK_DONE -> completerOfPhase.put(e.a, running.get(e.pid));
                case Trace.EV_GC_RESUME -> {
                    Long completer = completerOfPhase.remove(e.a);
                    assertThat(completer).as("mark %d resumed with no completion before it (%s)", e.a, e).isNotNull();
                    assertThat(running.get(e.pid)).as("mark %d resumed on G%d, not on its completer G%d", e.a, running.get(e.pid),
                            completer).isEqualTo(completer);
                    checked[0]++;
                }
                default -> {}
            }
            return true;
        });
        assertThat(checked[0]).isGreaterThanOrEqualTo(2 * CYCLES);
    }

    @Test
    void underNoteTheCoordinatorWaitsInTheNoteAndOnTheGlobalRunQueue() throws IOException {
        for (Path f : files(WakeupStrategy.NOTE)) {
            Parsed p = parse(f);
            assertThat(p.waits).hasSizeGreaterThanOrEqualTo(2 * CYCLES);
            int global = 0;
            for (Slice w : p.waits) {
                String path = (String) w.args().get("path");
                assertThat(path).as("%s: %s", f, w).contains("in a syscall (note sleep)");
                assertThat(path).as("%s: %s", f, w).containsAnyOf("runnable: global run queue", "runnable: took an idle P");
                global += path.contains("runnable: global run queue (no idle P after the syscall)") ? 1 : 0;
            }
            assertThat(global).as("%s: waits that ended on the global run queue (2 Ps kept busy)", f).isPositive();
        }
    }

    @Test
    void aWindowOfCyclesHoldsThoseCyclesOnly() throws IOException {
        Run r = RUNS.get(WakeupStrategy.PARK);
        Path out = dir.resolve("window.json");
        int c0 = r.records().get(1).cycle();
        TraceExport.write(r.raw(), out, TraceWindow.parseCycles(c0 + ".." + (c0 + 1)), r.records(), Map.of());
        Parsed p = parse(out);
        assertThat(p.waits).extracting(w -> num(w.args().get("cycle"))).containsOnly((long) c0, (long) c0 + 1);
        assertThat(p.waits).hasSize(4);
        long from = r.records().get(1).startNs();
        assertThat(p.all()).allMatch(x -> x.ts() >= from);
        assertThat(Files.size(out)).isLessThan(Files.size(r.json()));
    }

    @Test
    void statsRecomputesTheRecordsFromEitherFormat() throws IOException {
        for (WakeupStrategy s : WakeupStrategy.values()) {
            for (Path f : files(s)) {
                TraceStats.Result res = TraceStats.of(f, null);
                assertThat(res.mismatches()).as("%s", f).isZero();
                assertThat(res.checked()).as("%s", f).isEqualTo(2 * RUNS.get(s).records().size());
                for (CycleRecord rec : RUNS.get(s).records()) {
                    TraceStats.Wait w1 = res.waits().stream().filter(w -> w.cycle() == rec.cycle() && w.phase() == 1).findFirst().orElseThrow();
                    assertThat(w1.delay()).isEqualTo(rec.mark1().delayNs());
                }
                int waitsWithSomethingRun = 0;
                for (TraceStats.Wait w : res.waits()) {
                    // what ran meanwhile: slices clipped to the wait, and one P's slices never overlap
                    long window = w.resumed() - w.from();
                    Map<Long, Long> perP = new HashMap<>();
                    for (TraceStats.Ran x : w.ran()) {
                        assertThat(x.ns()).as("%s: %s ran inside the wait %s", f, x, w).isPositive().isLessThanOrEqualTo(window);
                        perP.merge(x.p(), x.ns(), Long::sum);
                    }
                    perP.forEach((pid, ns) -> assertThat(ns).as("%s: what ran on P%d during the wait %s", f, pid, w).isLessThanOrEqualTo(window));
                    waitsWithSomethingRun += w.ran().isEmpty() ? 0 : 1;
                }
                if (s == WakeupStrategy.NOTE) {
                    // the coordinator's note wait ends on the global run queue behind busy mutators
                    assertThat(waitsWithSomethingRun).as("%s: waits during which a goroutine ran", f).isPositive();
                }
            }
        }
    }
}
