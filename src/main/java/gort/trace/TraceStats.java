package gort.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recomputes, from a trace file alone, each GC cycle's mark-1 and mark-2 wakeups — when marking
 * was done, by whom, when the coordinator ran again, where it sat meanwhile — and what ran on each
 * P during each wait, so that a trace and the collector's records check each other; and does the
 * same for the real Go 1.5.1's viewer JSON, so both runtimes' waits can be read side by side.
 *
 * <p>gort's traces carry the coordinator's waits on a track of their own (with the path of states
 * it went through), the completions as "mark N done" instants, and the run's CycleRecords as
 * "record of GC N" instants: the delay is recomputed as the wait slice's end minus the done
 * instant's time and compared with the record. Under {@code none}, which has no coordinator, that
 * track carries each transition instead (from the completer's CAS until it begins the transition,
 * with the states of the goroutine that took it), and the text names it so. In Go 1.5.1's JSON the coordinator is the
 * goroutine named runtime.backgroundgc; a slice of it whose end stack passes through
 * {@code (*bgMarkSignal).wait} is a mark wait (mark 1 or 2 by the line in runtime.gc it was
 * called from), its next slice is the resumption, and the arrow that ends there says how it was
 * woken ("unblock" from the completer's P into runnext, "sysexit" from the note's syscall). Go's
 * trace has no done event: with the patched runtime's stderr ({@code GODEBUG=gctrace=1}: one
 * {@code gcwakeup phase=P by=K delay_ns=N} line per wait, before its cycle's {@code gc N} line)
 * the done time is the resumption minus the delay; without it, the window is the whole wait.
 *
 * <p>Reads the file twice (waits first, then what overlapped them), holding only the waits.
 */
public final class TraceStats {
    /** What ran on one P during a wait. */
    public record Ran(long p, String goroutine, long ns) {}

    /** One wait of the coordinator. done is -1 when the trace cannot tell it. */
    public record Wait(int cycle, int phase, String strategy, String completer, long waitStart, long done, long resumed, String where,
            List<Ran> ran, String check) {
        public long delay() {
            return done < 0 ? -1 : resumed - done;
        }

        /** The window "what ran" covers: done to resumed, or the whole wait when done is unknown. */
        long from() {
            return done >= 0 ? Math.min(done, resumed) : waitStart;
        }
    }

    /**
     * The result: the waits in time order, and how many of them were checked against records.
     * {@code coordinator} is false for a run of a design without a coordinator ({@code none}):
     * its "waits" are the completers' own paths from the CAS to the transition, and the text
     * says so.
     */
    public record Result(String source, List<Wait> waits, int checked, int mismatches, List<String> notes, boolean coordinator) {}

    private TraceStats() {}

    private static final Pattern GOROUTINE = Pattern.compile("G\\d+( |$)");
    private static final Pattern MARK_WAIT = Pattern.compile("mark ([12]) wait \\((.*)\\)");
    private static final Pattern MARK_DONE = Pattern.compile("mark ([12]) done");
    private static final Pattern GC_LINE_IN_RUNTIME = Pattern.compile("^runtime\\.gc:(\\d+)$");
    private static final Pattern GCWAKEUP = Pattern.compile("gcwakeup phase=([12]) by=(\\d+) delay_ns=(-?\\d+)");
    private static final Pattern GCTRACE = Pattern.compile("^gc (\\d+) @");

