package gort.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The heap's memory: words in large {@code long[]} arenas, addressed by a {@code long} word index.
 *
 * <p>Owns: the arenas and the bump pointer of pages handed to the {@link MHeap} (Go's
 * {@code sysAlloc} over {@code arena_used}). An address {@code a} is word {@code a & ARENA_MASK} of
 * arena {@code a >>> ARENA_SHIFT}; an arena holds {@link #ARENA_WORDS} words (8 MiB), except the
 * last one, which stops at the cap. Pages are {@link #PAGE_WORDS} words (8 KiB); page 0 is reserved
 * so that address 0 is nil and never names an object.
 *
 * <p>Invariants: pages {@code [1, usedPages)} are backed by arenas; the total never exceeds the
 * hard cap given at construction, and a request beyond it throws {@link HeapExhaustedError} (so
 * does a JVM that cannot supply an arena inside the cap: a JVM OutOfMemoryError never escapes).
 * Memory is never returned (no scavenger). {@link #sysAlloc} runs under the heap lock; loads and
 * stores take no lock. Arenas are published with a release store; a reader that races with
 * publication falls back to an acquire load before declaring an address wild.
 *
 * <p>Simplified from Go: no reservation/commit split, no scavenging, no madvise.
 */
public final class AddressSpace {
    public static final int WORD_BYTES = 8;
    public static final int LOG_PAGE_WORDS = 10;
    public static final int PAGE_WORDS = 1 << LOG_PAGE_WORDS;
    public static final int PAGE_SHIFT = 13;
    public static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    public static final int ARENA_SHIFT = 20;
    public static final int ARENA_WORDS = 1 << ARENA_SHIFT;
    public static final long ARENA_MASK = ARENA_WORDS - 1;
    public static final int ARENA_PAGES = ARENA_WORDS / PAGE_WORDS;

    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ARENAS = MethodHandles.arrayElementVarHandle(long[][].class);

    private final long capBytes;
    private final long capPages;
    private final long[][] arenas;
    /** Next page to hand out; page 0 is the reserved nil page. Guarded by the heap lock. */
    private volatile long usedPages = 1;
    private volatile long sysBytes;

    /**
     * @param capBytes hard cap on the memory this address space may hold, in bytes (rounded down to
     *     whole pages; at least two pages)
     */
    public AddressSpace(long capBytes) {
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
        this.arenas = new long[(int) ((pages + ARENA_PAGES - 1) / ARENA_PAGES)][];
    }

    /** A sensible default cap: half of what the host JVM may use for its own heap. */
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

    /** Bytes handed out to the heap so far (Go's HeapSys), excluding the reserved nil page. */
    public long sysBytes() {
        return sysBytes;
    }

    /** Pages handed out so far, including the reserved page 0: valid pages are {@code [1, usedPages)}. */
    long usedPages() {
        return usedPages;
    }

    /** Pages still obtainable below the cap. */
    long availablePages() {
        return capPages - usedPages;
    }

    /**
     * Obtains {@code npages} fresh, zeroed, contiguous pages and returns the first page number.
     * Caller holds the heap lock.
     *
     * @throws HeapExhaustedError if the cap would be exceeded or the JVM cannot supply an arena
     */
    long sysAlloc(long npages) {
        if (npages <= 0) {
            throw new IllegalArgumentException("sysAlloc of " + npages + " pages");
        }
        if (npages > capPages - usedPages) {
            throw HeapExhaustedError.overCap(npages * PAGE_BYTES, capBytes, sysBytes);
        }
        long first = usedPages;
        long end = first + npages;
        int firstArena = (int) ((first * PAGE_WORDS) >>> ARENA_SHIFT);
        int lastArena = (int) (((end * PAGE_WORDS) - 1) >>> ARENA_SHIFT);
        for (int a = firstArena; a <= lastArena; a++) {
            if (arenas[a] == null) {
                long len = Math.min(ARENA_WORDS, capPages * PAGE_WORDS - (long) a * ARENA_WORDS);
                long[] arena;
                try {
                    arena = new long[(int) len];
                } catch (OutOfMemoryError e) {
                    throw new HeapExhaustedError("fatal error: out of memory: requested " + npages * PAGE_BYTES
                            + " bytes, and the host JVM could not supply arena " + a + " (" + len * WORD_BYTES
                            + " bytes) although the heap holds only " + sysBytes + " of its cap of " + capBytes
                            + " bytes; the cap exceeds what the JVM heap (max " + Runtime.getRuntime().maxMemory()
                            + " bytes) can hold", npages * PAGE_BYTES, capBytes, sysBytes, e);
                }
                ARENAS.setRelease(arenas, a, arena);
            }
        }
        usedPages = end;
        sysBytes = (end - 1) * PAGE_BYTES;
        return first;
    }

    /**
     * The arena table itself (arena index → words, null until obtained), for the two hottest
     * readers, the API's checked accesses and the collector's scan, which index it directly (one
     * dependent load fewer than {@link #load} through this object). Read only; it never changes
     * identity.
     */
    public long[][] arenaTable() {
        return arenas;
    }

    private long[] arena(long addr) {
        long[] a = arenas[(int) (addr >>> ARENA_SHIFT)];
        return a != null ? a : arenaSlow(addr);
    }

    private long[] arenaSlow(long addr) {
        int i = (int) (addr >>> ARENA_SHIFT);
        if (addr <= 0 || i >= arenas.length) {
            throw new BadPointerException(addr, addr == 0
                    ? "nil pointer dereference (address 0x0)"
                    : "address 0x" + Long.toHexString(addr) + " is outside the heap's address space");
        }
        long[] a = (long[]) ARENAS.getAcquire(arenas, i);
        if (a == null) {
            throw new BadPointerException(addr, "address 0x" + Long.toHexString(addr)
                    + " lies in arena " + i + ", which the heap has not obtained yet");
        }
        return a;
    }

    /** Plain load of the word at {@code addr}. */
    public long load(long addr) {
        return arena(addr)[(int) (addr & ARENA_MASK)];
    }

    /** Plain store of {@code v} at {@code addr}. */
    public void store(long addr, long v) {
        arena(addr)[(int) (addr & ARENA_MASK)] = v;
    }

    /** Volatile load (for words shared between mutators and the collector without a lock). */
    public long loadAtomic(long addr) {
        return (long) WORDS.getVolatile(arena(addr), (int) (addr & ARENA_MASK));
    }

    /** Volatile store. */
    public void storeAtomic(long addr, long v) {
        WORDS.setVolatile(arena(addr), (int) (addr & ARENA_MASK), v);
    }

    /** Compare-and-set of the word at {@code addr}. */
    public boolean cas(long addr, long expect, long update) {
        return WORDS.compareAndSet(arena(addr), (int) (addr & ARENA_MASK), expect, update);
    }

    /** Atomic add; returns the new value. */
    public long xadd(long addr, long delta) {
        return (long) WORDS.getAndAdd(arena(addr), (int) (addr & ARENA_MASK), delta) + delta;
    }

    /** Atomic OR; returns the previous value. */
    public long or(long addr, long bits) {
        return (long) WORDS.getAndBitwiseOr(arena(addr), (int) (addr & ARENA_MASK), bits);
    }

    /**
     * Copies {@code nwords} words from {@code src} to {@code dst} (the ranges must not overlap),
     * across arena boundaries: Go's memmove for pointer-free data.
     */
    public void copy(long dst, long src, long nwords) {
        while (nwords > 0) {
            long[] d = arena(dst);
            long[] s = arena(src);
            int doff = (int) (dst & ARENA_MASK);
            int soff = (int) (src & ARENA_MASK);
            int n = (int) Math.min(nwords, Math.min((long) d.length - doff, (long) s.length - soff));
            System.arraycopy(s, soff, d, doff, n);
            dst += n;
            src += n;
            nwords -= n;
        }
    }

    /**
     * Zeroes {@code nwords} words from {@code addr}: mallocgc's clear of a small object. A short
     * run inside one arena is a plain loop (Arrays.fill's range checks and set-up cost more than
     * the few stores of a small object); anything else goes through {@link #fill}.
     */
    public void clear(long addr, long nwords) {
        long[] a = arena(addr);
        int off = (int) (addr & ARENA_MASK);
        if (nwords <= 16 && off + nwords <= a.length) {
            for (int k = 0, n = (int) nwords; k < n; k++) {
                a[off + k] = 0;
            }
            return;
        }
        fill(addr, nwords, 0);
    }

    /** Stores {@code v} into {@code nwords} words from {@code addr}, across arena boundaries. */
    public void fill(long addr, long nwords, long v) {
        while (nwords > 0) {
            long[] a = arena(addr);
            int off = (int) (addr & ARENA_MASK);
            int n = (int) Math.min(nwords, (long) a.length - off);
            Arrays.fill(a, off, off + n, v);
            addr += n;
            nwords -= n;
        }
    }

    /**
     * Returns the offset of the first word in {@code [addr, addr+nwords)} that holds neither 0 nor
     * {@code v}, or -1 if there is none.
     */
    long findNotZeroOr(long addr, long nwords, long v) {
        long done = 0;
        while (done < nwords) {
            long[] a = arena(addr + done);
            int off = (int) ((addr + done) & ARENA_MASK);
            int n = (int) Math.min(nwords - done, (long) a.length - off);
            for (int i = 0; i < n; i++) {
                long w = a[off + i];
                if (w != 0 && w != v) {
                    return done + i;
                }
            }
            done += n;
        }
        return -1;
    }
}
