package gort.heap;

import gort.platform.Platform;
import gort.platform.RealPlatform;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * The heap's memory: words in one block reserved from the operating system outside the host JVM's
 * heap ({@link Platform#sysReserve}, Go's {@code sysReserve}), addressed by a {@code long} word
 * address.
 *
 * <p>Owns: the reserved block and the bump pointer of pages handed to the {@link MHeap} (Go's
 * {@code sysAlloc} over {@code arena_used}). Pages are {@link #PAGE_WORDS} words (8 KiB); page 0 is
 * reserved, so no object lives at a space's first address.
 *
 * <p><b>Distinct ranges.</b> Every address space owns the word addresses
 * {@code [base, base + 2^SPACE_SHIFT)}, with {@code base = slot << SPACE_SHIFT} for a slot no other
 * address space of this JVM has (slots count up from 1, so address 0, nil, is in none). An address
 * therefore names its runtime: a pointer of one runtime used in another falls outside the second
 * one's range, its page-table lookup fails, and {@link #ownerOf} names the runtime it came from.
 * Why ranges rather than a tag per object or a check per pointer store: objects have no header (as
 * in Go), and the range check is the page-table bound check the accesses make anyway (one
 * subtraction more). Why counted-up slots rather than reusing the slot of an ended runtime: an
 * address kept from a runtime that ended is then still recognised as foreign instead of landing in
 * a newer heap. 2^SPACE_SHIFT words is the largest cap ({@link Integer#MAX_VALUE} pages), and 2^22
 * slots fit below 2^63; slots wrap after that, skipping spaces still alive.
 *
 * <p><b>Why off the JVM heap.</b> On the JVM heap, the words were {@code long[]} arenas that the host
 * collector copied (eden to survivor to old) in the young pauses that stopped every M inside gort's
 * measurements; here the host collector never sees them. The block is reserved, not committed: the
 * operating system supplies zeroed pages on first touch (as Go's fresh arena pages), so reserving
 * the whole cap up front costs nothing and the words need no arena table. The block is released
 * when this object becomes unreachable.
 *
 * <p>Invariants: pages {@code [1, usedPages)} have been handed out; the total never exceeds the
 * hard cap given at construction, and a request beyond it throws {@link HeapExhaustedError}.
 * Memory is never returned (no scavenger). {@link #sysAlloc} runs under the heap lock; loads and
 * stores take no lock. Every access is bounds-checked against the block, so a wild address fails
 * with a {@link BadPointerException} (or the segment's own bounds error) and never touches memory
 * outside it.
 *
 * <p>Simplified from Go: no commit step beyond the operating system's page faults, no scavenging,
 * no madvise.
 */
public final class AddressSpace {
    public static final int WORD_BYTES = 8;
    public static final int LOG_PAGE_WORDS = 10;
    public static final int PAGE_WORDS = 1 << LOG_PAGE_WORDS;
    public static final int PAGE_SHIFT = 13;
    public static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    /** log2 of the words of address range each address space owns (the largest cap's words). */
    public static final int SPACE_SHIFT = 41;
    static final long MAX_SLOT = (1L << (63 - SPACE_SHIFT)) - 1;

    /**
     * Plain word accesses use the unaligned layout: every word address is 8-byte aligned by
     * construction (the block is page-aligned), and the aligned layout would test it on every access.
     * The atomic accesses need (and check) the aligned one.
     */
    public static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long ZEROS_BYTES = 64 << 10;
    private static final MemorySegment ZEROS = java.lang.foreign.Arena.global().allocate(ZEROS_BYTES, 8);
    private static final VarHandle WORDS = ValueLayout.JAVA_LONG.varHandle();

    private final long capBytes;
    private final long capPages;
    /** First word address of this space (slot << SPACE_SHIFT); page p starts at base + p * PAGE_WORDS. */
    private final long base;
    private final long slot;
    /** The reserved block: capPages pages; word w of the space is at byte offset 8w. */
    private final MemorySegment words;
    /**
     * Next page to hand out; page 0 is the reserved page. Written under the heap lock; read plainly
     * by accesses, which reach a new page's address only through the heap's own synchronization.
     */
    private long usedPages = 1;
    private volatile long sysBytes;
    /** Who owns this space, for messages about foreign addresses ("runtime 3"), set by the owner. */
    private volatile String owner;
    private volatile boolean ended;

    /**
     * @param capBytes hard cap on the memory this address space may hold, in bytes (rounded down to
     *     whole pages; at least two pages)
     */
    public AddressSpace(long capBytes) {
        this(RealPlatform.INSTANCE, capBytes);
    }

    public AddressSpace(Platform platform, long capBytes) {
        if (capBytes < 2L * PAGE_BYTES) {
            throw new IllegalArgumentException(
                    "heap cap must be at least " + 2 * PAGE_BYTES + " bytes (two 8 KiB pages), got " + capBytes);
        }
        long pages = capBytes / PAGE_BYTES;
        if (pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("heap cap " + capBytes + " bytes is too large: at most "
                    + ((long) Integer.MAX_VALUE * PAGE_BYTES) + " bytes");
        }
        this.capBytes = capBytes;
        this.capPages = pages;
        try {
            this.words = platform.sysReserve(pages * PAGE_BYTES);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new HeapExhaustedError("fatal error: out of memory: cannot reserve " + pages * PAGE_BYTES
                    + " bytes for the heap (its cap) from the operating system: " + e.getMessage(), pages * PAGE_BYTES,
                    capBytes, 0, 0, e);
        }
        this.slot = register(this);
        this.base = slot << SPACE_SHIFT;
    }

    // ---- the registry of address ranges ----

    private static final Map<Long, WeakReference<AddressSpace>> SPACES = new HashMap<>();
    private static long nextSlot = 1;

    private static synchronized long register(AddressSpace as) {
        SPACES.values().removeIf(r -> r.get() == null);
        for (long tries = 0; tries < MAX_SLOT; tries++) {
            long s = nextSlot;
            nextSlot = s == MAX_SLOT ? 1 : s + 1;
            WeakReference<AddressSpace> r = SPACES.get(s);
            if (r == null || r.get() == null) {
                SPACES.put(s, new WeakReference<>(as));
                return s;
            }
        }
        throw new IllegalStateException("fatal error: more than " + MAX_SLOT + " heaps alive in one JVM");
    }

    /**
     * The owner of the address space whose range holds {@code addr} ("runtime 3", "runtime 3, which
     * has ended", or "a runtime that no longer exists" once that space was collected), or null if
     * no address space of this JVM ever had the range. For messages.
     */
    public static String ownerOf(long addr) {
        long s = addr >>> SPACE_SHIFT;
        if (addr <= 0 || s == 0) {
            return null;
        }
        AddressSpace as;
        synchronized (AddressSpace.class) {
            WeakReference<AddressSpace> r = SPACES.get(s);
            as = r == null ? null : r.get();
            if (as == null) {
                return r != null || s < nextSlot ? "a runtime that no longer exists" : null;
            }
        }
        String name = as.owner != null ? as.owner : "an unnamed heap";
        return as.ended ? name + ", which has ended" : name;
    }

    /** Names this space's owner for messages about foreign addresses (e.g. "runtime 3"); null: unnamed. */
    public void setOwner(String name) {
        this.owner = name;
    }

    public String owner() {
        return owner;
    }

    /** Marks the owner as ended (its addresses stay recognised as its own). */
    public void markEnded() {
        ended = true;
    }

    /** Whether addr lies in this space's range (not whether it names an object). */
    public boolean owns(long addr) {
        return addr >>> SPACE_SHIFT == slot;
    }

    /**
     * A sensible default cap: half of the host JVM's own maximum heap, a proxy for the memory the
     * process is meant to use (the words themselves live outside that heap).
     */
    public static long defaultCapBytes() {
        long max = Runtime.getRuntime().maxMemory();
        if (max == Long.MAX_VALUE) {
            max = 1L << 32;
        }
        return Math.max(2L * PAGE_BYTES, (max / 2) / PAGE_BYTES * PAGE_BYTES);
    }

    public long capBytes() {
        return capBytes;
    }

    public long capPages() {
        return capPages;
    }

    /** First word address of this space: page p starts at {@code base() + p * PAGE_WORDS}. */
    public long base() {
        return base;
    }

    /** The address of the first word of page p of this space. */
    public long pageAddr(long page) {
        return base + (page << LOG_PAGE_WORDS);
    }

    /**
     * The page of this space holding addr; for an address outside the space (including nil) a
     * value at least {@link #capPages()} (the subtraction wraps to a huge unsigned value).
     */
    public long pageOf(long addr) {
        long p = (addr - base) >>> LOG_PAGE_WORDS;
        return p < capPages ? p : Long.MAX_VALUE;
    }

    /** Bytes handed out to the heap so far (Go's HeapSys), excluding the reserved page 0. */
    public long sysBytes() {
        return sysBytes;
    }

    /** Pages handed out so far, including the reserved page 0: valid pages are {@code [1, usedPages)}. */
    long usedPages() {
        return usedPages;
    }

    /** Pages still obtainable below the cap (the reserved page 0 counts against the cap). */
    long availablePages() {
        return capPages - usedPages;
    }

    /**
     * Obtains {@code npages} fresh, zeroed, contiguous pages and returns the first page number.
     * Caller holds the heap lock.
     *
     * @throws HeapExhaustedError if the cap would be exceeded
     */
    long sysAlloc(long npages) {
        if (npages <= 0) {
            throw new IllegalArgumentException("sysAlloc of " + npages + " pages");
        }
        if (npages > capPages - usedPages) {
            throw HeapExhaustedError.overCap(npages * PAGE_BYTES, capBytes, usedPages * PAGE_BYTES, -1);
        }
        long first = usedPages;
        long end = first + npages;
        usedPages = end;
        sysBytes = (end - 1) * PAGE_BYTES;
        return first;
    }

    /**
     * The reserved block itself, for the two hottest readers, the API's checked accesses and the
     * collector's scan, which hold it (and {@link #base()}) to read a checked object's words with
     * one segment access. Byte offset of address a: {@code (a - base()) * 8}.
     */
    public MemorySegment segment() {
        return words;
    }

    /** The byte offset of addr in the block, after checking it lies in an obtained page. */
    private long offset(long addr) {
        long w = addr - base;
        if (w < PAGE_WORDS || w >= usedPages << LOG_PAGE_WORDS) {
            throw wild(addr);
        }
        return w << 3;
    }

    private BadPointerException wild(long addr) {
        if (addr == 0) {
            return new BadPointerException(addr, "nil pointer dereference (address 0x0)");
        }
        String a = "address 0x" + Long.toHexString(addr);
        if (!owns(addr)) {
            String o = ownerOf(addr);
            return new BadPointerException(addr, a + " is outside this heap's address space"
                    + (owner != null ? " (" + owner + ")" : "") + (o != null ? ": it belongs to the heap of " + o : ""));
        }
        long page = (addr - base) >>> LOG_PAGE_WORDS;
        return new BadPointerException(addr, page == 0 ? a + " lies in the heap's reserved first page"
                : a + " lies in page " + page + ", which the heap has not obtained yet");
    }

    /** Plain load of the word at {@code addr}. */
    public long load(long addr) {
        return words.get(WORD, offset(addr));
    }

    /** Plain store of {@code v} at {@code addr}. */
    public void store(long addr, long v) {
        words.set(WORD, offset(addr), v);
    }

    /** Volatile load (for words shared between mutators and the collector without a lock). */
    public long loadAtomic(long addr) {
        return (long) WORDS.getVolatile(words, offset(addr));
    }

    /** Volatile store. */
    public void storeAtomic(long addr, long v) {
        WORDS.setVolatile(words, offset(addr), v);
    }

    /** Compare-and-set of the word at {@code addr}. */
    public boolean cas(long addr, long expect, long update) {
        return WORDS.compareAndSet(words, offset(addr), expect, update);
    }

    /** Atomic add; returns the new value. */
    public long xadd(long addr, long delta) {
        return (long) WORDS.getAndAdd(words, offset(addr), delta) + delta;
    }

    /** Atomic OR; returns the previous value. */
    public long or(long addr, long bits) {
        return (long) WORDS.getAndBitwiseOr(words, offset(addr), bits);
    }

    /** The byte offset of the range [addr, addr + nwords), after checking it lies in obtained pages. */
    private long rangeOffset(long addr, long nwords) {
        long off = offset(addr);
        if (nwords > 0) {
            offset(addr + nwords - 1);
        }
        return off;
    }

    /**
     * Copies {@code nwords} words from {@code src} to {@code dst} (the ranges must not overlap): Go's
     * memmove for pointer-free data.
     */
    public void copy(long dst, long src, long nwords) {
        if (nwords <= 0) {
            return;
        }
        MemorySegment.copy(words, rangeOffset(src, nwords), words, rangeOffset(dst, nwords), nwords << 3);
    }

    /**
     * Zeroes {@code nwords} words from {@code addr}: mallocgc's clear of a small object. A short run
     * is a plain loop (a bulk fill's set-up costs more than the few stores of a small object).
     */
    public void clear(long addr, long nwords) {
        if (nwords <= 16) {
            long off = rangeOffset(addr, nwords);
            for (long k = 0; k < nwords; k++) {
                words.set(WORD, off + (k << 3), 0L);
            }
            return;
        }
        fill(addr, nwords, 0);
    }

    /** Stores {@code v} into {@code nwords} words from {@code addr}. */
    public void fill(long addr, long nwords, long v) {
        if (nwords <= 0) {
            return;
        }
        long off = rangeOffset(addr, nwords);
        if (v == 0) {
            // bulk copies from a block of zeros: a slice to fill would be a JVM-heap object per call
            long bytes = nwords << 3;
            for (long done = 0; done < bytes; done += ZEROS_BYTES) {
                MemorySegment.copy(ZEROS, 0, words, off + done, Math.min(ZEROS_BYTES, bytes - done));
            }
            return;
        }
        for (long k = 0; k < nwords; k++) {
            words.set(WORD, off + (k << 3), v);
        }
    }

    /**
     * Returns the offset of the first word in {@code [addr, addr+nwords)} that holds neither 0 nor
     * {@code v}, or -1 if there is none.
     */
    long findNotZeroOr(long addr, long nwords, long v) {
        if (nwords <= 0) {
            return -1;
        }
        long off = rangeOffset(addr, nwords);
        for (long k = 0; k < nwords; k++) {
            long w = words.get(WORD, off + (k << 3));
            if (w != 0 && w != v) {
                return k;
            }
        }
        return -1;
    }
}
