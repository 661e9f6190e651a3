package gort.heap;

import gort.platform.Platform;
import gort.platform.RealPlatform;
import gort.platform.RuntimeMutex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The managed heap (Go's {@code mheap}, with {@code mallocgc} and the sweeper): a page-run
 * allocator over an {@link AddressSpace}, the page-to-span table, one {@link MCentral} per size
 * class, and the sweep state.
 *
 * <p>Owns, under its {@link RuntimeMutex} {@code lock}: the free runs (lists {@code free[n]} of runs
 * of n pages for n < 128, and {@code freelarge}, searched best-fit then lowest address), the page
 * table {@code spans}, the list of all in-use spans, the registry of MCaches, and the page counts.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Free runs are maximal: no two free runs are adjacent (freeing coalesces with both
 *       neighbours; growing coalesces with the run at the top).
 *   <li>{@code spans[p]} is the span of page p for every page of an in-use or manual span; for a
 *       free run only its first and last pages are guaranteed (as Go 1.5's {@code h_spans}); other
 *       entries are null or name retired free runs (DEAD, holding no objects), never a retired
 *       in-use span: {@link #freeSpan} clears the pages of the span it frees. So a small span's
 *       slot-type array can be reused once the span is retired. {@link #spanOf} is one array load.
 *   <li>Every span taken from the heap starts with {@code sweepgen == sg}. Sweeping: after marking,
 *       with the world stopped and every MCache released, {@link #startSweep} bumps {@code sg} by
 *       2, so every in-use span needs sweeping; spans are then swept lazily by
 *       {@link MCentral#cacheSpan}, proportionally by {@link #deductSweepCredit}, by
 *       {@link #reclaim} before the heap grows, and by a background sweeper calling
 *       {@link #sweepone}. Marking must not start before {@link #finishSweep}.
 *   <li>Lock order: an MCentral lock may be held when taking the heap lock, never the reverse; no
 *       lock is held while sweeping a span.
 * </ul>
 *
 * <p>Allocation colour: while {@link #allocBlack} is set (mark 2 and mark termination), new objects
 * are born marked.
 *
 * <p>Objects have no header: an object's address is its first data word, and its type id and array
 * length live beside it in its span, one entry per slot ({@code MSpan.slotInfo}), written by
 * {@link #mallocgc} and cleared (type 0 = no object) by sweep; see {@link Type} for the layout.
 *
 * <p>Debug mode (fixed at construction): sweep poisons freed objects' words with {@link #POISON};
 * allocation verifies that a reused slot still holds only poison or zeros (a write after free
 * fails loudly) and re-zeroes it; {@link #checkLive} rejects freed and unallocated addresses.
 * Without debug mode a freed slot is still recognised (its type entry is 0) until it is reused.
 *
 * <p>Simplified from Go 1.5: no scavenger (memory is never returned, HeapReleased is 0), no busy
 * lists (the in-use list serves the sweeper's snapshot), in-use span objects are never recycled (the
 * JVM collects retired ones; a free run's object is reshaped, see MSpan), a large object's span is its
 * own page run with one mark bit, and
 * {@link #reclaim} is Go's last-resort loop only (sweep until enough pages are freed).
 */
public final class MHeap {
    /** The word written over freed objects in debug mode. */
    public static final long POISON = 0xDEADBEEFDEADBEEFL;
    /** Runs shorter than this many pages have their own free list (Go's _MaxMHeapList). */
    static final int MAX_MHEAP_LIST = 1 << (20 - AddressSpace.PAGE_SHIFT);
    /** The heap grows by at least this many pages at a time (Go's _HeapAllocChunk, 1 MiB). */
    static final long HEAP_ALLOC_CHUNK_PAGES = (1 << 20) / AddressSpace.PAGE_BYTES;

    final Platform platform;
    final AddressSpace mem;
    /** mem.base(): the first word address of this heap's range (page p starts at base + p * PAGE_WORDS). */
    final long base;
    final boolean debug;
    final RuntimeMutex lock;
    final MCentral[] central = new MCentral[SizeClasses.NUM_SIZE_CLASSES];
    /** Go's emptymspan: an MCache slot with no span holds this. */
    final MSpan emptySpan;

    private final MSpan[] spans;
    private final MSpanList[] free = new MSpanList[MAX_MHEAP_LIST];
    private final MSpanList freelarge = new MSpanList();
    private final ArrayList<MSpan> allSpans = new ArrayList<>();
    private int pruneAt = 64;
    private final ArrayList<MCache> caches = new ArrayList<>();
    /**
     * Zeroed slot-type arrays ({@code MSpan.slotInfo}) of retired small spans, per size class, for
     * the next span of that class: a span's array (8 bytes per slot, up to 8 KiB a page) would
     * otherwise be host-JVM garbage, and a sweep retires thousands of spans at once. In all at most
     * {@code max(SLOT_POOL_MIN_BYTES, heapSys / 8)} bytes. Guarded by {@code lock}.
     */
    private final long[][][] slotInfoPool = new long[SizeClasses.NUM_SIZE_CLASSES][][];
    private final int[] slotInfoPooled = new int[SizeClasses.NUM_SIZE_CLASSES];
    private long slotInfoPoolBytes;
    static final long SLOT_POOL_MIN_BYTES = 4 << 20;
    private volatile long pagesInUse;
    private volatile long manualPagesInUse;

    // ---- sweep state ----
    volatile int sweepgen;
    private volatile MSpan[] sweepSpans = new MSpan[0];
    private final AtomicInteger sweepIdx = new AtomicInteger();
    private volatile boolean sweepDone = true;
    final AtomicLong pagesSwept = new AtomicLong();
    private final AtomicLong spanBytesAlloc = new AtomicLong();
    private volatile double sweepPagesPerByte;

    // ---- accounting ----
    /** Go's heap_live: bytes the pacer counts as live (marked at the last cycle, plus what caches folded in since). */
    final AtomicLong heapLive = new AtomicLong();
    /** Go's heap_scan. */
    private final AtomicLong heapScan = new AtomicLong();
    /** Runs when an mcache's counts were folded in (the pacer's revise), or null. */
    private volatile Runnable revise;
    private final AtomicLong nmalloc = new AtomicLong();
    private final AtomicLong totalAlloc = new AtomicLong();
    /** Scannable bytes folded in from the caches since the heap began (heap_scan's increments, never reset). */
    private final AtomicLong totalScan = new AtomicLong();
    private final AtomicLong nfree = new AtomicLong();
    private final AtomicLong totalFree = new AtomicLong();

    /** When set, mallocgc marks new objects (allocate black). */
    public volatile boolean allocBlack;
    /**
     * Go 1.19's heap accounting (set once, before the heap is used, for the go118 pacer): a cache
     * counts the whole free space of a span it takes into heap_live at the refill, with the
     * scannable bytes it allocated since the last refill, and revises the pacer there
     * (mcache.refill → gcController.update); a cache destroyed mid-cycle takes its spans' unused
     * slots back off (mcache.releaseAll). Small allocations are then not folded in one by one.
     * Otherwise Go 1.5's: each small allocation's bytes reach heap_live when the cache's counts are
     * folded in, as the cache takes a span from the heap.
     */
    public volatile boolean liveAtRefill;
    /** Bytes allocated black, folded in from the caches (Go counts them in work.bytesMarked). */
    private final AtomicLong blackBytes = new AtomicLong();

    /**
     * Returns and resets the bytes allocated black since the last call; the caches must have been
     * released (flushAllMCaches) so their local counts are folded in.
     */
    public long takeBlackBytes() {
        return blackBytes.getAndSet(0);
    }

    public MHeap(long capBytes) {
        this(RealPlatform.INSTANCE, capBytes, false);
    }

    public MHeap(long capBytes, boolean debug) {
        this(RealPlatform.INSTANCE, capBytes, debug);
    }

    public MHeap(Platform platform, long capBytes, boolean debug) {
        this.platform = platform;
        this.mem = new AddressSpace(platform, capBytes);
        this.base = mem.base();
        this.debug = debug;
        this.lock = new RuntimeMutex(platform);
        this.spans = new MSpan[(int) mem.capPages()];
        for (int i = 0; i < free.length; i++) {
            free[i] = new MSpanList();
        }
        for (int c = 1; c < central.length; c++) {
            central[c] = new MCentral(this, c);
        }
        this.emptySpan = new MSpan(this, 0, 0, MSpan.State.DEAD, 0, false);
    }

    public AddressSpace mem() {
        return mem;
    }

    public boolean debug() {
        return debug;
    }

    public MCentral central(int sizeclass) {
        return central[sizeclass];
    }

    // ---- memory access (raw: no checks beyond the arena's own) ----

    public long load(long addr) {
        return mem.load(addr);
    }

    public void store(long addr, long v) {
        mem.store(addr, v);
    }

    // ---- caches ----

    /** A new MCache registered with this heap (one per P). */
    public MCache newMCache() {
        MCache c = new MCache(this);
        lock.lock();
        try {
            caches.add(c);
        } finally {
            lock.unlock();
        }
        return c;
    }

    /** Releases {@code c}'s spans and forgets it (Go's freemcache). Caller owns c. */
    public void freeMCache(MCache c) {
        c.releaseAll();
        lock.lock();
        try {
            caches.remove(c);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every registered cache (Go's flushallmcaches). The world must be stopped. */
    public void flushAllMCaches() {
        List<MCache> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(caches);
        } finally {
            lock.unlock();
        }
        for (MCache c : snapshot) {
            c.releaseAll();
        }
    }

    // ---- allocation ----

    /**
     * Allocates an object of type {@code t} with {@code arrayLen} elements (0 for a struct; the byte
     * length for a string) through cache {@code c}: takes a slot, zeroes it, records the type and
     * length beside the span, and marks it if allocating black. Returns the object's address (its
     * first data word).
     *
     * @throws HeapExhaustedError if the heap would exceed its cap
     * @throws IllegalArgumentException for a bad array length
     */
    public long mallocgc(MCache c, Type t, int arrayLen) {
        if (c.heap != this) {
            throw new IllegalArgumentException("mallocgc: the MCache belongs to another heap");
        }
        final long words = t.objectWords(arrayLen); // >= 1
        final MSpan s;
        final int idx;
        final long addr;
        if (words <= SizeClasses.MAX_SMALL_WORDS) {
            int cl = SizeClasses.sizeToClass((int) words << 3);
            MSpan span = c.alloc[cl];
            int i = span.nextFreeIndex();
            if (i == span.nelems) {
                span = c.refill(cl);
                i = span.nextFreeIndex();
            }
            addr = span.base + (long) i * span.elemWords;
            c.localNMalloc++;
            c.localAllocBytes += span.elemBytes; // heap_live sees it at the next fold (local_cachealloc)
            if (span.needzero) {
                clearObject(span, addr, words);
            }
            s = span;
            idx = i;
        } else {
            s = largeAlloc(c, words);
            idx = 0;
            addr = s.base;
        }
        if (t.hasPointers()) {
            c.localScan += t.ptrdataBytes(arrayLen); // Go's local_scan
        }
        // publication order (MSpan's class comment): cleared, uniformity, entry, then the bit
        long info = MSpan.slotInfo(t.id(), arrayLen);
        s.noteEntry(info);
        s.setSlotInfo(idx, info);
        if (allocBlack) {
            s.setMarkedIndex(idx);
            c.localBlackBytes += s.elemBytes;
        }
        s.allocIndex(idx);
        return addr;
    }

    /** Allocates a byte string holding {@code bytes}. */
    public long allocString(MCache c, byte[] bytes) {
        long addr = mallocgc(c, Type.BYTES, bytes.length);
        int full = bytes.length >>> 3;
        for (int w = 0; w < full; w++) {
            mem.store(addr + w, (long) LE_LONG.get(bytes, w << 3)); // bytes are little-endian in a word
        }
        if ((bytes.length & 7) != 0) {
            long v = 0;
            for (int k = full << 3, sh = 0; k < bytes.length; k++, sh += 8) {
                v |= (bytes[k] & 0xFFL) << sh;
            }
            mem.store(addr + full, v);
        }
        return addr;
    }

    private static final java.lang.invoke.VarHandle LE_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Allocates a byte string holding {@code s} in UTF-8. */
    public long allocString(MCache c, String s) {
        return allocString(c, s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of the string object at {@code addr}. */
    public byte[] loadBytes(long addr) {
        MSpan s = objectSpan(addr);
        int i = s.objIndex(addr);
        if (s.typeIdAt(i) != Type.BYTES.id()) {
            throw new IllegalArgumentException("object at 0x" + Long.toHexString(addr) + " is a "
                    + describeType(s.typeIdAt(i)) + ", not a string");
        }
        int n = s.lenAt(i);
        byte[] out = new byte[n];
        for (int k = 0; k < n; k++) {
            long w = mem.load(addr + (k >>> 3));
            out[k] = (byte) (w >>> (8 * (k & 7)));
        }
        return out;
    }

    /** The string object at {@code addr} decoded as UTF-8. */
    public String loadString(long addr) {
        return new String(loadBytes(addr), StandardCharsets.UTF_8);
    }

    private void clearObject(MSpan s, long addr, long words) {
        if (debug) {
            long off = mem.findNotZeroOr(addr, words, POISON);
            if (off >= 0) {
                throw new IllegalStateException(String.format(
                        "fatal error: write after free: word 0x%x (word %d of the slot at 0x%x in %s) holds 0x%x,"
                                + " but a freed slot must hold only the poison 0x%x or zeros",
                        addr + off, off, addr, s, mem.load(addr + off), POISON));
            }
        }
        mem.clear(addr, words);
    }

    /** An object larger than MAX_SMALL_SIZE gets its own span (Go's largeAlloc). */
    private MSpan largeAlloc(MCache c, long words) {
        long npages = (words + AddressSpace.PAGE_WORDS - 1) >>> AddressSpace.LOG_PAGE_WORDS;
        deductSweepCredit(npages * AddressSpace.PAGE_BYTES, 0);
        MSpan s = allocSpan(npages, 0, MSpan.State.IN_USE, c); // mallocgc sets its allocation bit last
        heapLive.addAndGet(s.elemBytes); // a large object counts at once, as in Go's mHeap_Alloc
        c.localNMalloc++;
        c.localAllocBytes += s.elemBytes;
        c.localNLargeAlloc++;
        c.localLargeAlloc += s.elemBytes;
        c.shouldhelpgc = true;
        c.unreportedBytes += s.elemBytes;
        if (s.needzero) {
            clearObject(s, s.base, words);
        }
        return s;
    }

    /** Pages of runtime-owned memory (Go's manual spans, as for stacks); zeroed. */
    public MSpan allocManual(long npages) {
        if (npages <= 0) {
            throw new IllegalArgumentException("allocManual: npages must be > 0, got " + npages);
        }
        MSpan s = allocSpan(npages, 0, MSpan.State.MANUAL, null);
        if (s.needzero) {
            mem.fill(s.base, s.limit - s.base, 0);
            s.needzero = false;
        }
        return s;
    }

    /** Returns a manual span to the heap (poisoned in debug mode). */
    public void freeManual(MSpan s) {
        if (s.heap != this || s.state != MSpan.State.MANUAL) {
            throw new IllegalArgumentException("freeManual of a span that is not a manual span of this heap: " + s);
        }
        if (debug) {
            mem.fill(s.base, s.limit - s.base, POISON);
        }
        freeSpan(s);
    }

    // ---- page-run allocator ----

    /**
     * Takes a run of {@code npage} pages for an in-use span of {@code sizeclass} (0 = large) or a
     * manual span (Go's mHeap_Alloc). Before growing it reclaims by sweeping; if the cap is reached
     * while spans are unswept it finishes the sweep and retries once. {@code c}, the cache of the
     * allocating goroutine's P (or null), has its local counts folded into heap_live and heap_scan
     * first, as Go's mHeap_Alloc does for {@code getg().m.mcache}.
     */
    MSpan allocSpan(long npage, int sizeclass, MSpan.State st, MCache c) {
        if (!sweepDone) {
            reclaim(npage);
        }
        boolean mayThrow = sweepDone;
        for (;;) {
            lock.lock();
            try {
                if (c != null) {
                    foldCacheStatsLocked(c);
                }
                MSpan s = allocSpanLocked(npage, sizeclass, st, mayThrow);
                if (s != null) {
                    return s;
                }
            } finally {
                lock.unlock();
            }
            while (sweepone() != -1) {
                // the cap is reached: sweep everything before giving up
            }
            mayThrow = true;
        }
    }

    private MSpan allocSpanLocked(long npage, int sizeclass, MSpan.State st, boolean mayThrow) {
        MSpan f = findFreeRunLocked(npage);
        if (f == null) {
            if (!growLocked(npage, mayThrow)) {
                return null;
            }
            f = findFreeRunLocked(npage);
            if (f == null) {
                throw new IllegalStateException("fatal error: MHeap.allocSpan: no run of " + npage + " pages after growing");
            }
        }
        f.list.remove(f);
        long[] info = st == MSpan.State.IN_USE && sizeclass != 0 ? takeSlotInfoLocked(sizeclass) : null;
        MSpan s = new MSpan(this, f.startPage, npage, st, sizeclass, f.needzero, info);
        if (f.npages > npage) {
            // the rest stays a free run: f itself, reshaped (no new object)
            f.reshapeFree(f.startPage + npage, f.npages - npage, f.needzero);
            spans[(int) f.startPage] = f;
            spans[(int) (f.startPage + f.npages - 1)] = f;
            insertFree(f);
        } else {
            f.state = MSpan.State.DEAD;
        }
        long end = s.startPage + npage;
        for (long p = s.startPage; p < end; p++) {
            spans[(int) p] = s;
        }
        s.sweepgen = sweepgen;
        if (st == MSpan.State.IN_USE) {
            pagesInUse += npage;
        } else {
            manualPagesInUse += npage;
        }
        if (allSpans.size() >= pruneAt) {
            allSpans.removeIf(x -> x.state == MSpan.State.DEAD);
            pruneAt = Math.max(64, allSpans.size() * 2);
        }
        allSpans.add(s);
        return s;
    }

    private MSpan findFreeRunLocked(long npage) {
        for (long n = npage; n < MAX_MHEAP_LIST; n++) {
            MSpanList l = free[(int) n];
            if (!l.isEmpty()) {
                return l.first;
            }
        }
        MSpan best = null;
        for (MSpan s = freelarge.first; s != null; s = s.next) {
            if (s.npages >= npage && (best == null || s.npages < best.npages
                    || (s.npages == best.npages && s.startPage < best.startPage))) {
                best = s;
            }
        }
        return best;
    }

    private void insertFree(MSpan f) {
        if (f.npages < MAX_MHEAP_LIST) {
            free[(int) f.npages].insert(f);
        } else {
            freelarge.insert(f);
        }
    }

    /** Obtains at least {@code npage} pages from the address space (Go's mHeap_Grow). */
    private boolean growLocked(long npage, boolean mayThrow) {
        long avail = mem.availablePages();
        if (npage > avail) {
            if (mayThrow) {
                throw HeapExhaustedError.overCap(npage * AddressSpace.PAGE_BYTES, mem.capBytes(),
                        mem.usedPages() * AddressSpace.PAGE_BYTES, (pagesInUse + manualPagesInUse) * AddressSpace.PAGE_BYTES);
            }
            return false;
        }
        long ask = Math.max(npage, HEAP_ALLOC_CHUNK_PAGES);
        ask = (ask + 7) & ~7L; // 64 KiB granules, as Go
        ask = Math.min(ask, avail);
        long p = mem.sysAlloc(ask);
        freeRunLocked(p, ask, false);
        return true;
    }

    /** Returns an in-use or manual span's pages to the heap (Go's mHeap_Free). */
    void freeSpan(MSpan s) {
        lock.lock();
        try {
            MSpan.State st = s.state;
            if (st == MSpan.State.IN_USE) {
                pagesInUse -= s.npages;
            } else if (st == MSpan.State.MANUAL) {
                manualPagesInUse -= s.npages;
            } else {
                throw new IllegalStateException("fatal error: MHeap.freeSpan of " + s);
            }
            if (s.list != null || s.incache) {
                throw new IllegalStateException("fatal error: MHeap.freeSpan of a listed or cached span " + s);
            }
            s.state = MSpan.State.DEAD;
            // no page may name the retired span any more (so its slot array can be reused); the
            // new free run's first and last pages are set by freeRunLocked
            java.util.Arrays.fill(spans, (int) s.startPage, (int) (s.startPage + s.npages), null);
            if (st == MSpan.State.IN_USE && s.sizeclass != 0) {
                poolSlotInfoLocked(s);
            }
            freeRunLocked(s.startPage, s.npages, true);
        } finally {
            lock.unlock();
        }
    }

    /** A pooled, zeroed slot array for a new span of {@code sizeclass}, or null. Caller holds the lock. */
    private long[] takeSlotInfoLocked(int sizeclass) {
        int n = slotInfoPooled[sizeclass];
        if (n == 0) {
            return null;
        }
        long[][] pool = slotInfoPool[sizeclass];
        long[] a = pool[--n];
        pool[n] = null;
        slotInfoPooled[sizeclass] = n;
        slotInfoPoolBytes -= 8L * a.length;
        return a;
    }

    /**
     * Keeps the slot array of the retired small span {@code s} for reuse. Every entry is 0: sweep
     * cleared each slot it freed before the span was returned. Caller holds the lock.
     */
    private void poolSlotInfoLocked(MSpan s) {
        long[] a = s.slotInfo;
        if (debug) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] != 0) {
                    throw new IllegalStateException("fatal error: freeSpan of " + s + " whose slot " + i
                            + " still holds an object (type id " + (int) a[i] + ")");
                }
            }
        }
        long bytes = 8L * a.length;
        if (slotInfoPoolBytes + bytes > Math.max(SLOT_POOL_MIN_BYTES, mem.sysBytes() >>> 3)) {
            return; // host-JVM garbage, then
        }
        int cl = s.sizeclass;
        long[][] pool = slotInfoPool[cl];
        int n = slotInfoPooled[cl];
        if (pool == null || n == pool.length) {
            pool = java.util.Arrays.copyOf(pool == null ? new long[0][] : pool, Math.max(16, n * 2));
            slotInfoPool[cl] = pool;
        }
        pool[n] = a;
        slotInfoPooled[cl] = n + 1;
        slotInfoPoolBytes += bytes;
    }

    /**
     * Makes pages [start, start+npages) a free run, coalescing with free neighbours. The run's span
     * object is a neighbour's, reshaped, when there is one (a second neighbour's is retired), else a
     * new one.
     */
    private void freeRunLocked(long start, long npages, boolean needzero) {
        MSpan keep = null;
        if (start > 1) {
            MSpan t = spans[(int) (start - 1)];
            if (t != null && t.state == MSpan.State.FREE) {
                if (t.startPage + t.npages != start) {
                    throw new IllegalStateException("fatal error: page table corrupt: page " + (start - 1) + " maps to " + t);
                }
                t.list.remove(t);
                start = t.startPage;
                npages += t.npages;
                needzero |= t.needzero;
                keep = t;
            }
        }
        long end = start + npages;
        if (end < mem.usedPages()) {
            MSpan t = spans[(int) end];
            if (t != null && t.state == MSpan.State.FREE) {
                if (t.startPage != end) {
                    throw new IllegalStateException("fatal error: page table corrupt: page " + end + " maps to " + t);
                }
                t.list.remove(t);
                npages += t.npages;
                needzero |= t.needzero;
                if (keep == null) {
                    keep = t;
                } else {
                    t.state = MSpan.State.DEAD;
                }
            }
        }
        MSpan f;
        if (keep != null) {
            keep.reshapeFree(start, npages, needzero);
            f = keep;
        } else {
            f = new MSpan(this, start, npages, MSpan.State.FREE, 0, needzero);
        }
        spans[(int) start] = f;
        spans[(int) (start + npages - 1)] = f;
        insertFree(f);
    }

    // ---- span lookup ----

    /**
     * The page table itself (page → span), for the API's checked accesses and the collector's
     * greying, which index it directly so a lookup starts one dependent load sooner
     * ({@link #spanOf} is the same lookup). Read only; the array never changes identity (it is
     * sized by the cap).
     */
    public MSpan[] pageTable() {
        return spans;
    }

    /**
     * The page table entry for {@code addr} (Go's {@code h_spans[addr >> PageShift]}): the span of
     * any page of an in-use or manual span; possibly a FREE or DEAD span otherwise; null outside
     * the heap. O(1): the collector calls it for every pointer it greys. Whatever span it returns,
     * {@code s.typeIdAt(s.objIndex(addr))} is safe and nonzero only for an allocated object's slot
     * (see MSpan, page-table safety): the mutator's field check needs nothing more.
     */
    public MSpan spanOf(long addr) {
        long page = (addr - base) >>> AddressSpace.LOG_PAGE_WORDS; // outside the range: huge, so null
        return page < spans.length ? spans[(int) page] : null;
    }

    /** The in-use span holding {@code addr}, or null if addr is not inside an in-use span. */
    public MSpan spanOfHeap(long addr) {
        MSpan s = spanOf(addr);
        if (s == null || s.state != MSpan.State.IN_USE || addr < s.base || addr >= s.limit) {
            return null;
        }
        return s;
    }

    /** Sets the mark bit of the object at {@code addr}; true if newly marked. */
    public boolean setMarked(long addr) {
        return spanOf(addr).setMarked(addr);
    }

    public boolean isMarked(long addr) {
        return spanOf(addr).isMarked(addr);
    }

    /** Clears every in-use span's checkmark bits (before a checkmark pass; the world is stopped). */
    public void clearCheckmarks() {
        lock.lock();
        try {
            for (MSpan s : allSpans) {
                if (s.state == MSpan.State.IN_USE) {
                    s.clearCheckmarks();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The span of the allocated object at {@code addr} (its slot's type entry is set).
     *
     * @throws BadPointerException naming the address and why it is not an object, as {@link #checkLive}
     */
    private MSpan objectSpan(long addr) {
        MSpan s = spanOfHeap(addr);
        if (s != null) {
            int i = s.objIndex(addr);
            if (s.typeIdAt(i) != 0 && s.objAddr(i) == addr) {
                return s;
            }
        }
        throw notAnObject(addr);
    }

    /**
     * The exception for an address that is not an allocated object: {@link #checkLive}'s, or a
     * generic one if the address became an object meanwhile (a racy caller).
     */
    public BadPointerException notAnObject(long addr) {
        String why = whyNotLive(addr);
        return new BadPointerException(addr, why != null ? why
                : "address 0x" + Long.toHexString(addr) + " was not an allocated object when it was used");
    }

    /** The type of the object at {@code addr} (from its span's slot types). */
    public Type typeOf(long addr) {
        MSpan s = objectSpan(addr);
        return Type.byId(s.typeIdAt(s.objIndex(addr)));
    }

    /** The array length (element count, or byte length of a string; 0 for a struct) of the object at {@code addr}. */
    public int arrayLen(long addr) {
        MSpan s = objectSpan(addr);
        return s.lenAt(s.objIndex(addr));
    }

    /** Whether {@code addr} is the address of an allocated object (racy for cached spans). */
    public boolean isAllocated(long addr) {
        MSpan s = spanOfHeap(addr);
        if (s == null) {
            return false;
        }
        int i = s.objIndex(addr);
        return s.objAddr(i) == addr && s.typeIdAt(i) != 0 && s.isAllocatedIndex(i);
    }

    /**
     * Verifies that {@code addr} is the address of a live (allocated, not freed) object, and throws
     * a {@link BadPointerException} naming the address and the reason otherwise.
     */
    public void checkLive(long addr) {
        String why = whyNotLive(addr);
        if (why != null) {
            throw new BadPointerException(addr, why);
        }
    }

    /** Why {@code addr} is not a live object's address (naming the address), or null if it is one. */
    private String whyNotLive(long addr) {
        if (addr == 0) {
            return "nil pointer dereference (address 0x0)";
        }
        String a = "address 0x" + Long.toHexString(addr);
        if (!mem.owns(addr)) {
            String o = AddressSpace.ownerOf(addr);
            return a + " is not in the heap" + (mem.owner() != null ? " of " + mem.owner() : "") + (o != null
                    ? ": it belongs to the heap of " + o + " (an address of one runtime used in another)"
                    : ": it lies outside every heap");
        }
        if (((addr - base) >>> AddressSpace.LOG_PAGE_WORDS) >= mem.usedPages()) {
            return a + " is not in the heap (beyond the memory it has obtained)";
        }
        MSpan s = spanOf(addr);
        if (s == null || s.state != MSpan.State.IN_USE || !s.contains(addr)) {
            String why = s != null && s.state == MSpan.State.MANUAL && s.contains(addr)
                    ? "lies in a manual (runtime-owned) span " + s
                    : "lies in free heap pages (its span was freed)";
            return a + " is not a live object: it " + why
                    + (debug && poisoned(addr) ? "; the word holds the debug poison" : "");
        }
        int i = s.objIndex(addr);
        if (i >= s.nelems) {
            return a + " lies in the unused tail of " + s;
        }
        long obj = s.objAddr(i);
        int id = s.typeIdAt(i);
        if (obj != addr) {
            return a + " points into the object at 0x" + Long.toHexString(obj) + " (word " + (addr - obj)
                    + (id != 0 ? " of a " + describeType(id) : "; the slot holds no object")
                    + "); it is not an object address";
        }
        if (id == 0 || !s.isAllocatedIndex(i)) {
            if (debug && poisoned(addr)) {
                return a + " is a freed object: sweep freed slot " + i + " of " + s
                        + " (its type entry is cleared) and its words hold the debug poison 0x" + Long.toHexString(POISON);
            }
            return a + " is not an allocated object (slot " + i + " of " + s + " is free"
                    + (debug ? "" : ": never allocated, or freed by a sweep") + ")";
        }
        return null;
    }

    private boolean poisoned(long addr) {
        try {
            return mem.load(addr) == POISON;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String describeType(int id) {
        try {
            return Type.byId(id).name();
        } catch (IllegalArgumentException e) {
            return "non-object (type id " + id + ")";
        }
    }

    // ---- sweeping ----

    /** The heap's sweep generation. */
    public int sweepgen() {
        return sweepgen;
    }

    /** True once every span of the current cycle has been claimed for sweeping. */
    public boolean sweepDone() {
        return sweepDone;
    }

    /** Starts a sweep cycle without proportional sweeping (see {@link #startSweep(long)}). */
    public void startSweep() {
        startSweep(0);
    }

    /**
     * Starts sweeping after a mark phase (Go's gcSweep): bumps sweepgen by 2 so every in-use span
     * needs sweeping, snapshots the spans for {@link #sweepone}, and sets the proportional-sweep
     * ratio so that all in-use pages are swept by the time {@code heapDistanceBytes} more bytes of
     * spans have been allocated (Go: next_gc - heap_live; 0 or less disables proportional sweep).
     * The world must be stopped, every MCache released and the previous sweep finished.
     */
    public void startSweep(long heapDistanceBytes) {
        lock.lock();
        try {
            int sg = sweepgen;
            ArrayList<MSpan> work = new ArrayList<>(allSpans.size());
            for (MSpan s : allSpans) {
                if (s.state != MSpan.State.IN_USE) {
                    continue;
                }
                if (s.incache) {
                    throw new IllegalStateException("fatal error: startSweep while " + s
                            + " is cached; release every MCache (flushAllMCaches) first");
                }
                if (s.sweepgen != sg) {
                    throw new IllegalStateException("fatal error: startSweep before the previous sweep finished: "
                            + s + " (heap sweepgen " + sg + "); call finishSweep first");
                }
                work.add(s);
            }
            allSpans.removeIf(x -> x.state == MSpan.State.DEAD);
            pruneAt = Math.max(64, allSpans.size() * 2);
            sweepSpans = work.toArray(new MSpan[0]);
            sweepIdx.set(0);
            pagesSwept.set(0);
            spanBytesAlloc.set(0);
            if (heapDistanceBytes > 0) {
                long d = heapDistanceBytes - (1 << 20); // a margin, as Go
                if (d < AddressSpace.PAGE_BYTES) {
                    d = AddressSpace.PAGE_BYTES;
                }
                sweepPagesPerByte = (double) pagesInUse / d;
            } else {
                sweepPagesPerByte = 0;
            }
            sweepDone = work.isEmpty();
            sweepgen = sg + 2;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sweeps the next unswept span (Go's sweepone): returns the pages it returned to the heap (0 if
     * the span stayed in use, or was swept by someone else), or -1 when nothing is left to sweep.
     */
    public long sweepone() {
        if (sweepDone) {
            return -1;
        }
        final MSpan[] work = sweepSpans;
        final int sg = sweepgen;
        for (;;) {
            int idx = sweepIdx.getAndIncrement();
            if (idx >= work.length) {
                sweepDone = true;
                return -1;
            }
            MSpan s = work[idx];
            if (s.state != MSpan.State.IN_USE) {
                continue;
            }
            if (s.sweepgen != sg - 2 || !s.casSweepgen(sg - 2, sg - 1)) {
                continue;
            }
            long npages = s.npages;
            return s.sweep(false) ? npages : 0;
        }
    }

    /**
     * Sweeps until every span of this cycle is swept, waiting for concurrent sweepers (Go's
     * finishsweep_m, called at sweep termination before marking).
     */
    public void finishSweep() {
        while (sweepone() != -1) {
            // keep sweeping
        }
        for (MSpan s : sweepSpans) {
            s.ensureSwept();
        }
    }

    /**
     * Sweeps until at least {@code npage} pages have been returned to the heap or nothing is left
     * (Go's mHeap_Reclaim, its final loop only). Called before the heap allocates a run.
     */
    void reclaim(long npage) {
        long reclaimed = 0;
        while (reclaimed < npage) {
            long n = sweepone();
            if (n == -1) {
                break;
            }
            reclaimed += n;
        }
    }

    /**
     * Proportional sweep (Go's deductSweepCredit): charges {@code spanBytes} of span allocation and
     * sweeps until the pages swept keep up with {@code sweepPagesPerByte} times the bytes charged.
     * {@code callerSweepPages} are pages the caller will sweep itself.
     */
    public void deductSweepCredit(long spanBytes, long callerSweepPages) {
        if (sweepPagesPerByte == 0) {
            return;
        }
        long alloc = spanBytesAlloc.addAndGet(spanBytes);
        long pagesOwed = (long) (sweepPagesPerByte * alloc);
        while (pagesOwed - pagesSwept.get() > callerSweepPages) {
            if (sweepone() == -1) {
                sweepPagesPerByte = 0;
                break;
            }
        }
    }

    /** Pages swept since the last startSweep. */
    public long pagesSwept() {
        return pagesSwept.get();
    }

    /** The proportional sweep ratio (pages per byte of span allocation); 0 when off. */
    public double sweepPagesPerByte() {
        return sweepPagesPerByte;
    }

    // ---- accounting ----

    void recordFree(int n, long bytes) {
        nfree.addAndGet(n);
        totalFree.addAndGet(bytes);
    }

    /**
     * Folds c's small-object bytes and scannable bytes into heap_live and heap_scan, and tells the
     * pacer (Go's stats transfer in mHeap_Alloc/mHeap_Free and purgecachedstats, then
     * gcController.revise). Caller holds the heap lock; c's owner is the caller, or the world is
     * stopped.
     */
    private void foldCacheStatsLocked(MCache c) {
        long small = c.localAllocBytes - c.localLargeAlloc;
        long delta = small - c.localCacheallocFolded;
        if (delta != 0) {
            if (!liveAtRefill) {
                heapLive.addAndGet(delta); // (Go 1.19's accounting counted these bytes when their span was cached)
            }
            c.localCacheallocFolded = small;
        }
        if (c.localScan != 0) {
            if (!(liveAtRefill && allocBlack)) {
                heapScan.addAndGet(c.localScan); // (Go 1.19 drops scan bytes allocated black while marking)
            }
            totalScan.addAndGet(c.localScan);
            c.localScan = 0;
        }
        Runnable r = revise;
        if (r != null) {
            r.run();
        }
    }

    /**
     * Go 1.19's mcache.refill accounting ({@link #liveAtRefill}): s was just cached by c, with
     * {@code used} bytes of it already allocated; heap_live takes the rest of the span, heap_scan
     * what c allocated scannable since, and the pacer revises.
     */
    void refilled(MCache c, MSpan s) {
        lock.lock();
        try {
            heapLive.addAndGet(s.npages * AddressSpace.PAGE_BYTES - (long) s.allocCount * s.elemBytes);
            if (c.localScan != 0) {
                if (!allocBlack) {
                    heapScan.addAndGet(c.localScan); // while marking, new objects are black: heap_scan stays fixed
                }
                totalScan.addAndGet(c.localScan);
                c.localScan = 0;
            }
            Runnable r = revise;
            if (r != null) {
                r.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go 1.19's releaseAll accounting: a cached span's unused slots leave heap_live as the span leaves the cache mid-cycle. */
    void uncachedUnused(MSpan s) {
        heapLive.addAndGet(-(long) (s.nelems - s.allocCount) * s.elemBytes);
    }

    /** {@link #foldCacheStatsLocked} taking the heap lock. */
    void foldCacheStats(MCache c) {
        lock.lock();
        try {
            foldCacheStatsLocked(c);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Folds every registered cache's local counts into heap_live and heap_scan (Go's cachestats,
     * which gcMark calls before it estimates the reachable heap). The world must be stopped.
     */
    public void cachestats() {
        lock.lock();
        try {
            for (MCache c : caches) {
                foldCacheStatsLocked(c);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go's heap_scan: scannable bytes (scan work at the last mark termination, plus scannable allocation since). */
    public long heapScan() {
        return heapScan.get();
    }

    /** Sets heap_scan (at mark termination, to the cycle's scan work). */
    public void setHeapScan(long bytes) {
        heapScan.set(bytes);
    }

    /**
     * Installs what runs (under the heap lock) whenever heap_scan or heap_live took an mcache's
     * counts: the pacer's revise.
     */
    public void setRevise(Runnable r) {
        this.revise = r;
    }

    void purgeCachedStats(MCache c) {
        foldCacheStats(c);
        if (c.localBlackBytes != 0) {
            blackBytes.addAndGet(c.localBlackBytes);
            c.localBlackBytes = 0;
        }
        nmalloc.addAndGet(c.localNMalloc);
        totalAlloc.addAndGet(c.localAllocBytes);
        c.localNMalloc = 0;
        c.localAllocBytes = 0;
        c.localNLargeAlloc = 0;
        c.localLargeAlloc = 0;
        c.localCacheallocFolded = 0;
    }

    /** Go's heap_live: what the pacer measures against the goal. */
    public long heapLive() {
        return heapLive.get();
    }

    /** Sets heap_live (at mark termination, to the bytes marked). */
    public void setHeapLive(long bytes) {
        heapLive.set(bytes);
    }

    /** Bytes obtained from the address space. */
    public long heapSys() {
        return mem.sysBytes();
    }

    /** Bytes in in-use (object) spans. */
    public long heapInuse() {
        return pagesInUse * AddressSpace.PAGE_BYTES;
    }

    /** Bytes in allocated object slots (including unswept dead ones); walks the spans. */
    public long heapAlloc() {
        return readStats().heapAlloc();
    }

    /** Allocated objects (including unswept dead ones); walks the spans. */
    public long heapObjects() {
        return readStats().heapObjects();
    }

    /**
     * Cumulative bytes allocated, the caches' unfolded counts included, without walking the spans
     * (what a rate needs). Takes the heap lock; the caches' counts are read racily (their owners
     * keep allocating), so a value may be a cache's few latest objects behind.
     */
    public long totalAllocNow() {
        lock.lock();
        try {
            long total = totalAlloc.get();
            for (MCache c : caches) {
                total += c.localAllocBytes;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** All statistics at once. Walks every in-use span under the heap lock. */
    public HeapStats readStats() {
        long alloc = 0;
        long objects = 0;
        long nspans = 0;
        long mallocs;
        long total;
        long scan;
        lock.lock();
        try {
            for (MSpan s : allSpans) {
                MSpan.State st = s.state;
                if (st == MSpan.State.IN_USE) {
                    int n = s.allocCount;
                    alloc += n * s.elemBytes;
                    objects += n;
                    nspans++;
                } else if (st == MSpan.State.MANUAL) {
                    nspans++;
                }
            }
            mallocs = nmalloc.get();
            total = totalAlloc.get();
            scan = totalScan.get();
            for (MCache c : caches) {
                mallocs += c.localNMalloc;
                total += c.localAllocBytes;
                scan += c.localScan;
            }
        } finally {
            lock.unlock();
        }
        long sys = mem.sysBytes();
        long inuse = pagesInUse * AddressSpace.PAGE_BYTES;
        long manual = manualPagesInUse * AddressSpace.PAGE_BYTES;
        return new HeapStats(alloc, sys, sys - inuse - manual, inuse, objects, heapLive.get(), manual,
                total, mallocs, nfree.get(), nspans, scan);
    }

    /** The free runs, in address order (for tests and debugging). */
    List<MSpan> freeRuns() {
        lock.lock();
        try {
            ArrayList<MSpan> out = new ArrayList<>();
            for (MSpanList l : free) {
                for (MSpan s = l.first; s != null; s = s.next) {
                    out.add(s);
                }
            }
            for (MSpan s = freelarge.first; s != null; s = s.next) {
                out.add(s);
            }
            out.sort((x, y) -> Long.compare(x.startPage, y.startPage));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Pages handed out by the address space, including the reserved page 0. */
    long usedPages() {
        lock.lock();
        try {
            return mem.usedPages();
        } finally {
            lock.unlock();
        }
    }
}
