package gort.gc;

import gort.heap.AddressSpace;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.sched.G;
import gort.sched.Sched;

/**
 * The marking primitives (Go's mgcmark.go): greying, scanning, the drain loops of the three kinds
 * of marker, and the root scan.
 *
 * <p>Owns nothing but references; the state is in {@link Work} (global lists, counts) and the
 * {@link GcWork} caches. Invariants: an object is queued at most once per cycle (its mark bit is
 * set by the CAS that queues it); only objects that hold pointers are scanned; every drain loop
 * reports the scan work it did, so the pacer's accounts (background credit, assist debt) add up.
 */
final class Mark {
    private final MHeap heap;
    private final AddressSpace mem;
    private final Work work;
    /** The page table, the heap's block and its base, held here so greying and scanning start with them. */
    private final MSpan[] spans;
    private final java.lang.foreign.MemorySegment words;
    private final long base;

    Mark(MHeap heap, Work work) {
        this.heap = heap;
        this.mem = heap.mem();
        this.work = work;
        this.spans = heap.pageTable();
        this.words = mem.segment();
        this.base = mem.base();
    }

    /** The heap word at p (an object's field: inside the heap's block). */
    private long load(long p) {
        return words.get(AddressSpace.WORD, (p - base) << 3);
    }

    /** Marks the object at p; queues it for scanning if it holds pointers (Go's greyobject). */
    void greyobject(long p, GcWork gcw, String where) {
        // spanOf, not spanOfHeap: any span the page table names answers slot lookups (MSpan's
        // page-table safety), and the volatile state read is the marking loop's most frequent
        // cost. A pointer into a span not in use (no slots) is reported here; one to a freed slot
        // of a span in use is queued and reported when scanned (entry 0).
        long page = (p - base) >>> AddressSpace.LOG_PAGE_WORDS;
        MSpan s = page < spans.length ? spans[(int) page] : null; // MHeap.spanOf
        int i;
        if (s == null || (i = s.objIndex(p)) >= s.nelems() || s.objAddr(i) != p) { // (a span not in use has none)
            throw new IllegalStateException("fatal error: found bad pointer in Go heap: 0x" + Long.toHexString(p)
                    + (where != null ? " in " + where : "") + " (not the address of an allocated object"
                    + (mem.owns(p) || gort.heap.AddressSpace.ownerOf(p) == null ? "" : "; it belongs to the heap of "
                            + gort.heap.AddressSpace.ownerOf(p)) + ")");
        }
        greyobjectAt(p, s, i, gcw);
    }

    /** greyobject for a caller that already found p's span and slot index (the write barrier). */
    void greyobjectAt(long p, MSpan s, int i, GcWork gcw) {
        if (s.setMarkedIndex(i)) {
            gcw.bytesMarked += s.elemBytes();
            long info = s.entryAtAcquire(i); // pairs with mallocgc's release stores (MSpan: publication order)
            int id = (int) info;
            if (id != 0 && Type.isNoscan(id, s.accessWordOf(info))) {
                return; // noscan: black at once, as Go's greyobject does
            }
            gcw.put(p, info); // (a freed slot is queued, and scanobject reports it)
        }
    }

    /**
     * Greys every pointer field of obj (the struct's, or each array element's, pointer words) and
     * returns the scan work done: bytes, counted as Go 1.5's scanobject counts them
     * ({@link Type#scanBytes}). Type and length come from obj's slot entry, which
     * greyobject read beside the span (objects have no header) and queued with it; data word i is
     * at obj + i. The common shapes (a struct of at most 32 words, an array of one-word elements)
     * are read from the type's access word (Type.accessWord), without the descriptor.
     */
    long scanobject(long obj, long info, GcWork gcw) {
        int id = (int) info; // read when obj was greyed (objects never change type while marked)
        if (id == 0) {
            MSpan s = heap.spanOf(obj);
            throw new IllegalStateException("fatal error: found pointer to free object 0x" + Long.toHexString(obj)
                    + " (slot " + s.objIndex(obj) + " of " + s
                    + " holds no object: a root or heap word kept the address of a freed object)");
        }
        long acc = Type.accessWord(id);
        if ((acc >>> 62) != Type.ACCESS_STRUCT) {
            return scanobjectSlow(obj, info, gcw, acc);
        }
        long words = (acc >>> 32) & 0xFFFF;
        long mask = acc & 0xFFFF_FFFFL;
        long scanned = Type.scanBytes(words, (long) (64 - Long.numberOfLeadingZeros(mask)) << 3);
        gcw.scanWork += scanned;
        for (long m = mask; m != 0; m &= m - 1) {
            long p = load(obj + Long.numberOfTrailingZeros(m));
            if (p != 0) {
                greyobject(p, gcw, null);
            }
        }
        return scanned;
    }

