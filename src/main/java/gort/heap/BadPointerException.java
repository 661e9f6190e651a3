package gort.heap;

/**
 * A heap address was used that does not name a live object: nil, outside the heap, inside a free
 * span, interior to an object, never allocated, or freed (poisoned in debug mode).
 *
 * <p>The message always names the address (hex word index) and, where one exists, the span.
 */
public final class BadPointerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;

    public BadPointerException(long address, String message) {
        super(message);
        this.address = address;
    }

    /** The offending address (a word index; 0 is nil). */
    public long address() {
        return address;
    }
}