    /** Computes the waits of trace (gort's .json/.pftrace, or Go 1.5.1's viewer JSON); gcwakeup may be null. */
    public static Result of(Path trace, Path gcwakeup) throws IOException {
        Pass1 p1 = new Pass1();
        TimelineFile.read(trace, p1);
        List<String> notes = new ArrayList<>();
        List<Wait> waits;
        String source;
        boolean coordinator = true;
        int[] check = new int[2];
        if (p1.gort) {
            if (gcwakeup != null) {
                throw new IllegalArgumentException("--gcwakeup " + gcwakeup + ": only for Go 1.5.1 traces (this is gort's: its done times are in the trace)");
            }
            String varied = p1.about.get("varied"); // the setting a compare varied, and its value in this run
            String setting = varied == null || varied.equals("wakeup") ? "" : ", " + varied + "=" + p1.about.get(varied);
            source = "gort" + (p1.about.containsKey("strategy") ? " (" + p1.about.get("strategy") + setting + ")" : "");
            if ("sim".equals(p1.about.get("settings.platform"))) { // the metadata of a run on the simulated platform
                source += " on the simulated platform, seed " + p1.about.get("settings.seed") + " (its times are virtual)";
            }
            coordinator = !p1.about.containsKey("strategy") || gort.gc.WakeupStrategy.hasCoordinator(p1.about.get("strategy"));
            waits = gortWaits(p1, check, notes);
        } else {
            if (p1.goCoordinator.isEmpty()) {
                throw new IllegalArgumentException("trace file " + trace + ": no GC coordinator in it (neither gort's coordinator track nor "
                        + "Go 1.5.1's runtime.backgroundgc goroutine): is it a trace of a program that collected garbage?");
            }
            source = "Go 1.5.1";
            waits = goWaits(p1, gcwakeup, notes);
        }
        // pass 2: what ran on each P during each wait
        Pass2 p2 = new Pass2(waits);
        TimelineFile.read(trace, p2);
        List<Wait> out = new ArrayList<>();
        for (int i = 0; i < waits.size(); i++) {
            Wait w = waits.get(i);
            List<Ran> ran = new ArrayList<>();
            p2.ran.get(i).forEach((k, ns) -> ran.add(new Ran(Long.parseLong(k.substring(0, k.indexOf(' '))), k.substring(k.indexOf(' ') + 1), ns)));
            ran.sort(Comparator.comparingLong(Ran::p).thenComparing(Comparator.comparingLong(Ran::ns).reversed()));
            out.add(new Wait(w.cycle, w.phase, w.strategy, w.completer, w.waitStart, w.done, w.resumed, w.where, ran, w.check));
        }
        return new Result(source, out, check[0], check[1], notes, coordinator);
    }

    // ---- pass 1 ----

    private static final class Pass1 implements TimelineFile.Visitor {
        boolean gort;
        final Map<String, String> about = new HashMap<>();
        // gort
        final List<long[]> gortWaitTimes = new ArrayList<>();
        final List<Map<String, Object>> gortWaitArgs = new ArrayList<>();
        final List<String> gortWaitStrategy = new ArrayList<>();
        final Map<String, Long> doneTs = new HashMap<>();
        final Map<Integer, Map<String, Object>> records = new HashMap<>();
        // Go
        final List<long[]> goCoordinator = new ArrayList<>(); // ts, dur, tid, esf
        final List<long[]> goCycles = new ArrayList<>();
        final Map<Long, long[]> frames = new HashMap<>();
        final Map<Long, String> frameNames = new HashMap<>();
        final Map<Long, Object[]> flowStarts = new HashMap<>();
        final Map<Long, List<Object[]>> flowEndsAt = new HashMap<>(); // t's ts -> {name, srcTid, srcTs, dstTid}
        final List<long[]> syscalls = new ArrayList<>(); // Go's "syscall" instants: ts, tid, sf

        @Override
        public void about(String key, String value) {
            about.put(key, value);
            gort = true;
        }

        @Override
        public void trackName(int group, long tid, String name) {
            if (group == TraceSink.GC) {
                gort = true;
            }
        }

        @Override
        public void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {
            if (group == TraceSink.GC && name != null) {
                gort = true;
                Matcher m = MARK_WAIT.matcher(name);
                if (m.matches() && args != null) {
                    gortWaitTimes.add(new long[] {ts, ts + dur});
                    gortWaitArgs.add(args);
                    gortWaitStrategy.add(m.group(2));
                }
                return;
            }
            if (group != TraceSink.PROCS || name == null) {
                return;
            }
            if (name.endsWith(" " + TraceModel.COORDINATOR_NAME)) {
                goCoordinator.add(new long[] {ts, dur, tid, esf});
            } else if (name.equals("GC")) {
                goCycles.add(new long[] {ts, ts + dur});
            }
        }

