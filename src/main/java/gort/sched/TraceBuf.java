package gort.sched;

/**
 * One buffer of encoded trace events (Go 1.5's traceBuf): a batch that starts with a header
 * naming its writer (a P's id, or {@link Trace#GLOBAL_PID} for the global buffer) and the time of
 * its first event, followed by events whose timestamps are deltas from the event before.
 *
 * <p>Owns: its bytes, the write position and the last timestamp written. Invariants: exactly one
 * thread writes a buffer at a time (the M that owns the P it belongs to, or the holder of the
 * global buffer's lock); once handed to the {@link TraceWriter} it is not written again until the
 * writer returns it empty. Numbers are little-endian base-128 (Go's traceAppend); signed ones are
 * zigzag-encoded first, so that an event carrying a timestamp read a moment before the previous
 * event's (a mark-done time read before its emission) still encodes.
 */
public final class TraceBuf {
    /** Buffer size, as Go's (64 KiB). */
    public static final int SIZE = 64 << 10;
    /** The most one event other than a string definition can take: a kind byte and five numbers. */
    static final int MAX_EVENT = 1 + 5 * 10;

    final byte[] arr = new byte[SIZE];
    int pos;
    long lastTs;
    int pid;

    TraceBuf(int pid) {
        this.pid = pid;
    }

    /** Bytes written so far (the batch). */
    public byte[] bytes() {
        return arr;
    }

    public int length() {
        return pos;
    }

    boolean hasRoom(int n) {
        return SIZE - pos >= n;
    }

    void reset(int newPid) {
        pos = 0;
        lastTs = 0;
        pid = newPid;
    }

    void putByte(int b) {
        arr[pos++] = (byte) b;
    }

    void putUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            arr[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        arr[pos++] = (byte) v;
    }

    void putVarint(long v) {
        putUvarint((v << 1) ^ (v >> 63));
    }
}
