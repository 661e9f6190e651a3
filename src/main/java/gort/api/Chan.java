package gort.api;

import gort.heap.Type;
import gort.sched.G;
import gort.sched.GoPanic;
import gort.sched.HChan;
import gort.sched.M;
import gort.sched.Sched;

/**
 * A channel of T ({@code chan T}), made by {@link Go#makeChan(Class, int)}, which knows its element
 * type. A channel of {@link Ptr} carries pointers the way Go's does: its buffer is an array on the
 * managed heap that the collector scans (Go's makechan allocates it with the element type), stores
 * into it take the write barrier, and a value in flight — a blocked sender's, or one handed to a
 * blocked receiver or select — is a root of that goroutine; a received pointer is a new handle in
 * the receiver's innermost scope. A channel of any other type carries Java values, which the JVM
 * keeps alive; sending a {@code Ptr} on one panics (make it a {@code Chan<Ptr>}).
 *
 * <p>Semantics are Go 1.5's (chan.go): unbuffered channels hand values over directly, buffered
 * ones go through a ring; receive on a closed channel yields the element type's zero value (0 for a
 * boxed number, false, "", null for nil and other classes) with ok false;
 * send on a closed channel and close of a closed one panic. A nil channel is Java's {@code null}:
 * the static {@link #send(Chan, Object)}, {@link #recv(Chan)} and {@link #close(Chan)} give it Go's
 * meaning (block forever, or panic), and a {@link Select} case on it is never ready.
 *
 * <p>{@code for (T v : c)} is Go's {@code for v := range c}: it receives until the channel is closed
 * and drained. On a channel of {@code Ptr} each element comes in a {@link Scope} of its own, opened
 * when the loop receives it and closed when the loop takes the next one (or ends), so the handles
 * an iteration makes do not pile up in the enclosing scope; a handle kept from one iteration to
 * the next dies, as any handle whose scope closed (escape it, or store it in a heap object).
 *
 * <p>Owns: the runtime's channel ({@link HChan}) and its element type. Invariant: only goroutines
 * of the runtime that made it use it (any other panics, naming both runtimes).
 */
public final class Chan<T> implements Iterable<T> {
    final HChan h;
    private final Class<T> elem;
    final boolean ptrs;
    /** Go's zero value of the element type: what a receive on a closed, drained channel yields. */
    private final T zero;

    Chan(HChan h, Class<T> elem) {
        this.h = h;
        this.elem = elem;
        this.ptrs = h.holdsPointers();
        this.zero = zeroOf(elem);
    }

    /**
     * Go's zero value for an element class: 0 (of its type) for the boxed numbers, false, the NUL
     * character, "" for a String (Go's zero string); null (nil) for a Ptr and for any other class,
     * which Go would fill with its fields' zero values.
     */
    @SuppressWarnings("unchecked")
    static <T> T zeroOf(Class<T> c) {
        Object z;
        if (c == Integer.class) {
            z = 0;
        } else if (c == Long.class) {
            z = 0L;
        } else if (c == Double.class) {
            z = 0.0;
        } else if (c == Float.class) {
            z = 0.0f;
        } else if (c == Short.class) {
            z = (short) 0;
        } else if (c == Byte.class) {
            z = (byte) 0;
        } else if (c == Character.class) {
            z = '\0';
        } else if (c == Boolean.class) {
            z = false;
        } else if (c == String.class) {
            z = "";
        } else {
            z = null;
        }
        return (T) z;
    }

    /** The element type's zero value (what a receive on a closed channel yields). */
    T zero() {
        return zero;
    }

    /** {@code make(chan T, size)} on the runtime of the calling goroutine. */
    static <T> Chan<T> make(Class<T> elem, int size) {
        if (elem == null) {
            throw new GoPanic("makechan: nil element type (pass the element class, e.g. Ptr.class or Integer.class)");
        }
        if (size < 0) {
            throw new GoPanic("makechan: size out of range: " + size);
        }
        M m = Sched.safepointM();
        Sched sched = m.sched();
        if (elem != Ptr.class) {
            Captured.refuseElement(elem);
            return new Chan<>(new HChan(sched, size, false, null), elem);
        }
        if (size == 0) {
            return new Chan<>(new HChan(sched, 0, true, null), elem);
        }
        // Go's makechan: the buffer is a heap object of the element type, reachable from the channel
        Runtime rt = Runtime.of(sched);
        Heap heap = rt.heap();
        long buf = heap.allocFrom(m, Type.PTR_ARRAY, size); // a safepoint; buf is rooted below before the next one
        HChan h = new HChan(sched, size, true, new Buffer(heap, buf));
        rt.collector().keepAlive(h, buf);
        return new Chan<>(h, elem);
    }

    /** The managed ring of a buffered channel of pointers: its elements are written with the barrier. */
    private record Buffer(Heap heap, long buf) implements HChan.PtrBuf {
        @Override
        public void store(int i, long addr) {
            heap.storePtr(buf, i, addr);
        }

        @Override
        public long load(int i) {
            return heap.loadPtr(buf, i);
        }
    }