        @Override
        public void instant(int group, long tid, String name, long ts, Map<String, Object> args, long sf) {
            if (name == null) {
                return;
            }
            if (group == TraceSink.PROCS && name.equals("syscall")) {
                syscalls.add(new long[] {ts, tid, sf});
            }
            if (group == TraceSink.PROCS && MARK_DONE.matcher(name).matches() && args != null) {
                doneTs.put(num(args.get("cycle")) + "/" + num(args.get("phase")), ts);
            } else if (group == TraceSink.GC && name.equals(TraceModel.ABOUT) && args != null) {
                gort = true;
                args.forEach((k, val) -> about.put(k, String.valueOf(val)));
            } else if (group == TraceSink.GC && name.startsWith("record of GC ") && args != null) {
                records.put((int) num(args.get("cycle")), args);
            }
        }

        @Override
        public void frame(long id, String name, long parent) {
            frames.put(id, new long[] {parent});
            frameNames.put(id, name);
        }

        @Override
        public void flow(String name, char ph, long id, int group, long tid, long ts) {
            if (ph == 's') {
                flowStarts.put(id, new Object[] {name, tid, ts});
            } else {
                Object[] s = flowStarts.remove(id);
                if (s != null) {
                    flowEndsAt.computeIfAbsent(ts, k -> new ArrayList<>()).add(new Object[] {s[0], s[1], s[2], tid});
                }
            }
        }

        /** The frames of Go's end stack esf, innermost first. */
        List<String> stack(long esf) {
            List<String> out = new ArrayList<>();
            long id = esf;
            for (int i = 0; id != 0 && i < 200; i++) {
                String n = frameNames.get(id);
                if (n == null) {
                    break;
                }
                out.add(n);
                long[] f = frames.get(id);
                id = f == null ? 0 : f[0];
            }
            return out;
        }
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static String str(Object o) {
        return o == null ? "?" : String.valueOf(o);
    }

    private static List<Wait> gortWaits(Pass1 p1, int[] check, List<String> notes) {
        List<Wait> out = new ArrayList<>();
        for (int i = 0; i < p1.gortWaitTimes.size(); i++) {
            long[] t = p1.gortWaitTimes.get(i);
            Map<String, Object> a = p1.gortWaitArgs.get(i);
            int cycle = (int) num(a.get("cycle"));
            int phase = (int) num(a.get("phase"));
            Long done = p1.doneTs.get(cycle + "/" + phase);
            long d = done == null ? -1 : done;
            String checkNote = "";
            Map<String, Object> rec = p1.records.get(cycle);
            if (rec != null && rec.containsKey("mark" + phase + "_done_ns")) {
                check[0]++;
                long rd = num(rec.get("mark" + phase + "_done_ns"));
                long rr = num(rec.get("mark" + phase + "_resumed_ns"));
                if (rd != d || rr != t[1]) {
                    check[1]++;
                    checkNote = "MISMATCH: record says done " + rd + ", resumed " + rr + "; trace says " + d + ", " + t[1];
                } else {
                    checkNote = "= record";
                }
            }
            out.add(new Wait(cycle, phase, p1.gortWaitStrategy.get(i), str(a.get("completer")), t[0], d, t[1], str(a.get("path")), List.of(),
                    checkNote));
        }
        if (p1.about.containsKey("warning")) { // what the writer said of its window
            notes.add("the trace's window " + p1.about.get("warning"));
        } else if (p1.records.isEmpty()) {
            notes.add("the trace carries no CycleRecords (written without them, or a window outside the measured cycles)");
        }
        return out;
    }

