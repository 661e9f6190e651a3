package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.Stack;
import gort.heap.Type;
import gort.sched.GoPanic;
import gort.testing.Rt;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The header-less object layout as a goroutine sees it: data word i at obj + i, the type and length
 * from the span, and (without the debug heap) a swept object or an interior address still refused.
 */
class HeapLayoutTest {
    static final Type NODE = Type.struct("layout.node", "ptr,ptr,scalar");
    static final Type EMPTY = Type.struct("layout.empty", "");

    @Test
    void fieldsTypesAndLengthsWithoutAHeader() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(4);
            long a = h.alloc(NODE);
            st.set(f, 0, a);
            long b = h.alloc(NODE);
            st.set(f, 1, b);
            h.storePtr(a, 1, b);
            h.storeInt(a, 2, 42);
            check(errors, h.loadPtr(a, 1) == b, "loadPtr");
            check(errors, h.loadInt(a, 2) == 42, "loadInt");
            check(errors, h.typeOf(a) == NODE && h.len(a) == 0, "struct type and len");
            long e1 = h.alloc(EMPTY);
            long e2 = h.alloc(EMPTY);
            check(errors, e1 != e2 && e1 != 0 && e2 != 0, "zero-size objects have distinct addresses");
            check(errors, h.typeOf(e1) == EMPTY && h.len(e1) == 0, "zero-size struct");
            long arr = h.allocArray(Type.SCALAR, 0);
            check(errors, h.len(arr) == 0 && h.typeOf(arr) == Type.SCALAR_ARRAY, "empty array");
            long arr5 = h.allocArray(Type.PTR, 5);
            st.set(f, 2, arr5);
            h.storePtr(arr5, 4, a);
            check(errors, h.len(arr5) == 5 && h.loadPtr(arr5, 4) == a, "array");
            long s = h.allocString("héllo");
            check(errors, h.loadString(s).equals("héllo") && h.len(s) == 6, "string");
            Go.gc();
            check(errors, h.loadPtr(h.loadPtr(st.get(f, 2), 4), 1) == st.get(f, 1), "survives a collection");
            st.pop(f);
        });
        assertThat(errors).isEmpty();
    }

    private static void check(List<String> errors, boolean ok, String what) {
        if (!ok) {
            errors.add(what);
        }
    }

    /** Without the debug heap: what the slot's type entry catches on its own. */
    @Test
    void sweptObjectAndInteriorAddressPanicWithoutTheDebugHeap() {
        List<String> messages = new CopyOnWriteArrayList<>();
        List<Long> addrs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1).withDebugHeap(false), () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            long x = h.alloc(NODE);
            st.set(f, 0, h.alloc(NODE)); // a live neighbour keeps the span in use
            addrs.add(x);
            Go.gc();
            Go.gc(); // x is swept: its slot's type entry is 0
            Runnable[] misuses = {
                () -> h.loadInt(x, 2),
                () -> h.storePtr(st.get(f, 0), 0, x),
                () -> h.loadInt(st.get(f, 0) + 1, 0),
                () -> h.len(x),
            };
            for (Runnable r : misuses) {
                try {
                    r.run();
                    messages.add("no panic");
                } catch (GoPanic e) {
                    messages.add(e.getMessage());
                }
            }
            st.pop(f);
        });
        String hx = "0x" + Long.toHexString(addrs.get(0));
        assertThat(messages.get(0)).startsWith("runtime error: loadInt of field 2 of a dead object: address " + hx)
                .contains("is not an allocated object").contains("freed by a sweep");
        assertThat(messages.get(1)).startsWith("runtime error: storePtr of " + hx + " into field 0 of layout.node object")
                .contains("not the address of a live object");
        assertThat(messages.get(2)).startsWith("runtime error: loadInt of field 0 of a dead object: address ")
                .contains("points into the object at 0x").contains("(word 1 of a layout.node)");
        assertThat(messages.get(3)).startsWith("runtime error: len of a dead object: address " + hx);
    }

    /** 48-byte objects leave 32 bytes at the end of an 8 KiB span: an address there is no object. */
    @Test
    void anAddressInASpansTailIsRefusedWithAPanic() {
        Type six = Type.struct("layout.six", "ptr,scalar,scalar,scalar,scalar,scalar");
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            long first = h.alloc(six);
            st.set(f, 0, first);
            long spanBase = first & ~(gort.heap.AddressSpace.PAGE_WORDS - 1L);
            long tail = spanBase + (8192 / 48) * 6; // past the span's last slot (170 × 6 words)
            for (Runnable r : List.<Runnable>of(() -> h.storePtr(first, 0, tail), () -> h.loadInt(tail, 0))) {
                try {
                    r.run();
                    msgs.add("no panic");
                } catch (GoPanic e) {
                    msgs.add(e.getMessage().contains("0x" + Long.toHexString(tail)) ? "named" : e.getMessage());
                }
            }
        });
        assertThat(msgs).containsExactly("named", "named");
    }
}
