package gort.api;

import gort.gc.Collector;
import gort.gc.HandleScope;
import gort.gc.Stack;
import gort.sched.G;
import gort.sched.GoPanic;
import gort.sched.M;
import gort.sched.Sched;

/**
 * A handle scope: every {@link Ptr} made on a goroutine lives in that goroutine's innermost open
 * scope, and dies when the scope closes (V8's HandleScope, JNI's local frames). A goroutine starts
 * with a root scope, which closes when it exits; {@link Go#scope()} opens a nested one:
 *
 * <pre>{@code
 * try (Scope s = Go.scope()) {
 *     Ptr n = Go.alloc(NODE);
 *     n.setPtr(0, other);
 *     return s.escape(n);     // n lives on in the enclosing scope
 * }                            // every other handle made inside dies here
 * }</pre>
 *
 * <p>The collector scans the slots of every open scope as the goroutine's roots, so an object a
 * live handle names is never freed. A loop that makes handles opens a scope per iteration, or its
 * handles (and the objects they keep alive) accumulate until the enclosing scope closes; a
 * goroutine that holds {@value gort.gc.Stack#MAX_HANDLES} handles at once panics saying so.
 *
 * <p>Owns: its region of the goroutine's handle slots (see {@link HandleScope}) and the heap its
 * handles use. Invariants: opened and closed on one goroutine, strictly nested (closing a scope
 * closes the scopes still open inside it); closed at most once; at most one {@link #escape}.
 */
public final class Scope extends HandleScope implements AutoCloseable {
    final Heap heap;

    private Scope(Stack st, boolean root, Heap heap) {
        super(st, root);
        this.heap = heap;
    }

    /** The innermost open scope of the goroutine running on m (its root scope is opened on first use). */
    static Scope current(M m) {
        G g = m.curg();
        if (g == null) {
            throw new IllegalStateException("not on a goroutine: Ptr handles are made by goroutines of a running runtime");
        }
        return current(g, m);
    }

    /** The innermost open scope of g (running on m). */
    static Scope current(G g, M m) {
        Stack st = Collector.stackOf(g);
        HandleScope s = st.scope();
        if (s == null) {
            return new Scope(st, true, Runtime.of(m.sched()).heap());
        }
        return (Scope) s;
    }

    /** Opens a scope nested in the innermost one of the goroutine running on m. */
    static Scope open(M m) {
        Scope cur = current(m);
        return new Scope(cur.stack(), false, cur.heap);
    }

    /** A root scope for a goroutine not started yet, holding the roots its go statement gives it. */
    static Scope newRoot(Stack st, Heap heap) {
        return new Scope(st, true, heap);
    }

    /** A handle in this scope for a new object of type t (array length n, 0 for a struct). */
    Ptr makeNew(long addr, gort.heap.Type t, int n) {
        stack().hpush(addr);
        return new Ptr(addr, this, gort.heap.MSpan.slotInfo(t.id(), n), gort.heap.Type.accessWord(t.id()));
    }

    /** Keeps p alive (adopted) until this scope closes; the caller adopted it already. */
    void onRelease(Ptr p) {
        onClose(p::release);
    }

    /** A handle in this scope for addr (an object's address, not 0). No safepoint. */
    Ptr make(long addr) {
        stack().hpush(addr);
        return new Ptr(addr, this);
    }

    /**
     * Returns a handle to p's object in the enclosing scope, which outlives this one (V8's
     * EscapableHandleScope.Escape). At most once per scope; a nil p escapes as nil.
     */
    public Ptr escape(Ptr p) {
        checkOwner("escape from");
        if (isClosed()) {
            throw new GoPanic("runtime error: escape from a closed Scope: a Scope's handles are gone once it closes");
        }
        if (isRoot()) {
            throw new GoPanic("runtime error: escape from a goroutine's root Scope: there is no enclosing scope "
                    + "(store the pointer in a heap object, a Global or a channel instead)");
        }
        if (escaped()) {
            throw new GoPanic("runtime error: second escape from one Scope: a scope reserves one slot in its parent, "
                    + "so escape once (e.g. a heap object that holds several pointers)");
        }
        if (p == null) {
            return null;
        }
        long a = p.addr();
        escape(a);
        return new Ptr(a, (Scope) parent);
    }

    /**
     * Closes the scope: every handle made in it (and in scopes still open inside it) dies, and the
     * objects only they kept alive can be collected. Closing twice, or on another goroutine,
     * panics; the root scope closes only when its goroutine exits.
     */
    @Override
    public void close() {
        checkOwner("close of");
        if (isClosed()) {
            throw new GoPanic("runtime error: close of a Scope that is already closed (a scope closes once, at the end "
                    + "of its try-with-resources block)");
        }
        if (isRoot()) {
            throw new GoPanic("runtime error: close of a goroutine's root Scope: it closes when the goroutine exits");
        }
        closeScope();
    }

    private void checkOwner(String op) {
        M m = Sched.currentM();
        G g = m.curg();
        if (g == null || !(g.local instanceof Stack st) || st != stack()) {
            throw new GoPanic("runtime error: " + op + " a Scope on a goroutine that did not open it"
                    + (g == null ? "" : " (goroutine " + g.goid() + ")")
                    + ": a scope belongs to the goroutine that opened it");
        }
    }

    @Override
    public String toString() {
        return (isRoot() ? "root " : "") + "scope" + (isClosed() ? " (closed)" : "");
    }
}
