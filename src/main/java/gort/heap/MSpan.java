package gort.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A run of pages (Go's {@code mspan}): either free, holding objects of one size class, holding one
 * large object, or handed to the runtime for its own use (manual).
 *
 * <p>Owns: its allocation bitmap, its mark bits and checkmark bits (one bit per object slot, beside
 * the span rather than in the heap words), the type id and array length of the object in each slot
 * ({@code slotInfo}: objects have no header; see {@link Type}), its sweep generation and its list
 * links.
 *
 * <p>Geometry is immutable for a span that holds or may hold objects: an in-use or manual span never
 * changes its pages or size class; taking pages from a free run, or freeing a span, makes a new span
 * object for the in-use one and retires the freed one to {@link State#DEAD}; so a span reference
 * read racily from the page table is either the right span or one whose state says it is gone. A
 * free run's object is the exception: it holds no slots ({@code nelems == 0}, so every lookup through
 * it answers "no object" whatever its pages), and the heap reshapes it under its lock when the run
 * is split or coalesced ({@link #reshapeFree}) instead of making a new object for every free run
 * (host-JVM garbage that young collections would copy). Life is one-way: {@code IN_USE -> DEAD},
 * {@code MANUAL -> DEAD}, {@code FREE -> DEAD}.
 *
 * <p>Allocation state (simplified from Go 1.5's free list to Go 1.7's design): {@code allocBits} has
 * bit i set iff slot i holds an allocated object; every slot below {@code freeindex} is allocated;
 * {@code allocCount} is the number of set bits. While the span is cached ({@code incache}) only its
 * owning {@link MCache} touches these fields; otherwise they change only under its
 * {@link MCentral}'s lock or while the span is claimed for sweeping.
 *
 * <p>Sweep generation, with {@code sg} the heap's sweepgen: {@code sweepgen == sg - 2} the span
 * needs sweeping; {@code sg - 1} it is being swept (claimed by CAS from {@code sg - 2}); {@code sg}
 * it is swept and ready to use. The heap bumps {@code sg} by 2 after each mark phase.
 *
 * <p>Mark bits are set with an atomic OR and cleared only by sweep (after marking ended, under the
 * stop-the-world that ends marking), so {@link #setMarked} returns true exactly once per object and
 * cycle. Sweep frees every allocated, unmarked slot: {@code allocBits &= markBits}, then clears the
 * mark bits.
 *
 * <p>Slot types: {@code slotInfo[i]} holds, for the object in slot i, its type id in the low 32
 * bits and its array length (element count, byte count for a string, 0 for a struct) in the high
 * 32 bits: {@link #typeIdAt} and {@link #lenAt}. One long rather than two int arrays, so the
 * mutator's field check and the collector's scan read both with one load from one cache line. A
 * type id of 0 means the slot holds no object (ids are positive), and then the length means
 * nothing. {@code mallocgc} writes the entry right after taking the slot, before the address is
 * returned; sweep zeroes the entry of every slot it frees, so a dangling address to a swept slot
 * is recognised as "no object". Thus a nonzero type implies the slot is allocated. Entries are
 * written by the same owners as the allocation bits, with release semantics ({@link #setSlotInfo}),
 * and read by anyone holding an object's address.
 *
 * <p>Publication order in {@code mallocgc}: clear the slot, {@link #noteEntry}, the entry's release
 * store, and only then the allocation bit, itself a release store ({@link #allocIndex}). Readers go
 * the other way: the allocation word first, then {@link #uniformInfo} or the entry. The collector
 * ({@link #entryAtAcquire}) reads both with acquire semantics, so when it sees the bit of an object
 * whose address it found racily in the heap, it sees the cleared words, the entry and the span's
 * uniformity as the allocator left them; the mutator ({@link #entryAt}) reads plainly, in the same
 * order (see there).
 *
 * <p>Page-table safety: for any span {@code s} the page table maps an address {@code a} to (in use
 * or not), {@code s.typeIdAt(s.objIndex(a))} is in bounds and is 0 unless {@code a}'s slot holds an
 * allocated object: an in-use span has {@code nelems + 1} entries (the last, for the unused tail,
 * stays 0); every other span (free, manual, or split off) has index 0 only, a shared zero entry; and
 * an in-use span is retired only once sweep has freed, and so zeroed, every slot, and then no page
 * names it any more ({@link MHeap#freeSpan} clears its pages), so the heap may hand its zeroed
 * array to the next span of its class. The same holds for the allocation bits the uniform path
 * reads: a span not in use has {@code nelems == 0}, so they are never indexed, and a retired span's
 * are all clear and never handed on. So the mutator can find an object's type with
 * {@link MHeap#spanOf} alone, without reading the volatile {@code state} (whose barrier costs the
 * hot path more than the rest of the lookup).
 */
public final class MSpan {
    /** Span states (Go 1.5's {@code _MSpanInUse}, {@code _MSpanStack} (manual), {@code _MSpanFree}, {@code _MSpanDead}). */
    public enum State {
        IN_USE,
        MANUAL,
        FREE,
        DEAD
    }

    private static final VarHandle SWEEPGEN;
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long[] NO_BITS = new long[0];
    /** The one slot entry of every span that is not in use: always 0, never written. */
    private static final long[] NO_OBJECT = new long[1];
    /** Bits of a {@code slotInfo} entry holding the type id. */
    public static final long INFO_TYPE_MASK = 0xFFFF_FFFFL;

    static {
        try {
            SWEEPGEN = MethodHandles.lookup().findVarHandle(MSpan.class, "sweepgen", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MHeap heap;
    /** First page and page count (changed only for a free run, by {@link #reshapeFree}). */
    long startPage;
    long npages;
    /** First word and one past the last word (as startPage and npages). */
    long base;
    long limit;
    /** Size class; 0 for a large object, a free or a manual span. */
    final int sizeclass;
    /** Words per object slot (for a large span, the whole span; as npages for a free run). */
    int elemWords;
    long elemBytes;
    /** Object slots in the span. */
    final int nelems;
    /**
     * ceil(2^32 / elemWords): objIndex by multiply and shift (Go's divMagic); exact for every offset
     * in a small-class span. 0 for a large span (its one object is slot 0; the magic is not exact
     * for slots of 64 Ki words or more) and for a span not in use (index 0: see page-table safety).
     */
    private final long divMul;

    final long[] allocBits;
    final long[] gcmarkBits;
    final long[] checkmarkBits;
    /**
     * Per slot: {@code typeId | (long) arrayLen << 32}; 0 = no object. {@code nelems + 1} entries:
     * an address in the unused tail of a small span has objIndex {@code nelems}, whose entry is
     * always 0, so a reader indexing by objIndex needs no bounds test of its own.
     */
    final long[] slotInfo;

    /**
     * The slot entry every object allocated in this span so far has had: 0 before the first
     * allocation, {@link #MIXED} once two differed (it never goes back). Written by the span's
     * allocator before the slot's allocation bit (see the class comment's publication order); read
     * by {@link #entryAt} after that bit. A uniform span (the common case: a workload's nodes fill spans of their
     * class) answers "which object is at slot i" from its one-bit allocation mark instead of the
     * eight-byte slot entry, and checked accesses and marking touch 64 times less side memory.
     */
    long uniformInfo;
    static final long MIXED = -1L;
    /**
     * {@code Type.accessWord} of the first entry {@link #uniformInfo} held (0 before), written
     * before it and never again: whenever uniformInfo still holds that entry, this is its access
     * word; a reader that sees 0 (not yet visible) asks the type table instead.
     */
    long uniformAcc;

    volatile State state;
    @SuppressWarnings("unused") // through SWEEPGEN as well
    volatile int sweepgen;

    int freeindex;
    int allocCount;
    /** Held by an MCache. */
    boolean incache;
    /** Some words may be non-zero: zero objects as they are allocated. */
    boolean needzero;

    MSpan next;
    MSpan prev;
    MSpanList list;

    MSpan(MHeap heap, long startPage, long npages, State state, int sizeclass, boolean needzero) {
        this(heap, startPage, npages, state, sizeclass, needzero, null);
    }

    /**
     * @param slotInfo a zeroed slot array of a retired span of the same class to reuse, or null
     */
    MSpan(MHeap heap, long startPage, long npages, State state, int sizeclass, boolean needzero, long[] slotInfo) {
        this.heap = heap;
        this.startPage = startPage;
        this.npages = npages;
        this.base = heap.base + (startPage << AddressSpace.LOG_PAGE_WORDS);
        this.limit = base + (npages << AddressSpace.LOG_PAGE_WORDS);
        this.sizeclass = sizeclass;
        this.state = state;
        this.needzero = needzero;
        if (state == State.IN_USE) {
            if (sizeclass != 0) {
                this.elemWords = SizeClasses.classToSize(sizeclass) / AddressSpace.WORD_BYTES;
                this.nelems = (int) ((npages << AddressSpace.LOG_PAGE_WORDS) / elemWords);
            } else {
                if (npages > Integer.MAX_VALUE >>> AddressSpace.LOG_PAGE_WORDS) {
                    throw new IllegalArgumentException("large object of " + npages + " pages is too large");
                }
                this.elemWords = (int) (npages << AddressSpace.LOG_PAGE_WORDS);
                this.nelems = 1;
            }
            int nwords = (nelems + 63) >>> 6;
            this.allocBits = new long[nwords];
            this.gcmarkBits = new long[nwords];
            this.checkmarkBits = new long[nwords];
            this.slotInfo = slotInfo != null && slotInfo.length == nelems + 1 ? slotInfo : new long[nelems + 1];
        } else {
            this.elemWords = (int) Math.min(Integer.MAX_VALUE, npages << AddressSpace.LOG_PAGE_WORDS);
            this.nelems = 0;
            this.allocBits = NO_BITS;
            this.gcmarkBits = NO_BITS;
            this.checkmarkBits = NO_BITS;
            this.slotInfo = NO_OBJECT;
        }
        this.elemBytes = (long) elemWords * AddressSpace.WORD_BYTES;
        this.divMul = state != State.IN_USE || sizeclass == 0 ? 0 : ((1L << 32) + elemWords - 1) / elemWords;
    }

    /**
     * Gives this free run other pages (a split or a coalesce). Caller holds the heap lock and has
     * taken the run off its free list; racy page-table readers are unaffected (a free run has no
     * slots).
     */
    void reshapeFree(long startPage, long npages, boolean needzero) {
        if (state != State.FREE || nelems != 0) {
            throw new IllegalStateException("fatal error: reshapeFree of " + this);
        }
        this.startPage = startPage;
        this.npages = npages;
        this.base = heap.base + (startPage << AddressSpace.LOG_PAGE_WORDS);
        this.limit = base + (npages << AddressSpace.LOG_PAGE_WORDS);
        this.elemWords = (int) Math.min(Integer.MAX_VALUE, npages << AddressSpace.LOG_PAGE_WORDS);
        this.elemBytes = (long) elemWords * AddressSpace.WORD_BYTES;
        this.needzero = needzero;
    }

    // ---- geometry ----

    /** First word of the span. */
    public long base() {
        return base;
    }

    /** One past the last word of the span. */
    public long limit() {
        return limit;
    }

    public long startPage() {
        return startPage;
    }

    public long npages() {
        return npages;
    }

    public int sizeclass() {
        return sizeclass;
    }

    public boolean isLarge() {
        return sizeclass == 0 && state == State.IN_USE;
    }

    /** Bytes per object slot. */
    public long elemBytes() {
        return elemBytes;
    }

    public int elemWords() {
        return elemWords;
    }

    public int nelems() {
        return nelems;
    }

    public State state() {
        return state;
    }

    public int sweepgen() {
        return sweepgen;
    }

    /** Objects currently allocated (racy when read by a thread other than the span's owner). */
    public int allocCount() {
        return allocCount;
    }

    public boolean inCache() {
        return incache;
    }

    /** Index of the object slot holding {@code addr} (addr must lie in the span). */
    public int objIndex(long addr) {
        return (int) (((addr - base) * divMul) >>> 32);
    }

    /** Start of the slot holding the interior address {@code addr} (the object's address). */
    public long base(long addr) {
        return base + (long) objIndex(addr) * elemWords;
    }

    /** Address of object slot {@code i}. */
    public long objAddr(int i) {
        return base + (long) i * elemWords;
    }

    public boolean contains(long addr) {
        return addr >= base && addr < limit;
    }

    // ---- slot types ----

    /**
     * Type id of the object in slot {@code i} (0 if the slot holds none), for {@code i = objIndex(a)}
     * of any address the page table maps to this span (slot {@code nelems}, the unused tail, and
     * the one slot of a span not in use always read 0).
     */
    public int typeIdAt(int i) {
        return (int) slotInfoAt(i);
    }

    /** Array length (element or byte count; 0 for a struct) of the object in slot {@code i}, if any. */
    public int lenAt(int i) {
        return (int) (slotInfoAt(i) >>> 32);
    }

    /**
     * Type id and length of slot {@code i} in one load: {@code (int) info} is the type id (0 = no
     * object), {@code (int) (info >>> 32)} the array length.
     */
    public long slotInfoAt(int i) {
        // An address in the span's tail (past its last slot) has index nelems: no object there.
        // (The array may be longer than nelems: slot arrays of retired spans are reused.)
        return i < nelems ? slotInfo[i] : 0;
    }

    /**
     * The entry of the object in slot {@code i}, or 0 if the slot holds none, for the mutator's
     * checked accesses: the slot's allocation bit first, then {@link #uniformInfo} when the span is
     * uniform, else the slot's entry. A slot whose bit is clear (free, swept, or still being
     * allocated) reads 0. Plain reads, as the mutator's entry read always was: a goroutine holds an
     * address it allocated or received through the program's own synchronization, and the two loads
     * depend on the address; only a racy reader could see them out of order (and the program
     * already breaks the rooting contract then). The collector, which finds addresses racily in the
     * heap, uses {@link #entryAtAcquire}.
     */
    public long entryAt(int i) {
        if (i >= nelems) {
            return 0; // the unused tail, or a span not in use
        }
        if ((allocBits[i >>> 6] & (1L << i)) == 0) {
            return 0;
        }
        long u = uniformInfo;
        return u > 0 ? u : slotInfo[i];
    }

    /**
     * {@link #entryAt} for the concurrent collector: the allocation word and the entry are read with
     * acquire semantics, pairing with mallocgc's release stores (class comment: publication order).
     */
    public long entryAtAcquire(int i) {
        if (i >= nelems) {
            return 0;
        }
        if (((long) BITS.getAcquire(allocBits, i >>> 6) & (1L << i)) == 0) {
            return 0;
        }
        long u = uniformInfo;
        return u > 0 ? u : (long) BITS.getAcquire(slotInfo, i);
    }

    /** Records that the object about to get slot entry {@code info} is allocated here (see uniformInfo). */
    void noteEntry(long info) {
        long u = uniformInfo;
        if (u != info && u != MIXED) {
            if (u == 0) {
                uniformAcc = Type.accessWord((int) info);
                uniformInfo = info;
            } else {
                uniformInfo = MIXED;
            }
        }
    }

    /** True while every object allocated in this span has had one slot entry (see uniformInfo). */
    public boolean isUniform() {
        return uniformInfo > 0;
    }

    /** {@code Type.accessWord} of the type in entry {@code info} (an entry this span answered). */
    public long accessWordOf(long info) {
        long a = uniformAcc;
        return a != 0 && info != 0 && info == uniformInfo ? a : Type.accessWord((int) info);
    }

    /** Records the object allocated in slot i (a release store: see the class comment). */
    void setSlotInfo(int i, long info) {
        BITS.setRelease(slotInfo, i, info);
    }

    /** The slot entry of an object of type id {@code typeId} with {@code arrayLen} elements. */
    public static long slotInfo(int typeId, int arrayLen) {
        return (typeId & INFO_TYPE_MASK) | ((long) arrayLen << 32);
    }

    // ---- allocation bits ----

    /** Whether slot {@code i} holds an allocated object. */
    public boolean isAllocatedIndex(int i) {
        return i >= 0 && i < nelems && (allocBits[i >>> 6] & (1L << i)) != 0;
    }

    /**
     * The first free slot at or after {@code freeindex}, or {@code nelems} if the span is full;
     * advances {@code freeindex} to it. Owner only.
     */
    int nextFreeIndex() {
        int i = freeindex;
        final int n = nelems;
        if (i >= n) {
            return n;
        }
        final long[] bits = allocBits;
        int w = i >>> 6;
        long free = ~bits[w] & (-1L << i);
        while (free == 0) {
            if (++w >= bits.length) {
                freeindex = n;
                return n;
            }
            free = ~bits[w];
        }
        int idx = (w << 6) + Long.numberOfTrailingZeros(free);
        if (idx >= n) {
            freeindex = n;
            return n;
        }
        freeindex = idx;
        return idx;
    }

    /**
     * Marks slot {@code idx} (just returned by nextFreeIndex) allocated. Owner only; the last step of
     * mallocgc, a release store (class comment: publication order).
     */
    void allocIndex(int idx) {
        int w = idx >>> 6;
        BITS.setRelease(allocBits, w, allocBits[w] | 1L << idx);
        freeindex = idx + 1;
        allocCount++;
    }

    // ---- mark bits ----

    /** Sets the mark bit of the object holding {@code addr}; true iff it was not set before. */
    public boolean setMarked(long addr) {
        return setMarkedIndex(objIndex(addr));
    }

    /** Sets the mark bit of slot {@code i}; true iff it was not set before. Safe from any thread. */
    public boolean setMarkedIndex(int i) {
        int w = i >>> 6;
        long bit = 1L << i;
        if ((gcmarkBits[w] & bit) != 0) {
            return false; // bits are never cleared during marking, so a set bit seen is set
        }
        return ((long) BITS.getAndBitwiseOr(gcmarkBits, w, bit) & bit) == 0;
    }

    public boolean isMarked(long addr) {
        return isMarkedIndex(objIndex(addr));
    }

    public boolean isMarkedIndex(int i) {
        return ((long) BITS.getOpaque(gcmarkBits, i >>> 6) & (1L << i)) != 0;
    }

    /** Sets the checkmark bit (GODEBUG=gccheckmark's second mark) of the object holding addr. */
    public boolean setCheckmarked(long addr) {
        int i = objIndex(addr);
        int w = i >>> 6;
        long bit = 1L << i;
        if ((checkmarkBits[w] & bit) != 0) {
            return false;
        }
        return ((long) BITS.getAndBitwiseOr(checkmarkBits, w, bit) & bit) == 0;
    }

    public boolean isCheckmarked(long addr) {
        int i = objIndex(addr);
        return ((long) BITS.getOpaque(checkmarkBits, i >>> 6) & (1L << i)) != 0;
    }

    /** Clears all checkmark bits (before a checkmark pass, with the world stopped). */
    public void clearCheckmarks() {
        java.util.Arrays.fill(checkmarkBits, 0);
    }

    /** Number of marked slots (for the collector's accounting and tests). */
    public int countMarked() {
        int n = 0;
        for (int w = 0; w < gcmarkBits.length; w++) {
            n += Long.bitCount((long) BITS.getOpaque(gcmarkBits, w));
        }
        return n;
    }

    // ---- sweeping ----

    boolean casSweepgen(int expect, int update) {
        return SWEEPGEN.compareAndSet(this, expect, update);
    }

    /**
     * Sweeps this span if it needs it and waits for a concurrent sweeper otherwise (Go's
     * {@code mSpan_EnsureSwept}). Returns once {@code sweepgen == sg}.
     */
    public void ensureSwept() {
        if (state != State.IN_USE) {
            return;
        }
        int sg = heap.sweepgen;
        if (sweepgen == sg) {
            return;
        }
        if (casSweepgen(sg - 2, sg - 1)) {
            sweep(false);
            return;
        }
        while (sweepgen != sg && state == State.IN_USE) {
            heap.platform.osyield();
        }
    }

    /**
     * Frees every allocated, unmarked object back to this span and clears the mark bits (Go's
     * {@code mSpan_Sweep}). The caller must have claimed the span ({@code sweepgen == sg - 1}).
     * Freed slots' type entries are cleared to 0; with debug on, their words (the whole slot) are
     * overwritten with {@link MHeap#POISON}. A small span whose objects are all freed goes back to
     * the heap, unless {@code preserve} (the caller, {@link MCentral#cacheSpan}, is about to use
     * it); a large span whose object is freed always does.
     *
     * @return true if the span was returned to the heap
     */
    public boolean sweep(boolean preserve) {
        final MHeap h = heap;
        final int sg = h.sweepgen;
        if (state != State.IN_USE || sweepgen != sg - 1) {
            throw new IllegalStateException("fatal error: MSpan.sweep: bad span state " + this
                    + " (heap sweepgen " + sg + "; the caller must claim the span first)");
        }
        h.pagesSwept.addAndGet(npages);
        if (sizeclass == 0) {
            return sweepLarge(h, sg);
        }
        int nfree = 0;
        final long[] alloc = allocBits;
        final long[] mark = gcmarkBits;
        final long[] info = slotInfo;
        final boolean debug = h.debug;
        for (int w = 0; w < alloc.length; w++) {
            long a = alloc[w];
            long m = mark[w];
            long freed = a & ~m;
            if (freed != 0) {
                nfree += Long.bitCount(freed);
                // no object here any more: a dangling address finds type 0
                if (m == 0 && !debug) {
                    // nothing in these 64 slots survives; the free ones already hold 0
                    int from = w << 6;
                    Arrays.fill(info, from, Math.min(from + 64, nelems), 0L);
                } else {
                    for (long f = freed; f != 0; f &= f - 1) {
                        int i = (w << 6) + Long.numberOfTrailingZeros(f);
                        info[i] = 0;
                        if (debug) {
                            h.mem.fill(objAddr(i), elemWords, MHeap.POISON);
                        }
                    }
                }
            }
            alloc[w] = a & m; // a mark on a free slot never resurrects it
            mark[w] = 0;
        }
        if (nfree > 0) {
            allocCount -= nfree;
            freeindex = 0;
            needzero = true;
            h.recordFree(nfree, nfree * elemBytes);
            // MCentral.freeSpan publishes the new sweepgen.
            return h.central[sizeclass].freeSpan(this, nfree, preserve);
        }
        SWEEPGEN.setVolatile(this, sg);
        return false;
    }

    private boolean sweepLarge(MHeap h, int sg) {
        boolean allocated = (allocBits[0] & 1) != 0;
        boolean marked = (gcmarkBits[0] & 1) != 0;
        gcmarkBits[0] = 0;
        if (allocated && !marked) {
            slotInfo[0] = 0;
            if (h.debug) {
                h.mem.fill(base, limit - base, MHeap.POISON);
            }
            allocBits[0] = 0;
            allocCount = 0;
            h.recordFree(1, elemBytes);
            SWEEPGEN.setVolatile(this, sg);
            h.freeSpan(this);
            return true;
        }
        SWEEPGEN.setVolatile(this, sg);
        return false;
    }

    void publishSweepgen(int sg) {
        SWEEPGEN.setVolatile(this, sg);
    }

    @Override
    public String toString() {
        return "span[0x" + Long.toHexString(base) + "+" + npages + "p " + state
                + (state == State.IN_USE ? (sizeclass == 0 ? " large " + elemBytes + "B" : " class " + sizeclass + " (" + elemBytes + "B x " + nelems + ")") + " alloc " + allocCount : "")
                + " sweepgen " + sweepgen + "]";
    }
}
