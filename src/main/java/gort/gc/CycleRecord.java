package gort.gc;

/**
 * What one GC cycle did, as DESIGN.md defines the figures: for each completion of concurrent
 * marking (mark 1, mark 2) who completed it and when, when the coordinator ran again, and the heap
 * at both moments; the heap at the trigger, at mark termination, marked, and the goal; both
 * stop-the-world pauses; the CPU time of assists and of each kind of background worker. Times are
 * nanoseconds since the runtime started. A forced (stop-the-world) cycle has no completions.
 *
 * <p>Invariants: {@code mark1} and {@code mark2} are both null exactly when {@code forced}; a
 * completion's {@code resumedNs >= doneNs} (the coordinator runs after the signal).
 */
public record CycleRecord(
        int cycle,
        boolean forced,
        String strategy,
        int procs,
        long startNs,
        long endNs,
        long heapTrigger,
        long heapGoal,
        long heapAtTermination,
        long heapMarked,
        long nextGC,
        Completion mark1,
        Completion mark2,
        long sweepTermPauseNs,
        long markTermPauseNs,
        long assistNs,
        long dedicatedNs,
        long fractionalNs,
        long idleNs) {

    /** One completion of concurrent marking and the coordinator's wakeup from it. */
    public record Completion(CompleterKind completer, long doneNs, long resumedNs, long heapAtDone, long heapAtResume) {
        /** resumed − done: the wakeup delay. */
        public long delayNs() {
            return resumedNs - doneNs;
        }

        /** Heap growth (bytes) between the completion and the coordinator's resumption. */
        public long allocatedWhileWaiting() {
            return heapAtResume - heapAtDone;
        }
    }

    /**
     * Heap at mark termination ÷ heap goal (the overshoot); NaN for a forced cycle. The goal is
     * taken as at least Go's 4 MiB heap minimum: Go 1.5's goal is heap_reachable × (1 + GOGC/100),
     * and its estimate of heap_reachable (marked minus allocated during the cycle) can come out
     * near zero when most of a cycle's allocation was marked, which would make the ratio
     * meaningless (Go's own pacer never aims below the minimum).
     */
    public double overGoal() {
        return forced ? Double.NaN : (double) heapAtTermination / Math.max(heapGoal, Pacer.DEFAULT_HEAP_MINIMUM);
    }

    /** The larger stop-the-world pause of the cycle. */
    public long stwMaxNs() {
        return Math.max(sweepTermPauseNs, markTermPauseNs);
    }
}