    private static List<Wait> goWaits(Pass1 p1, Path gcwakeup, List<String> notes) throws IOException {
        List<long[]> co = p1.goCoordinator;
        co.sort(Comparator.comparingLong(x -> x[0]));
        p1.goCycles.sort(Comparator.comparingLong(x -> x[0]));
        // mark waits: slices ending inside (*bgMarkSignal).wait; mark 1 or 2 by runtime.gc's line
        List<long[]> marks = new ArrayList<>(); // index into co, line, kind (0 park, 1 note)
        java.util.TreeSet<Long> lines = new java.util.TreeSet<>();
        p1.syscalls.sort(Comparator.comparingLong(x -> x[0]));
        long[] sysTs = p1.syscalls.stream().mapToLong(x -> x[0]).toArray();
        for (int i = 0; i + 1 < co.size(); i++) {
            long[] sl = co.get(i);
            List<String> st = p1.stack(sl[3]);
            int w = -1;
            for (int k = 0; k < st.size(); k++) {
                if (st.get(k).startsWith("runtime.(*bgMarkSignal).wait")) {
                    w = k;
                }
            }
            if (w >= 0) { // parked in the wait (park, park-yield): mark 1 or 2 by the line of runtime.gc that called it
                long line = -1;
                for (int k = w + 1; k < st.size(); k++) {
                    Matcher m = GC_LINE_IN_RUNTIME.matcher(st.get(k));
                    if (m.matches()) {
                        line = Long.parseLong(m.group(1));
                        break;
                    }
                }
                lines.add(line);
                marks.add(new long[] {i, line, 0});
            } else if (st.isEmpty() && endsInSyscall(p1, sl, sysTs)) {
                // ended by GoSysBlock (no stack in Go 1.5's trace) and resumed from a syscall: notetsleepg
                marks.add(new long[] {i, -1, 1});
            }
        }
        if (marks.stream().anyMatch(mk -> mk[2] == 0)) {
            marks.removeIf(mk -> mk[2] == 1); // a park trace: its syscall waits are for new mark workers
        }
        // note: within each cycle, the coordinator's last two syscall waits are mark 1 and mark 2
        // (the first cycle's earlier ones wait for new mark workers)
        for (int k = marks.size() - 1; k >= 0; k--) {
            long[] mk = marks.get(k);
            if (mk[2] != 1) {
                continue;
            }
            int cyc = cycleOf(p1, end(co.get((int) mk[0])));
            if (cyc == 0) {
                mk[1] = 0; // outside any cycle
                continue;
            }
            int later = 0;
            for (int j = k + 1; j < marks.size() && cycleOf(p1, end(co.get((int) marks.get(j)[0]))) == cyc; j++) {
                if (marks.get(j)[2] == 1) {
                    later++;
                }
            }
            mk[1] = later == 0 ? 2 : later == 1 ? 1 : 0;
        }
        marks.removeIf(mk -> mk[2] == 1 && mk[1] == 0);
        // gcwakeup lines by cycle
        Map<Integer, long[][]> wake = new TreeMap<>();
        if (gcwakeup != null) {
            String missing = TimelineFile.notAFile(gcwakeup);
            if (missing != null) {
                throw new IllegalArgumentException("--gcwakeup " + missing);
            }
            List<long[]> pending = new ArrayList<>();
            int found = 0;
            for (String l : Files.readAllLines(gcwakeup, StandardCharsets.UTF_8)) {
                Matcher m = GCWAKEUP.matcher(l);
                if (m.find()) {
                    pending.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
                    found++;
                    continue;
                }
                Matcher g = GCTRACE.matcher(l);
                if (g.find()) {
                    long[][] byPhase = new long[3][];
                    for (long[] x : pending) {
                        byPhase[(int) x[0]] = x;
                    }
                    wake.put(Integer.parseInt(g.group(1)), byPhase);
                    pending.clear();
                }
            }
            if (found == 0) {
                throw new IllegalArgumentException("--gcwakeup " + gcwakeup + ": no 'gcwakeup phase=P by=K delay_ns=N' lines (run the patched Go 1.5.1 "
                        + "with GODEBUG=gctrace=1 and pass its stderr)");
            }
            if (wake.size() != p1.goCycles.size()) {
                notes.add("stderr has " + wake.size() + " GC cycles, the trace " + p1.goCycles.size() + ": cycles matched by order from the first");
            }
        } else {
            notes.add("no --gcwakeup file: Go's trace has no done event, so each window is the whole wait (wait start to resumption)");
        }
        long line1 = lines.isEmpty() ? -1 : lines.first();
        List<Integer> cycleNos = new ArrayList<>(wake.keySet());
        List<Wait> out = new ArrayList<>();
        for (long[] mk : marks) {
            long[] s = co.get((int) mk[0]);
            long[] next = co.get((int) mk[0] + 1);
            long waitStart = s[0] + s[1];
            long resumed = next[0];
            int phase = mk[2] == 1 ? (int) mk[1] : mk[1] == line1 ? 1 : 2;
            int cyc = cycleOf(p1, waitStart);
            long done = -1;
            String completer = "?";
            if (!cycleNos.isEmpty() && cyc > 0 && cyc <= cycleNos.size()) {
                long[] x = wake.get(cycleNos.get(cyc - 1))[phase];
                if (x != null) {
                    done = resumed - x[2];
                    completer = switch ((int) x[1]) {
                        case 1 -> "worker";
                        case 2 -> "assist";
                        case 3 -> "scheduler";
                        default -> "?";
                    };
                }
                cyc = cycleNos.get(cyc - 1);
            }
            StringBuilder where = new StringBuilder(mk[2] == 1 ? "in the note's syscall (notetsleepg)" : "parked in (*bgMarkSignal).wait");
            for (Object[] f : p1.flowEndsAt.getOrDefault(resumed, List.of())) {
                if ((long) f[3] != s[2] && (long) f[3] != next[2]) {
                    continue;
                }
                long src = (long) f[2];
                String name = (String) f[0];
                if ("sysexit".equals(name)) {
                    where.append(String.format(Locale.ROOT, " -> returned from it at +%.3f ms -> runnable %.3f ms (no P: the global run queue)",
                            (src - waitStart) / 1e6, (resumed - src) / 1e6));
                } else if ("unblock".equals(name)) {
                    where.append(String.format(Locale.ROOT, " -> readied by P%d at +%.3f ms -> runnable %.3f ms (runnext of P%d)", (long) f[1],
                            (src - waitStart) / 1e6, (resumed - src) / 1e6, (long) f[1]));
                }
            }
            where.append(" -> running on P").append(next[2]);
            out.add(new Wait(cyc, phase, mk[2] == 1 ? "note" : "park", completer, waitStart, done, resumed, where.toString(), List.of(), ""));
        }
        return out;
    }

