package gort.platform;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A 32-bit word that threads can sleep on while it holds an expected value, as Linux's futex.
 *
 * <p>Owns: the word and nothing else; the waiting itself belongs to the {@link Platform}, so a
 * simulated platform can keep its own waiter lists. Invariant: every read and write of the key
 * goes through the atomic accessors below (the key is shared between threads without a lock).
 */
public class Futex {
    private static final VarHandle KEY;

    static {
        try {
            KEY = MethodHandles.lookup().findVarHandle(Futex.class, "key", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through KEY
    private volatile int key;

    /** Platform-private waiter bookkeeping (the real platform keeps its sleeping threads here). */
    volatile Object waiters;

    public final int load() {
        return key;
    }

    public final void store(int v) {
        key = v;
    }

    public final int xchg(int v) {
        return (int) KEY.getAndSet(this, v);
    }

    public final boolean cas(int expect, int update) {
        return KEY.compareAndSet(this, expect, update);
    }

    public final int xadd(int delta) {
        return (int) KEY.getAndAdd(this, delta) + delta;
    }
}
