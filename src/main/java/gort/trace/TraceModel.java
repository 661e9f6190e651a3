package gort.trace;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.gc.WakeupStrategy;
import gort.sched.Trace;
import gort.trace.TraceSink.Track;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the tracer's events into a timeline, as Go 1.5.1's {@code go tool trace} does for its
 * viewer (cmd/trace's generateTrace): per P a track ("Proc N") of goroutine slices
 * ("G12 main.main", from GoStart to the event that stops it, with how it stopped), instants
 * "proc start", "proc stop", "syscall", arrows "go", "unblock", "sysexit" from the event that made
 * a goroutine runnable to its start (an unblock by the timer goroutine starts on a "Timers" track,
 * as Go's viewer moves it to its TimerP), and counters Heap (Allocated, NextGC as Go's viewer
 * shows it: the distance to the goal), Goroutines (Running, Runnable), Threads (Running,
 * InSyscall). gort's additions go on tracks of their own, so the Go-shaped part stays comparable
 * event for event:
 * mark workers, assists, sweeping and the stop-the-world mark ("MARK", Go's name) nested in the
 * goroutine slices; "mark N done" instants on the completer's P with an arrow to the
 * coordinator's next start; in a GC group, the cycles, the stop-the-world pauses with their
 * reasons, and the coordinator's waits ("mark 1 wait (note)") with nested slices saying where it
 * sat (blocked, in the note's syscall, runnable in a P's runnext, kicked from it to the P's queue, or
 * on the global queue, running);
 * run-queue counters per P and for the global queue; and, when the run's CycleRecords are given,
 * one "record" instant per cycle carrying them, so a reader can check trace against records.
 *
 * <p>Owns: the replay state (per P the running goroutine and each track's open slices, per
 * goroutine its name and state, the counters, the coordinator's wait). A window limits output to
 * [from, to]: slices open at {@code from} start there, those open at {@code to} end there, and
 * counters are stated at {@code from}; state is tracked from the trace's start either way.
 */
public final class TraceModel {
    /** A time window in nanoseconds since the runtime's start (inclusive). */
    public record Window(long from, long to) {
        public static final Window ALL = new Window(Long.MIN_VALUE, Long.MAX_VALUE);

        public boolean isAll() {
            return from == Long.MIN_VALUE && to == Long.MAX_VALUE;
        }
    }

    /** Go 1.5.1's viewer: the fake P of events that return from syscalls without a P. */
    static final Track SYSCALLS = new Track(TraceSink.PROCS, 1000003, "Syscalls", -3);
    /** Go 1.5.1's viewer: the fake P of the timer goroutine's unblocks. */
    static final Track TIMERS = new Track(TraceSink.PROCS, 1000001, "Timers", -4);
    static final Track GC_CYCLES = new Track(TraceSink.GC, 0, "GC cycles", 0);
    static final Track STW = new Track(TraceSink.GC, 1, "stop the world", 1);
    static final Track COORDINATOR = new Track(TraceSink.GC, 2, "coordinator (runtime.backgroundgc)", 2);

    /** The first instant of a gort trace, carrying what run made it. */
    public static final String ABOUT = "gort trace";

    /** The coordinator's start name, which identifies it. */
    public static final String COORDINATOR_NAME = "runtime.backgroundgc";

    private static final class Frame {
        final String name;
        final Map<String, Object> args;
        final boolean goroutine;

        Frame(String name, Map<String, Object> args, boolean goroutine) {
            this.name = name;
            this.args = args;
            this.goroutine = goroutine;
        }
    }

    private static final class GState {
        final long id;
        final String name;
        String label;
        long flowIn;

        GState(long id, String name) {
            this.id = id;
            this.name = name;
            this.label = "G" + id + " " + name;
        }
    }

    /** The coordinator's wait for one phase. */
    private static final class Wait {
        int phase;
        int cycle;
        String strategy;
        String state;
        long stateTs;
        final StringBuilder path = new StringBuilder();
    }

    private final RawTrace raw;
    private final TraceSink sink;
    private final Window window;
    private final Map<Integer, CycleRecord> records = new HashMap<>();

    private final Track[] procTracks = new Track[gort.sched.Sched.MAX_GOMAXPROCS];
    private final long[] curG = new long[gort.sched.Sched.MAX_GOMAXPROCS];
    private final long[][] runq = new long[gort.sched.Sched.MAX_GOMAXPROCS][];
    private final Map<Track, ArrayDeque<Frame>> stacks = new LinkedHashMap<>();
    private final Map<Long, GState> gs = new HashMap<>();
    private long gcount, grunning, grunnable, insyscall, prunning, heapAlloc, nextGC, globrunq;
    private int cycle;
    private long coordG;
    /** The timer goroutine (0 until the trace names it). */
    private long timerG;
    private Wait wait;
    /** Per phase (index 1, 2): the pending completion's time, completer, P and arrow. */
    private final long[] doneTs = {-1, -1, -1};
    private final int[] doneKind = {-1, -1, -1};
    private final long[] doneFlow = new long[3];
    private boolean live;
    private boolean finished;
    private long flowSeq;
    private long lastTs;

    private final Map<String, Object> about;

    private TraceModel(RawTrace raw, TraceSink sink, Window window, List<CycleRecord> recs, Map<String, Object> about) {
        this.about = about;
        this.raw = raw;
        this.sink = sink;
        this.window = window;
        for (CycleRecord r : recs) {
            records.put(r.cycle(), r);
        }
    }

    /**
     * Replays raw into sink, limited to window; recs (may be empty) are the run's CycleRecords;
     * about (may be empty) says what run made the trace, as a first instant "gort trace".
     */
    public static void replay(RawTrace raw, TraceSink sink, Window window, List<CycleRecord> recs, Map<String, Object> about)
            throws IOException {
        TraceModel m = new TraceModel(raw, sink, window, recs, about);
        raw.forEach(m::on);
        if (!m.finished) {
            long from = window.from() == Long.MIN_VALUE ? 0 : window.from();
            if (!m.live) {
                m.goLive(from);
            }
            m.finish(Math.max(Math.min(window.to(), m.lastTs), from));
        }
    }

    private boolean on(RawTrace.Event e) throws IOException {
        if (!live && e.ts >= window.from()) {
            goLive(window.from() == Long.MIN_VALUE ? e.ts : window.from());
        }
        if (e.ts > window.to()) {
            finish(window.to());
            return false;
        }
        lastTs = e.ts;
        handle(e);
        return true;
    }

    // =====================================================================================
    // Slices and the window
    // =====================================================================================

    private ArrayDeque<Frame> stack(Track t) {
        return stacks.computeIfAbsent(t, k -> new ArrayDeque<>());
    }

    private void open(Track t, long ts, String name, Map<String, Object> args, long[] flows, boolean goroutine) throws IOException {
        stack(t).push(new Frame(name, args, goroutine));
        if (live) {
            sink.begin(t, ts, name, args, flows);
        }
    }

    private void close(Track t, long ts, Map<String, Object> endArgs) throws IOException {
        if (stack(t).poll() != null && live) {
            sink.end(t, ts, endArgs);
        }
    }

    /** Closes t's slices down to and including its goroutine slice (nested ones first). */
    private void closeGoroutine(Track t, long ts, Map<String, Object> endArgs) throws IOException {
        ArrayDeque<Frame> st = stack(t);
        while (!st.isEmpty()) {
            boolean g = st.peek().goroutine;
            close(t, ts, g ? endArgs : null);
            if (g) {
                return;
            }
        }
    }

    private void closeNamed(Track t, long ts, String name) throws IOException {
        Frame f = stack(t).peek();
        if (f != null && !f.goroutine && f.name.equals(name)) {
            close(t, ts, null);
        }
    }

    private void goLive(long ts) throws IOException {
        live = true;
        Map<String, Object> a = new LinkedHashMap<>(about);
        a.put("window_from_ns", ts);
        sink.instant(GC_CYCLES, ts, ABOUT, a, null);
        for (var en : stacks.entrySet()) {
            var frames = new ArrayList<>(en.getValue());
            for (int i = frames.size() - 1; i >= 0; i--) {
                Frame f = frames.get(i);
                sink.begin(en.getKey(), ts, f.name, f.args, null);
            }
        }
        heapCounter(ts);
        goroutineCounter(ts);
        threadCounter(ts);
        sink.counter("Global run queue", ts, new String[] {"length"}, new long[] {globrunq});
        for (int p = 0; p < runq.length; p++) {
            if (runq[p] != null) {
                sink.counter("P" + p + " run queue", ts, RUNQ_SERIES, runq[p].clone());
            }
        }
    }

    private void finish(long ts) throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (live) {
            for (var en : stacks.entrySet()) {
                while (en.getValue().poll() != null) {
                    sink.end(en.getKey(), ts, null);
                }
            }
        }
    }

    private Track proc(int pid) {
        if (pid < 0) {
            return SYSCALLS;
        }
        Track t = procTracks[pid];
        if (t == null) {
            t = new Track(TraceSink.PROCS, pid, "Proc " + pid, pid);
            procTracks[pid] = t;
        }
        return t;
    }

    private GState g(long id) {
        return gs.computeIfAbsent(id, k -> new GState(k, "?"));
    }

    private long newFlow(Track t, long ts, String name) throws IOException {
        if (!live) {
            return 0;
        }
        long id = ++flowSeq;
        sink.flowStart(t, ts, name, id);
        return id;
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // =====================================================================================
    // Counters
    // =====================================================================================

    private static final String[] RUNQ_SERIES = {"ring", "runnext"};

    private void heapCounter(long ts) throws IOException {
        if (live) {
            sink.counter("Heap", ts, new String[] {"Allocated", "NextGC"},
                    new long[] {heapAlloc, nextGC > heapAlloc ? nextGC - heapAlloc : 0});
        }
    }

    private void goroutineCounter(long ts) throws IOException {
        if (live) {
            sink.counter("Goroutines", ts, new String[] {"Running", "Runnable"}, new long[] {grunning, grunnable});
        }
    }

    private void threadCounter(long ts) throws IOException {
        if (live) {
            sink.counter("Threads", ts, new String[] {"Running", "InSyscall"}, new long[] {prunning, insyscall});
        }
    }

    // =====================================================================================
    // Events
    // =====================================================================================

    private void handle(RawTrace.Event e) throws IOException {
        long ts = e.ts;
        int p = e.pid;
        switch (e.kind) {
            case Trace.EV_PROC_START -> {
                prunning++;
                threadCounter(ts);
                if (live) {
                    sink.instant(proc(p), ts, "proc start", args("ThreadID", e.a), null);
                }
            }
            case Trace.EV_PROC_STOP -> {
                prunning--;
                threadCounter(ts);
                if (p >= 0 && curG[p] != 0) {
                    stopG(p, ts, "proc stop"); // defensive: a P never stops with a goroutine on it
                }
                if (live) {
                    sink.instant(proc(p), ts, "proc stop", null, null);
                }
            }
            case Trace.EV_GO_CREATE -> {
                gcount++;
                grunnable++;
                goroutineCounter(ts);
                GState g = new GState(e.a, raw.string(e.b));
                gs.put(e.a, g);
                g.flowIn = newFlow(proc(p), ts, "go");
            }
            case Trace.EV_GO_START -> goStart(p, ts, g(e.a));
            case Trace.EV_GO_END -> {
                gcount--;
                grunning--;
                goroutineCounter(ts);
                long id = stopG(p, ts, "exit");
                gs.remove(id);
            }
            case Trace.EV_GO_STOP, Trace.EV_GO_SLEEP, Trace.EV_GO_BLOCK, Trace.EV_GO_BLOCK_SEND, Trace.EV_GO_BLOCK_RECV,
                    Trace.EV_GO_BLOCK_SELECT, Trace.EV_GO_BLOCK_SYNC -> {
                grunning--;
                goroutineCounter(ts);
                String reason = raw.string(e.a);
                long id = stopG(p, ts, "blocked: " + reason);
                coordinatorState(id, ts, "blocked (" + reason + ")");
            }
            case Trace.EV_GO_SCHED, Trace.EV_GO_PREEMPT -> {
                grunnable++;
                grunning--;
                goroutineCounter(ts);
                boolean pre = e.kind == Trace.EV_GO_PREEMPT;
                long id = stopG(p, ts, pre ? "preempted" : "Gosched");
                coordinatorState(id, ts, "runnable: global run queue (" + (pre ? "preempted" : "Gosched") + ")");
            }
            case Trace.EV_GO_UNBLOCK -> {
                grunnable++;
                goroutineCounter(ts);
                GState g = g(e.a);
                if (p >= 0 && timerG != 0 && curG[p] == timerG) {
                    // a timer's function readied it: Go's viewer draws the arrow from its Timers lane,
                    // from an instant there (an arrow must start inside a slice or an instant)
                    if (live) {
                        sink.instant(TIMERS, ts, "unblock", null, null);
                    }
                    g.flowIn = newFlow(TIMERS, ts, "unblock");
                } else {
                    g.flowIn = newFlow(proc(p), ts, "unblock");
                }
                coordinatorState(g.id, ts, "runnable: runnext of P" + p);
            }
            case Trace.EV_GO_SYSCALL -> {
                if (live) {
                    sink.instant(proc(p), ts, "syscall", null, null);
                }
            }
            case Trace.EV_GO_SYSBLOCK -> {
                grunning--;
                insyscall++;
                goroutineCounter(ts);
                threadCounter(ts);
                long id = stopG(p, ts, "syscall");
                coordinatorState(id, ts, "in a syscall (note sleep), P handed off");
            }
            case Trace.EV_GO_SYSEXIT -> {
                grunnable++;
                insyscall--;
                goroutineCounter(ts);
                threadCounter(ts);
                GState g = g(e.a);
                g.flowIn = newFlow(proc(p), ts, "sysexit");
                boolean global = e.b == Trace.SYSEXIT_GLOBAL;
                coordinatorState(g.id, ts, global ? "runnable: global run queue (no idle P after the syscall)"
                        : "runnable: took an idle P after the syscall");
            }
            case Trace.EV_TIMER_GOROUTINE -> timerG = e.a;
            case Trace.EV_HEAP_ALLOC -> {
                heapAlloc = e.a;
                heapCounter(ts);
            }
            case Trace.EV_NEXT_GC -> {
                nextGC = e.a;
                heapCounter(ts);
            }
            case Trace.EV_GC_START -> {
                cycle = (int) e.a;
                open(GC_CYCLES, ts, "GC " + cycle, args("cycle", cycle, "forced", e.b != 0), null, false);
            }
            case Trace.EV_GC_DONE -> {
                close(GC_CYCLES, ts, null);
                CycleRecord r = records.get(cycle);
                if (r != null && live) {
                    sink.instant(GC_CYCLES, ts, "record of GC " + cycle, recordArgs(r), null);
                }
            }
            case Trace.EV_GC_SCAN_START -> open(proc(p), ts, "MARK", null, null, false);
            case Trace.EV_GC_SCAN_DONE -> closeNamed(proc(p), ts, "MARK");
            case Trace.EV_GC_SWEEP_START -> open(proc(p), ts, "SWEEP", null, null, false);
            case Trace.EV_GC_SWEEP_DONE -> closeNamed(proc(p), ts, "SWEEP");
            case Trace.EV_STW_START -> open(STW, ts, "STW: " + raw.string(e.a), null, null, false);
            case Trace.EV_STW_DONE -> close(STW, ts, null);
            case Trace.EV_MARK_WORKER_START -> open(proc(p), ts, "mark worker (" + kindName(e.a) + ")", null, null, false);
            case Trace.EV_MARK_WORKER_STOP -> closeNamed(proc(p), ts, "mark worker (" + kindName(e.a) + ")");
            case Trace.EV_ASSIST_START -> open(proc(p), ts, "assist", null, null, false);
            case Trace.EV_ASSIST_DONE -> closeNamed(proc(p), ts, "assist");
            case Trace.EV_RUNQ -> {
                if (p >= 0) {
                    runq[p] = new long[] {e.a, e.b};
                    if (live) {
                        sink.counter("P" + p + " run queue", ts, RUNQ_SERIES, new long[] {e.a, e.b});
                    }
                }
            }
            case Trace.EV_GLOBRUNQ -> {
                globrunq = e.a;
                if (live) {
                    sink.counter("Global run queue", ts, new String[] {"length"}, new long[] {e.a});
                }
            }
            case Trace.EV_GO_KICKED -> coordinatorState(e.a, ts, "runnable: kicked from runnext to P" + p + "'s queue");
            case Trace.EV_GC_MARK_DONE -> markDone(p, ts, (int) e.a, (int) e.b);
            case Trace.EV_GC_WAIT -> gcWait(p, ts, (int) e.a, (int) e.b);
            case Trace.EV_GC_RESUME -> gcResume(p, ts, (int) e.a);
            default -> {
                // GoMaxProcs: nothing to draw
            }
        }
    }

    private void goStart(int p, long ts, GState g) throws IOException {
        if (p < 0) {
            return; // cannot happen: a goroutine starts on a P
        }
        if (curG[p] != 0) {
            stopG(p, ts, "replaced"); // defensive
        }
        while (!stack(proc(p)).isEmpty()) {
            close(proc(p), ts, null); // nested slices left open by a goroutine that stopped without closing them
        }
        grunnable--;
        grunning++;
        goroutineCounter(ts);
        curG[p] = g.id;
        long[] flows = null;
        long f1 = g.flowIn;
        g.flowIn = 0;
        long f2 = 0;
        if (g.id == coordG && wait != null) {
            f2 = doneFlow[wait.phase];
            doneFlow[wait.phase] = 0;
        }
        if (f1 != 0 || f2 != 0) {
            flows = f1 != 0 && f2 != 0 ? new long[] {f1, f2} : new long[] {f1 != 0 ? f1 : f2};
        }
        open(proc(p), ts, g.label, null, flows, true);
        coordinatorState(g.id, ts, "running on P" + p);
    }

    /** The goroutine on p stops running (how: why); returns its id (0 if none). */
    private long stopG(int p, long ts, String why) throws IOException {
        if (p < 0) {
            return 0;
        }
        long id = curG[p];
        curG[p] = 0;
        closeGoroutine(proc(p), ts, args("end", why));
        return id;
    }

    private static String kindName(long ordinal) {
        CompleterKind[] ks = CompleterKind.values();
        return ordinal >= 0 && ordinal < ks.length ? ks[(int) ordinal].name().toLowerCase(java.util.Locale.ROOT) : "?";
    }

    private static String strategyName(long ordinal) {
        WakeupStrategy[] ws = WakeupStrategy.values();
        return ordinal >= 0 && ordinal < ws.length ? ws[(int) ordinal].flag() : "?";
    }

    // ---- the coordinator's wait ----

    private void markDone(int p, long ts, int phase, int completer) throws IOException {
        if (phase < 1 || phase > 2) {
            return;
        }
        doneTs[phase] = ts;
        doneKind[phase] = completer;
        if (live) {
            sink.instant(proc(p), ts, "mark " + phase + " done", args("cycle", cycle, "phase", phase, "completer",
                    kindName(completer), "done_ns", ts), null);
        }
        doneFlow[phase] = newFlow(proc(p), ts, "mark done");
    }

    private void gcWait(int p, long ts, int phase, int strategy) throws IOException {
        if (p >= 0) {
            coordG = curG[p];
        }
        if (phase < 1 || phase > 2) {
            return;
        }
        Wait w = new Wait();
        w.phase = phase;
        w.cycle = cycle;
        w.strategy = strategyName(strategy);
        wait = w;
        open(COORDINATOR, ts, "mark " + phase + " wait (" + w.strategy + ")", args("cycle", cycle, "phase", phase, "strategy",
                w.strategy), null, false);
        coordinatorState(coordG, ts, "running on P" + p);
    }

    /** While the coordinator waits, each change of its state is a nested slice on its track. */
    private void coordinatorState(long g, long ts, String state) throws IOException {
        Wait w = wait;
        if (w == null || g == 0 || g != coordG || state.equals(w.state)) {
            return;
        }
        if (w.state != null) {
            close(COORDINATOR, ts, null);
            appendPath(w, ts);
        }
        w.state = state;
        w.stateTs = ts;
        open(COORDINATOR, ts, state, null, null, false);
    }

    private static void appendPath(Wait w, long ts) {
        if (w.path.length() > 0) {
            w.path.append(" -> ");
        }
        w.path.append(w.state).append(' ').append(String.format(java.util.Locale.ROOT, "%.3f ms", (ts - w.stateTs) / 1e6));
    }

    private void gcResume(int p, long ts, int phase) throws IOException {
        Wait w = wait;
        if (w == null || phase != w.phase) {
            return;
        }
        wait = null;
        if (w.state != null) {
            close(COORDINATOR, ts, null);
            appendPath(w, ts);
        }
        long done = doneTs[phase];
        long flow = doneFlow[phase];
        doneFlow[phase] = 0;
        if (flow != 0 && live) {
            // the coordinator never stopped after the completion: the arrow ends where it resumes
            sink.instant(proc(p), ts, "mark " + phase + " resumed", null, new long[] {flow});
        }
        Map<String, Object> a = args("cycle", w.cycle, "phase", phase, "strategy", w.strategy, "completer",
                kindName(doneKind[phase]), "done_ns", done, "resumed_ns", ts, "delay_ns", done < 0 ? -1 : ts - done, "path",
                w.path.toString());
        close(COORDINATOR, ts, a);
        doneTs[phase] = -1;
        doneKind[phase] = -1;
    }

    private static Map<String, Object> recordArgs(CycleRecord r) {
        Map<String, Object> a = args("cycle", r.cycle(), "forced", r.forced(), "start_ns", r.startNs(), "end_ns", r.endNs());
        if (r.mark1() != null) {
            a.put("mark1_completer", r.mark1().completer().name().toLowerCase(java.util.Locale.ROOT));
            a.put("mark1_done_ns", r.mark1().doneNs());
            a.put("mark1_resumed_ns", r.mark1().resumedNs());
        }
        if (r.mark2() != null) {
            a.put("mark2_completer", r.mark2().completer().name().toLowerCase(java.util.Locale.ROOT));
            a.put("mark2_done_ns", r.mark2().doneNs());
            a.put("mark2_resumed_ns", r.mark2().resumedNs());
        }
        return a;
    }
}
