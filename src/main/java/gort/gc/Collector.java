package gort.gc;

import gort.heap.AddressSpace;
import gort.heap.MCache;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.platform.Platform;
import gort.sched.G;
import gort.sched.M;
import gort.sched.Note;
import gort.sched.P;
import gort.sched.Sched;
import gort.sched.Sema;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The garbage collector of one runtime, first form: Go 1.5 with {@code GODEBUG=gcstoptheworld=1}
 * — every phase runs with the world stopped, marking in parallel on helper Ms — then concurrent
 * sweep by a background goroutine and by allocation (lazy and proportional sweeping in the heap).
 * The concurrent collector (issue 4) keeps this mode as its checking baseline.
 *
 * <p>Owns: the trigger ({@code nextGC}), the cycle sequence, the mark work state, the roots (every
 * goroutine's {@link Stack} and the {@link Globals}), and the collection statistics. Invariants:
 * <ul>
 *   <li>one cycle at a time: a cycle runs inside stop-the-world, which the world semaphore
 *       serializes; a goroutine that triggered a cycle someone else already ran does nothing;
 *   <li>marking starts only after the previous sweep finished (sweep termination), with every
 *       mark bit clear; after marking, every object reachable from a root is marked;
 *   <li>{@code nextGC = max(marked × (1 + GOGC/100), 4 MiB)}; GOGC off never triggers;
 *   <li>an allocation checks the trigger <em>before</em> allocating, so the object it returns is
 *       never swept by the cycle it triggered.
 * </ul>
 */
public final class Collector {
    /** Go's heapminimum: the goal is never below 4 MiB (the pacer's constant). */
    public static final long HEAP_MINIMUM = Pacer.HEAP_MINIMUM;
    /** Go's MemStats.PauseNs ring size. */
    public static final int PAUSE_RING = 256;
    /** Go's _MaxGcproc: at most this many Ms mark in stop-the-world mode (also capped at ncpu). */
    static final int MAX_GCPROCS = 32;

    private final Sched sched;
    private final MHeap heap;
    private final Platform platform;
    private final Work work;
    private final Globals globals;
    private final int gogc;
    private final int gctrace;
    private final boolean checkmark;
    private final PrintStream traceOut;
    private final long startNanos;

    private volatile long nextGC;
    private final AtomicInteger numGC = new AtomicInteger();
    private final long[] pauseNs = new long[PAUSE_RING];
    private final AtomicLong pauseTotalNs = new AtomicLong();
    private volatile long lastGCNanos;
    private final AtomicLong gcCpuNanos = new AtomicLong();
    private final Note alldone;
    private final AtomicInteger ndone = new AtomicInteger();
    private volatile int nhelpers;

    // background sweeper (Go's bgsweep): parked on sweepSema between cycles
    private final Sema sweepWake;

    public Collector(Sched sched, MHeap heap, int gogc, int gctrace, PrintStream traceOut) {
        this(sched, heap, gogc, gctrace, false, traceOut);
    }

    /**
     * @param checkmark GODEBUG=gccheckmark=1: after marking, re-mark the world-stopped heap with
     *     the checkmark bits and die, naming the object, if marking left a reachable one unmarked
     */
    public Collector(Sched sched, MHeap heap, int gogc, int gctrace, boolean checkmark, PrintStream traceOut) {
        this.sched = sched;
        this.heap = heap;
        this.platform = sched.platform();
        this.work = new Work(platform);
        this.globals = new Globals(sched.newMutex());
        this.gogc = gogc;
        this.gctrace = gctrace;
        this.checkmark = checkmark;
        this.traceOut = traceOut;
        this.alldone = sched.newNote();
        this.sweepWake = new Sema(sched, 0);
        this.startNanos = platform.nanotime();
        this.nextGC = gogc < 0 ? Long.MAX_VALUE : HEAP_MINIMUM;
    }

    public MHeap heap() {
        return heap;
    }

    public Globals globals() {
        return globals;
    }

    /** Stores into a global slot (checked: nil or an object's address). */
    public void setGlobal(int i, long addr) {
        if (addr != 0) {
            MSpan s = heap.spanOfHeap(addr);
            if (s == null || s.base(addr) != addr || !heap.isAllocated(addr)) { // a freed slot too, as storePtr
                throw new IllegalArgumentException("global slot " + i + ": 0x" + Long.toHexString(addr) + " is not an object's address"
                        + (s != null && s.base(addr) == addr ? " (the slot is free: a stale address of a freed object?)" : ""));
            }
        }
        globals.setRaw(i, addr);
    }

    /** The shadow stack of a goroutine (created on first use). */
    public static Stack stackOf(G gp) {
        Object l = gp.local;
        if (l instanceof Stack s) {
            return s;
        }
        Stack s = new Stack();
        gp.local = s;
        return s;
    }

    /** Installs the per-P state this collector needs (an mcache per P). */
    public Sched.Hooks hooks() {
        return new Sched.Hooks() {
            @Override
            public void pInit(P p) {
                p.mcache = heap.newMCache();
            }

            @Override
            public void pDestroy(P p) {
                MCache c = (MCache) p.mcache;
                if (c != null) {
                    c.releaseAll();
                    heap.freeMCache(c);
                    p.mcache = null;
                }
            }
        };
    }

    // =====================================================================================
    // Allocation
    // =====================================================================================

    /**
     * Allocates on behalf of the goroutine running on m (a safepoint already passed): starts a
     * cycle first if the heap reached its goal, then allocates from the P's mcache.
     */
    public long mallocgc(M m, Type t, int n) {
        return heap.mallocgc(mcacheAfterTrigger(m), t, n);
    }

    public long allocString(M m, byte[] bytes) {
        return heap.allocString(mcacheAfterTrigger(m), bytes);
    }

    /** Starts a cycle if the heap reached its goal, then returns the (then) current P's mcache. */
    private MCache mcacheAfterTrigger(M m) {
        if (heap.heapLive() >= nextGC) {
            gcStart(false);
            m = Sched.currentM(); // the cycle stopped the world: we may resume on another M
        }
        return (MCache) m.p().mcache;
    }

    // =====================================================================================
    // The cycle
    // =====================================================================================

    /** runtime.GC(): a full collection, blocking the caller until it is done. */
    public void gc() {
        gcStart(true);
    }

    /** Runs one stop-the-world cycle, unless (when not forced) another goroutine just ran one. */
    private void gcStart(boolean force) {
        if (!force && gogc < 0) {
            return;
        }
        int n0 = numGC.get();
        long t0 = platform.nanotime();
        sched.stopTheWorld("GC (stop the world)");
        if (!force && (numGC.get() != n0 || heap.heapLive() < nextGC)) {
            sched.startTheWorld(); // someone else collected while we waited for the world
            return;
        }
        long tStopped = platform.nanotime();
        long heap0 = heap.heapLive();

        // sweep termination: finish the previous cycle's sweep; mark bits are then all clear
        heap.finishSweep();
        heap.flushAllMCaches();
        long tMark = platform.nanotime();

        // mark, in parallel on helper Ms
        int procs = Math.max(1, Math.min(Math.min(sched.gomaxprocs(), platform.ncpu()), MAX_GCPROCS));
        work.reset(procs);
        int helpers = procs - 1;
        nhelpers = helpers;
        ndone.set(0);
        alldone.clear();
        if (helpers > 0) {
            sched.helpgc(helpers, this::gchelper);
        }
        GcWork gcw = new GcWork(work);
        markroots(gcw);
        drain(gcw);
        gcw.dispose();
        if (helpers > 0) {
            alldone.sleep(); // every helper flushed its counts
        }
        if (checkmark) {
            checkmarkVerify();
        }
        long tMarkTerm = platform.nanotime();

        // mark termination
        long marked = work.bytesMarked.get();
        heap.setHeapLive(marked);
        long goal = gogc < 0 ? Long.MAX_VALUE : Math.max(marked + marked * gogc / 100, HEAP_MINIMUM);
        nextGC = goal;
        heap.flushAllMCaches();
        heap.startSweep(goal == Long.MAX_VALUE ? 0 : goal - marked);
        long tEnd = platform.nanotime();
        int cycle = numGC.incrementAndGet();
        long pause = tEnd - tStopped;
        pauseNs[(cycle - 1) % PAUSE_RING] = pause;
        pauseTotalNs.addAndGet(pause);
        lastGCNanos = tEnd;
        long cpu = (tEnd - tStopped) + (tMarkTerm - tMark) * helpers;
        gcCpuNanos.addAndGet(cpu);
        sched.startTheWorld();
        sweepWake.release(); // wake the background sweeper
        if (gctrace > 0) {
            traceOut.println(gctraceLine(cycle, t0, tStopped, tMark, tMarkTerm, tEnd, helpers, heap0, marked, goal, procs, force));
        }
    }

    private void gchelper() {
        GcWork gcw = new GcWork(work);
        drain(gcw);
        gcw.dispose();
        if (ndone.incrementAndGet() == nhelpers) {
            alldone.wakeup();
        }
    }

    /** Greys every root: each goroutine's stack slots and the global slots. World stopped. */
    private void markroots(GcWork gcw) {
        for (G gp : sched.allgs()) {
            if (gp.status() == G.DEAD) {
                continue;
            }
            if (gp.local instanceof Stack st) {
                long[] slots = st.slots();
                int sp = st.depth();
                for (int i = 0; i < sp; i++) {
                    long p = slots[i];
                    if (p != 0) {
                        greyobject(p, gcw, "stack slot " + i + " of goroutine " + gp.goid());
                    }
                }
            }
        }
        long[] g = globals.snapshot();
        int n = faultSkipGlobalRoots ? 0 : globals.count();
        for (int i = 0; i < n; i++) {
            if (g[i] != 0) {
                greyobject(g[i], gcw, "global slot " + i);
            }
        }
        // share the roots with the helpers right away
        gcw.dispose();
    }

    private void drain(GcWork gcw) {
        for (;;) {
            if (!work.hasFull()) {
                gcw.balance(); // someone may be idle: share
            }
            long obj = gcw.get();
            if (obj == 0) {
                return;
            }
            scanobject(obj, gcw);
        }
    }

    /**
     * Greys every pointer field of obj (the struct's, or each array element's, pointer words). The
     * type and length come from obj's span (objects have no header); data word i is at obj + i.
     */
    private void scanobject(long obj, GcWork gcw) {
        MSpan s = heap.spanOf(obj); // greyobject checked that obj is an object's address
        int i = s.objIndex(obj);
        long info = s.slotInfoAt(i);
        int id = (int) info;
        if (id == 0) {
            throw new IllegalStateException("fatal error: found pointer to free object 0x" + Long.toHexString(obj)
                    + " (slot " + i + " of " + s + " holds no object: a root or heap word kept the address of a freed object)");
        }
        Type t = Type.byId(id);
        int len = (int) (info >>> 32);
        long words = t.dataWords(len);
        gcw.scanWork += words;
        int[] offs = t.ptrOffsets();
        if (offs.length == 0) {
            return;
        }
        AddressSpace mem = heap.mem();
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
    }

    /** Marks the object at p; queues it for scanning if it holds pointers. */
    private void greyobject(long p, GcWork gcw, String where) {
        // spanOf, not spanOfHeap: any span the page table names answers slot lookups (MSpan's
        // page-table safety), and the volatile state read is the marking loop's most frequent
        // cost. A pointer into a freed span is caught when the object is scanned (slot info 0).
        MSpan s = heap.spanOf(p);
        int i;
        if (s == null || s.objAddr(i = s.objIndex(p)) != p) {
            throw new IllegalStateException("fatal error: found bad pointer in Go heap: 0x" + Long.toHexString(p)
                    + (where != null ? " in " + where : "") + " (not the address of an allocated object)");
        }
        if (s.setMarkedIndex(i)) {
            gcw.bytesMarked += s.elemBytes();
            gcw.put(p); // scanobject skips objects without pointers
        }
    }

    // =====================================================================================
    // Checkmark (GODEBUG=gccheckmark=1)
    // =====================================================================================

    /** Fault injection for tests: the mark phase forgets the global roots (checkmark must notice). */
    volatile boolean faultSkipGlobalRoots;

    /** Objects checkmarked in the last verification (for tests). */
    private volatile long checkmarked;

    public long lastCheckmarked() {
        return checkmarked;
    }

    /**
     * Re-marks everything reachable from the roots with the checkmark bits, single-threaded, with
     * the world stopped, and dies if an object reached this way was left unmarked by the mark
     * phase (Go's gccheckmark: the baseline that catches a lost object before sweep frees it).
     */
    private void checkmarkVerify() {
        heap.clearCheckmarks();
        long[] stack = new long[1024];
        int sp = 0;
        long n = 0;
        // roots
        java.util.ArrayList<long[]> rootSets = new java.util.ArrayList<>();
        java.util.ArrayList<String> rootNames = new java.util.ArrayList<>();
        for (G gp : sched.allgs()) {
            if (gp.status() != G.DEAD && gp.local instanceof Stack st) {
                rootSets.add(java.util.Arrays.copyOf(st.slots(), st.depth()));
                rootNames.add("stack of goroutine " + gp.goid());
            }
        }
        rootSets.add(java.util.Arrays.copyOf(globals.snapshot(), globals.count()));
        rootNames.add("globals");
        AddressSpace mem = heap.mem();
        for (int r = 0; r < rootSets.size(); r++) {
            for (long p : rootSets.get(r)) {
                if (p == 0) {
                    continue;
                }
                if (checkgrey(p, rootNames.get(r))) {
                    n++;
                    if (sp == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = p;
                }
                while (sp > 0) {
                    long obj = stack[--sp];
                    MSpan s = heap.spanOf(obj);
                    long info = s.slotInfoAt(s.objIndex(obj));
                    Type t = Type.byId((int) info);
                    int[] offs = t.ptrOffsets();
                    long nelem = t.isArray() ? (int) (info >>> 32) : 1;
                    for (long e = 0; e < nelem; e++) {
                        for (int off : offs) {
                            long q = mem.load(obj + e * t.sizeWords() + off);
                            if (q != 0 && checkgrey(q, t.name() + " object 0x" + Long.toHexString(obj) + " field " + (e * t.sizeWords() + off))) {
                                n++;
                                if (sp == stack.length) {
                                    stack = java.util.Arrays.copyOf(stack, sp * 2);
                                }
                                stack[sp++] = q;
                            }
                        }
                    }
                }
            }
        }
        checkmarked = n;
    }

    /** Checkmarks p; true if newly checkmarked. Dies if p is reachable but was not marked. */
    private boolean checkgrey(long p, String from) {
        MSpan s = heap.spanOfHeap(p);
        if (s == null || s.base(p) != p || s.typeIdAt(s.objIndex(p)) == 0) {
            throw new IllegalStateException("fatal error: checkmark found bad pointer 0x" + Long.toHexString(p) + " in " + from);
        }
        if (!s.setCheckmarked(p)) {
            return false;
        }
        if (!s.isMarked(p)) {
            throw new IllegalStateException("fatal error: checkmark found unmarked object 0x" + Long.toHexString(p) + " ("
                    + heap.typeOf(p).name() + "), reachable from " + from + ": the mark phase lost it");
        }
        return true;
    }

    // =====================================================================================
    // Background sweeping
    // =====================================================================================

    /** Body of the background sweeper goroutine (Go's bgsweep): sweeps a span, yields, repeats. */
    public void bgsweep() {
        for (;;) {
            while (heap.sweepone() != -1) {
                Sched.current().gosched();
            }
            sweepWake.acquire(); // "GC sweep wait" until the next cycle ends
        }
    }

    // =====================================================================================
    // Statistics and traces
    // =====================================================================================

    public int numGC() {
        return numGC.get();
    }

    public long nextGC() {
        return nextGC;
    }

    public long pauseTotalNs() {
        return pauseTotalNs.get();
    }

    /** Go's MemStats subset. */
    public MemStats readMemStats() {
        var st = heap.readStats();
        int n = numGC.get();
        long[] ring = pauseNs.clone();
        return new MemStats(st.heapAlloc(), st.heapSys(), st.heapObjects(), st.heapInuse(), n, ring,
                pauseTotalNs.get(), nextGC == Long.MAX_VALUE ? 0 : nextGC, st.totalAlloc(), st.mallocs(), st.frees(),
                lastGCNanos);
    }

    /**
     * Go 1.5's gctrace line for a stop-the-world cycle (gc(gcForceMode)): every phase after sweep
     * termination collapses into mark termination, the heap goal shown is the heap at the start,
     * and the line ends in "(forced)", as Go prints with GODEBUG=gcstoptheworld=1.
     */
    private String gctraceLine(int cycle, long tSweepTerm, long tStopped, long tMark, long tMarkTerm, long tEnd,
            int helpers, long heap0, long marked, long goal, int procs, boolean forced) {
        long tScan = tMark; // tScan = tInstallWB = tMark = tMarkTerm in a forced cycle
        double wall = Math.max(1, tEnd - startNanos) * (double) sched.gomaxprocs();
        long util = (long) (100.0 * gcCpuNanos.get() / wall);
        long sweepTermCpu = (long) procs * (tScan - tSweepTerm);
        long markTermCpu = (long) procs * (tEnd - tScan);
        String clock = fmtNSAsMS(tScan - tSweepTerm) + "+0+0+0+" + fmtNSAsMS(tEnd - tScan);
        String cpu = fmtNSAsMS(sweepTermCpu) + "+0+0+0/0/0+" + fmtNSAsMS(markTermCpu);
        return "gc " + cycle + " @" + itoaDiv((tSweepTerm - startNanos) / 1_000_000, 3) + "s " + util + "%: "
                + clock + " ms clock, " + cpu + " ms cpu, " + (heap0 >> 20) + "->" + (heap0 >> 20) + "->" + (marked >> 20)
                + " MB, " + (heap0 >> 20) + " MB goal, " + sched.gomaxprocs() + " P (forced)";
    }

    /** val / 10^dec with exactly dec decimals (Go's itoaDiv). */
    static String itoaDiv(long val, int dec) {
        StringBuilder sb = new StringBuilder(Long.toString(val));
        if (dec == 0) {
            return sb.toString();
        }
        while (sb.length() <= dec) {
            sb.insert(0, '0');
        }
        sb.insert(sb.length() - dec, '.');
        return sb.toString();
    }

    /** Nanoseconds as milliseconds with two significant digits and at most three decimals (Go's fmtNSAsMS). */
    static String fmtNSAsMS(long ns) {
        if (ns >= 10_000_000L) {
            return itoaDiv(ns / 1_000_000L, 0);
        }
        long x = ns / 1000;
        if (x == 0) {
            return "0";
        }
        int dec = 3;
        while (x >= 100) {
            x /= 10;
            dec--;
        }
        return itoaDiv(x, dec);
    }
}
