package gort.gc;

/**
 * The proportional-integral controller that smooths the cons/mark measurements (Go 1.19's
 * piController with the gains gcControllerState.init gives it): each cycle's measurement is
 * the setpoint, the estimate the controlled value. Single-threaded (endCycle, world stopped).
 */
final class ConsMarkController {
    static final double KP = 0.9;
    static final double TI = 4.0;
    static final double TT = 1000;
    static final double MIN = -1000;
    static final double MAX = 1000;

    private double errIntegral;
    /** Whether the last {@link #next} succeeded (false: the input or the error overflowed, and the state was reset). */
    boolean ok = true;

    /** The new estimate from the current one (input) and this cycle's measurement (setpoint), period cycles later. */
    double next(double input, double setpoint, double period) {
        double prop = KP * (setpoint - input);
        double raw = prop + errIntegral;
        if (Double.isInfinite(raw) || Double.isNaN(raw)) {
            errIntegral = 0;
            ok = false;
            return MIN;
        }
        double out = Math.min(Math.max(raw, MIN), MAX);
        errIntegral += (KP * period / TI) * (setpoint - input) + (period / TT) * (out - raw);
        if (Double.isInfinite(errIntegral) || Double.isNaN(errIntegral)) {
            errIntegral = 0;
            ok = false;
            return MIN;
        }
        ok = true;
        return out;
    }

    double errIntegral() {
        return errIntegral;
    }
}
