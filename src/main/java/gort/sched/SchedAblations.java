package gort.sched;

/**
 * Scheduler ablations: switches that are not Go, to show what a Go 1.5 mechanism contributes by
 * taking it away or changing its constant (GODEBUG {@code runnext} and {@code schedglobal}).
 * {@link #GO} is Go 1.5's scheduler.
 *
 * @param runnext false: ready puts a woken goroutine at the tail of its P's run queue instead of
 *     in runnext (the slot park/ready, golang/go CL 9291, relies on to run the coordinator next); newproc keeps runnext
 * @param globalQueueInterval schedule() takes one goroutine from the global run queue first every
 *     this many schedules of a P (Go 1.5: 61), so the global queue cannot starve; at least 1. At
 *     1 the local queue runs only when the global queue is empty, so a goroutine that yields in a
 *     loop (to the global queue) starves its P's local queue: an ablation shows what it removes
 */
public record SchedAblations(boolean runnext, int globalQueueInterval) {
    /** Go 1.5's interval: schedule() looks at the global queue first every 61st tick. */
    public static final int GO_GLOBAL_QUEUE_INTERVAL = 61;

    /** Go 1.5: runnext on, the global queue checked every 61st schedule. */
    public static final SchedAblations GO = new SchedAblations(true, GO_GLOBAL_QUEUE_INTERVAL);

    public SchedAblations {
        if (globalQueueInterval < 1) {
            throw new IllegalArgumentException("the global run queue interval must be at least 1, got " + globalQueueInterval);
        }
    }
}
