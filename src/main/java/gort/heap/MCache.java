package gort.heap;

/**
 * A per-P allocation cache (Go's {@code mcache}): one current span per size class, from which
 * {@link #alloc} takes slots without any lock.
 *
 * <p>Owns: its current spans (each marked {@code incache}, swept, on its central's empty list) and
 * its local allocation counters. Invariant: only the owner (the P holding this cache, or one plain
 * thread in tests) calls {@link #alloc} or {@link #releaseAll}; other threads may only read the
 * counters (racily: a pacer's estimate). A slot with no span holds the heap's shared empty span,
 * so the fast path needs no null check.
 *
 * <p>Counters: {@link #localAllocBytes()} and {@link #localNMalloc()} count slot bytes and objects
 * allocated through this cache since its last {@link #releaseAll}, when they are folded into the
 * heap's totals (Go's {@code local_*} fields and {@code purgecachedstats}).
 *
 * <p>Simplified from Go: no tiny allocator, no stack cache, no heap-profiling sample.
 */
public final class MCache {
    final MHeap heap;
    final MSpan[] alloc = new MSpan[SizeClasses.NUM_SIZE_CLASSES];

    long localAllocBytes;
    long localNMalloc;
    /**
     * The part of this cache's small-object bytes ({@code localAllocBytes - localLargeAlloc})
     * already folded into heap_live: the rest is Go's {@code local_cachealloc}, which heap_live
     * sees only when this cache takes a span from the heap or is released (Go 1.5's lag).
     */
    long localCacheallocFolded;
    /**
     * Scannable bytes allocated through this cache since its last fold (Go's {@code local_scan}):
     * each pointer-bearing object adds its {@link Type#ptrdataBytes}.
     */
    long localScan;
    /** Bytes allocated black (marked at allocation) since the last releaseAll. */
    long localBlackBytes;
    /**
     * Set when this cache took a new span or allocated a large object (Go's shouldhelpgc): the
     * collector checks its trigger and runs assists only then, and clears the flag.
     */
    public boolean shouldhelpgc;
    /**
     * Bytes this cache took from the heap (spans refilled, large objects) since the collector last
     * reported them to the platform ({@link gort.platform.Platform#allocated}); written by the
     * cache's P only.
     */
    public long unreportedBytes;
    long localLargeAlloc;
    long localNLargeAlloc;

    MCache(MHeap heap) {
        this.heap = heap;
        java.util.Arrays.fill(alloc, heap.emptySpan);
    }

    public MHeap heap() {
        return heap;
    }

    /** Allocates a zeroed object of struct type {@code t}; returns its address (its first data word). */
    public long alloc(Type t) {
        return heap.mallocgc(this, t, 0);
    }

    /** Allocates a zeroed array (or byte string) of {@code n} elements. */
    public long alloc(Type t, int n) {
        return heap.mallocgc(this, t, n);
    }

    /**
     * Replaces the (full) current span of class {@code cl} with one that has a free slot (Go's
     * mCache_Refill). The full span stays on its central's empty list.
     */
    MSpan refill(int cl) {
        MSpan s = alloc[cl];
        if (s != heap.emptySpan) {
            if (s.nextFreeIndex() != s.nelems) {
                throw new IllegalStateException("fatal error: refill on a nonempty span " + s);
            }
            s.incache = false;
        }
        alloc[cl] = heap.emptySpan;
        s = heap.central[cl].cacheSpan(this);
        alloc[cl] = s;
        shouldhelpgc = true;
        unreportedBytes += s.npages() * AddressSpace.PAGE_BYTES;
        if (heap.liveAtRefill) {
            heap.refilled(this, s);
        }
        return s;
    }

    /**
     * Returns every cached span to its central (Go's mCache_ReleaseAll; the "flush" done at mark 2
     * and at mark termination with the world stopped) and folds the local counters into the heap.
     */
    public void releaseAll() {
        for (int cl = 1; cl < alloc.length; cl++) {
            MSpan s = alloc[cl];
            if (s != heap.emptySpan) {
                alloc[cl] = heap.emptySpan;
                heap.central[cl].uncacheSpan(s);
            }
        }
        heap.purgeCachedStats(this);
    }

    /**
     * {@link #releaseAll} for a cache whose P is destroyed while the heap's counts stand (not the
     * end-of-cycle flush, after which heap_live is reset to the marked heap): under Go 1.19's
     * accounting its spans' unused slots leave heap_live.
     */
    public void releaseAllLive() {
        if (heap.liveAtRefill) {
            for (int cl = 1; cl < alloc.length; cl++) {
                MSpan s = alloc[cl];
                if (s != heap.emptySpan) {
                    heap.uncachedUnused(s);
                }
            }
        }
        releaseAll();
    }

    /** Slot bytes allocated through this cache since the last releaseAll (small and large). */
    public long localAllocBytes() {
        return localAllocBytes;
    }

    /** Objects allocated through this cache since the last releaseAll (small and large). */
    public long localNMalloc() {
        return localNMalloc;
    }

    /** The span currently cached for class {@code cl}, or null. */
    MSpan cached(int cl) {
        MSpan s = alloc[cl];
        return s == heap.emptySpan ? null : s;
    }
}
