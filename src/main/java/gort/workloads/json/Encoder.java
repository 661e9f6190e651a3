package gort.workloads.json;

import gort.api.Raw;
import gort.api.Go;
import gort.api.Heap;
import gort.gc.Stack;
import gort.heap.Type;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@code json.Marshal(&r)} for the benchmark's schema: writes a managed Response tree as JSON into
 * a managed byte buffer and returns the buffer, a {@link Type#BYTES} object whose first
 * {@link #length()} bytes are the JSON (Go 1.5.1's Marshal returns {@code e.Bytes()}, a slice of
 * its buffer, with no copy).
 *
 * <p><b>Output</b> is byte for byte Go 1.19's: keys in struct order, no spaces, a nil slice as
 * {@code null} and an empty one as {@code []}, strings escaped as {@code encodeState.string} does
 * with HTML escaping on ({@code < > &} as <code>&#92;u003c &#92;u003e &#92;u0026</code>, control characters as
 * {@code \n \r \t} or <code>&#92;u00XX</code>, U+2028/U+2029 as <code>&#92;u2028 &#92;u2029</code>,
 * invalid UTF-8 as <code>&#92;ufffd</code>), integers in decimal, floats by {@link GoFloat}.
 *
 * <p><b>The buffer</b> is Go's {@code bytes.Buffer}: a Type.BYTES object of capacity {@code cap}
 * bytes, eight per word, little-endian. Every logical write of n bytes that Go's encoder makes (a
 * {@code WriteByte}, a {@code WriteString} of a key or of a run of a string, a {@code Write} of a
 * number) first checks {@code len + n <= cap}; when full the buffer grows as {@code Buffer.grow}
 * does: 64 bytes for a first write of at most 64, else a new object of {@code 2*cap + n} bytes
 * holding the bytes written so far, the old one left as garbage. Bytes are staged in a small Java
 * array and stored into the buffer a word at a time ({@code Heap.storeInt}). A new buffer is a
 * zeroed {@code Heap.allocBytes} (Go's {@code make([]byte, n)}) filled by {@code Heap.copyWords}
 * (Go's {@code copy}: a bulk copy, not a safepoint).
 *
 * <p>As in Go 1.5.1, nothing is pooled (its Marshal makes a fresh encodeState per call; the
 * sync.Pool and the exact-size copy of the result came with later releases): each op leaves the
 * whole growth sequence, about twice the output, as garbage.
 *
 * <p><b>Rooting.</b> The buffer and the value being encoded sit in a frame of the goroutine's
 * {@link Stack}; each Node being written sits in a frame slot of its own nesting level. A Node's
 * fields (its name's bytes included) are read into Java values before the first write, and every
 * address needed after a write (which may grow the buffer: a safepoint) is re-read from a frame.
 *
 * <p>Owns: per-goroutine scratch. Not thread-safe: one Encoder per goroutine.
 */
public final class Encoder {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Staging area size: a multiple of 8. */
    private static final int STAGE = 4096;
    /** Go's bytes.Buffer smallBufferSize. */
    private static final int SMALL_BUFFER = 64;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Go's htmlSafeSet: printable ASCII and DEL, except " \ < > &. */
    private static final boolean[] HTML_SAFE = new boolean[128];

    static {
        for (int b = 0x20; b <= 0x7F; b++) {
            HTML_SAFE[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&';
        }
    }

    private static final byte[] K_TREE = key("tree");
    private static final byte[] K_USERNAME = key("username");
    private static final byte[] K_NAME = key("name");
    private static final byte[] K_KIDS = key("kids");
    private static final byte[] K_CL_WEIGHT = key("cl_weight");
    private static final byte[] K_TOUCHES = key("touches");
    private static final byte[] K_MIN_T = key("min_t");
    private static final byte[] K_MAX_T = key("max_t");
    private static final byte[] K_MEAN_T = key("mean_t");
    private static final byte[] NULL = ascii("null");
    private static final byte[] U00 = ascii("u00");
    private static final byte[] UFFFD = ascii("\\ufffd");
    private static final byte[] U202 = ascii("\\u202");

    private final byte[] stage = new byte[STAGE];
    /** Bytes in {@link #stage}; stage[0] is byte {@code 8 * flushedWords} of the output. */
    private int staged;
    /** Words of the buffer already stored. */
    private int flushedWords;
    /** Bytes written: Go's {@code b.Len()}. */
    private int len;
    /** Capacity of the buffer object in bytes (0: no buffer yet). */
    private int cap;
    /** Frame of {@link #encode}: slot 0 the buffer, slot 1 the Response. */
    private int frame;
    private Heap h;
    private Stack st;
    /** A string's bytes, copied out of the heap before they are written. */
    private byte[] str = new byte[256];
    private final byte[] num = new byte[GoFloat.MAX_LEN];
    private final GoFloat.Buffer floats = new GoFloat.Buffer();
    /** The window's end in --seconds mode (null: none), and nodes since the last look at it. */
    private Deadline deadline;
    private int polls;
    /** Extra CPU work at every node encoded ({@link NodeWork}). */
    private final NodeWork nodeWork;

    public Encoder() {
        this(NodeWork.NONE);
    }

    /** @param nodeWork extra CPU work at every node encoded ({@link NodeWork}) */
    Encoder(NodeWork nodeWork) {
        this.nodeWork = nodeWork;
    }

    /** Stops every later encode at d (see {@link Deadline}); null: never. */
    void until(Deadline d) {
        this.deadline = d;
    }

    /**
     * Encodes the Response at {@code response} (rooted by the caller, or passed straight from a
     * root with no safepoint between); returns the address of the buffer, whose first
     * {@link #length()} bytes hold the JSON (valid until the caller's next safepoint). Call from a
     * goroutine.
     */
    public long encode(long response) {
        h = Raw.heap();
        st = Raw.stack();
        frame = st.push(2);
        try {
            st.set(frame, 1, response);
            len = 0;
            cap = 0;
            staged = 0;
            flushedWords = 0;
            writeByte('{');
            writeKey(K_TREE);
            long tree = h.loadPtr(st.get(frame, 1), Schema.TREE);
            if (tree == 0) {
                writeRaw(NULL);
            } else {
                encodeNode(tree);
            }
            writeByte(',');
            writeKey(K_USERNAME);
            writeString(copyString(h.loadPtr(st.get(frame, 1), Schema.USERNAME)));
            writeByte('}');
            flushAll();
            return st.get(frame, 0); // e.Bytes(): the buffer itself
        } finally {
            st.pop(frame);
        }
    }

    /** The length of the JSON of the last {@link #encode}. */
    public int length() {
        return len;
    }

    /** {@link #encode}, the JSON copied out to a Java array (no safepoint after the encode). */
    public byte[] encodeBytes(long response) {
        long out = encode(response);
        return java.util.Arrays.copyOf(h.loadBytes(out), len);
    }

    private void encodeNode(long node) {
        int f = st.push(1);
        st.set(f, 0, node);
        // a preemption point per node, as Go's function prologues give one: without it a goroutine
        // writing a long run between buffer growths holds up a stop-the-world for milliseconds
        Go.poll();
        nodeWork.spin();
        polls = Deadline.poll(deadline, polls);
        node = st.get(f, 0);
        // everything but the kids is read before the first write (a write may be a safepoint)
        int nameLen = copyString(h.loadPtr(node, Schema.NAME));
        boolean nilKids = h.loadPtr(node, Schema.KIDS) == 0;
        int nkids = (int) h.loadInt(node, Schema.KIDS_LEN);
        double clWeight = Double.longBitsToDouble(h.loadInt(node, Schema.CL_WEIGHT));
        long touches = h.loadInt(node, Schema.TOUCHES);
        long minT = h.loadInt(node, Schema.MIN_T);
        long maxT = h.loadInt(node, Schema.MAX_T);
        long meanT = h.loadInt(node, Schema.MEAN_T);

        writeByte('{');
        writeKey(K_NAME);
        writeString(nameLen);
        writeByte(',');
        writeKey(K_KIDS);
        if (nilKids) {
            writeRaw(NULL);
        } else {
            writeByte('[');
            for (int i = 0; i < nkids; i++) {
                if (i > 0) {
                    writeByte(',');
                }
                encodeNode(h.loadPtr(h.loadPtr(st.get(f, 0), Schema.KIDS), i));
            }
            writeByte(']');
        }
        writeByte(',');
        writeKey(K_CL_WEIGHT);
        writeNumber(GoFloat.append(num, 0, clWeight, floats));
        writeByte(',');
        writeKey(K_TOUCHES);
        writeNumber(GoFloat.appendLong(num, 0, touches));
        writeByte(',');
        writeKey(K_MIN_T);
        writeNumber(GoFloat.appendLong(num, 0, minT));
        writeByte(',');
        writeKey(K_MAX_T);
        writeNumber(GoFloat.appendLong(num, 0, maxT));
        writeByte(',');
        writeKey(K_MEAN_T);
        writeNumber(GoFloat.appendLong(num, 0, meanT));
        writeByte('}');
        st.pop(f);
    }

    /** Copies the bytes of string object s (0 = "") into {@link #str}; returns their count. */
    private int copyString(long s) {
        if (s == 0) {
            return 0;
        }
        int n = h.len(s);
        int words = (n + 7) >>> 3;
        if (str.length < words * 8) {
            str = new byte[Math.max(words * 8, str.length * 2)];
        }
        byte[] b = str;
        for (int w = 0; w < words; w++) {
            LE_LONG.set(b, w << 3, h.loadInt(s, w));
        }
        return n;
    }

    // ---- Go's encodeState.string, with its WriteByte/WriteString calls as logical writes ----

    private void writeString(int n) {
        byte[] s = str;
        writeByte('"');
        int start = 0;
        for (int i = 0; i < n;) {
            int b = s[i] & 0xFF;
            if (b < 0x80) {
                if (HTML_SAFE[b]) {
                    i++;
                    continue;
                }
                if (start < i) {
                    writeRun(s, start, i - start);
                }
                writeByte('\\');
                switch (b) {
                    case '\\', '"' -> writeByte(b);
                    case '\n' -> writeByte('n');
                    case '\r' -> writeByte('r');
                    case '\t' -> writeByte('t');
                    default -> {
                        writeRaw(U00);
                        writeByte(HEX[b >> 4]);
                        writeByte(HEX[b & 0xF]);
                    }
                }
                i++;
                start = i;
                continue;
            }
            int r = decodeRune(s, i, n);
            if (r < 0) { // invalid UTF-8: one byte becomes the escaped U+FFFD
                if (start < i) {
                    writeRun(s, start, i - start);
                }
                writeRaw(UFFFD);
                i++;
                start = i;
                continue;
            }
            int c = r & 0x1FFFFF;
            int size = r >>> 21;
            if (c == 0x2028 || c == 0x2029) {
                if (start < i) {
                    writeRun(s, start, i - start);
                }
                writeRaw(U202);
                writeByte(HEX[c & 0xF]);
                i += size;
                start = i;
                continue;
            }
            i += size;
        }
        if (start < n) {
            writeRun(s, start, n - start);
        }
        writeByte('"');
    }

    /**
     * Go's utf8.DecodeRune at s[i] (a byte >= 0x80): {@code size << 21 | rune}, or -1 for an
     * invalid encoding (overlong, surrogate, above U+10FFFF, truncated).
     */
    static int decodeRune(byte[] s, int i, int n) {
        int b0 = s[i] & 0xFF;
        if (b0 < 0xC2 || b0 > 0xF4) {
            return -1;
        }
        if (i + 1 >= n) {
            return -1;
        }
        int b1 = s[i + 1] & 0xFF;
        if (b0 < 0xE0) {
            return (b1 & 0xC0) != 0x80 ? -1 : 2 << 21 | (b0 & 0x1F) << 6 | b1 & 0x3F;
        }
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 == 0xE0) {
            lo = 0xA0;
        } else if (b0 == 0xED) {
            hi = 0x9F;
        } else if (b0 == 0xF0) {
            lo = 0x90;
        } else if (b0 == 0xF4) {
            hi = 0x8F;
        }
        if (b1 < lo || b1 > hi || i + 2 >= n) {
            return -1;
        }
        int b2 = s[i + 2] & 0xFF;
        if ((b2 & 0xC0) != 0x80) {
            return -1;
        }
        if (b0 < 0xF0) {
            return 3 << 21 | (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | b2 & 0x3F;
        }
        if (i + 3 >= n) {
            return -1;
        }
        int b3 = s[i + 3] & 0xFF;
        if ((b3 & 0xC0) != 0x80) {
            return -1;
        }
        return 4 << 21 | (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | b3 & 0x3F;
    }

    // ---- bytes.Buffer ----

    /** {@code e.WriteByte(b)}. */
    private void writeByte(int b) {
        if (len + 1 > cap) {
            grow(1);
        }
        if (staged == STAGE) {
            flushWords();
        }
        stage[staged++] = (byte) b;
        len++;
    }

    /** {@code e.WriteString(`"key":`)}. */
    private void writeKey(byte[] k) {
        writeRaw(k);
    }

    /** A write of a whole constant (at most a few dozen bytes). */
    private void writeRaw(byte[] b) {
        writeRun(b, 0, b.length);
    }

    /** {@code e.Write(num[:n])}. */
    private void writeNumber(int n) {
        writeRun(num, 0, n);
    }

    /** One logical write of b[off, off+n). */
    private void writeRun(byte[] b, int off, int n) {
        if (len + n > cap) {
            grow(n);
        }
        len += n;
        if (n <= 16 && staged + n <= STAGE) { // keys, numbers, short names: a loop beats arraycopy's stub
            byte[] s = stage;
            int p = staged;
            for (int i = 0; i < n; i++) {
                s[p + i] = b[off + i];
            }
            staged = p + n;
            return;
        }
        while (n > 0) {
            if (staged == STAGE) {
                flushWords();
            }
            int k = Math.min(n, STAGE - staged);
            System.arraycopy(b, off, stage, staged, k);
            staged += k;
            off += k;
            n -= k;
        }
    }

    /**
     * Buffer.grow(n) when full: a new buffer of 2*cap + n bytes (64 for a first small write) that
     * starts with the flushed words of the old one, which becomes garbage.
     */
    private void grow(int n) {
        long want = cap == 0 && n <= SMALL_BUFFER ? SMALL_BUFFER : 2L * cap + n;
        if (want > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("json: output too large (a byte buffer holds at most 2 GiB)");
        }
        int newCap = (int) want;
        long nb = h.allocBytes(newCap); // safepoint: the old buffer is in the frame until replaced
        if (flushedWords > 0) {
            h.copyWords(nb, 0, st.get(frame, 0), 0, flushedWords); // no safepoint from here
        }
        st.set(frame, 0, nb);
        cap = newCap;
    }

    /** Stores the whole words of the staging area; keeps the tail (< 8 bytes) staged. */
    private void flushWords() {
        int words = staged >>> 3;
        long buf = st.get(frame, 0);
        byte[] s = stage;
        for (int w = 0; w < words; w++) {
            h.storeInt(buf, flushedWords + w, (long) LE_LONG.get(s, w << 3));
        }
        flushedWords += words;
        int tail = staged & 7;
        System.arraycopy(s, words << 3, s, 0, tail);
        staged = tail;
    }

    /** Stores everything staged, the last partial word zero-padded. */
    private void flushAll() {
        flushWords();
        if (staged > 0) {
            long w = 0;
            for (int k = 0; k < staged; k++) {
                w |= (stage[k] & 0xFFL) << (8 * k);
            }
            h.storeInt(st.get(frame, 0), flushedWords, w);
        }
    }

    private static byte[] key(String k) {
        return ascii("\"" + k + "\":");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
