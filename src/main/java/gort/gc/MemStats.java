package gort.gc;

/**
 * Go's runtime.MemStats, the subset gort keeps (bytes unless named otherwise).
 *
 * @param heapAlloc bytes of allocated heap objects (including unswept dead ones, as Go)
 * @param heapSys bytes of heap memory obtained from the address space
 * @param heapObjects number of allocated heap objects
 * @param heapInuse bytes in in-use spans
 * @param numGC completed GC cycles
 * @param pauseNs circular buffer of recent stop-the-world pause times; the most recent is at
 *     {@code pauseNs[(numGC + 255) % 256]}
 * @param pauseTotalNs cumulative pause time
 * @param nextGC the heap size at which the next cycle starts (0 when GOGC=off)
 * @param totalAlloc cumulative bytes allocated
 * @param mallocs cumulative objects allocated
 * @param frees cumulative objects freed
 * @param lastGCNanos platform time at which the last cycle ended
 * @param totalScan cumulative scannable bytes allocated (each pointer-bearing object's ptrdata, the
 *     words up to its last pointer): gort's addition, since Go 1.5.1 counts them only per cycle
 */
public record MemStats(
        long heapAlloc,
        long heapSys,
        long heapObjects,
        long heapInuse,
        int numGC,
        long[] pauseNs,
        long pauseTotalNs,
        long nextGC,
        long totalAlloc,
        long mallocs,
        long frees,
        long lastGCNanos,
        long totalScan) {}
