package gort.bench;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.gc.Stack;
import gort.heap.Type;
import gort.workloads.Alloc;
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
 * The mutator's side of the heap, with the collector nearly out of the picture: a small live set
 * and GOGC=2000, so cycles are rare and cost little. {@code allocLink} is
 * the alloc workload's loop body (allocate a 24-byte object, link it to its predecessor, store a
 * scalar); {@code checkedAccess} is one checked pointer store, pointer load, scalar store and
 * scalar load on existing objects. Run with {@code bench/jmh.sh MutatorBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
        "-XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine"})
public class MutatorBench {
    static final Type SMALL = Alloc.SMALL;
    static final int OPS = 1 << 20;
    static final int RING = 1 << 10;
    static final int OBJS = 1 << 10;

    GortHarness rt;
    int sink;
    int objs;

    @Setup
    public void setup() {
        rt = new GortHarness(Config.defaults().withGomaxprocs(2).withGogc(2000), () -> {
            sink = Raw.newGlobal();
            objs = Raw.newGlobal();
            Heap h = Raw.heap();
            Raw.setGlobal(objs, h.allocArray(Type.PTR, OBJS));
            for (int i = 0; i < OBJS; i++) {
                h.storePtr(Raw.global(objs), i, h.alloc(SMALL));
            }
        });
    }

    @TearDown
    public void tearDown() {
        rt.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void allocLink() {
        rt.call(() -> Alloc.loop(Raw.heap(), sink, OPS, RING));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void allocOnly() {
        rt.call(() -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            for (long i = 0; i < OPS; i++) {
                st.set(f, 0, h.alloc(SMALL));
            }
            st.pop(f);
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long checkedAccess() {
        long[] sum = new long[1];
        rt.call(() -> {
            Heap h = Raw.heap();
            long arr = Raw.global(objs);
            long acc = 0;
            for (int i = 0; i < OPS; i++) {
                long a = h.loadPtr(arr, i & (OBJS - 1));
                long b = h.loadPtr(arr, (i * 7) & (OBJS - 1));
                h.storePtr(a, 0, b);
                h.storeInt(a, 2, i);
                acc += h.loadInt(b, 2) + (h.loadPtr(a, 0) == b ? 1 : 0);
            }
            sum[0] = acc;
        });
        return sum[0];
    }
}