    private static long end(long[] slice) {
        return slice[0] + slice[1];
    }

    /** The GC cycle (1-based, in trace order) whose GC slice holds t, or 0. */
    private static int cycleOf(Pass1 p1, long t) {
        for (int k = 0; k < p1.goCycles.size(); k++) {
            if (p1.goCycles.get(k)[0] <= t && t <= p1.goCycles.get(k)[1]) {
                return k + 1;
            }
        }
        return 0;
    }

    /** Whether slice sl (ts, dur, tid) ends in a syscall: Go's "syscall" instant on its P within its last 100 µs. */
    private static boolean endsInSyscall(Pass1 p1, long[] sl, long[] sysTs) {
        long end = sl[0] + sl[1];
        int k = java.util.Arrays.binarySearch(sysTs, end);
        k = k < 0 ? -k - 2 : k;
        for (; k >= 0 && sysTs[k] >= Math.max(sl[0], end - 100_000); k--) {
            if (p1.syscalls.get(k)[1] == sl[2]) {
                return true;
            }
        }
        return false;
    }

    // ---- pass 2 ----

    private static final class Pass2 implements TimelineFile.Visitor {
        final List<Wait> waits;
        final Integer[] order; // waits by window start
        final long[] starts;
        final List<Map<String, Long>> ran = new ArrayList<>();