    /** scanobject of an array, a string, or a struct of more than 32 words. */
    private long scanobjectSlow(long obj, long info, GcWork gcw, long acc) {
        int len = (int) (info >>> 32);
        if ((acc >>> 62) == Type.ACCESS_WORD_ARRAY) {
            boolean ptrs = (acc & 1) != 0;
            long scanned = Type.scanBytes(len, ptrs ? (long) len << 3 : 0);
            gcw.scanWork += scanned;
            if (ptrs) {
                for (long k = 0; k < len; k++) {
                    long p = mem.load(obj + k);
                    if (p != 0) {
                        greyobject(p, gcw, null);
                    }
                }
            }
            return scanned;
        }
        Type t = Type.byId((int) info);
        long scanned = Type.scanBytes(t.dataWords(len), t.ptrdataBytes(len));
        gcw.scanWork += scanned;
        int[] offs = t.ptrOffsets();
        if (offs.length == 0) {
            return scanned;
        }
        int stride = t.sizeWords();
        long nelem = t.isArray() ? len : 1;
        for (long e = 0; e < nelem; e++) {
            long base = obj + e * stride;
            for (int off : offs) {
                long p = mem.load(base + off);
                if (p != 0) {
                    greyobject(p, gcw, null);
                }
            }
        }
        return scanned;
    }

    /**
     * Drains until marking reaches a completion point, waiting for other workers' buffers (Go's
     * gcDrain): for stop-the-world marking and for dedicated background workers. The caller
     * counted itself as working; getfull's waiting counts it out. Scan work is published to
     * {@code credit} every {@link Pacer#BG_CREDIT_SLACK} bytes of scan work when credit is not null.
     */
    void gcDrain(GcWork gcw, GcController credit) {
        long unflushed = 0;
        for (;;) {
            if (work.nwait.get() > 0 && !work.hasFull()) {
                gcw.balance(); // someone waits for work: share
            }
            long obj = gcw.get();
            if (obj == 0) {
                break; // completion point
            }
            unflushed += scanobject(obj, gcw.info, gcw);
            if (credit != null && unflushed >= Pacer.BG_CREDIT_SLACK) {
                credit.addBgScanCredit(unflushed);
                unflushed = 0;
            }
        }
        if (credit != null && unflushed != 0) {
            credit.addBgScanCredit(unflushed);
        }
    }

    /**
     * Drains without waiting until gp is asked to yield or no work is at hand (Go's
     * gcDrainUntilPreempt): fractional and idle workers. Returns the scan work done.
     */
    long gcDrainUntilPreempt(GcWork gcw, G gp, GcController credit) {
        long done = 0;
        long unflushed = 0;
        while (!gp.preempt()) {
            if (!work.hasFull()) {
                gcw.balance();
            }
            long obj = gcw.tryGet();
            if (obj == 0) {
                break;
            }
            long w = scanobject(obj, gcw.info, gcw);
            done += w;
            unflushed += w;
            if (unflushed >= Pacer.BG_CREDIT_SLACK) {
                credit.addBgScanCredit(unflushed);
                unflushed = 0;
            }
        }
        if (unflushed != 0) {
            credit.addBgScanCredit(unflushed);
        }
        return done;
    }

