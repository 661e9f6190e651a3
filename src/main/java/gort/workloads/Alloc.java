package gort.workloads;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Runtime;
import gort.gc.MemStats;
import gort.gc.Stack;
import gort.heap.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Go anchor's alloc: 24-byte objects {@code {a, b *small; x int64}}, each linked to its
 * predecessor (chains cut every 64), every 64th kept in a live ring of 2^17 entries, so the live
 * heap stays fixed while almost everything allocated becomes garbage.
 */
public final class Alloc implements Workload {
    /** Go's {@code small}: two pointers and an int64 (24 bytes of data). */
    public static final Type SMALL = Type.struct("small", "ptr,ptr,scalar");
    /** The anchor's window of 100000 rounded up to a power of two. */
    public static final int RING = 1 << 17;

    @Override
    public String name() {
        return "alloc";
    }

    @Override
    public String opName() {
        return "alloc";
    }

    @Override
    public long defaultOps() {
        return 50_000_000;
    }

    @Override
    public Result run(Config config, Params p) {
        double[] ns = new double[p.reps()];
        Map<String, Object> extra = new LinkedHashMap<>();
        Runtime.run(config, () -> {
            p.listener().warmup();
            Heap h = Raw.heap();
            int sink = Raw.newGlobal();
            // Warm-up: one repetition's worth, as pingpong's. With a tenth of it (5M objects) the
            // JIT was still deoptimizing and recompiling mallocgc and storePtr inside the first
            // measured repetition (unstable_if traps on paths the larger heap first takes: JFR's
            // jdk.Deoptimization events), which made that repetition slower than the others.
            loop(h, sink, p.ops());
            MemStats before = Go.readMemStats();
            for (int r = 0; r < p.reps(); r++) {
                p.listener().measuring(r, p.reps());
                long t0 = gort.sched.Sched.current().platform().nanotime();
                loop(h, sink, p.ops());
                ns[r] = (double) (gort.sched.Sched.current().platform().nanotime() - t0) / p.ops();
                p.listener().measured(r, p.reps());
            }
            MemStats after = Go.readMemStats();
            extra.put("numgc", after.numGC() - before.numGC());
            extra.put(GC_BEFORE, before.numGC());
            extra.put(GC_AFTER, after.numGC());
            extra.put("pause_total_ms", Math.round((after.pauseTotalNs() - before.pauseTotalNs()) / 1e3) / 1000.0);
            extra.put("heap_sys_mb", Math.round(after.heapSys() / 1e5) / 10.0);
        });
        return new Result(name(), opName(), config.gomaxprocs(), p.ops(), ns, extra);
    }

    /** Allocates n objects; the ring is a pointer array held in global slot {@code sink}. */
    static void loop(Heap h, int sink, long n) {
        loop(h, sink, n, RING);
    }

    /**
     * The workload's loop with a ring of {@code ring} entries (a power of two), a new one hung
     * from global {@code sink}: live heap ring × 64 objects. For the JMH benchmarks, which want
     * smaller live sets; call from a goroutine.
     */
    public static void loop(Heap h, int sink, long n, int ring) {
        if (ring <= 0 || (ring & (ring - 1)) != 0) {
            throw new IllegalArgumentException("alloc ring must be a power of two, got " + ring);
        }
        Stack st = Raw.stack();
        int f = st.push(1); // slot 0: prev
        Raw.setGlobal(sink, h.allocArray(Type.PTR, ring));
        for (long i = 0; i < n; i++) {
            long s = h.alloc(SMALL);
            h.storePtr(s, 0, st.get(f, 0));
            h.storeInt(s, 2, i);
            if ((i & 63) == 0) {
                h.storePtr(Raw.global(sink), (int) ((i >> 6) & (ring - 1)), s);
                st.set(f, 0, 0);
            } else {
                st.set(f, 0, s);
            }
        }
        st.pop(f);
    }
}
