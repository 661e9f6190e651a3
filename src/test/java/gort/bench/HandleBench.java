package gort.bench;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Ptr;
import gort.api.Raw;
import gort.gc.Stack;
import gort.heap.Type;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the handle API costs beside the raw-address path, per operation: allocation, a pointer load
 * that makes a handle, a scope opened and closed, and a binary-trees node (build a depth-10 tree,
 * then check it). GOGC=2000 keeps the collector nearly out of the picture. Run with
 * {@code bench/jmh.sh HandleBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
        "-XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine"})
public class HandleBench {
    static final Type NODE = Type.struct("bench.node", "ptr,ptr");
    static final int OPS = 1 << 16;
    static final int DEPTH = 10;
    static final int TREE_NODES = (1 << (DEPTH + 1)) - 1;

    GortHarness rt;

    @Setup
    public void setup() {
        rt = new GortHarness(Config.defaults().withGomaxprocs(1).withGogc(2000), () -> {});
    }

    @TearDown
    public void tearDown() {
        rt.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void rawAlloc() {
        rt.call(() -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            for (int i = 0; i < OPS; i++) {
                st.set(f, 0, h.alloc(NODE));
            }
            st.pop(f);
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void ptrAlloc() {
        rt.call(() -> {
            for (int i = 0; i < OPS; i += 1024) {
                try (gort.api.Scope s = Go.scope()) {
                    for (int j = 0; j < 1024; j++) {
                        Go.alloc(NODE);
                    }
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void scopeOpenClose() {
        rt.call(() -> {
            for (int i = 0; i < OPS; i++) {
                try (gort.api.Scope s = Go.scope()) {
                    // nothing
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(TREE_NODES)
    public long rawTree() {
        long[] out = new long[1];
        rt.call(() -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, rawBottomUp(h, st, DEPTH));
            out[0] = rawCheck(h, st.get(f, 0));
            st.pop(f);
        });
        return out[0];
    }

    @Benchmark
    @OperationsPerInvocation(TREE_NODES)
    public long ptrTree() {
        long[] out = new long[1];
        rt.call(() -> {
            try (gort.api.Scope s = Go.scope()) {
                out[0] = check(bottomUp(DEPTH));
            }
        });
        return out[0];
    }

    static long rawBottomUp(Heap h, Stack st, int d) {
        if (d <= 0) {
            return h.alloc(NODE);
        }
        int f = st.push(2);
        st.set(f, 0, rawBottomUp(h, st, d - 1));
        st.set(f, 1, rawBottomUp(h, st, d - 1));
        long n = h.alloc(NODE);
        h.storePtr(n, 0, st.get(f, 0));
        h.storePtr(n, 1, st.get(f, 1));
        st.pop(f);
        return n;
    }

    static long rawCheck(Heap h, long t) {
        long l = h.loadPtr(t, 0);
        return l == 0 ? 1 : 1 + rawCheck(h, l) + rawCheck(h, h.loadPtr(t, 1));
    }

    /** Go's shape: the node first, then its subtrees stored into it. */
    static Ptr bottomUp(int d) {
        Ptr n = Go.alloc(NODE);
        if (d > 0) {
            n.setPtr(0, bottomUp(d - 1));
            n.setPtr(1, bottomUp(d - 1));
        }
        return n;
    }

    static long check(Ptr t) {
        Ptr l = t.ptr(0);
        return l == null ? 1 : 1 + check(l) + check(t.ptr(1));
    }
}
