package gort.api;

import gort.heap.Type;
import gort.sched.GoPanic;
import gort.sched.M;
import gort.sched.Sched;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pointer to an object on the managed heap, as a program holds it: a handle that lives in the
 * {@link Scope} that made it (the goroutine's innermost scope when it was made) and keeps its object
 * alive while that scope is open. Hold it in any Java variable, field or collection; use it on any
 * goroutine of its runtime while its scope is open. Nil is Java's {@code null}.
 *
 * <p>Every use checks that the handle is alive: a handle whose scope has closed panics naming the
 * object and the rule, never reads a stale object. What keeps a pointer alive longer, as in Go: a
 * heap object's pointer field ({@link #setPtr}), a {@link Global}, a channel ({@code Chan<Ptr>},
 * whose buffer and in-flight values the collector scans), {@link Scope#escape} into the enclosing
 * scope, and a go statement: a {@code Ptr} (or {@code Ptr[]}) that {@link Go#go} 's function
 * captures stays alive for the new goroutine's whole life (Go's newproc copies the arguments onto
 * the new stack), as does one an {@code AfterFunc} function captures while its timer is pending.
 *
 * <p>Owns: the address, the scope that made it, and the count of goroutines or timers that adopted
 * it beyond that scope. Invariants: the address is an object's (never 0) and cannot change; the
 * handle is alive exactly while its scope is open or an adoption holds it; while it is alive the
 * address is a root of its runtime (in its scope's slots or its adopter's), so the object it names
 * is the one it was made for. Loads and stores are checked as the raw heap checks them (bounds,
 * pointer or scalar field, a live object) and pointer stores take the write barrier.
 */
public final class Ptr {
    private static final VarHandle HOLDERS;
    private static final VarHandle ACC;

    static {
        try {
            HOLDERS = MethodHandles.lookup().findVarHandle(Ptr.class, "holders", int.class);
            ACC = MethodHandles.lookup().findVarHandle(Ptr.class, "acc", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long addr;
    private final Scope scope;
    /** Adoptions (go statements, pending timers) that keep this handle alive beyond its scope. */
    private volatile int holders;
    /**
     * The object's slot entry (type id | length << 32) and the type's access word, known when the
     * handle is made for a new object, else read at the first field access (acc 0 until then):
     * while the handle is alive its object cannot be freed, so neither can change, and accesses
     * check bounds and pointer kind without a span lookup. acc is published after info (release,
     * and read with acquire), so a goroutine that sees acc sees info.
     */
    private long info;
    private long acc;

    Ptr(long addr, Scope scope) {
        this.addr = addr;
        this.scope = scope;
    }

    /** A handle to a new object whose slot entry and access word the allocator just wrote. */
    Ptr(long addr, Scope scope, long info, long acc) {
        this.addr = addr;
        this.scope = scope;
        this.info = info;
        this.acc = acc;
    }

    /** The address, after checking the handle is alive (its scope open, or adopted). */
    long addr() {
        if (scope.isClosed() && holders == 0) {
            throw dead("use of");
        }
        return addr;
    }

    /** The address without the liveness check, for messages and the runtime's own bookkeeping. */
    long rawAddr() {
        return addr;
    }

    Heap heap() {
        return scope.heap;
    }

    private GoPanic dead(String op) {
        return new GoPanic("runtime error: " + op + " a dead Ptr to " + describe() + ": its Scope has closed, so the "
                + "collector no longer keeps the object alive (a Ptr lives until the Scope that made it closes; keep a "
                + "pointer longer with Scope.escape, a heap object's field, a Global or a channel, or capture the Ptr "
                + "itself in the go statement's function)");
    }

    /** "json.Node object 0x..." while the slot still holds an object, else the bare address. */
    private String describe() {
        String t = scope.heap.describe(addr);
        return (t == null ? "object" : t + " object") + " 0x" + Long.toHexString(addr);
    }

    /**
     * Adopts this handle for a holder that outlives its scope (a new goroutine, a pending timer):
     * it stays alive until {@link #release}. Returns the address, which the holder roots.
     */
    long adopt(String by) {
        if (scope.isClosed() && holders == 0) {
            throw dead(by + " of");
        }
        HOLDERS.getAndAdd(this, 1);
        return addr;
    }

    void release() {
        if ((int) HOLDERS.getAndAdd(this, -1) <= 0) {
            throw new IllegalStateException("fatal error: Ptr released more often than adopted");
        }
    }

    // ---- the object ----

    /** The object's type. */
    public Type type() {
        return scope.heap.typeOf(addr());
    }

    /** Element count of an array, byte length of a string (0 for a struct). */
    public int len() {
        return scope.heap.len(addr());
    }

    /** The checked address of field i (live handle, bounds, pointer kind), from the cached entry. */
    private long field(int i, boolean wantPtr, String op) {
        long a = addr();
        Heap h = scope.heap;
        long acc = (long) ACC.getAcquire(this);
        long info;
        if (acc == 0) {
            info = h.entryOf(a);
            acc = h.accessWordOf(a, info);
            this.info = info;
            ACC.setRelease(this, acc);
        } else {
            info = this.info;
        }
        return h.fieldOf(a, i, wantPtr, op, info, acc);
    }

    /** Pointer field (or element) i: a new handle in the current goroutine's innermost scope, or null for nil. */
    public Ptr ptr(int i) {
        long a = scope.heap.loadWord(field(i, true, "loadPtr"));
        if (a == 0) {
            return null;
        }
        M m = Sched.currentM();
        Scope s = Scope.current(m);
        if (s.heap != scope.heap) {
            throw foreign(m);
        }
        return s.make(a);
    }

    /** Whether pointer field i is nil (no handle is made). */
    public boolean isNil(int i) {
        return scope.heap.loadWord(field(i, true, "loadPtr")) == 0;
    }

    /** Stores v (null: nil) into pointer field (or element) i, with the write barrier. */
    public void setPtr(int i, Ptr v) {
        long f = field(i, true, "storePtr");
        if (v == null) {
            scope.heap.storeWord(f, 0);
            return;
        }
        long va = v.addr();
        if (v.scope.heap != scope.heap) {
            throw new GoPanic("runtime error: storePtr of a Ptr of " + v.scope.heap.runtimeName() + " into an object of "
                    + scope.heap.runtimeName() + ": heap addresses belong to the runtime that allocated them");
        }
        scope.heap.storeLivePtr(f, va);
    }

    /** Scalar field (or element) i, as a 64-bit word. */
    public long get(int i) {
        return scope.heap.loadWord(field(i, false, "loadInt"));
    }

    public void set(int i, long v) {
        scope.heap.storeWord(field(i, false, "storeInt"), v);
    }

    /** Scalar field i read as a float64. */
    public double getFloat(int i) {
        return Double.longBitsToDouble(get(i));
    }

    public void setFloat(int i, double v) {
        set(i, Double.doubleToRawLongBits(v));
    }

    /** The bytes of a byte object (a string or a {@code []byte}). */
    public byte[] bytes() {
        return scope.heap.loadBytes(addr());
    }

    /** A string object's text (UTF-8). */
    public String string() {
        return scope.heap.loadString(addr());
    }

    /** Go's {@code p == q}: both name the same object (null is nil). */
    public static boolean same(Ptr p, Ptr q) {
        if (p == null || q == null) {
            return p == q;
        }
        return p.addr() == q.addr();
    }

    /** Two live handles are equal when they name the same object (Go's pointer equality). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Ptr q && addr() == q.addr();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(addr());
    }

    /** The address, for printing (Go's %p); nothing in the API takes an address back. */
    public String address() {
        return "0x" + Long.toHexString(addr());
    }

    @Override
    public String toString() {
        return "Ptr(" + describe() + (scope.isClosed() && holders == 0 ? ", dead" : "") + ")";
    }

    private GoPanic foreign(M m) {
        return new GoPanic("runtime error: use of a Ptr of " + scope.heap.runtimeName() + " in a goroutine of "
                + m.sched().name() + ": heap addresses belong to the runtime that allocated them");
    }
}
