package gort.bench;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.workloads.Alloc;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Marking throughput on the alloc workload's live heap (a ring of chains of 64 linked 24-byte
 * objects, 2M objects here, 64 MB): one forced stop-the-world collection ({@code gcstoptheworld=1})
 * per invocation, reported per live object, mark and sweep together. The set-up runs the alloc loop
 * through five turns of the ring (Alloc.loop) with GOGC=100, so the live objects lie scattered among freed slots
 * as in the real run, not in allocation order. With {@code procs=1} one marker does it all, so the
 * figure is the single-thread cost of greying and scanning an object.
 * Run with {@code bench/jmh.sh MarkBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
        "-XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine"})
public class MarkBench {
    static final int RING = 1 << 15;
    static final int LIVE = RING * 64;

    @Param({"1"})
    public int procs;

    GortHarness rt;

    @Setup
    public void setup() {
        Config c = Config.defaults().withGomaxprocs(procs)
                .withGodebug(Map.of("gcstoptheworld", "1"));
        rt = new GortHarness(c, () -> Alloc.loop(Raw.heap(), Raw.newGlobal(), 5L * LIVE, RING));
    }

    @TearDown
    public void tearDown() {
        rt.close();
    }

    @Benchmark
    @OperationsPerInvocation(LIVE)
    public void fullGC() {
        rt.call(Go::gc);
    }
}
