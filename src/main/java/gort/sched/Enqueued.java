package gort.sched;

/**
 * Where a goroutine last waited to run, as the scheduler put it there: what a wakeup delay is made
 * of. The scheduler sets it on {@link G} wherever it makes a goroutine runnable (ready and newproc
 * into runnext, a displaced runnext kicked to the ring's tail, Gosched and preemption onto the
 * global queue, a syscall exit that found no P, ready at the run queue's tail under the runnext=0
 * ablation); moving a batch between queues (globrunqget,
 * work stealing) keeps it. Not Go: gort's instrument for the wakeup path of the GC coordinator.
 */
public enum Enqueued {
    /** Not made runnable since it was last reset: it never left its M. */
    NONE("ran on"),
    /** Readied or created into a P's runnext (it runs as soon as the readier blocks). */
    RUNNEXT("runnext"),
    /** Readied to the tail of a P's run queue instead of runnext (the runnext=0 ablation). */
    RUNQ_TAIL("run queue tail"),
        /** It was in runnext, and a later ready or newproc on that P kicked it to the run queue's tail. */
    RUNNEXT_KICKED("kicked from runnext"),
    /** Preempted at a safepoint (sysmon's time slice, or a stop): the global run queue. */
    GLOBAL_PREEMPTED("global queue, preempted"),
    /** It called Gosched: the global run queue. */
    GLOBAL_GOSCHED("global queue, Gosched"),
    /** Back from a syscall (a note sleep) with no P to take: the global run queue. */
    GLOBAL_SYSCALL("global queue, after a syscall"),
    /** Back from a syscall and took a P at once (its own or an idle one). */
    SYSCALL_WITH_P("syscall exit with a P");

    private final String label;

    Enqueued(String label) {
        this.label = label;
    }

    /** Words for reports. */
    public String label() {
        return label;
    }
}
