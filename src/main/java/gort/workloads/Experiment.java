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
 * records (read when the runtime's main returns, or when a program was stopped at its time budget) and the host JVM's collections inside the
 * workload's measured windows (the warm-up's left out, as its cycles are). Each window opens right
 * after a host collection, so that the host's pauses inside it are those its own allocation causes. Owns nothing between runs; each run starts a fresh runtime.
 */
public final class Experiment {
    private Experiment() {}

    /** A run: the workload's own result and the collector's view of it. */
    public record Outcome(Workload.Result result, StrategyRun run) {}

    /** Runs w once under {@code base} with strategy s; p as for {@link Workload#run}. */
    public static StrategyRun run(Workload w, Config base, Workload.Params p, WakeupStrategy s) {
        return runWithResult(w, base.withWakeup(s), p).run();
    }

    /** Runs w once under {@code c} (its strategy as configured); p as for {@link Workload#run}. */
    public static Outcome runWithResult(Workload w, Config c0, Workload.Params p) {
        AtomicReference<List<CycleRecord>> recs = new AtomicReference<>(List.of());
        WakeupStrategy s = c0.wakeup();
        Config c = c0.withOnExit(rt -> recs.set(rt.collector().cycleRecords()));
        JvmGcWatch jvm = JvmGcWatch.start();
        Workload.Params watched = p.alsoTelling(new Workload.Listener() {
            @Override
            public void measuring(int rep, int reps) {
                // Start the window with an empty young generation: the garbage of set-up and
                // warm-up (class loading, the JIT, the workload's own set-up) is collected here,
                // before the window, not by a pause inside it. (With -XX:+DisableExplicitGC the host
                // collects when it will.)
                System.gc();
                jvm.open();
            }

            @Override
            public void measured(int rep, int reps) {
                jvm.close();
            }

            @Override
            public void stopped(gort.api.Runtime rt) {
                recs.set(rt.collector().cycleRecords()); // what onExit would have read
            }
        });
        Workload.Result r;
        StrategyRun.JvmGc jvmGc;
        try {
            r = w.run(c, watched);
        } finally {
            jvmGc = jvm.stop();
        }
        // leave the warm-up's cycles out when the workload says where measuring began
        List<CycleRecord> measured = recs.get();
        if (r.extra().get(Workload.GC_BEFORE) instanceof Number from) {
            long to = r.extra().get(Workload.GC_AFTER) instanceof Number t ? t.longValue() : Long.MAX_VALUE;
            measured = measured.stream().filter(rec -> rec.cycle() > from.intValue() && rec.cycle() <= to).toList();
        }
        long ops = r.ops() * r.nsPerOp().length;
        double ns = 0;
        for (double d : r.nsPerOp()) {
            ns += d * r.ops();
        }
        return new Outcome(r, new StrategyRun(s.flag(), measured, ops, ns / 1e9, jvmGc)
                .withDesign(c0.collectorSettings().designLabel()));
    }
}
