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
}
