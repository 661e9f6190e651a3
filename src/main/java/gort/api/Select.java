package gort.api;

import gort.sched.GoPanic;
import gort.sched.HChan;
import gort.sched.M;
import gort.sched.Sched;

/**
 * Go's {@code select} statement (Go 1.5's selectgo): waits until one of its cases can run, runs it,
 * and says which. Among the cases ready at once one is chosen uniformly at random (a random poll
 * order from the runtime's fastrand, as Go 1.5); with a {@link #defaultCase() default} case a select
 * that finds none ready returns at once. Channels are locked in one global order, so selects over
 * the same channels never deadlock each other. A case on a nil channel ({@code null}) is never
 * ready; a select with no case that can ever be ready blocks forever, which the deadlock detector
 * sees. A send case on a closed channel panics; a receive case on one is ready with ok false.
 *
 * <pre>{@code
 * Selected s = Select.select(Select.recv(in), Select.send(out, v), Select.recv(done));
 * switch (s.index()) {
 *     case 0 -> { Integer x = s.value(); ... }
 *     case 1 -> { ... }           // v was sent
 *     case 2 -> { return; }
 * }
 * }</pre>
 *
 * <p>While it waits, a select is queued on every channel at once with one sudog per case; a
 * pointer it is sending is a root of its goroutine until a receiver takes it, and a pointer it
 * receives becomes a handle in its innermost scope before the select returns.
 */
public final class Select {
    private Select() {}

    /** One case of a select. */
    public static final class Case {
        final Chan<?> c;
        final boolean send;
        final Object value;
        final boolean isDefault;

        private Case(Chan<?> c, boolean send, Object value, boolean isDefault) {
            this.c = c;
            this.send = send;
            this.value = value;
            this.isDefault = isDefault;
        }
    }

    private static final Case DEFAULT = new Case(null, false, null, true);

    /** {@code case v, ok := <-c}. */
    public static Case recv(Chan<?> c) {
        return new Case(c, false, null, false);
    }

    /** {@code case c <- v}. */
    public static <T> Case send(Chan<T> c, T v) {
        return new Case(c, true, v, false);
    }

    /** {@code default:} — the select does not block; its index is returned when no other case is ready. */
    public static Case defaultCase() {
        return DEFAULT;
    }

    /** What a select did: the index of the case that ran, and for a receive its value and ok. */
    public static final class Selected {
        private final int index;
        private final Object value;
        private final boolean ok;

        Selected(int index, Object value, boolean ok) {
            this.index = index;
            this.value = value;
            this.ok = ok;
        }

        public int index() {
            return index;
        }

        /** The value a receive case got (on a closed channel, the element type's zero value); null for a send or default. */
        @SuppressWarnings("unchecked")
        public <T> T value() {
            return (T) value;
        }

        /** For a receive case: false if the channel was closed (and drained). */
        public boolean ok() {
            return ok;
        }

        @Override
        public String toString() {
            return "case " + index + (value != null ? " value " + value : "") + (ok ? "" : " (not ok)");
        }
    }

    /** Runs the select over {@code cases}. At most one {@link #defaultCase()} case. */
    public static Selected select(Case... cases) {
        int dflt = -1;
        for (int i = 0; i < cases.length; i++) {
            if (cases[i] == null) {
                throw new GoPanic("select: case " + i + " is null (a nil channel is Select.recv(null) or Select.send(null, v))");
            }
            if (cases[i].isDefault) {
                if (dflt >= 0) {
                    throw new GoPanic("select: multiple defaults (cases " + dflt + " and " + i + ")");
                }
                dflt = i;
            }
        }
        M m = Sched.safepointM(); // first, so that no safepoint comes between taking the send cases' addresses and select
        HChan.Case[] hc = new HChan.Case[cases.length - (dflt >= 0 ? 1 : 0)];
        for (int i = 0, k = 0; i < cases.length; i++) {
            Case c = cases[i];
            if (c.isDefault) {
                continue;
            }
            HChan h = c.c == null ? null : c.c.h;
            if (c.send) {
                long p = 0;
                Object v = c.value;
                if (c.c != null) {
                    if (c.c.ptrs) {
                        p = c.c.ptrOf(v);
                        v = null;
                    } else if (v instanceof Ptr) {
                        throw c.c.notPtrChan("send of a Ptr");
                    }
                }
                hc[k++] = HChan.Case.send(h, v, p);
            } else {
                hc[k++] = HChan.Case.recv(h);
            }
        }
        int k = HChan.select(m, hc, dflt < 0);
        if (k < 0) {
            return new Selected(dflt, null, false);
        }
        HChan.Case won = hc[k];
        int index = dflt >= 0 && k >= dflt ? k + 1 : k; // hc leaves the default case out
        Case c = cases[index];
        if (c.send) {
            return new Selected(index, null, false);
        }
        Object v = won.received;
        if (!won.ok && !c.c.ptrs) {
            v = c.c.zero(); // a closed channel: its element type's zero value
        } else if (v == HChan.PTR) {
            long a = won.receivedPtr();
            if (a == 0) {
                v = null;
            } else {
                M cur = Sched.currentM();
                v = Scope.current(cur).make(a);
            }
        }
        return new Selected(index, v, won.ok);
    }
}
