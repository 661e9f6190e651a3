package gort.explore;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.api.Time;
import gort.api.WaitGroup;
import gort.gc.Collector;
import gort.heap.Type;
import gort.platform.SimPlatform;
import gort.sched.Sched;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The explorer's small mark-termination program: {@link #PROCS} Ps, {@link #GOROUTINES}
 * goroutines, one concurrent GC cycle. Each goroutine keeps a list of {@link #LIST} nodes hung
 * from a global of its own and, while the cycle runs, pushes a new head and cuts the tail (pointer
 * stores through the write barrier, allocation that can assist); main starts the cycle and waits
 * for its end. GODEBUG gccheckmark=1 re-marks after the cycle and dies naming any reachable
 * unmarked object.
 *
 * <p>Checks of its own, thrown from main (so the runtime dies with them): every list still has
 * its length and its values in order after the cycle (a freed node reused would break either);
 * mark termination finds no grey object queued and marks nothing itself
 * ({@link Collector#terminationGreyObjects}, {@link Collector#terminationMarkedBytes}: the listers
 * hold no heap pointer the barrier has not seen, since every node they reach hangs from a global
 * the mark rescans or was allocated black, so at a true completion point nothing is left, and a
 * byte marked there is a completion declared with grey objects left somewhere);
 * the cycle ends within {@link #HANG_NS} of virtual time (a GC phase waiting forever while
 * its goroutines still run — a lost wakeup — shows here, not as a deadlock, because main's
 * sleeps keep the timers going).
 *
 * <p>Variants ({@link Scenarios}) change the lists' length, add a noscan garbage object per
 * round (so that rounds refill their caches and assist), run a first cycle so that the explored
 * one has an assist ratio, stop the goroutines after a fixed number of rounds, or have main wait
 * in one sleep instead of polling; none of them lets a goroutine hold a pointer the barrier has
 * not seen, so the check of mark termination's leftovers holds for each.
 */
public final class MarkTermScenario implements Scenario {
    public static final int PROCS = 4;
    public static final int GOROUTINES = 8;
    static final int LIST = 8;
    /** Rounds each goroutine runs at least, and at most while the cycle has not ended. */
    static final int MIN_ROUNDS = 4;
    static final int MAX_ROUNDS = 400;
    /** The virtual time the cycle may take before main calls it a hang. */
    static final long HANG_NS = 200 * Time.MILLISECOND;
    static final Type NODE = Type.struct("explore.node", "ptr,scalar");
    /**
     * The heap's cap: some hundred kilobytes live, so 64 MiB is ample; the default (half the host
     * JVM's heap) would make each schedule's runtime build and clear its per-page tables for gigabytes.
     */
    static final long HEAP_CAP = 64L << 20;

    private final String name;
    /** Rounds each goroutine runs whatever the cycle does (then it exits), or 0: until the cycle has ended. */
    private final int fixedRounds;
    /** Nodes per list. */
    private final int list;
    /** Bytes of garbage (a noscan object) each round allocates besides its node, 0 for none. */
    private final int garbage;
    /** Whether a first cycle runs before the lists are built (so that the explored cycle has an assist ratio). */
    private final boolean warmup;
    /**
     * Whether main waits for the cycle in one sleep of {@link #HANG_NS} instead of polling every
     * 100 µs: then no timer wakes a P while the cycle runs, and a cycle whose work waits for a P
     * that nobody wakes stalls until main wakes.
     */
    private final boolean oneSleep;

    /** markterm: the goroutines rewrite their lists until the cycle has ended. */
    public MarkTermScenario() {
        this("markterm", 0, LIST, 0, false, false);
    }

    /**
     * @param fixedRounds rounds each goroutine runs and then exits, whether or not the cycle has
     *     ended (0: until it has)
     * @param list nodes per list
     * @param garbage bytes of a noscan object each round allocates besides its node (0: none), so
     *     that rounds refill their allocation caches and assist
     * @param warmup whether a first cycle runs before the lists are built, so that the explored
     *     cycle has an assist ratio (a first cycle has none, and its assists do nothing)
     * @param oneSleep whether main waits for the cycle in one long sleep rather than polling
     */
    MarkTermScenario(String name, int fixedRounds, int list, int garbage, boolean warmup, boolean oneSleep) {
        this.oneSleep = oneSleep;
        this.name = name;
        this.fixedRounds = fixedRounds;
        this.list = list;
        this.garbage = garbage;
        this.warmup = warmup;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return PROCS + " Ps, " + GOROUTINES + " goroutines rewriting lists of " + list + (garbage > 0 ? " with " + garbage
                + " bytes of garbage a round" : "") + " " + (fixedRounds == 0 ? "until the cycle ends" : fixedRounds
                + " times after it starts") + ", one concurrent GC cycle" + (warmup ? " after a first" : "") + (oneSleep
                ? ", main waiting in one sleep" : "") + " (gccheckmark on)";
    }

    @Override
    public int procs() {
        return PROCS;
    }

    @Override
    public Config config(SimPlatform p, Map<String, String> godebug) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("gccheckmark", "1");
        d.putAll(godebug);
        return Config.defaults(p).withGomaxprocs(PROCS).withGodebug(d).withHeapCap(HEAP_CAP);
    }

    @Override
    public void main() {
        Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
        Heap h = Raw.heap();
        if (warmup) {
            int w0 = gc.numGC();
            gc.triggerConcurrentCycle();
            while (gc.numGC() == w0) {
                Time.sleep(100 * Time.MICROSECOND);
            }
        }
        int n0 = gc.numGC();
        int[] globals = new int[GOROUTINES];
        WaitGroup built = new WaitGroup();
        WaitGroup done = new WaitGroup();
        built.add(GOROUTINES);
        done.add(GOROUTINES);
        for (int i = 0; i < GOROUTINES; i++) {
            int k = i;
            globals[k] = Raw.newGlobal();
            Go.go("lister", () -> {
                for (int v = 0; v < list; v++) {
                    push(h, globals[k], v);
                }
                built.done();
                int v = list;
                for (int r = 0; fixedRounds > 0 ? r < fixedRounds : r < MAX_ROUNDS && (r < MIN_ROUNDS || gc.numGC() == n0); r++) {
                    push(h, globals[k], v++);
                    cut(h, Raw.global(globals[k]), list);
                    if (garbage > 0) {
                        h.allocBytes(garbage);
                    }
                }
                done.done();
            });
        }
        built.await();
        gc.triggerConcurrentCycle();
        done.await();
        long deadline = Time.now() + HANG_NS;
        if (oneSleep) {
            Time.sleep(HANG_NS);
        }
        while (gc.numGC() == n0) {
            if (Time.now() > deadline) {
                throw new CycleHang("the GC cycle did not end within " + HANG_NS / Time.MILLISECOND
                        + " ms of virtual time (a phase waits for ever?): " + ((gort.api.Runtime) Sched.current().env).debugDump().strip());
            }
            Time.sleep(100 * Time.MICROSECOND);
        }
        long late = gc.terminationMarkedBytes();
        long grey = gc.terminationGreyObjects();
        if (late != 0 || grey != 0) {
            throw new IllegalStateException("marking was declared complete with work left: mark termination found " + grey
                    + " grey objects queued and marked " + late + " bytes itself");
        }
        for (int k = 0; k < GOROUTINES; k++) {
            long prev = Long.MAX_VALUE;
            int n = 0;
            for (long p = Raw.global(globals[k]); p != 0; p = h.loadPtr(p, 0)) {
                long v = h.loadInt(p, 1);
                if (v >= prev) {
                    throw new IllegalStateException("list " + k + " damaged: " + v + " after " + prev);
                }
                prev = v;
                n++;
            }
            if (n != list) {
                throw new IllegalStateException("list " + k + " has " + n + " nodes, not " + list);
            }
        }
    }

    /** A new node holding v becomes the list's head. */
    private static void push(Heap h, int global, long v) {
        long node = h.alloc(NODE); // a safepoint: read the head after it
        h.storeInt(node, 1, v);
        h.storePtr(node, 0, Raw.global(global));
        Raw.setGlobal(global, node);
    }

    /** Drops the nodes after the LIST-th. */
    private static void cut(Heap h, long head, int list) {
        long p = head;
        for (int i = 1; i < list && p != 0; i++) {
            p = h.loadPtr(p, 0);
        }
        if (p != 0) {
            h.storePtr(p, 0, 0);
        }
    }
}