    /**
     * Go 1.6's gcDrain for background workers (go16 marking): first claims and runs root jobs
     * until none is left (or gp is asked to yield), then drains the heap without waiting for other
     * workers' buffers (gcDrainNoBlock): until no work is at hand, or, with {@code untilPreempt},
     * until gp is asked to yield. Keeps work on the global list while it is empty (Go 1.6 balances
     * whenever work.full is empty). Scan work goes to {@code flush} every
     * {@link Pacer#BG_CREDIT_SLACK} bytes (gcFlushBgCredit). Returns the scan work done.
     */
    long gcDrain16(GcWork gcw, G gp, boolean untilPreempt, RootJobs roots, java.util.function.LongConsumer flush) {
        if (work.rootJobsLeft()) {
            while (!gp.preempt()) {
                int job = work.claimRootJob();
                if (job < 0) {
                    break;
                }
                roots.markroot(job);
            }
        }
        long done = 0;
        long unflushed = 0;
        while (!(untilPreempt && gp.preempt())) {
            if (!work.hasFull()) {
                gcw.balance();
            }
            long obj = gcw.tryGet();
            if (obj == 0) {
                break;
            }
            long w = scanobject(obj, gcw.info, gcw);
            done += w;
            unflushed += w;
            if (unflushed >= Pacer.BG_CREDIT_SLACK) {
                flush.accept(unflushed);
                unflushed = 0;
            }
        }
        if (unflushed != 0) {
            flush.accept(unflushed);
        }
        return done;
    }

    /**
     * Go 1.6's gcDrainN (go16 marking's assists): as {@link #gcDrainN}, and it also stops when gp is
     * asked to yield and keeps work on the global list while it is empty.
     */
    long gcDrainN16(GcWork gcw, G gp, long scanWork) {
        long done = 0;
        while (!gp.preempt() && done < scanWork) {
            if (!work.hasFull()) {
                gcw.balance();
            }
            long obj = gcw.tryGet();
            if (obj == 0) {
                break;
            }
            done += scanobject(obj, gcw.info, gcw);
        }
        return done;
    }

    /** Drains until {@code scanWork} bytes of scan work were done or no work is at hand (Go's gcDrainN): assists. */
    long gcDrainN(GcWork gcw, long scanWork) {
        long done = 0;
        while (done < scanWork) {
            long obj = gcw.tryGet(); // no balancing here, as Go's gcDrainN
            if (obj == 0) {
                break;
            }
            done += scanobject(obj, gcw.info, gcw);
        }
        return done;
    }

    /** Greys every goroutine's stack slots. The goroutines must be stopped (world stopped). */
    void markrootStacks(Sched sched, GcWork gcw) {
        for (G gp : sched.allgs()) {
            if (gp.status() != G.DEAD) {
                scanstack(gp, gcw);
            }
        }
    }

    /**
     * Greys gp's roots (Go's scanstack): its raw frame slots, its handle scopes' slots, and the
     * addresses its waiting sudogs hold (a blocked sender's value, or one handed to it). gp must not
     * run meanwhile: the world is stopped, or the caller holds gp for a scan (Sched.scang), or gp is
     * the caller at a safepoint.
     */
    void scanstack(G gp, GcWork gcw) {
        if (gp.local instanceof Stack st) {
            long[] slots = st.slots();
            int sp = st.depth();
            for (int i = 0; i < sp; i++) {
                long p = slots[i];
                if (p != 0) {
                    greyobject(p, gcw, "stack slot " + i + " of goroutine " + gp.goid());
                }
            }
            long[] hs = st.hslots();
            int ht = st.htop();
            for (int i = 0; i < ht; i++) {
                long p = hs[i];
                if (p != 0) {
                    greyobject(p, gcw, "handle slot " + i + " of goroutine " + gp.goid());
                }
            }
        }
        gp.forEachWaitingPtr(p -> greyobject(p, gcw, "a channel value goroutine " + gp.goid() + " waits with"));
    }

    /**
     * Greys the global roots (Go's markroot of data and bss): the global and pinned slots, and the
     * owned roots whose owner the JVM still reaches (channels' buffers).
     */
    void markrootGlobals(Globals globals, GcWork gcw, boolean skip) {
        if (skip) {
            return;
        }
        long[] g = globals.snapshot();
        int n = Math.min(globals.count(), g.length);
        for (int i = 0; i < n; i++) {
            if (g[i] != 0) {
                greyobject(g[i], gcw, "global slot " + i);
            }
        }
        for (long p : globals.ownedRoots()) {
            if (p != 0) {
                greyobject(p, gcw, "a channel's buffer");
            }
        }
    }
}
