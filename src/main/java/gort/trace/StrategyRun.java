package gort.trace;

import gort.gc.CycleRecord;
import java.util.List;

/**
 * One run of a workload under one wakeup strategy: what the collector recorded for each
 * concurrent cycle, the workload's throughput, and the host JVM's own collections in the same
 * interval (reported beside gort's pauses so neither is mistaken for the other).
 */
public record StrategyRun(String strategy, List<CycleRecord> cycles, long ops, double seconds, JvmGc jvmGc) {
    /** The host JVM's collections during the run (GarbageCollectorMXBean deltas; millisecond resolution). */
    public record JvmGc(long count, long totalMs, long maxMs) {}

    public double opsPerSec() {
        return seconds > 0 ? ops / seconds : 0;
    }
}
