package gort.workloads.json;

import gort.platform.Platform;

/**
 * The end of a measured window when the json workload runs for a time ({@code --seconds}): the
 * decoder and the encoder look at the clock every {@link #EVERY} nodes and abandon the op once the
 * window has ended, so a repetition stops at its deadline rather than one op (of every goroutine)
 * later. An abandoned op is not counted. Owns the deadline only; immutable and shared by the
 * goroutines of one repetition.
 */
final class Deadline {
    /** Nodes between two looks at the clock (a clock read costs about as much as a node). */
    static final int EVERY = 64;

    /** Thrown out of an op at the deadline (preallocated: no stack trace, no allocation). */
    static final class Passed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Passed() {
            super("the measured window has ended", null, false, false);
        }
    }

    static final Passed PASSED = new Passed();

    private final Platform platform;
    private final long at;

    Deadline(Platform platform, long at) {
        this.platform = platform;
        this.at = at;
    }

    boolean passed() {
        return platform.nanotime() >= at;
    }

    /** Throws {@link #PASSED} once the deadline is reached; called by an op every node, looks every {@link #EVERY}. */
    static int poll(Deadline d, int polls) {
        if (d != null && (++polls & (EVERY - 1)) == 0 && d.passed()) {
            throw PASSED;
        }
        return polls;
    }
}
