package gort.api;

import gort.sched.M;
import gort.sched.Sched;

/**
 * A global pointer variable (Go's package-level {@code var p *T}): a root of its runtime for the
 * runtime's whole life. Made by {@link Go#newGlobal()}; holds nil at first.
 *
 * <p>Owns: one global slot. Invariant: the slot holds nil or the address of a live object; a
 * store takes the write barrier, as a heap pointer store does.
 */
public final class Global {
    private final Runtime rt;
    private final int slot;

    Global(Runtime rt, int slot) {
        this.rt = rt;
        this.slot = slot;
    }

    /** The pointer it holds: a new handle in the current goroutine's innermost scope, or null. */
    public Ptr get() {
        M m = Sched.currentM();
        check(m);
        long a = rt.collector().globals().get(slot);
        return a == 0 ? null : Scope.current(m).make(a);
    }

    /** Stores p (null: nil), with the write barrier. */
    public void set(Ptr p) {
        M m = Sched.currentM();
        check(m);
        long a = p == null ? 0 : p.addr();
        rt.heap().checkOwned(a, "Global.set");
        rt.collector().setGlobal(slot, a);
    }

    private void check(M m) {
        if (m.sched() != rt.sched()) {
            throw new gort.sched.GoPanic("runtime error: use of a Global of " + rt.name() + " in a goroutine of "
                    + m.sched().name() + ": globals belong to the runtime that made them");
        }
    }
}
