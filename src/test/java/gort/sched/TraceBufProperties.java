package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import gort.platform.RealPlatform;
import gort.trace.RawTrace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The tracer's buffers: whatever events a P's owner or the global buffer's holder append (any
 * kind, any numbers, timestamps that may step back, at a batch's start too, enough to roll buffers
 * over) come back from the raw file exactly, each writer's own events in the order it wrote them
 * (Go's per-P ordering, which the readers rely on), and the merged stream in time order by each
 * writer's clock: an event stamped before the event its writer wrote before it (a mark-done time
 * read before its emission) sorts as if stamped with that writer's latest time so far.
 */
class TraceBufProperties {
    record Ev(int writer, int kind, long ts, long a, long b) {}

    static final int[] KINDS = {Trace.EV_GO_START, Trace.EV_GO_UNBLOCK, Trace.EV_GO_SYSEXIT, Trace.EV_HEAP_ALLOC, Trace.EV_GC_MARK_DONE,
            Trace.EV_PROC_STOP, Trace.EV_RUNQ, Trace.EV_GC_RESUME};

    @Provide
    Arbitrary<List<Ev>> events() {
        Arbitrary<Integer> writer = Arbitraries.integers().between(-1, 3); // -1: the global buffer
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, KINDS.length - 1).map(i -> KINDS[i]);
        Arbitrary<Long> forward = Arbitraries.longs().between(0, 5_000_000);
        Arbitrary<Long> back = Arbitraries.longs().between(-2_000_000, -1);
        Arbitrary<Long> step = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, forward), net.jqwik.api.Tuple.of(1, back));
        Arbitrary<Long> arg = Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, Long.MAX_VALUE));
        // two tries in five short (up to 2,000 events: edge cases, one batch per writer), three long
        // (120,000 to 150,000 events: some writer's 64 KiB buffer rolls over), so that the coverage
        // check below does not rest on where a uniform size happened to fall
        Arbitrary<Ev> ev = Combinators.combine(writer, kind, step, arg, arg).as((w, k, s, a, b) -> new Ev(w, k, s, a, b));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, ev.list().ofMinSize(0).ofMaxSize(2_000)),
                net.jqwik.api.Tuple.of(3, ev.list().ofMinSize(120_000).ofMaxSize(150_000)));
    }

    static Path tmp() {
        try {
            return Files.createTempFile("gort-tracebuf", ".raw");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes evs (ts = running sum of the steps per writer, never below 0) and reads them back in time order. */
    static List<RawTrace.Event> roundTrip(List<Ev> in, List<Ev> written) throws IOException {
        return roundTrip(in, written, new int[1]);
    }

    /** As above; batches[0] is set to the number of batches the file holds. */
    static List<RawTrace.Event> roundTrip(List<Ev> in, List<Ev> written, int[] batches) throws IOException {
        Path raw = tmp();
        try {
            Sched s = new Sched(RealPlatform.INSTANCE, 4, 0, System.err, new Trace.Settings(raw));
            P[] ps = {new P(0), new P(1), new P(2), new P(3)};
            long[] clock = new long[5];
            for (Ev e : in) {
                int w = e.writer() + 1;
                clock[w] = Math.max(0, clock[w] + e.ts());
                int n = Trace.argCount(e.kind());
                Ev x = new Ev(e.writer(), e.kind(), clock[w], n > 0 ? e.a() : 0, n > 1 ? e.b() : 0);
                written.add(x);
                s.trace.append(e.writer() < 0 ? null : ps[e.writer()], x.kind(), x.ts(), n, x.a(), x.b());
            }
            s.trace.handOverAll(ps);
            s.trace.close();
            List<RawTrace.Event> out = new ArrayList<>();
            RawTrace rt = RawTrace.open(raw);
            batches[0] = rt.batchCount();
            rt.forEach(ev -> {
                RawTrace.Event c = new RawTrace.Event();
                c.kind = ev.kind;
                c.ts = ev.ts;
                c.pid = ev.pid;
                c.a = ev.a;
                c.b = ev.b;
                out.add(c);
                return true;
            });
            return out;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    @Property(tries = 30)
    void whatIsWrittenIsReadBackInTimeOrderAndPerWriterOrder(@ForAll("events") List<Ev> in) throws IOException {
        List<Ev> written = new ArrayList<>();
        int[] batches = new int[1];
        List<RawTrace.Event> out = roundTrip(in, written, batches);
        long writers = written.stream().mapToInt(Ev::writer).distinct().count();
        net.jqwik.api.statistics.Statistics.label("a buffer rolled over").collect(batches[0] > writers);
        assertThat(out).hasSize(written.size());
        java.util.Map<Integer, Long> clock = new java.util.HashMap<>(); // each writer's latest time so far
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < out.size(); i++) {
            RawTrace.Event e = out.get(i);
            long t = Math.max(clock.getOrDefault(e.pid, Long.MIN_VALUE), e.ts);
            clock.put(e.pid, t);
            assertThat(t).as("merged stream in time order by its writers' clocks at %d (%s)", i, e).isGreaterThanOrEqualTo(prev);
            prev = t;
        }
        net.jqwik.api.statistics.Statistics.label("a buffer rolled over")
                .coverage(c -> c.check(true).percentage(p -> p >= 20)); // so that a batch's first event steps back too
        for (int w = -1; w < 4; w++) {
            final int ww = w;
            List<Ev> mine = written.stream().filter(e -> e.writer() == ww).toList();
            List<RawTrace.Event> got = out.stream().filter(e -> e.pid == ww).toList();
            assertThat(got).as("writer %d", w).hasSize(mine.size());
            for (int i = 0; i < mine.size(); i++) {
                Ev e = mine.get(i);
                RawTrace.Event g = got.get(i);
                assertThat(new long[] {g.kind, g.ts, g.a, g.b}).as("writer %d event %d", w, i).containsExactly(e.kind(), e.ts(), e.a(), e.b());
            }
        }
    }

    @Property(tries = 20)
    void aTimestampBeforeThePreviousOneStillEncodes(@ForAll @IntRange(min = 1, max = 1_000_000) int back) throws IOException {
        // a mark-done event carries the time its CAS was read, which may precede the event before it
        Path raw = tmp();
        try {
            Sched s = new Sched(RealPlatform.INSTANCE, 1, 0, System.err, new Trace.Settings(raw));
            P p = new P(0);
            s.trace.append(p, Trace.EV_GO_START, 5_000_000, 1, 7, 0);
            s.trace.append(p, Trace.EV_GC_MARK_DONE, 5_000_000 - back, 2, 1, 3);
            s.trace.handOverAll(new P[] {p});
            s.trace.close();
            List<Long> ts = new ArrayList<>();
            RawTrace.open(raw).forEach(ev -> ts.add(ev.ts));
            assertThat(ts).containsExactlyInAnyOrder(5_000_000L, 5_000_000L - back);
        } finally {
            Files.deleteIfExists(raw);
        }
    }
}
