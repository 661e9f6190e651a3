package gort.trace;

import gort.sched.Trace;
import gort.sched.TraceWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Reads gort's raw trace (what {@link gort.sched.TraceWriter} wrote) back as one stream of events
 * in time order, the job of Go 1.5's internal/trace parser, without holding the trace in memory.
 *
 * <p>{@link #open} makes one pass over the file: it checks every batch, collects the string table
 * and, per batch, its offset, and per GC cycle its start and end. {@link #forEach} then merges the
 * writers (each P, and the global buffer): one writer's batches, in file order, are the events it
 * wrote, in the order it wrote them, and only its current batch is open (read from the file when
 * the one before it is used up). The merge orders events by their writer's clock, the latest
 * timestamp the writer had written so far: an event stamped a little before the one its writer
 * wrote before it (a mark-done time read before its emission), even at the start of a batch, comes
 * back where its writer put it, and wherever no timestamp steps back the stream is in time order.
 * Ties between writers are broken by kind, so that what makes a goroutine runnable sorts before
 * the goroutine's start. Owns: the index, nothing of the file's contents but the strings.
 */
public final class RawTrace {
    /** One decoded event; the object is reused by {@link #forEach}: copy what you keep. */
    public static final class Event {
        public int kind;
        /** Nanoseconds since the runtime's start. */
        public long ts;
        /** The P whose buffer held the event, or {@link Trace#GLOBAL_PID}. */
        public int pid;
        public long a;
        public long b;

        @Override
        public String toString() {
            return Trace.kindName(kind) + "@" + ts + " p" + pid + " [" + a + ", " + b + "]";
        }
    }

    /** A cycle's start (GCStart) and end (GCDone) in trace time; end is -1 if the trace ends first. */
    public record CycleSpan(int cycle, long start, long end) {}

    /** One batch: where its bytes are, its writer, its place in the file (which is its writer's order). */
    private record Batch(long offset, int length, int pid, int order) {}

    private final Path file;
    private final List<Batch> batches;
    private final Map<Integer, String> strings;
    private final List<CycleSpan> cycles;
    private final long endTs;
    private final int maxPid;

    private RawTrace(Path file, List<Batch> batches, Map<Integer, String> strings, List<CycleSpan> cycles, long endTs, int maxPid) {
        this.file = file;
        this.batches = batches;
        this.strings = strings;
        this.cycles = cycles;
        this.endTs = endTs;
        this.maxPid = maxPid;
    }

    /** Indexes a raw trace; the message of a failure names the file and what is wrong. */
    public static RawTrace open(Path file) throws IOException {
        List<Batch> batches = new ArrayList<>();
        Map<Integer, String> strings = new HashMap<>();
        List<long[]> starts = new ArrayList<>(); // cycle, ts
        List<Long> dones = new ArrayList<>();
        long end = 0;
        int maxPid = -1;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] magic = new byte[TraceWriter.MAGIC.length];
            if (in.length() < magic.length) {
                throw new IOException(file + ": not a gort raw trace (too short)");
            }
            in.readFully(magic);
            if (!Arrays.equals(magic, TraceWriter.MAGIC)) {
                throw new IOException(file + ": not a gort raw trace (bad magic)");
            }
            long off = magic.length;
            long len = in.length();
            byte[] buf = new byte[gort.sched.TraceBuf.SIZE];
            Event e = new Event();
            while (off < len) {
                if (len - off < 4) {
                    throw new IOException(file + ": truncated batch header at byte " + off);
                }
                in.seek(off);
                int n = Integer.reverseBytes(in.readInt());
                if (n <= 0 || n > buf.length || off + 4 + n > len) {
                    throw new IOException(file + ": bad batch length " + n + " at byte " + off);
                }
                in.readFully(buf, 0, n);
                Decoder d = new Decoder(buf, n, file, off + 4);
                long last = d.batchTs;
                while (d.next(e, strings)) {
                    last = Math.max(last, e.ts);
                    if (e.kind == Trace.EV_GC_START) {
                        starts.add(new long[] {e.a, e.ts});
                    } else if (e.kind == Trace.EV_GC_DONE) {
                        dones.add(e.ts);
                    }
                }
                maxPid = Math.max(maxPid, d.pid);
                end = Math.max(end, last);
                batches.add(new Batch(off + 4, n, d.pid, batches.size()));
                off += 4 + n;
            }
        }
        // batches were read in file order, not time order: pair each start with the first end after it
        starts.sort((x, y) -> Long.compare(x[1], y[1]));
        dones.sort(null);
        List<CycleSpan> cycles = new ArrayList<>();
        int d = 0;
        for (int i = 0; i < starts.size(); i++) {
            long st = starts.get(i)[1];
            long next = i + 1 < starts.size() ? starts.get(i + 1)[1] : Long.MAX_VALUE;
            while (d < dones.size() && dones.get(d) < st) {
                d++;
            }
            long en = d < dones.size() && dones.get(d) <= next ? dones.get(d++) : -1;
            cycles.add(new CycleSpan((int) starts.get(i)[0], st, en));
        }
        return new RawTrace(file, batches, strings, cycles, end, maxPid);
    }

    /** The string with id (goroutine names, reasons); "?" for an unknown id. */
    public String string(long id) {
        return strings.getOrDefault((int) id, "?");
    }

    public List<CycleSpan> cycles() {
        return cycles;
    }

    /** The last timestamp in the trace. */
    public long endTs() {
        return endTs;
    }

    /** The number of batches in the file. */
    public int batchCount() {
        return batches.size();
    }

    /** The highest P id that wrote a batch (-1 if none). */
    public int maxPid() {
        return maxPid;
    }

    /** Receives events in time order; returning false stops the iteration. */
    @FunctionalInterface
    public interface Visitor {
        boolean event(Event e) throws IOException;
    }

    /** Visits every event in time order (by its writer's clock: see the class note). */
    public void forEach(Visitor v) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            Map<Integer, ArrayDeque<Batch>> byWriter = new HashMap<>();
            for (Batch b : batches) { // file order
                byWriter.computeIfAbsent(b.pid, k -> new ArrayDeque<>()).add(b);
            }
            PriorityQueue<Cursor> open = new PriorityQueue<>();
            for (ArrayDeque<Batch> q : byWriter.values()) {
                openNext(q, Long.MIN_VALUE, in, open);
            }
            Event out = new Event();
            for (;;) {
                Cursor c = open.poll();
                if (c == null) {
                    return;
                }
                out.kind = c.ev.kind;
                out.ts = c.ev.ts;
                out.pid = c.ev.pid;
                out.a = c.ev.a;
                out.b = c.ev.b;
                if (c.advance()) {
                    open.add(c);
                } else {
                    openNext(byWriter.get(c.batch.pid), c.clock, in, open);
                }
                if (!v.event(out)) {
                    return;
                }
            }
        }
    }

    /** Opens the writer's next batch that holds an event (its clock going on from {@code clock}), if any. */
    private void openNext(ArrayDeque<Batch> writer, long clock, RandomAccessFile in, PriorityQueue<Cursor> open) throws IOException {
        for (Batch b = writer.poll(); b != null; b = writer.poll()) {
            Cursor c = new Cursor(b, in, file, strings, clock);
            if (c.advance()) {
                open.add(c);
                return;
            }
        }
    }

    /** Tie-break between writers at one timestamp: making a goroutine runnable before starting it. */
    static int rank(int kind) {
        return switch (kind) {
            case Trace.EV_PROC_STOP, Trace.EV_GO_CREATE, Trace.EV_GO_UNBLOCK, Trace.EV_GO_SYSEXIT, Trace.EV_GO_SCHED,
                    Trace.EV_GO_PREEMPT, Trace.EV_GO_STOP, Trace.EV_GO_SLEEP, Trace.EV_GO_BLOCK, Trace.EV_GO_BLOCK_SEND,
                    Trace.EV_GO_BLOCK_RECV, Trace.EV_GO_BLOCK_SELECT, Trace.EV_GO_BLOCK_SYNC, Trace.EV_GO_SYSBLOCK,
                    Trace.EV_GC_MARK_DONE -> 0;
            case Trace.EV_GO_START, Trace.EV_PROC_START -> 2;
            default -> 1;
        };
    }

    /** A writer's current batch, at its next event; {@code clock} is the writer's latest timestamp up to that event. */
    private static final class Cursor implements Comparable<Cursor> {
        final Batch batch;
        final Decoder d;
        final Event ev = new Event();
        long clock;
        int rank;

        Cursor(Batch b, RandomAccessFile in, Path file, Map<Integer, String> strings, long clock) throws IOException {
            this.batch = b;
            byte[] buf = new byte[b.length];
            in.seek(b.offset);
            in.readFully(buf);
            this.d = new Decoder(buf, b.length, file, b.offset);
            this.strings = strings;
            this.clock = clock;
        }

        private final Map<Integer, String> strings;

        boolean advance() throws IOException {
            if (!d.next(ev, strings)) {
                return false;
            }
            clock = Math.max(clock, ev.ts);
            rank = rank(ev.kind);
            return true;
        }

        @Override
        public int compareTo(Cursor o) {
            if (clock != o.clock) {
                return Long.compare(clock, o.clock);
            }
            if (rank != o.rank) {
                return Integer.compare(rank, o.rank);
            }
            return Integer.compare(batch.order, o.batch.order);
        }
    }

    /** Decodes one batch (see {@link gort.sched.TraceBuf} for the encoding). */
    static final class Decoder {
        private final byte[] b;
        private final int n;
        private final Path file;
        private final long base;
        private int pos;
        private long last;
        int pid;
        long batchTs;

        Decoder(byte[] b, int n, Path file, long base) throws IOException {
            this.b = b;
            this.n = n;
            this.file = file;
            this.base = base;
            if (n < 1 || (b[0] & 0xFF) != Trace.EV_BATCH) {
                throw bad("batch does not start with a batch header");
            }
            pos = 1;
            pid = (int) varint();
            batchTs = uvarint();
            last = batchTs;
        }

        private IOException bad(String what) {
            return new IOException(file + ": corrupt trace at byte " + (base + pos) + ": " + what);
        }

        long uvarint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= n) {
                    throw bad("number runs past the end of its batch");
                }
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw bad("number longer than 10 bytes");
        }

        long varint() throws IOException {
            long u = uvarint();
            return (u >>> 1) ^ -(u & 1);
        }

        /** Decodes the next event into e (string definitions go into strings); false at the batch's end. */
        boolean next(Event e, Map<Integer, String> strings) throws IOException {
            while (pos < n) {
                int kind = b[pos++] & 0xFF;
                if (kind == Trace.EV_STRING) {
                    int id = (int) uvarint();
                    int len = (int) uvarint();
                    if (len < 0 || pos + len > n) {
                        throw bad("string runs past the end of its batch");
                    }
                    strings.putIfAbsent(id, new String(b, pos, len, StandardCharsets.UTF_8));
                    pos += len;
                    continue;
                }
                int args = Trace.argCount(kind);
                if (args < 0 || kind == Trace.EV_BATCH) {
                    throw bad("unknown event kind " + kind);
                }
                e.kind = kind;
                e.ts = last + varint();
                last = e.ts;
                e.pid = pid;
                e.a = args > 0 ? uvarint() : 0;
                e.b = args > 1 ? uvarint() : 0;
                return true;
            }
            return false;
        }
    }
}
