package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.Collector;
import gort.gc.Stack;
import gort.heap.Type;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How scopes use a goroutine's handle slots: a scope that closes gives back every slot it took,
 * its reserved escape slot included unless it escaped a handle; an escaped handle lives in the
 * parent; a loop of scopes holds its slots constant however long it runs.
 */
class ScopeTest {
    static final Type NODE = Type.struct("scope.node", "ptr,scalar");

    static int htop() {
        return Collector.stackOf(Sched.getg()).htop();
    }

    @Test
    void aLoopOfScopesHoldsItsSlotsConstant() {
        List<Integer> tops = new ArrayList<>();
        Rt.run(1, () -> {
            Go.alloc(NODE); // the root scope
            tops.add(htop());
            for (int i = 0; i < 3_000_000; i++) {
                try (Scope s = Go.scope()) {
                    if (i % 1000 == 0) {
                        Go.alloc(NODE);
                    }
                }
            }
            tops.add(htop());
            Ptr kept = null;
            for (int i = 0; i < 1000; i++) {
                try (Scope s = Go.scope()) {
                    Ptr n = Go.alloc(NODE);
                    n.setPtr(0, kept);
                    kept = s.escape(n); // each escape is a handle of the enclosing scope
                }
            }
            tops.add(htop());
        });
        assertThat(tops.get(1)).as("open and close gives every slot back").isEqualTo(tops.get(0));
        assertThat(tops.get(2) - tops.get(1)).as("escapes stay in the parent").isEqualTo(1000);
    }

    @Test
    void anEscapedHandleOutlivesItsScopeAndTheOthersDoNot() {
        List<String> got = new ArrayList<>();
        Rt.run(1, () -> {
            Ptr out;
            Ptr inner;
            try (Scope s = Go.scope()) {
                inner = Go.alloc(NODE);
                inner.set(1, 5);
                Ptr e = Go.alloc(NODE);
                e.set(1, 7);
                out = s.escape(e);
            }
            Go.gc();
            got.add("escaped " + out.get(1));
            try {
                inner.get(1);
                got.add("inner alive");
            } catch (gort.sched.GoPanic p) {
                got.add("inner dead");
            }
        });
        assertThat(got).containsExactly("escaped 7", "inner dead");
    }

    /** for (Ptr p : c) gives each element a scope: a long range leaves the enclosing scope's slots as they were. */
    @Test
    void rangeOverAChannelOfPtrGivesEachElementItsScope() {
        List<Object> got = new ArrayList<>();
        Rt.run(2, () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, 8);
            Go.go(() -> {
                for (int i = 0; i < 100_000; i++) {
                    try (Scope s = Go.scope()) {
                        Ptr n = Go.alloc(NODE);
                        n.set(1, i);
                        c.send(n);
                    }
                }
                c.close();
            });
            Go.alloc(NODE);
            int before = htop();
            long sum = 0;
            Ptr kept = null;
            for (Ptr p : c) {
                Ptr again = Go.alloc(NODE); // made in the element's scope too
                again.set(1, p.get(1));
                sum += again.get(1);
                kept = p;
            }
            got.add(htop() - before);
            got.add(sum);
            try {
                kept.get(1);
                got.add("kept alive");
            } catch (gort.sched.GoPanic e) {
                got.add("kept dies");
            }
        });
        assertThat(got).containsExactly(0, 100_000L * 99_999 / 2, "kept dies");
    }

    @Test
    void rangeOverAChannelOfValuesReceivesUntilClosed() {
        List<Integer> got = new ArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 0);
            Go.go(() -> {
                for (int i = 0; i < 5; i++) {
                    c.send(i);
                }
                c.close();
            });
            for (int v : c) {
                got.add(v);
            }
        });
        assertThat(got).containsExactly(0, 1, 2, 3, 4);
    }

    /** A receive on a closed channel yields Go's zero value of the element type. */
    @Test
    void aClosedChannelYieldsTheElementTypesZeroValue() {
        List<Object> got = new ArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> i = Go.makeChan(Integer.class, 0);
            Chan<String> s = Go.makeChan(String.class, 1);
            Chan<Boolean> b = Go.makeChan(Boolean.class, 1);
            Chan<Ptr> p = Go.makeChan(Ptr.class, 1);
            i.close();
            s.close();
            b.close();
            p.close();
            int v = i.recv(); // no NullPointerException: Go's 0
            got.add(v);
            got.add(i.recv2());
            got.add(s.recv());
            got.add(b.recv());
            got.add(p.recv() == null);
            got.add(i.tryRecv());
        });
        assertThat(got).containsExactly(0, new Chan.Recv<>(0, false), "", false, true, new Chan.Recv<>(0, false));
    }
}
