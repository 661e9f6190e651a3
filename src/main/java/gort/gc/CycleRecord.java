package gort.gc;

import gort.sched.Enqueued;

/**
 * What one GC cycle did, the figures docs/ARCHITECTURE.md names ("How a GC cycle flows", step 8):
 * for each completion of concurrent marking (mark 1, mark 2) who completed it and when, when the
 * coordinator ran again (with no coordinator: when the completer began the transition), where it
 * waited meanwhile, and the heap at both moments; the heap at the trigger, at mark termination,
 * marked, Go 1.5's goal and H_g (the goal gcpacertrace prints); both stop-the-world pauses; the
 * CPU time of assists and of each kind of background worker. Times are nanoseconds since the
 * runtime started. A forced (stop-the-world) cycle has no completions.
 *
 * <p>Invariants: {@code mark1} and {@code mark2} are both null exactly when {@code forced}; a
 * completion's {@code resumedNs >= doneNs} (the coordinator runs after the signal).
 */
public record CycleRecord(
        int cycle,
        boolean forced,
        String strategy,
        boolean assistBlock,
        int procs,
        long startNs,
        long endNs,
        long heapTrigger,
        long heapGoal,
        long hgGoal,
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

    /**
     * One completion of concurrent marking and the coordinator's wakeup from it; {@code waited}
     * is where the scheduler had put the coordinator when it ran again ({@link Enqueued#NONE}: it
     * never left its M, the completion came before it waited).
     */
    public record Completion(CompleterKind completer, long doneNs, long resumedNs, long heapAtDone, long heapAtResume,
            Enqueued waited) {
        /** resumed − done: the wakeup delay. */
        public long delayNs() {
            return resumedNs - doneNs;
        }

        /** Heap growth (bytes) between the completion and the coordinator's resumption. */
        public long allocatedWhileWaiting() {
            return heapAtResume - heapAtDone;
        }
    }

    /** Go 1.5's goals under 1 MiB are left out of {@link #overGoal}, as gctrace's whole-MB figure shows them as 0. */
    public static final long MIN_COUNTED_GOAL = 1 << 20;

    /**
     * Heap at mark termination ÷ Go 1.5's heap goal (heap_reachable × (1 + GOGC/100), as gctrace
     * prints it); NaN for a forced cycle, and for a goal under {@link #MIN_COUNTED_GOAL}: the
     * reachable-heap estimate (marked minus allocated during the cycle) collapses when most of a
     * cycle's allocation was marked, and the ratio would measure the estimator, not the heap.
     * {@link #overHg} does not have that problem.
     */
    public double overGoal() {
        return forced || heapGoal < MIN_COUNTED_GOAL ? Double.NaN : (double) heapAtTermination / heapGoal;
    }

    /**
     * Heap at mark termination ÷ H_g = heap marked in the previous cycle × (1 + GOGC/100), the
     * goal Go 1.5's gcpacertrace prints (H_a / H_g): what the wakeup costs, without the
     * estimator's collapse. NaN for a forced cycle.
     */
    public double overHg() {
        return forced || hgGoal <= 0 ? Double.NaN : (double) heapAtTermination / hgGoal;
    }

    /** The larger stop-the-world pause of the cycle. */
    public long stwMaxNs() {
        return Math.max(sweepTermPauseNs, markTermPauseNs);
    }
}
