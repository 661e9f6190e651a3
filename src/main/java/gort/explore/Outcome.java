package gort.explore;

/**
 * What one schedule of a scenario came to: the seed it ran from, the simulation's decision list
 * (the id of the thread chosen at each decision point: what a replay follows), and the failure an
 * oracle reported, or null.
 *
 * <p>Invariant: {@code failure == null} exactly when every oracle held.
 */
public record Outcome(long seed, int[] decisions, long virtualNs, Failure failure) {

    /** Which oracle failed, and its message (the runtime's fatal error, the deadlock report, ...). */
    public record Failure(Oracle oracle, String message) {
        /** The message's first line. */
        public String headline() {
            int nl = message.indexOf('\n');
            return nl < 0 ? message : message.substring(0, nl);
        }
    }

    /** The oracles a schedule is checked by. */
    public enum Oracle {
        /** Every thread of the simulation blocked for ever (SimPlatform's deadlock report). */
        DEADLOCK,
        /**
         * A GC cycle did not end within the scenario's bound of virtual time while goroutines still
         * ran ({@link CycleHang}): a phase waiting for ever, its wakeup lost; or the run passed the
         * explorer's limit of virtual time with every thread asleep until later.
         */
        HANG,
        /** GODEBUG gccheckmark=1 found a reachable object that marking left unmarked. */
        CHECKMARK,
        /**
         * A note woken twice between clears: the runtime's own throw, Go's "notewakeup - double
         * wakeup" ({@link gort.sched.Note#wakeup}), which the explorer reports apart from other deaths.
         */
        NOTE,
        /**
         * A goroutine status change that Go's casgstatus callers never make (GODEBUG gstatuscheck,
         * which the explorer turns on), or a casgstatus that found another status than it expected.
         */
        GSTATUS,
        /**
         * An object freed while still reachable: the heap's own check, which every access makes
         * (a swept slot's type entry is 0 until the slot is reused), panicked on a use of a freed
         * object ("... of a dead object"); or, under the debug heap, allocation found a write to a
         * freed slot's poison.
         */
        FREED,
        /** The runtime died: a fatal error, a panic, or the scenario's own check (a hang in virtual time included). */
        FATAL,
        /** The collector's cycle records break the phase protocol (below). */
        PROTOCOL,
        /** Not an oracle of the runtime: a replay could not follow its recorded decisions (the runtime or scenario changed). */
        DIVERGED,
        /** The schedule did not end within the host-time guard (a host thread spinning without a platform call). */
        HOST_HANG
    }

    public boolean failed() {
        return failure != null;
    }
}
