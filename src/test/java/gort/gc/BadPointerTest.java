package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.sched.FatalError;
import gort.testing.Rt;
import org.junit.jupiter.api.Test;

/**
 * A root that holds something other than an object's address (against the raw-address
 * rooting contract) stops the collector with Go's "found bad pointer" fatal error, never a host exception.
 */
class BadPointerTest {
    static final Type NODE = Type.struct("badptr.node", "ptr,ptr,scalar");

    @Test
    void aRootPointingAtAFreedLargeObjectsSpanIsABadPointer() {
        assertThatThrownBy(() -> Rt.run(Config.defaults().withGomaxprocs(2), () -> {
            Heap h = Raw.heap();
            long big = h.allocArray(Type.PTR, 10_000); // its own span (80 KB)
            Go.gc(); // unreachable: freed, and its pages go back to the heap as a free run
            Go.gc();
            gort.gc.Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, big); // a dangling root to the first page of a span not in use
            Go.gc();
        })).isInstanceOf(FatalError.class)
                .hasMessageContaining("found bad pointer in Go heap")
                .hasMessageContaining("stack slot 0");
    }

    @Test
    void aRootHoldingAnInteriorAddressIsABadPointer() {
        assertThatThrownBy(() -> Rt.run(Config.defaults().withGomaxprocs(2), () -> {
            Heap h = Raw.heap();
            gort.gc.Stack st = Raw.stack();
            int f = st.push(2);
            st.set(f, 0, h.alloc(NODE));
            st.set(f, 1, st.get(f, 0) + 1); // word 1 of the node: not an object's address
            Go.gc();
        })).isInstanceOf(FatalError.class)
                .hasMessageContaining("found bad pointer in Go heap")
                .hasMessageContaining("stack slot 1");
    }
}
