package gort.trace;

import java.util.Locale;

/**
 * Who completed one phase of marking over a run's measured cycles, counted as the patched Go
 * 1.5.1 anchor prints it ({@code gcwakeup phase=P by=K}; {@link gort.gc.CompleterKind#anchorCode}):
 * a background worker in any mode, an assist, the scheduler's own check, and the goroutine that
 * armed the phase finding it complete at once. The same counts come from gort's cycle records and
 * from either runtime's gctrace log, so the two runtimes' mixes compare directly.
 */
public record CompleterMix(int worker, int assist, int scheduler, int arming) {
    public static final CompleterMix NONE = new CompleterMix(0, 0, 0, 0);

    /** This mix with one more completion by the completer of anchor code {@code by} (1–4; others ignored). */
    public CompleterMix plus(int by) {
        return switch (by) {
            case 1 -> new CompleterMix(worker + 1, assist, scheduler, arming);
            case 2 -> new CompleterMix(worker, assist + 1, scheduler, arming);
            case 3 -> new CompleterMix(worker, assist, scheduler + 1, arming);
            case 4 -> new CompleterMix(worker, assist, scheduler, arming + 1);
            default -> this;
        };
    }

    /** The two mixes' counts added. */
    public CompleterMix add(CompleterMix o) {
        return new CompleterMix(worker + o.worker, assist + o.assist, scheduler + o.scheduler, arming + o.arming);
    }

    public int total() {
        return worker + assist + scheduler + arming;
    }

    /** Percentages worker/assist/scheduler/arming, e.g. {@code 46/48/6/0}; "-" when empty. */
    public String percents() {
        int n = total();
        if (n == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f/%.0f", 100.0 * worker / n, 100.0 * assist / n, 100.0 * scheduler / n,
                100.0 * arming / n);
    }
}
