package gort.sched;

/**
 * Test-only switches of one runtime's scheduler: planted bugs of the scheduling protocols, each a
 * class of bug from Go's history, for the schedule explorer (gort.explore) to find. A test sets
 * them on its {@link gort.gc.GcFaults#sched} and passes that in through its Config (the runtime
 * hands this object to its scheduler). Each is read where it acts, on a path that runs at most
 * once per M going idle, never on the run queues' fast paths. The defaults are Go's behaviour.
 */
public final class SchedFaults {
    /**
     * A planted lost wakeup in the spinning-M protocol (proc1.go's findrunnable, "the delicate
     * dance"): a spinning M that found nothing gives up its P and drops {@code spinning}, then
     * stops without looking at the run queues once more. A goroutine that a submitter queued
     * after the M's last look, while the submitter saw the M still spinning and so woke nobody,
     * waits in a run queue while Ps are idle.
     */
    public volatile boolean stopWithoutRecheck;

    /** Go's behaviour: no fault. */
    public SchedFaults() {}
}
