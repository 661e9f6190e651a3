package gort.testing;

import java.util.function.BooleanSupplier;

/**
 * Test support: a loop without a safepoint (it neither allocates on gort's heap nor calls the
 * runtime), the kind of goroutine that holds a stop-the-world or the runtime's exit up. It lives
 * outside the runtime's packages, so a report on it names this file and line as a program's.
 */
public final class Spinner {
    private Spinner() {}

    /**
     * Whether this JVM's test runtimes run on the simulated platform (a system property fixed for
     * the JVM), read once: on the real platform the loop calls nothing, so a stack sample of it
     * (what a safepoint wait's report names) is always this file's line, never a helper's.
     */
    private static final boolean ON_SIM = Rt.onSim();

    /** Spins until {@code until} holds (asked every 4096 turns); returns the turns. */
    public static long spinUntil(BooleanSupplier until) {
        long x = 0;
        for (;;) {
            x++;
            if ((x & 4095) == 0 && until.getAsBoolean()) { // the loop's line, for reports
                return x;
            }
            if ((x & 4095) == 0 && ON_SIM) {
                Rt.spinTurn(); // on the simulated platform, the time in which other threads run
            }
        }
    }
}
