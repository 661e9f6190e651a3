package gort.gc;

import gort.heap.MSpan;

/**
 * What a pointer store does while the collector marks (the write barrier axis:
 * {@link BarrierKind}). {@code Heap.storePtr} and {@code Go.setGlobal} call it, with the target
 * already checked, only while {@link Collector#writeBarrierEnabled()}; frame (stack) writes never.
 */
public interface WriteBarrier {
    /** A pointer to {@code obj} (slot {@code idx} of span {@code s}) is being installed. */
    void store(long obj, MSpan s, int idx);

    /** Whether mark termination must rescan every stack (it must, if stack writes take no barrier). */
    boolean rescanStacks();
}