    /** The result of a receive with ok ({@code v, ok := <-c}). */
    public record Recv<T>(T value, boolean ok) {}

    /** The element type. */
    public Class<T> elementType() {
        return elem;
    }

    public int cap() {
        return h.cap();
    }

    /** Number of buffered elements (racy, as Go's len(c)). */
    public int len() {
        return h.len();
    }

    /** {@code c <- v}: blocks until a receiver takes v or the buffer has room. */
    public void send(T v) {
        send(v, true);
    }

    /** A non-blocking send ({@code select} with a default case): true if sent. */
    public boolean trySend(T v) {
        return send(v, false);
    }

    private boolean send(T v, boolean block) {
        M m = Sched.safepointM(); // first, so that no safepoint comes between taking v's address and sending it
        if (ptrs) {
            return h.send(m, null, ptrOf(v), block);
        }
        if (v instanceof Ptr) {
            throw notPtrChan("send of a Ptr");
        }
        return h.send(m, v, 0, block);
    }

    /** The address of a value sent on a channel of pointers (checked alive; 0 for nil). */
    long ptrOf(Object v) {
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Ptr p)) {
            throw new GoPanic("runtime error: send of a " + v.getClass().getName() + " on a chan of Ptr");
        }
        long a = p.addr();
        if (p.heap() != Runtime.of(h.sched()).heap()) {
            throw new GoPanic("runtime error: send of a Ptr of " + p.heap().runtimeName() + " on a chan of " + h.sched().name()
                    + ": heap addresses belong to the runtime that allocated them");
        }
        return a;
    }

    GoPanic notPtrChan(String what) {
        return new GoPanic("runtime error: " + what + " on a chan of " + elem.getName() + ": only a chan of Ptr keeps "
                + "the pointers it holds alive (make it with Go.makeChan(Ptr.class, n))");
    }

    /**
     * {@code <-c}: blocks until a value comes; the element type's zero value (0, false, "", or null
     * for nil and other classes) once the channel is closed and drained.
     */
    public T recv() {
        Object r = h.recv(true);
        return r == HChan.CLOSED ? zero : value(r);
    }

    /** {@code v, ok := <-c}. */
    public Recv<T> recv2() {
        Object r = h.recv(true);
        return r == HChan.CLOSED ? new Recv<>(zero, false) : new Recv<>(value(r), true);
    }

    /**
     * A non-blocking receive ({@code select} with a default case): null if nothing was ready, else
     * what {@link #recv2()} would have returned.
     */
    public Recv<T> tryRecv() {
        Object r = h.recv(false);
        if (r == HChan.NONE) {
            return null;
        }
        return r == HChan.CLOSED ? new Recv<>(zero, false) : new Recv<>(value(r), true);
    }

    /** A received value: a pointer becomes a handle in the receiver's innermost scope (before any safepoint). */
    @SuppressWarnings("unchecked")
    private T value(Object r) {
        if (r != HChan.PTR) {
            return (T) r;
        }
        M m = Sched.currentM();
        G g = m.curg();
        long a = g.recvPtr;
        g.recvPtr = 0;
        return a == 0 ? null : (T) Scope.current(g, m).make(a);
    }

    /**
     * Go's {@code for v := range c}: receives until the channel is closed and drained. On a channel
     * of Ptr every element gets a scope of its own (see the class comment).
     */
    @Override
    public java.util.Iterator<T> iterator() {
        return new java.util.Iterator<>() {
            private Scope scope;
            private T next;
            private boolean have;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (have) {
                    return true;
                }
                if (done) {
                    return false;
                }
                if (ptrs) {
                    if (scope != null && !scope.isClosed()) {
                        scope.close(); // the previous element's handles die here
                    }
                    scope = Go.scope();
                }
                Object r = h.recv(true);
                if (r == HChan.CLOSED) {
                    done = true;
                    if (scope != null) {
                        scope.close();
                        scope = null;
                    }
                    return false;
                }
                next = value(r);
                have = true;
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("range over a closed and drained channel");
                }
                have = false;
                T v = next;
                next = null;
                return v;
            }
        };
    }

    /** {@code close(c)}. */
    public void close() {
        h.close();
    }

    @Override
    public String toString() {
        return "chan " + elem.getSimpleName() + " (cap " + h.cap() + ")";
    }

    // ---- nil channels ----

    /** {@code c <- v} where c may be nil: a nil channel blocks forever. */
    public static <T> void send(Chan<T> c, T v) {
        if (c == null) {
            blockForever("chan send (nil chan)");
        }
        c.send(v);
    }

    /** {@code <-c} where c may be nil: a nil channel blocks forever. */
    public static <T> T recv(Chan<T> c) {
        if (c == null) {
            blockForever("chan receive (nil chan)");
        }
        return c.recv();
    }

    /** {@code close(c)} where c may be nil: closing a nil channel panics. */
    public static <T> void close(Chan<T> c) {
        if (c == null) {
            throw new GoPanic("close of nil channel");
        }
        c.close();
    }

    private static void blockForever(String reason) {
        Sched.current().gopark(null, null, reason);
        throw new IllegalStateException("fatal error: unreachable: woke from " + reason);
    }
}
