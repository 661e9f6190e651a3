package gort.workloads;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Runtime;
import gort.gc.MemStats;
import gort.gc.Stack;
import gort.heap.Type;
import gort.api.Mutex;
import gort.api.WaitGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * binary-trees on the managed heap, as the Go anchor's bintree: one long-lived tree of the full
 * depth, and one goroutine per depth d = 4, 6, ... that builds and checks 2^(max-d+4) trees.
 */
public final class BinTree implements Workload {
    /** Go's {@code tnode}: two pointers. */
    public static final Type TNODE = Type.struct("tnode", "ptr,ptr");

    @Override
    public String name() {
        return "bintree";
    }

    @Override
    public String opName() {
        return "run";
    }

    @Override
    public long defaultOps() {
        return 1;
    }

    @Override
    public boolean takesDepth() {
        return true;
    }

    /** A repetition is one whole binary-trees run (its size is --depth). */
    @Override
    public boolean takesOps() {
        return false;
    }

    @Override
    public Result run(Config config, Params p) {
        int depth = p.depth();
        if (depth < 4 || depth > 30) {
            throw new IllegalArgumentException("--depth=" + depth + " is invalid: must be from 4 to 30");
        }
        double[] ns = new double[p.reps()];
        Map<String, Object> extra = new LinkedHashMap<>();
        Runtime.run(config, () -> {
            p.listener().warmup();
            bintree(Math.min(depth, 16)); // warm-up
            MemStats before = Go.readMemStats();
            long checks = 0;
            for (int r = 0; r < p.reps(); r++) {
                p.listener().measuring(r, p.reps());
                long t0 = gort.sched.Sched.current().platform().nanotime();
                checks = bintree(depth);
                ns[r] = gort.sched.Sched.current().platform().nanotime() - t0;
                p.listener().measured(r, p.reps());
            }
            MemStats after = Go.readMemStats();
            extra.put("depth", depth);
            extra.put("checks", checks);
            extra.put("seconds", Math.round(median(ns) / 1e6) / 1000.0);
            extra.put("numgc", after.numGC() - before.numGC());
            extra.put(GC_BEFORE, before.numGC());
            extra.put(GC_AFTER, after.numGC());
            extra.put("pause_total_ms", Math.round((after.pauseTotalNs() - before.pauseTotalNs()) / 1e3) / 1000.0);
        });
        return new Result(name(), opName(), config.gomaxprocs(), 1, ns, extra);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One binary-trees run; returns the total of the checks (as the Go anchor's "checks"). */
    public static long bintree(int maxDepth) {
        Heap h = Raw.heap();
        Stack st = Raw.stack();
        int f = st.push(1);
        st.set(f, 0, bottomUp(h, st, maxDepth)); // the long-lived tree
        AtomicLong total = new AtomicLong();
        WaitGroup wg = new WaitGroup();
        Mutex mu = new Mutex();
        for (int d = 4; d <= maxDepth; d += 2) {
            int iters = 1 << (maxDepth - d + 4);
            int dd = d;
            wg.add(1);
            Go.go("bintree.worker", () -> {
                Stack gst = Raw.stack();
                long c = 0;
                for (int i = 0; i < iters; i++) {
                    c += check(h, bottomUp(h, gst, dd)); // check does not allocate: no safepoint
                }
                mu.lock();
                total.addAndGet(c);
                mu.unlock();
                wg.done();
            });
        }
        wg.await();
        long longCheck = check(h, st.get(f, 0));
        st.pop(f);
        if (longCheck != (1L << (maxDepth + 1)) - 1) {
            throw new IllegalStateException("long-lived tree damaged: check " + longCheck);
        }
        return total.get();
    }

    /** A complete tree of depth d; the subtrees sit in a frame while the parent is allocated. */
    static long bottomUp(Heap h, Stack st, int d) {
        if (d <= 0) {
            return h.alloc(TNODE);
        }
        int f = st.push(2);
        st.set(f, 0, bottomUp(h, st, d - 1));
        st.set(f, 1, bottomUp(h, st, d - 1));
        long n = h.alloc(TNODE);
        h.storePtr(n, 0, st.get(f, 0));
        h.storePtr(n, 1, st.get(f, 1));
        st.pop(f);
        return n;
    }

    static long check(Heap h, long t) {
        long l = h.loadPtr(t, 0);
        if (l == 0) {
            return 1;
        }
        return 1 + check(h, l) + check(h, h.loadPtr(t, 1));
    }
}
