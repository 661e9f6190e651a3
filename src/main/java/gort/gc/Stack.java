package gort.gc;

import java.util.Arrays;

/**
 * A goroutine's shadow stack of root slots: the frames of managed pointers that must survive a
 * safepoint (DESIGN.md's contract: an address held only in a Java local is valid until the next
 * safepoint; anything that must live across one sits in a frame slot or in a heap object).
 *
 * <p>Owns: the slots and the stack pointer. Invariants: only the owning goroutine pushes, pops and
 * writes; the collector reads slots [0, sp) while that goroutine is stopped at a safepoint; a
 * pushed frame starts zeroed, so a stale address can never become a root. Frame writes take no
 * write barrier: stacks are rescanned at mark termination (Go 1.5's Dijkstra barrier with stack
 * rescan).
 */
public final class Stack {
    private long[] slots = new long[64];
    private int sp;

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

    /** Number of live slots. */
    public int depth() {
        return sp;
    }

    long[] slots() {
        return slots;
    }

    /** Empties the stack (the goroutine exited). */
    void clear() {
        sp = 0;
    }
}
