package gort.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's statistics (Go's memstats GC fields): the cycle count, the ring of the last
 * pauses, their total, the last cycle's end, the GC CPU time (for gctrace's utilization), and
 * the per-cycle {@link CycleRecord}s. Invariants: a cycle's record is added before the count
 * shows the cycle; records beyond {@link #MAX_RECORDS} drop the oldest half.
 */
final class GcStats {
    /** Go's MemStats.PauseNs ring size. */
    static final int PAUSE_RING = 256;
    /** Per-cycle records kept (the oldest are dropped beyond this). */
    static final int MAX_RECORDS = 1 << 16;

    private final long startNanos;
    private final java.util.function.IntSupplier gomaxprocs;
    private final AtomicInteger numGC = new AtomicInteger();
    private final long[] pauseNs = new long[PAUSE_RING];
    private final AtomicLong pauseTotalNs = new AtomicLong();
    private volatile long lastGCNanos;
    private final AtomicLong gcCpuNanos = new AtomicLong();
    private final ArrayList<CycleRecord> records = new ArrayList<>();

    GcStats(long startNanos, java.util.function.IntSupplier gomaxprocs) {
        this.startNanos = startNanos;
        this.gomaxprocs = gomaxprocs;
    }

    int numGC() {
        return numGC.get();
    }

    long pauseTotalNs() {
        return pauseTotalNs.get();
    }

    long lastGCNanos() {
        return lastGCNanos;
    }

    long[] pauses() {
        synchronized (pauseNs) {
            return pauseNs.clone();
        }
    }

    void addGcCpu(long ns) {
        gcCpuNanos.addAndGet(ns);
    }

    /** Counts a cycle that ended at tEnd with that pause; returns its number. */
    int endCycle(long pause, long tEnd) {
        int cycle = numGC.incrementAndGet();
        synchronized (pauseNs) {
            pauseNs[(cycle - 1) % PAUSE_RING] = pause;
        }
        pauseTotalNs.addAndGet(pause);
        lastGCNanos = tEnd;
        return cycle;
    }

    /** GC CPU time over wall time × GOMAXPROCS since the start, in percent (gctrace's figure). */
    long utilization(long tEnd) {
        double wall = Math.max(1, tEnd - startNanos) * (double) gomaxprocs.getAsInt();
        return (long) (100.0 * gcCpuNanos.get() / wall);
    }

    void record(CycleRecord r) {
        synchronized (records) {
            if (records.size() == MAX_RECORDS) {
                records.subList(0, MAX_RECORDS / 2).clear();
            }
            records.add(r);
        }
    }

    List<CycleRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }
}