        Pass2(List<Wait> waits) {
            this.waits = waits;
            order = new Integer[waits.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
                ran.add(new TreeMap<>());
            }
            java.util.Arrays.sort(order, Comparator.comparingLong(i -> waits.get(i).from()));
            starts = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                starts[i] = waits.get(order[i]).from();
            }
        }

        @Override
        public void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {
            if (group != TraceSink.PROCS || name == null || !GOROUTINE.matcher(name).lookingAt() || tid >= 1_000_000 || order.length == 0) {
                return;
            }
            long end = ts + dur;
            // the waits starting before the slice ends, latest first, until one ended before it began
            int i = java.util.Arrays.binarySearch(starts, end);
            i = i < 0 ? -i - 2 : i;
            for (; i >= 0; i--) {
                Wait w = waits.get(order[i]);
                long ov = Math.min(end, w.resumed()) - Math.max(ts, w.from());
                if (ov > 0) {
                    ran.get(order[i]).merge(tid + " " + name, ov, Long::sum);
                } else if (w.resumed() <= ts && i > 0 && waits.get(order[i - 1]).resumed() <= ts) {
                    break; // waits do not overlap one another: earlier ones ended earlier still
                }
            }
        }
    }

    // ---- output ----

    /**
     * The text gort trace stats prints. Under a design without a coordinator ({@code none}) the
     * same figures are named for what they are there: the transition, taken by the goroutine that
     * completed the phase, instead of a coordinator's wait and resumption.
     */
    public static String format(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("trace of ").append(r.source()).append(": ").append(r.waits().size())
                .append(r.coordinator() ? " waits of the GC coordinator\n"
                        : " transitions (no coordinator: the goroutine that completed a phase took the transition itself)\n");
        for (int phase = 1; phase <= 2; phase++) {
            final int ph = phase;
            Percentiles p = Percentiles.of(r.waits().stream().filter(w -> w.phase() == ph && w.delay() >= 0).mapToLong(Wait::delay).toArray());
            if (p.count() > 0) {
                sb.append(String.format(Locale.ROOT, "mark %d %s: n=%d p50 %s, p90 %s, max %s%n", phase,
                        r.coordinator() ? "wakeup delay (done -> resumed)" : "delay (done -> transition)", p.count(),
                        CompareTable.dur(p.p50()), CompareTable.dur(p.p90()), CompareTable.dur(p.max())));
            }
        }
        if (r.checked() > 0) {
            sb.append(String.format(Locale.ROOT, "checked against the run's CycleRecords: %d completions, %d mismatches%n", r.checked(),
                    r.mismatches()));
        }
        for (String n : r.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append('\n');
        for (Wait w : r.waits()) {
            boolean coordinator = gort.gc.WakeupStrategy.hasCoordinator(w.strategy());
            sb.append(String.format(Locale.ROOT, "GC %d mark %d (%s): ", w.cycle(), w.phase(), w.strategy()));
            if (w.done() >= 0) {
                sb.append(String.format(Locale.ROOT, "done at %.3f ms %s, %s after %s", w.done() / 1e6,
                        gort.gc.CompleterKind.doneBy(w.completer(), coordinator), coordinator ? "resumed" : "transition began",
                        CompareTable.dur(w.delay())));
            } else {
                sb.append(String.format(Locale.ROOT, "waited %s (from %.3f ms)", CompareTable.dur(w.resumed() - w.waitStart()), w.waitStart() / 1e6));
            }
            if (!w.check().isEmpty()) {
                sb.append(" [").append(w.check()).append(']');
            }
            sb.append(coordinator ? "\n    coordinator: " : "\n    the goroutine that took the transition: ").append(w.where()).append('\n');
            sb.append("    ran meanwhile:");
            long lastP = -1;
            if (w.ran().isEmpty()) {
                sb.append(" nothing");
            }
            for (Ran x : w.ran()) {
                if (x.p() != lastP) {
                    sb.append(lastP < 0 ? " " : "; ").append("P").append(x.p()).append(':');
                    lastP = x.p();
                }
                sb.append(' ').append(x.goroutine()).append(' ').append(CompareTable.dur(x.ns()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
