package gort.heap;

/**
 * The managed heap cannot supply memory: Go's {@code fatal error: out of memory}.
 *
 * <p>Thrown when growing the address space would take it past its hard cap, or when the operating
 * system cannot reserve the cap at start. It is an {@link Error}, not an exception: as in Go, the
 * runtime cannot continue. The message always starts with {@code fatal error: out of memory} and
 * states the request, what is left below the cap, and the cap, so that request > left is plain to
 * see; a JVM {@link OutOfMemoryError} never escapes in its place.
 */
public final class HeapExhaustedError extends Error {
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;
    private final long capBytes;
    private final long leftBytes;
    private final long inUseBytes;

    HeapExhaustedError(String message, long requestedBytes, long capBytes, long leftBytes, long inUseBytes, Throwable cause) {
        super(message, cause);
        this.requestedBytes = requestedBytes;
        this.capBytes = capBytes;
        this.leftBytes = leftBytes;
        this.inUseBytes = inUseBytes;
    }

    /**
     * @param obtainedBytes bytes of the cap already taken, the reserved first page included
     * @param inUseBytes bytes of spans in use (objects and runtime memory), or a negative value if
     *     unknown
     */
    static HeapExhaustedError overCap(long requestedBytes, long capBytes, long obtainedBytes, long inUseBytes) {
        long left = Math.max(0, capBytes / AddressSpace.PAGE_BYTES * AddressSpace.PAGE_BYTES - obtainedBytes);
        return new HeapExhaustedError(
                "fatal error: out of memory: requested " + requestedBytes + " bytes, but only " + left
                        + " are left below the heap's cap of " + capBytes + " bytes"
                        + (inUseBytes >= 0 ? " (" + inUseBytes + " bytes in use by spans, "
                                + Math.max(0, obtainedBytes - AddressSpace.PAGE_BYTES - inUseBytes) + " free in the heap but not in one run"
                                + " large enough)" : ""),
                requestedBytes, capBytes, left, inUseBytes, null);
    }

    /** Bytes the failing request asked the address space for. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The heap's hard cap in bytes. */
    public long capBytes() {
        return capBytes;
    }

    /** Bytes still obtainable below the cap when the request failed (less than the request). */
    public long leftBytes() {
        return leftBytes;
    }

    /** Bytes of spans in use when the request failed, or a negative value if unknown. */
    public long inUseBytes() {
        return inUseBytes;
    }
}
