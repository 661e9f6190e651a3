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
    /**
     * A planted early completion (the mark-completion race of Go's concurrent GC design, which
     * mgc.go's gcMarkDone closes by flushing every P's gcWork with forEachP before it believes
     * there is no work): mark 1's transition keeps its ragged barrier but no longer flushes the P
     * caches, so grey objects that mark 1 left in an idle P's cache stay there through mark 2,
     * which is declared complete when every marker waits and the global list is empty although
     * that cache still holds them. Mark termination's flush and drain then marks them with the
     * world stopped ({@link Collector#terminationMarkedBytes}).
     */
    public volatile boolean markDoneWithoutFlush;
    /**
     * A planted lost transition guard (Go 1.6's gcMarkDone re-checks "nwait == nproc and no work
     * available" after it takes work.markDoneSema, because the completion it saw may have been
     * undone meanwhile): under a driver without a coordinator, the completer that won a phase takes
     * its transition without the re-check under the transition lock.
     */
    public volatile boolean noMarkDoneRecheck;
    /**
     * A planted lost ready (Go 1.6's gcFlushBgCredit takes a paid assist off work.assistQueue and
     * must ready it): background credit pays a parked assist in full and takes it off the queue,
     * but the ready is lost, so the assist (and its goroutine) never runs again; gcWakeAllAssists
     * at the end of marking no longer sees it.
     */
    public volatile boolean assistReadyLost;

    /**
     * A planted idle P left asleep (golang/go #14179, "GC should wake up idle Ps"): the coordinator
     * no longer wakes an idle P when it waits for a phase while marking work sits on the global
     * list, so the work waits until some P schedules for another reason.
     */
    public volatile boolean noIdleWakeForWork;

    /**
     * A planted root counted done when claimed rather than when scanned (the failure golang/go
     * #16083 reports, "scan missed a g", whose cause Go did not pin down): under the go16 marking, a worker that claimed a root job stops counting as
     * working while it runs the job, so the completion check (nobody working, no job unclaimed,
     * no work queued) can pass while a stack is still being scanned. Go's gcMarkRootCheck, run
     * where a phase is declared complete ({@link Work#checkRootJobsDone}), then dies naming it;
     * without that check mark termination's rescan would hide it. (In Go the check itself raced
     * with workers still scanning stacks as mark 1 ended; Go 1.7 moved it after the forEachP that
     * waits for them, mgc.go's comment on golang/go #16083.)
     */
    public volatile boolean rootJobDoneAtClaim;

    /** The scheduler's planted bugs, which the runtime hands to its scheduler (in the same Config as these). */
    public final gort.sched.SchedFaults sched = new gort.sched.SchedFaults();

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
