package gort.heap;

import gort.platform.RuntimeMutex;

/**
 * The central free lists for one size class (Go's {@code mcentral}).
 *
 * <p>Owns: two span lists under its {@link RuntimeMutex}: {@code nonempty} (spans with a free slot,
 * or whose sweep may free one) and {@code empty} (full spans, and every span currently held by an
 * {@link MCache}). Invariants: a small in-use span of this class is on exactly one of the two lists
 * from its creation until it is freed to the heap; a span on {@code nonempty} is not cached; a span
 * is handed to an MCache only once swept ({@code sweepgen == sg}) and with at least one free slot.
 *
 * <p>Lazy sweeping, as Go: {@link #cacheSpan} claims an unswept span (CAS sweepgen
 * {@code sg-2 -> sg-1}) and sweeps it before use; it skips spans a concurrent sweeper holds
 * ({@code sg-1}).
 *
 * <p>Heap-live accounting is Go 1.5's: caching a span changes nothing; each allocation counts in its
 * cache ({@code local_cachealloc}) until the cache takes a span from the heap or is released
 * ({@link MHeap#foldCacheStats}).
 */
public final class MCentral {
    final MHeap heap;
    final int sizeclass;
    final RuntimeMutex lock;
    final MSpanList nonempty = new MSpanList();
    final MSpanList empty = new MSpanList();
    private final long spanBytes;

    MCentral(MHeap heap, int sizeclass) {
        this.heap = heap;
        this.sizeclass = sizeclass;
        this.lock = new RuntimeMutex(heap.platform);
        this.spanBytes = (long) SizeClasses.classToAllocNPages(sizeclass) * AddressSpace.PAGE_BYTES;
    }

    public int sizeclass() {
        return sizeclass;
    }

    /** Returns a swept span with at least one free slot, marked in-cache (Go's mCentral_CacheSpan). */
    MSpan cacheSpan(MCache c) {
        heap.deductSweepCredit(spanBytes, 0);
        MSpan s = findSpan();
        if (s == null) {
            s = grow(c);
            lock.lock();
            try {
                empty.insertBack(s);
            } finally {
                lock.unlock();
            }
        }
        // havespan: s is swept, non-full, on the empty list, and we do not hold the lock.
        int n = s.nelems - s.allocCount;
        if (n <= 0) {
            throw new IllegalStateException("fatal error: cacheSpan: empty span " + s);
        }
        s.incache = true;
        return s;
    }

    /** Finds (sweeping if needed) a span with a free slot, moved to the back of empty; or null. */
    private MSpan findSpan() {
        lock.lock();
        boolean locked = true;
        try {
            final int sg = heap.sweepgen;
            retry:
            for (;;) {
                for (MSpan s = nonempty.first; s != null; s = s.next) {
                    int g = s.sweepgen;
                    if (g == sg - 2 && s.casSweepgen(sg - 2, sg - 1)) {
                        nonempty.remove(s);
                        empty.insertBack(s);
                        lock.unlock();
                        locked = false;
                        s.sweep(true);
                        return s;
                    }
                    g = s.sweepgen; // re-read, as Go: a failed CAS means a sweeper just claimed the span
                    if (g == sg - 1) {
                        continue; // a background sweeper holds it
                    }
                    // swept and non-empty: use it
                    nonempty.remove(s);
                    empty.insertBack(s);
                    return s;
                }
                for (MSpan s = empty.first; s != null; s = s.next) {
                    int g = s.sweepgen;
                    if (g == sg - 2 && s.casSweepgen(sg - 2, sg - 1)) {
                        // a full span that needs sweeping: sweeping may free a slot
                        empty.remove(s);
                        empty.insertBack(s); // swept spans live at the end
                        lock.unlock();
                        locked = false;
                        s.sweep(true);
                        if (s.allocCount < s.nelems) {
                            return s;
                        }
                        lock.lock();
                        locked = true;
                        continue retry; // still full; it is already on empty
                    }
                    g = s.sweepgen; // re-read after a failed CAS, as above
                    if (g == sg - 1) {
                        continue;
                    }
                    // swept and full: all later spans are swept or being swept
                    break;
                }
                return null;
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    /**
     * Takes back a span from an MCache (Go's mCentral_UncacheSpan). A span with free slots moves to
     * nonempty; one with no objects at all goes back to the heap.
     */
    void uncacheSpan(MSpan s) {
        boolean release = false;
        lock.lock();
        try {
            if (!s.incache) {
                throw new IllegalStateException("fatal error: uncacheSpan of a span not in a cache: " + s);
            }
            s.incache = false;
            int n = s.nelems - s.allocCount;
            if (n > 0) {
                if (s.allocCount == 0) {
                    empty.remove(s);
                    release = true;
                } else {
                    empty.remove(s);
                    nonempty.insert(s);
                }
            }
        } finally {
            lock.unlock();
        }
        if (release) {
            heap.freeSpan(s);
        }
    }

    /**
     * Called by sweep after freeing {@code n} objects of {@code s} (Go's mCentral_FreeSpan).
     * Publishes the span's new sweepgen. Returns true if the span went back to the heap.
     */
    boolean freeSpan(MSpan s, int n, boolean preserve) {
        if (s.incache) {
            throw new IllegalStateException("fatal error: freeSpan into cached span " + s);
        }
        int sg = heap.sweepgen;
        if (preserve) {
            // from cacheSpan: the span is on the empty list and the caller will use it
            if (s.list == null) {
                throw new IllegalStateException("fatal error: can't preserve unlinked span " + s);
            }
            s.publishSweepgen(sg);
            return false;
        }
        lock.lock();
        try {
            if (s.list == empty) {
                empty.remove(s);
                nonempty.insert(s);
            }
            // After the list move: from here on the span may be picked up by cacheSpan.
            s.publishSweepgen(sg);
            if (s.allocCount != 0) {
                return false;
            }
            s.list.remove(s);
        } finally {
            lock.unlock();
        }
        heap.freeSpan(s);
        return true;
    }

    /** Gets a fresh span of this class from the heap (Go's mCentral_Grow). */
    private MSpan grow(MCache c) {
        return heap.allocSpan(SizeClasses.classToAllocNPages(sizeclass), sizeclass, MSpan.State.IN_USE, c);
    }

    /** Spans on the nonempty and empty lists (for tests and debugging; takes the lock). */
    int[] listSizes() {
        lock.lock();
        try {
            return new int[] {nonempty.size, empty.size};
        } finally {
            lock.unlock();
        }
    }
}
