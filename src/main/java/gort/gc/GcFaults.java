package gort.gc;

import gort.sched.G;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * Test-only switches of one runtime's collector, in one place and off the hot paths: each is
 * read where it acts, on a path that runs at most once per refill, per worker turn or per phase
 * (the missing write barrier is chosen once, when the collector is built). The defaults are Go's
 * behaviour. A test makes one, sets what it needs, and passes it in through its Config; it may
 * change the mutable ones while the runtime runs.
 */
public final class GcFaults {
    /** The write barrier shades nothing, so checkmark must notice what concurrent marking loses. Fixed at construction. */
    public final boolean noWriteBarrier;
    /** The mark phase forgets the global roots (checkmark must notice). */
    public volatile boolean skipGlobalRoots;
    /** Which background worker modes may be started (bits of CompleterKind ordinals). */
    public volatile int workerModes = (1 << CompleterKind.DEDICATED.ordinal()) | (1 << CompleterKind.FRACTIONAL.ordinal())
            | (1 << CompleterKind.IDLE.ordinal());
    /** The scheduler may signal a completion point it finds (Go does). */
    public volatile boolean schedulerCompletes = true;
    /** A floor under the assist ratio (so a first cycle, which has none, assists). */
    public volatile double minAssistRatio;
    /** No assists at all (to force a worker completion path). */
    public volatile boolean assistsDisabled;
    /** Runs on the coordinator just before it waits for a phase's completion (coordinator drivers only). */
    public volatile Consumer<MarkDoneSignal> beforeMarkWait;
    /**
     * A planted bug: whoever arms a phase declares it complete when the global work list is empty
     * and nobody is marking, although the roots the scan just greyed sit in a P's work cache
     * (the coordinator before it waits; under none, the goroutine that started the cycle). Go
     * never checked there; with this on, most mark 1s end at arm time and mark 2 does the marking.
     */
    public volatile boolean completeAtArming;
    /** Runs as a phase of marking is armed (its completion can count from now on), under any driver. */
    public volatile Consumer<MarkDoneSignal> onPhaseArmed;
    /**
     * Runs on a background worker as it starts a root job (go16 marking), with the worker and the
     * job's index, so that a test sees who ran which job.
     */
    public volatile ObjIntConsumer<G> onRootJob;
    /**
     * Runs under a driver without a coordinator on the completer that won a phase, holding the
     * transition lock, just before it re-checks that the phase is complete (so that a test can
     * make the re-check fail).
     */
    public volatile Consumer<MarkDoneSignal> beforeMarkDoneCheck;

    // ---- planted bugs of the coordination protocols, each a class of bug from Go's history, for
    // ---- the schedule explorer (gort.explore) to find; each off in Go's behaviour

    /**
     * A planted lost wakeup in the park protocol (CL 9291's bgMarkSignal): a completer that finds
     * no parked coordinator does not set the "wakeup already happened" flag, so a completion that
     * comes between arming and the coordinator's park is lost and the coordinator (and the
     * cycle) waits for ever — the race every park/ready handshake must close, as Go's
     * bgMarkSignal.complete does with its {@code wake} field under the lock.
     */
    public volatile boolean parkWithoutWakeFlag;
    /**
     * A planted lost wakeup in the note protocol (Go before CL 9291): the coordinator clears the
     * note as it starts to wait instead of after it woke, erasing a wakeup that came before the
     * wait. Go's notes forbid it (runtime2.go's note contract: noteclear comes before any
     * notesleep or notewakeup, and a later noteclear only after the notesleep has returned).
     */
    public volatile boolean noteClearedAtWait;

    /** Go's behaviour: no fault. */
    public GcFaults() {
        this(false);
    }

    public GcFaults(boolean noWriteBarrier) {
        this.noWriteBarrier = noWriteBarrier;
    }

    /** The bits of {@link #workerModes} for these modes. */
    public static int modes(CompleterKind... ks) {
        int m = 0;
        for (CompleterKind k : ks) {
            m |= 1 << k.ordinal();
        }
        return m;
    }

    boolean modeAllowed(CompleterKind k) {
        return (workerModes & (1 << k.ordinal())) != 0;
    }
}
