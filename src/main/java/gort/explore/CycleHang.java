package gort.explore;

/**
 * Thrown by a scenario's main when a GC cycle does not end within the scenario's bound of virtual
 * time while its goroutines still run: a phase waiting for ever although what should wake it
 * already happened (a lost wakeup). The runtime dies with it as with any panic; the explorer
 * reads its name in the fatal error and reports {@link Outcome.Oracle#HANG}.
 */
public final class CycleHang extends RuntimeException {
    public CycleHang(String message) {
        super(message);
    }
}
