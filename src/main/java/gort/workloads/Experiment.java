package gort.workloads;

import gort.api.Config;
import gort.gc.CycleRecord;
import gort.gc.WakeupStrategy;
import gort.trace.JvmGcWatch;
import gort.trace.StrategyRun;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The experiment runner: one workload under one wakeup strategy, with the collector's per-cycle
 * records (read when the runtime's main returns) and the host JVM's collections over the same
 * interval. Owns nothing between runs; each run starts a fresh runtime.
 */
public final class Experiment {
    private Experiment() {}

    /** Runs w once under {@code base} with strategy s; p as for {@link Workload#run}. */
    public static StrategyRun run(Workload w, Config base, Workload.Params p, WakeupStrategy s) {
        AtomicReference<List<CycleRecord>> recs = new AtomicReference<>(List.of());
        Config c = base.withWakeup(s).withOnExit(rt -> recs.set(rt.collector().cycleRecords()));
        JvmGcWatch jvm = JvmGcWatch.start();
        Workload.Result r;
        StrategyRun.JvmGc jvmGc;
        try {
            r = w.run(c, p);
        } finally {
            jvmGc = jvm.stop();
        }
        long ops = r.ops() * r.nsPerOp().length;
        double ns = 0;
        for (double d : r.nsPerOp()) {
            ns += d * r.ops();
        }
        return new StrategyRun(s.flag(), recs.get(), ops, ns / 1e9, jvmGc);
    }
}
