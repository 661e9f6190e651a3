package gort.gc;

import java.util.ArrayList;

/**
 * A region of a goroutine's handle slots (V8's HandleScope, JNI's local frames): the roots that the
 * api's {@code Ptr} handles made while it is the innermost open scope live in, from its base to the
 * stack's handle top. The collector scans the slots; closing the scope truncates them and marks it
 * closed, after which every handle made in it is dead.
 *
 * <p>Owns: its base, the one slot reserved in its parent's region for an escaping handle, its
 * closed flag and the releases to run when it closes. Invariants: scopes of one goroutine nest
 * strictly (the innermost is {@link Stack#scope()}); opening and closing happen on the owning
 * goroutine; closing a scope closes every scope still open inside it first; a closed scope never
 * opens again; the root scope (no parent) is opened lazily at the goroutine's first handle and
 * closed when the goroutine exits.
 *
 * <p>Memory ordering: {@link #closed} is a plain field. A handle used by another goroutine may see
 * it late, which is safe: the object it names cannot be freed before a collection ends, and ending
 * one stops the world, which every goroutine passes through with a synchronizing action, after
 * which the store is visible.
 */
public class HandleScope {
    protected final Stack stack;
    protected final HandleScope parent;
    private final int base;
    /** The slot in the parent's region an escaping handle is written to, or -1 for a root scope. */
    private final int escapeSlot;
    private boolean closed;
    private boolean escaped;
    /** What closing releases: adoptions made for this scope's goroutine (root scopes only). */
    private ArrayList<Runnable> releases;

    /**
     * Opens a scope on st as its innermost: a root scope if st has none yet (root true), else one
     * nested in the current innermost, with one slot reserved in the parent's region for an
     * escape. Must run on the goroutine that owns st.
     */
    protected HandleScope(Stack st, boolean root) {
        this.stack = st;
        if (root) {
            if (st.scope() != null) {
                throw new IllegalStateException("fatal error: a root handle scope opened over an open scope");
            }
            this.parent = null;
            this.escapeSlot = -1;
        } else {
            this.parent = st.scope();
            if (parent == null) {
                throw new IllegalStateException("fatal error: a nested handle scope opened without a root scope");
            }
            this.escapeSlot = st.hpush(0);
        }
        this.base = st.htop();
        st.setScope(this);
    }

    public final boolean isClosed() {
        return closed;
    }

    public final boolean isRoot() {
        return parent == null;
    }

    public final Stack stack() {
        return stack;
    }

    /** Whether {@link #escape} was already called. */
    protected final boolean escaped() {
        return escaped;
    }

    /** Writes addr into the slot reserved in the parent's region; at most once per scope. */
    protected final void escape(long addr) {
        if (parent == null || escaped || closed) {
            throw new IllegalStateException("fatal error: escape from a root, escaped or closed scope");
        }
        stack.hset(escapeSlot, addr);
        escaped = true;
    }

    /**
     * Closes this scope and every scope still open inside it, truncating their slots, and the slot
     * reserved in the parent for an escape unless one was made (an escaped handle is the parent's
     * now, and lives as long as the parent's other handles). The caller checked that this runs on
     * the owning goroutine and that the scope is open.
     */
    protected final void closeScope() {
        for (HandleScope x = stack.scope(); x != this && x != null; x = x.parent) {
            x.markClosed();
        }
        markClosed();
        stack.htruncate(escaped || parent == null ? base : escapeSlot);
        stack.setScope(parent);
    }

    /** Runs r when this scope closes (or the goroutine exits). */
    protected final void onClose(Runnable r) {
        if (releases == null) {
            releases = new ArrayList<>(2);
        }
        releases.add(r);
    }

    private void markClosed() {
        closed = true;
        ArrayList<Runnable> r = releases;
        if (r != null) {
            releases = null;
            for (Runnable x : r) {
                x.run();
            }
        }
    }

    /** The goroutine exited: every scope of st closes (its handles die) and its slots are dropped. */
    static void exit(Stack st) {
        for (HandleScope x = st.scope(); x != null; x = x.parent) {
            x.markClosed();
        }
        st.setScope(null);
        st.clear();
    }
}
