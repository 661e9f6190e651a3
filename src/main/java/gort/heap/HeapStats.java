package gort.heap;

/**
 * A snapshot of the heap's statistics, in Go's MemStats terms (bytes unless named otherwise).
 *
 * @param heapAlloc bytes in allocated object slots, including dead objects not yet swept
 * @param heapSys bytes obtained from the address space
 * @param heapIdle bytes in free spans
 * @param heapInuse bytes in in-use (object) spans
 * @param heapObjects allocated objects, including dead ones not yet swept
 * @param heapLive Go's {@code heap_live}: the pacer's view (marked at the last mark termination,
 *     plus cached span space and large objects since)
 * @param manualInuse bytes in manual spans (runtime-owned memory)
 * @param totalAlloc cumulative bytes allocated
 * @param mallocs cumulative objects allocated
 * @param frees cumulative objects freed by sweeping
 * @param numSpans in-use and manual spans
 * @param totalScan cumulative scannable bytes allocated: each pointer-bearing object's ptrdata, as
 *     Go's {@code local_scan} counts them (Go keeps them only per cycle, in heap_scan)
 */
public record HeapStats(
        long heapAlloc,
        long heapSys,
        long heapIdle,
        long heapInuse,
        long heapObjects,
        long heapLive,
        long manualInuse,
        long totalAlloc,
        long mallocs,
        long frees,
        long numSpans,
        long totalScan) {}
