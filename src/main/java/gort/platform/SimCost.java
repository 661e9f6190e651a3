package gort.platform;

/**
 * How much virtual time the simulated platform charges, in one place.
 *
 * <p>This is the start of a cost model, and a crude one: every platform call (futex sleep and
 * wake, osyield, procyield, usleep's entry, nanotime, newosproc, a thread's end) costs the same
 * constant, allocation costs a constant per byte (charged once per cache refill), and every other
 * piece of Java code a thread runs between two platform calls costs nothing. A model
 * that charges per allocated byte, per heap access, per scanned word and per scheduler operation,
 * calibrated from measurements on the real platform, would replace these constants; until then
 * virtual durations count platform calls, not work.
 */
public final class SimCost {
    private SimCost() {}

    /** Virtual nanoseconds charged for each platform call (each decision point). */
    public static final long PLATFORM_CALL_NS = 100;

    /**
     * Virtual nanoseconds charged per byte a thread's allocation cache takes from the heap (a span
     * refilled, a large object), on top of the call's own cost: the only work charged so far. An
     * order of magnitude, not a calibration (the real platform's alloc workload spends about 2 ns
     * per byte of 64-byte objects, allocation and pointer stores together).
     */
    public static final long ALLOCATED_BYTE_NS = 1;
}
