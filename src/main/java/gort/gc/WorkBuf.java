package gort.gc;

/**
 * A buffer of grey object addresses (Go's workbuf), each with its slot entry. Owns: its slots and count. Invariant: a
 * buffer is owned by exactly one gcWork or sits on exactly one of the global lists.
 */
final class WorkBuf {
    /** Go's workbuf holds (2048 - header) / 8 = 253 pointers. */
    static final int SIZE = 253;

    final long[] obj = new long[SIZE];
    /**
     * The slot entry (type id | length << 32, MSpan.slotInfo) of each queued object, read when it
     * was greyed: scanning then needs no span lookup.
     */
    final long[] info = new long[SIZE];
    int nobj;
    /** Link on a global lock-free list. */
    WorkBuf next;

    boolean isEmpty() {
        return nobj == 0;
    }

    boolean isFull() {
        return nobj == SIZE;
    }
}
