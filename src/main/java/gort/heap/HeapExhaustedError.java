package gort.heap;

/**
 * The managed heap cannot supply memory: Go's {@code fatal error: out of memory}.
 *
 * <p>Thrown when growing the address space would take it past its hard cap, or when the host JVM
 * cannot supply an arena inside the cap. It is an {@link Error}, not an exception: as in Go, the
 * runtime cannot continue. The message always starts with {@code fatal error: out of memory} and
 * states the request and the cap; a JVM {@link OutOfMemoryError} never escapes in its place.
 */
public final class HeapExhaustedError extends Error {
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;
    private final long capBytes;
    private final long sysBytes;

    HeapExhaustedError(String message, long requestedBytes, long capBytes, long sysBytes, Throwable cause) {
        super(message, cause);
        this.requestedBytes = requestedBytes;
        this.capBytes = capBytes;
        this.sysBytes = sysBytes;
    }

    static HeapExhaustedError overCap(long requestedBytes, long capBytes, long sysBytes) {
        return new HeapExhaustedError(
                "fatal error: out of memory: requested " + requestedBytes + " bytes, but the heap holds "
                        + sysBytes + " of its cap of " + capBytes + " bytes",
                requestedBytes, capBytes, sysBytes, null);
    }

    /** Bytes the failing request asked the address space for. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The heap's hard cap in bytes. */
    public long capBytes() {
        return capBytes;
    }

    /** Bytes the heap had already obtained when the request failed. */
    public long sysBytes() {
        return sysBytes;
    }
}
