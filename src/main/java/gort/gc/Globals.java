package gort.gc;

import gort.platform.RuntimeMutex;
import java.util.Arrays;

/**
 * The runtime's global pointer slots (Go's data and bss segments, as far as the collector cares).
 * Owns: the slots. Invariants: slots are only added, never removed; writes are plain stores that
 * take the write barrier's shade (in the concurrent collector) like heap pointer stores; the
 * collector scans every slot as a root.
 */
public final class Globals {
    private final RuntimeMutex lock;
    private volatile long[] slots = new long[16];
    private int n;

    Globals(RuntimeMutex lock) {
        this.lock = lock;
    }

    /** Allocates a new global slot, holding nil; returns its index. */
    public int add() {
        lock.lock();
        try {
            if (n == slots.length) {
                slots = Arrays.copyOf(slots, n * 2);
            }
            return n++;
        } finally {
            lock.unlock();
        }
    }

    public long get(int i) {
        check(i);
        return slots[i];
    }

    void setRaw(int i, long v) {
        check(i);
        slots[i] = v;
    }

    private void check(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("global slot " + i + " (there are " + n + ")");
        }
    }

    int count() {
        return n;
    }

    long[] snapshot() {
        return slots;
    }
}
