package gort.testing;

import java.util.function.BooleanSupplier;

/**
 * Test support: a loop without a safepoint (it neither allocates on gort's heap nor calls the
 * runtime), the kind of goroutine that holds a stop-the-world or the runtime's exit up. It lives
 * outside the runtime's packages, so a report on it names this file and line as a program's.
 */
public final class Spinner {
    private Spinner() {}

    /** Spins until {@code until} holds (asked every 4096 turns); returns the turns. */
    public static long spinUntil(BooleanSupplier until) {
        long x = 0;
        for (;;) {
            x++;
            if ((x & 4095) == 0 && until.getAsBoolean()) { // the loop's line, for reports
                return x;
            }
            if ((x & 4095) == 0 && Rt.onSim()) {
                Rt.spinTurn(); // on the simulated platform, the time in which other threads run
            }
        }
    }
}
