package gort.gc;

import java.util.Arrays;

/**
 * A goroutine's roots as the collector sees them (Go's stack, as far as the collector cares): the
 * raw frames of the built-in workloads' fast path, and the slots of the handle scopes that user
 * programs' {@code Ptr}s live in.
 *
 * <p>Owns: the raw slots and their stack pointer; the handle slots, their top and the chain of open
 * {@link HandleScope}s. Invariants: only the owning goroutine pushes, pops, writes and opens or
 * closes scopes (the api layer checks this and panics otherwise); the collector reads raw slots
 * [0, sp) and handle slots [0, htop) while that goroutine is stopped at a safepoint, or after it
 * exited never again; a pushed frame or handle slot starts zeroed or holds the address just
 * written, so a stale address can never become a root. Writes take no write barrier: stacks are
 * rescanned at mark termination (Go 1.5's Dijkstra barrier with stack rescan).
 *
 * <p>Raw frames (the built-in workloads' fast path, under the raw-address contract: an address held only in
 * a Java local is valid until the next safepoint; anything that must live across one sits in a
 * frame slot or a heap object) are pushed and popped by hand and are not checked: a raw address
 * kept past its frame is the caller's bug. Handle slots are managed by scopes: a scope owns the
 * slots from its base to the top, and closing it truncates them and marks the scope closed, so
 * every handle made in it is known dead (the api's {@code Ptr} checks that on each use).
 */
public final class Stack {
    /**
     * The most handle slots one goroutine may hold: past it, making a handle panics (Go's stack
     * limit in spirit: a loop that makes handles without a scope per iteration grows without end).
     */
    public static final int MAX_HANDLES = 1 << 24;

    private long[] slots = new long[64];
    private int sp;

    private long[] hslots = new long[16];
    private int htop;
    /** The innermost open scope, or null before the first handle (the root scope is made lazily). */
    private HandleScope scope;

    /** Pushes a frame of n zeroed slots; returns the frame's base (pass it to get/set/pop). */
    public int push(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("frame of " + n + " slots");
        }
        int base = sp;
        int top = base + n;
        if (top > slots.length) {
            slots = Arrays.copyOf(slots, Math.max(top, slots.length * 2));
        } else {
            Arrays.fill(slots, base, top, 0L);
        }
        sp = top;
        return base;
    }

    /** Pops the frame at base (and every frame above it). */
    public void pop(int base) {
        if (base < 0 || base > sp) {
            throw new IllegalStateException("pop of frame " + base + " above the stack top " + sp);
        }
        sp = base;
    }

    public long get(int frame, int i) {
        int k = frame + i;
        if (i < 0 || k >= sp) {
            throw new IndexOutOfBoundsException("slot " + i + " of frame " + frame + " (stack top " + sp + ")");
        }
        return slots[k];
    }

    public void set(int frame, int i, long addr) {
        int k = frame + i;
        if (i < 0 || k >= sp) {
            throw new IndexOutOfBoundsException("slot " + i + " of frame " + frame + " (stack top " + sp + ")");
        }
        slots[k] = addr;
    }

    /** Number of live raw slots. */
    public int depth() {
        return sp;
    }

    long[] slots() {
        return slots;
    }

    // ---- handle slots (the api's scopes) ----

    /** The innermost open scope, or null. */
    public HandleScope scope() {
        return scope;
    }

    void setScope(HandleScope s) {
        scope = s;
    }

    /** Appends a handle slot holding addr; returns its index. Panics past {@link #MAX_HANDLES}. */
    public int hpush(long addr) {
        int i = htop;
        if (i == hslots.length) {
            if (i >= MAX_HANDLES) {
                throw new gort.sched.GoPanic("runtime error: goroutine holds " + i + " live Ptr handles (the limit): a handle "
                        + "lives until the Scope that made it closes, so a loop that makes handles must open a Go.scope() per "
                        + "iteration (try (Scope s = Go.scope()) { ... })");
            }
            hslots = Arrays.copyOf(hslots, Math.min(MAX_HANDLES, i * 2));
        }
        hslots[i] = addr;
        htop = i + 1;
        return i;
    }

    void hset(int i, long addr) {
        hslots[i] = addr;
    }

    /** Number of live handle slots. */
    public int htop() {
        return htop;
    }

    void htruncate(int top) {
        htop = top;
    }

    long[] hslots() {
        return hslots;
    }

    /** Bytes of roots in use (raw and handle slots), for the pacer's stack figure. */
    long bytesInUse() {
        return (sp + (long) htop) * 8;
    }

    /** Empties the stack (the goroutine exited). */
    void clear() {
        sp = 0;
        htop = 0;
    }
}
