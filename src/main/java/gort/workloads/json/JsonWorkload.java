package gort.workloads.json;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Runtime;
import gort.gc.MemStats;
import gort.gc.Stack;
import gort.sched.Sched;
import gort.api.WaitGroup;
import gort.workloads.Workload;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The x/benchmarks json benchmark, as the Go anchor's {@code jsonBench}: the document is decoded
 * once into a shared tree kept alive in a global; then 4 × GOMAXPROCS goroutines each repeat one op
 * = {@code json.Unmarshal} of the document into fresh managed objects (garbage at once) +
 * {@code json.Marshal} of the shared tree. {@code --ops} is the total number of ops of a repetition,
 * split evenly across the goroutines (the anchor's {@code -n} is per goroutine); the result is
 * nanoseconds per op, i.e. elapsed time / ops with every goroutine running, as the anchor's
 * {@code ms_per_op}.
 *
 * <p><b>Self-check</b>, so that a collector that frees or overwrites a live object fails loudly
 * (a panic naming the JSON path or byte) instead of measuring garbage: the shared tree's encoding
 * is computed once and checked against the embedded document (which is canonical). In the warm-up
 * each goroutine's first op also encodes its fresh tree and compares the bytes; in measured
 * repetitions each goroutine's first op compares its fresh tree with the shared one structurally
 * ({@link Trees}: no allocation, a small part of a repetition's work) and the Marshal output with the expected bytes; at
 * the end the shared tree is encoded and compared once more.
 *
 * <p>Owns nothing between runs. Invariant: the shared tree is reachable only through its global
 * slot, every fresh tree only through its goroutine's frames while it is being checked.
 */
public final class JsonWorkload implements Workload {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String opName() {
        return "op";
    }

    /** At 4 Ps on this project's 2-core machine, a couple of seconds per repetition. */
    @Override
    public long defaultOps() {
        return 64;
    }

    @Override
    public boolean takesInput() {
        return true;
    }

    @Override
    public boolean takesSeconds() {
        return true;
    }

    /** The document of p: --input's, or the embedded one. */
    private static byte[] document(Params p) {
        if (p.input() == null) {
            return Document.embeddedShared();
        }
        try {
            return Document.read(p.input());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--input " + e.getMessage(), e);
        }
    }

    /** Reads --input and decodes it once (in a one-P runtime): a bad document fails before any run. */
    @Override
    public void check(Params p) {
        if (p.input() == null) {
            return;
        }
        byte[] data = document(p);
        DecodeException[] bad = new DecodeException[1];
        Runtime.run(Config.defaults().withGomaxprocs(1), () -> {
            try {
                new Decoder(Schema.newZerobase()).decode(data);
            } catch (DecodeException e) {
                bad[0] = e;
            }
        });
        if (bad[0] != null) {
            throw new IllegalArgumentException("--input " + p.input() + ": " + bad[0].getMessage(), bad[0]);
        }
    }

    @Override
    public boolean takesNodeWork() {
        return true;
    }

    @Override
    public Result run(Config config, Params p) {
        byte[] data = document(p);
        double[] ns = new double[p.reps()];
        Map<String, Object> extra = new LinkedHashMap<>();
        DecodeException[] bad = new DecodeException[1];
        IllegalArgumentException[] tooShort = new IllegalArgumentException[1];
        long[] opsPerRep = {p.ops()};
        Runtime.run(config, () -> {
            p.listener().warmup();
            Shared s;
            NodeWork work = new NodeWork(p.nodeWork());
            try {
                s = Shared.setUp(data, p.input() == null, work);
            } catch (DecodeException e) {
                bad[0] = e;
                return;
            }
            var clock = Sched.current().platform();
            // held from the warm-up on, so that the work has settled when the measured window opens
            try (AllocRateController rate = p.allocRate() > 0
                    ? new AllocRateController(work, p.allocRate(), Raw.allocatedBytes(), clock::nanotime).start() : null) {
                measure(p, s, rate, ns, extra, tooShort, opsPerRep);
            }
        });
        if (bad[0] != null) {
            throw new IllegalArgumentException("--input " + p.input() + ": " + bad[0].getMessage(), bad[0]);
        }
        if (tooShort[0] != null) {
            throw tooShort[0];
        }
        return new Result(name(), opName(), config.gomaxprocs(), opsPerRep[0], ns, extra);
    }

    /** The warm-up and the measured repetitions of one run, in its main goroutine; fills ns, extra and opsPerRep. */
    private static void measure(Params p, Shared s, AllocRateController rate, double[] ns, Map<String, Object> extra,
            IllegalArgumentException[] tooShort, long[] opsPerRep) {
        byte[] data = s.data;
        int g = 4 * Go.gomaxprocs(0);
        // warm-up as long as a repetition of ops (the JIT's top tier needs it): first one
        // fully checked op per goroutine, then the rest of a repetition's ops
        s.round(g, g, true);
        if (p.ops() > g) {
            s.round(p.ops() - g, g, false);
        }
        MemStats before = Go.readMemStats();
        double[] held = rate == null ? null : rate.integral();
        long opsDone = 0;
        long elapsed = 0;
        var platform = Sched.current().platform();
        for (int r = 0; r < p.reps(); r++) {
            p.listener().measuring(r, p.reps());
            long t0 = platform.nanotime();
            long n = p.seconds() > 0 ? s.roundFor(new Deadline(platform, t0 + (long) (p.seconds() * 1e9)), g)
                    : s.round(p.ops(), g, false);
            long el = platform.nanotime() - t0;
            p.listener().measured(r, p.reps());
            if (n == 0) {
                tooShort[0] = new IllegalArgumentException("--seconds=" + p.seconds() + ": no op finished within the measured"
                        + " window (" + String.format(java.util.Locale.ROOT, "%.3f", el / 1e9) + " s with " + g
                        + " goroutines, each doing one op at a time); give more seconds");
                return;
            }
            opsDone += n;
            elapsed += el;
            ns[r] = (double) el / n;
        }
        opsPerRep[0] = opsDone / p.reps();
        MemStats after = Go.readMemStats();
        if (rate != null) {
            double[] end = rate.integral();
            held = new double[] {end[0] - held[0], end[1] - held[1]};
        }
        s.checkShared();
        double[] sorted = ns.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        extra.put("bytes", data.length);
        extra.put("goroutines", g);
        extra.put("ms_per_op", Math.round(median / 1e3) / 1000.0);
        extra.put("numgc", after.numGC() - before.numGC());
        extra.put(Workload.GC_BEFORE, before.numGC());
        extra.put(Workload.GC_AFTER, after.numGC());
        extra.put("pause_total_ms", Math.round((after.pauseTotalNs() - before.pauseTotalNs()) / 1e3) / 1000.0);
        extra.put("heap_sys_mb", Math.round(after.heapSys() / 1e5) / 10.0);
        // what the measured ops allocated, from the heap's own counters; under --seconds the ops
        // the deadline abandoned allocated too but are not counted, so per-op figures are exact
        // under --ops only
        long bytes = after.totalAlloc() - before.totalAlloc();
        extra.put("alloc_bytes_per_op", Math.round((double) bytes / opsDone));
        extra.put("allocs_per_op", Math.round((double) (after.mallocs() - before.mallocs()) / opsDone));
        extra.put("scan_words_per_op", Math.round((double) (after.totalScan() - before.totalScan()) / 8 / opsDone));
        extra.put("alloc_mb_per_s", Math.round(bytes * 1e9 / elapsed / 1e4) / 100.0);
        if (rate != null) {
            extra.put("alloc_rate_target_mb_per_s", Math.round(rate.target() / 1e4) / 100.0);
            extra.put("node_work_mean", held[0] > 0 ? Math.round(held[1] / held[0]) : 0);
        }
    }

    /**
     * What the goroutines of one runtime share: the document, the zerobase and shared-tree global
     * slots, and the shared tree's expected encoding. Built and used from goroutines of that runtime.
     */
    static final class Shared {
        final byte[] data;
        final int zerobase;
        /** Global slot holding the shared Response. */
        final int tree;
        /** The shared tree's encoding, as little-endian words (the last one zero-padded). */
        final long[] expectedWords;
        final int expectedLen;
        /** Extra CPU work per node of every measured op ({@link NodeWork}). */
        final NodeWork nodeWork;

        private Shared(byte[] data, int zerobase, int tree, byte[] expected, NodeWork nodeWork) {
            this.nodeWork = nodeWork;
            this.data = data;
            this.zerobase = zerobase;
            this.tree = tree;
            this.expectedLen = expected.length;
            byte[] padded = Arrays.copyOf(expected, (expected.length + 7) & ~7);
            this.expectedWords = new long[padded.length / 8];
            for (int w = 0; w < expectedWords.length; w++) {
                expectedWords[w] = (long) LE_LONG.get(padded, w * 8);
            }
        }

        /**
         * Decodes the shared tree into a new global and computes its encoding; if the document is
         * canonical (the embedded one), checks that the encoding reproduces it.
         *
         * @throws DecodeException if the document does not decode
         */
        static Shared setUp(byte[] data, boolean canonical, NodeWork nodeWork) {
            int zerobase = Schema.newZerobase();
            int tree = Raw.newGlobal();
            Raw.setGlobal(tree, new Decoder(zerobase).decode(data));
            byte[] expected = new Encoder().encodeBytes(Raw.global(tree));
            if (canonical && !Arrays.equals(expected, data)) {
                throw new IllegalStateException("json: encoding the decoded embedded document does not reproduce it (first difference at byte "
                        + Arrays.mismatch(expected, data) + " of " + data.length + ")");
            }
            return new Shared(data, zerobase, tree, expected, nodeWork);
        }

        /**
         * Runs ops for g new goroutines until the deadline (each goroutine checks it before every op
         * and, through the decoder and encoder, during one: an op the deadline interrupts is
         * abandoned and not counted); returns the ops finished.
         */
        long roundFor(Deadline deadline, int g) {
            WaitGroup wg = new WaitGroup();
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            for (int w = 0; w < g; w++) {
                wg.add(1);
                Go.go("json.worker", () -> {
                    done.addAndGet(workerUntil(deadline));
                    wg.done();
                });
            }
            wg.await();
            return done.get();
        }

        /** Ops until the deadline; the first one checked as in {@link #worker}. Returns the ops finished. */
        long workerUntil(Deadline deadline) {
            Decoder dec = new Decoder(zerobase, nodeWork);
            Encoder enc = new Encoder(nodeWork);
            dec.until(deadline);
            enc.until(deadline);
            long n = 0;
            try {
                while (!deadline.passed()) {
                    worker(dec, enc, 1, false, n == 0);
                    n++;
                }
            } catch (Deadline.Passed stopped) {
                // the op in progress is abandoned
            }
            return n;
        }

        /** Runs ops ops split across g new goroutines and waits for them; returns ops. */
        long round(long ops, int g, boolean fullCheck) {
            WaitGroup wg = new WaitGroup();
            for (int w = 0; w < g; w++) {
                long k = ops / g + (w < ops % g ? 1 : 0);
                if (k == 0) {
                    continue;
                }
                wg.add(1);
                Go.go("json.worker", () -> {
                    worker(k, fullCheck);
                    wg.done();
                });
            }
            wg.await();
            return ops;
        }

        /** k ops; the first one checked (see the class comment). */
        void worker(long k, boolean fullCheck) {
            worker(k, fullCheck, true);
        }

        /** k ops; the first one checked if checkFirst (see the class comment). */
        void worker(long k, boolean fullCheck, boolean checkFirst) {
            worker(new Decoder(zerobase, nodeWork), new Encoder(nodeWork), k, fullCheck, checkFirst);
        }

        void worker(Decoder dec, Encoder enc, long k, boolean fullCheck, boolean checkFirst) {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            try {
                ops(dec, enc, h, st, f, k, fullCheck, checkFirst);
            } finally {
                st.pop(f);
            }
        }

        private void ops(Decoder dec, Encoder enc, Heap h, Stack st, int f, long k, boolean fullCheck, boolean checkFirst) {
            for (long i = 0; i < k; i++) {
                long fresh = dec.decode(data); // json.Unmarshal(data, &r)
                if (i == 0 && checkFirst) {
                    st.set(f, 0, fresh);
                    if (fullCheck) {
                        check(h, enc.encode(st.get(f, 0)), enc.length(), "a freshly decoded tree's encoding");
                    }
                    String d = Trees.diff(h, st.get(f, 0), Raw.global(tree));
                    if (d != null) {
                        throw new IllegalStateException("json: a freshly decoded tree differs from the shared one at " + d
                                + " (a live object freed or overwritten?)");
                    }
                    st.set(f, 0, 0);
                }
                long out = enc.encode(Raw.global(tree)); // json.Marshal(&shared)
                if (i == 0 && checkFirst) {
                    check(h, out, enc.length(), "the shared tree's encoding");
                }
            }
        }

        /** Encodes the shared tree and compares it with the expected bytes. */
        void checkShared() {
            Encoder enc = new Encoder();
            check(Raw.heap(), enc.encode(Raw.global(tree)), enc.length(), "the shared tree's final encoding");
        }

        /** out (a buffer, no safepoint since it was returned) must hold the expected bytes in its first n. */
        void check(Heap h, long out, int n, String what) {
            if (n != expectedLen) {
                throw new IllegalStateException("json: " + what + " has " + n + " bytes, expected " + expectedLen
                        + " (a live object freed or overwritten?)");
            }
            for (int w = 0; w < expectedWords.length; w++) {
                if (h.loadInt(out, w) != expectedWords[w]) {
                    throw new IllegalStateException("json: " + what + " differs from the expected bytes at byte " + 8 * w
                            + " (a live object freed or overwritten?)");
                }
            }
        }
    }
}
