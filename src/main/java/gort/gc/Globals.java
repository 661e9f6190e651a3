package gort.gc;

import gort.platform.RuntimeMutex;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The runtime's global roots: what Go keeps in its data and bss segments and in runtime-owned
 * structures the collector scans as roots.
 * <ul>
 *   <li><em>Global slots</em>: a program's globals ({@code Go.newGlobal}), never released, and
 *       <em>pins</em>, slots the runtime takes for a while and gives back (a pending timer's
 *       captured pointers, as Go's timer heap keeps its timers' arguments reachable). A released
 *       slot holds nil and is reused.
 *   <li><em>Owned roots</em>: a managed object kept alive while a Java object that owns it is
 *       reachable on the JVM heap (a channel's buffer, owned by the channel: Go's makechan
 *       allocates the buffer on the heap, reachable from the channel). Gort's channels are JVM
 *       objects, so their buffers are rooted through a weak reference to the channel; once the
 *       JVM has collected the channel, the buffer is no longer a root (a simplification: Go frees
 *       a dropped channel's buffer in its next cycle, gort after the JVM's next collection of it).
 * </ul>
 *
 * <p>Owns: the slots, their free list and the owned-root table, all guarded by {@code lock} for
 * writers. Invariants: a slot in use holds nil or an object's address; a store of an address into a
 * slot takes the write barrier's shade (the caller's, in the concurrent collector) like a heap
 * pointer store; the collector scans every slot and every owned root whose owner the JVM still
 * reaches, at the concurrent root scan, at the start of mark 2 and again with the world stopped at
 * mark termination (so one added during marking is never missed).
 */
public final class Globals {
    private final RuntimeMutex lock;
    private volatile long[] slots = new long[16];
    private int n;
    /** Released slots, for reuse (under lock). */
    private int[] free = new int[8];
    private int nfree;

    private WeakReference<?>[] owners = new WeakReference<?>[8];
    private long[] owned = new long[8];
    private int nowned;

    Globals(RuntimeMutex lock) {
        this.lock = lock;
    }

    /** Allocates a new global slot, holding nil; returns its index. */
    public int add() {
        lock.lock();
        try {
            return addLocked();
        } finally {
            lock.unlock();
        }
    }

    private int addLocked() {
        if (nfree > 0) {
            return free[--nfree];
        }
        if (n == slots.length) {
            slots = Arrays.copyOf(slots, n * 2);
        }
        return n++;
    }

    /** A slot holding addr until {@link #unpin}; the caller shades addr while the barrier is on. */
    int pin(long addr) {
        lock.lock();
        try {
            int i = addLocked();
            slots[i] = addr;
            return i;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a pinned slot back: it holds nil and is reused. */
    void unpin(int i) {
        lock.lock();
        try {
            check(i);
            slots[i] = 0;
            if (nfree == free.length) {
                free = Arrays.copyOf(free, nfree * 2);
            }
            free[nfree++] = i;
        } finally {
            lock.unlock();
        }
    }

    /** Roots addr while owner is reachable on the JVM heap; the caller shades addr while the barrier is on. */
    void keepAlive(Object owner, long addr) {
        lock.lock();
        try {
            if (nowned == owned.length) {
                compactOwnedLocked();
                if (nowned == owned.length) {
                    owners = Arrays.copyOf(owners, nowned * 2);
                    owned = Arrays.copyOf(owned, nowned * 2);
                }
            }
            owners[nowned] = new WeakReference<>(owner);
            owned[nowned++] = addr;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the owned roots whose owner the JVM collected. Under lock. */
    private void compactOwnedLocked() {
        int k = 0;
        for (int i = 0; i < nowned; i++) {
            if (owners[i].get() != null) {
                owners[k] = owners[i];
                owned[k++] = owned[i];
            }
        }
        Arrays.fill(owners, k, nowned, null);
        nowned = k;
    }

    /** The owned roots whose owner is still reachable (a copy). */
    long[] ownedRoots() {
        lock.lock();
        try {
            compactOwnedLocked();
            return Arrays.copyOf(owned, nowned);
        } finally {
            lock.unlock();
        }
    }

    /** Owned roots registered and not yet dropped (for tests). */
    public int ownedCount() {
        lock.lock();
        try {
            compactOwnedLocked();
            return nowned;
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
