package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.gc.Stack;
import gort.heap.Type;
import gort.api.Chan;
import gort.sched.FatalError;
import gort.sched.GoPanic;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every misuse of the heap API raises a clear exception naming what was wrong (a test each),
 * caught inside the goroutine that made it. Checks that do not depend on the debug heap run with it off and on.
 */
class HeapMisuseTest {
    static final Type NODE = Type.struct("misuse.node", "ptr,ptr,scalar");
    static final Type PAIR = Type.struct("misuse.pair", "ptr,scalar");

    /** A misuse in a goroutine: returns the addresses it wants named, and must throw. */
    interface Body {
        void run(Heap h, List<Long> addrs);
    }

    record Caught(Throwable error, List<Long> addrs) {
        String message() {
            return error.getMessage();
        }

        String hex(int i) {
            return "0x" + Long.toHexString(addrs.get(i));
        }
    }

    /** Runs body in the main goroutine of a fresh runtime and returns what it threw. */
    static Caught misuse(boolean debug, Body body) {
        List<Throwable> got = new CopyOnWriteArrayList<>();
        List<Long> addrs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withDebugHeap(debug), 30, () -> {
            try {
                body.run(Raw.heap(), addrs);
            } catch (RuntimeException e) {
                got.add(e);
            }
        });
        assertThat(got).as("the misuse must throw inside the goroutine").hasSize(1);
        return new Caught(got.getFirst(), new ArrayList<>(addrs));
    }

    static Caught panic(boolean debug, Body body) {
        Caught c = misuse(debug, body);
        assertThat(c.error()).isInstanceOf(GoPanic.class);
        return c;
    }

    // ---- nil dereference ----

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void loadPtrOfNil(boolean debug) {
        assertThat(panic(debug, (h, a) -> h.loadPtr(0, 1)).message())
                .isEqualTo("runtime error: invalid memory address or nil pointer dereference (loadPtr of field 1 of nil)");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storePtrIntoNil(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            h.storePtr(0, 0, x);
        });
        assertThat(c.message()).startsWith("runtime error: invalid memory address or nil pointer dereference")
                .contains("storePtr of field 0 of nil");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void loadIntOfNil(boolean debug) {
        assertThat(panic(debug, (h, a) -> h.loadInt(0, 2)).message())
                .startsWith("runtime error: invalid memory address or nil pointer dereference")
                .contains("loadInt of field 2 of nil");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storeIntIntoNil(boolean debug) {
        assertThat(panic(debug, (h, a) -> h.storeInt(0, 0, 7)).message())
                .startsWith("runtime error: invalid memory address or nil pointer dereference")
                .contains("storeInt of field 0 of nil");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void lenOfNil(boolean debug) {
        assertThat(panic(debug, (h, a) -> h.len(0)).message())
                .isEqualTo("runtime error: invalid memory address or nil pointer dereference (len of nil)");
    }

    // ---- index out of range ----

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void structFieldIndexTooBig(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.loadInt(x, 3);
        });
        assertThat(c.message()).isEqualTo("runtime error: index out of range [3] with length 3 (loadInt of misuse.node object "
                + c.hex(0) + ")");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void structFieldIndexNegative(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.storePtr(x, -1, 0);
        });
        assertThat(c.message()).contains("index out of range [-1] with length 3")
                .contains("storePtr of misuse.node object " + c.hex(0));
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void arrayIndexTooBig(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.allocArray(Type.PTR, 5);
            a.add(x);
            h.loadPtr(x, 5);
        });
        assertThat(c.message()).contains("index out of range [5] with length 5")
                .contains("loadPtr of []ptr object " + c.hex(0));
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void arrayIndexNegative(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.allocArray(PAIR, 3); // 3 elements of 2 words: data words 0..5
            a.add(x);
            h.storeInt(x, -2, 1);
        });
        assertThat(c.message()).contains("index out of range [-2] with length 6")
                .contains("storeInt of []misuse.pair object " + c.hex(0));
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void indexIntoAnEmptyArray(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.allocArray(Type.SCALAR, 0);
            a.add(x);
            h.loadInt(x, 0);
        });
        assertThat(c.message()).contains("index out of range [0] with length 0").contains(c.hex(0));
    }

    // ---- pointer op on a scalar field and the reverse ----

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void loadPtrOfAScalarField(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.loadPtr(x, 2);
        });
        assertThat(c.message()).isEqualTo("runtime error: loadPtr of field 2 of misuse.node object " + c.hex(0)
                + ": the field holds a scalar (layout ptr,ptr,scalar)");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storePtrIntoAScalarField(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.storePtr(x, 2, x);
        });
        assertThat(c.message()).contains("storePtr of field 2 of misuse.node object " + c.hex(0))
                .contains("the field holds a scalar");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void loadIntOfAPointerField(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.loadInt(x, 0);
        });
        assertThat(c.message()).isEqualTo("runtime error: loadInt of field 0 of misuse.node object " + c.hex(0)
                + ": the field holds a pointer (layout ptr,ptr,scalar)");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storeIntIntoAPointerField(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.allocArray(PAIR, 4);
            a.add(x);
            h.storeInt(x, 6, 12345); // element 3, word 0: a pointer
        });
        assertThat(c.message()).contains("storeInt of field 6 of []misuse.pair object " + c.hex(0))
                .contains("the field holds a pointer (layout ptr,scalar)");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void loadPtrOfAString(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long s = h.allocString("hello, world");
            a.add(s);
            h.loadPtr(s, 0);
        });
        assertThat(c.message()).contains("loadPtr of field 0 of string object " + c.hex(0))
                .contains("the field holds a scalar (layout bytes)");
    }

    // ---- storing something that is not an object's address ----

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storePtrOfAnAddressInTheReservedPage(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.storePtr(x, 1, 3);
        });
        assertThat(c.message()).isEqualTo("runtime error: storePtr of 0x3 into field 1 of misuse.node object " + c.hex(0)
                + ": not the address of a live object (a scalar in a pointer field?)");
    }

    @ParameterizedTest(name = "address {0}")
    @ValueSource(longs = {12345L << 20, -1L, Long.MAX_VALUE})
    void storePtrOfAnAddressOutsideTheHeap(long bad) {
        Caught c = panic(true, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.storePtr(x, 0, bad);
        });
        assertThat(c.message()).contains("storePtr of 0x" + Long.toHexString(bad) + " into field 0 of misuse.node object "
                + c.hex(0)).contains("not the address of a live object");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void storePtrOfAnInteriorAddress(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.storePtr(x, 0, x + 1);
        });
        assertThat(c.message()).contains("storePtr of 0x" + Long.toHexString(c.addrs().get(0) + 1)
                + " into field 0 of misuse.node object " + c.hex(0)).contains("not the address of a live object");
    }

    @Test
    void interiorAddressUsedAsAnObjectInDebugMode() {
        Caught c = panic(true, (h, a) -> {
            long x = h.alloc(NODE);
            a.add(x);
            h.loadInt(x + 2, 0);
        });
        assertThat(c.message()).contains("loadInt of field 0")
                .contains("0x" + Long.toHexString(c.addrs().get(0) + 2))
                .containsAnyOf("points into the object at " + c.hex(0), "not an object");
    }

    // ---- a freed object touched in debug mode ----

    /** Allocates x (kept only in a Java local, against the contract), collects twice so it is swept. */
    static long freedObject(Heap h, List<Long> a, boolean keepNeighbour) {
        Stack st = Raw.stack();
        int f = st.push(1);
        long x = h.alloc(NODE);
        if (keepNeighbour) { // a live object in the same span: the span stays in use
            st.set(f, 0, h.alloc(NODE));
        }
        a.add(x);
        Go.gc(); // x is not marked
        Go.gc(); // sweep termination finished sweeping: x is freed and poisoned
        return x;
    }

    @ParameterizedTest(name = "span stays in use: {0}")
    @ValueSource(booleans = {false, true})
    void loadFromAFreedObject(boolean keepNeighbour) {
        Caught c = panic(true, (h, a) -> h.loadInt(freedObject(h, a, keepNeighbour), 2));
        assertThat(c.message()).startsWith("runtime error: loadInt of field 2 of a dead object")
                .contains("address " + c.hex(0)).containsAnyOf("freed", "free");
    }

    @Test
    void storeIntoAFreedObject() {
        Caught c = panic(true, (h, a) -> h.storePtr(freedObject(h, a, true), 0, 0));
        assertThat(c.message()).contains("storePtr of field 0 of a dead object").contains("address " + c.hex(0))
                .containsAnyOf("freed", "free");
    }

    @Test
    void lenAndTypeOfAFreedObject() {
        Caught c = panic(true, (h, a) -> h.len(freedObject(h, a, true)));
        assertThat(c.message()).contains("len of a dead object").contains("address " + c.hex(0));
        Caught d = panic(true, (h, a) -> h.typeOf(freedObject(h, a, true)));
        assertThat(d.message()).contains("typeOf of a dead object").contains("address " + d.hex(0));
    }

    @Test
    void storingAFreedObjectsAddressIntoALiveObject() {
        Caught c = panic(true, (h, a) -> {
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, h.alloc(NODE));
            long stale = freedObject(h, a, true);
            h.storePtr(st.get(f, 0), 0, stale);
        });
        assertThat(c.message()).contains("storePtr of " + c.hex(0) + " into field 0 of misuse.node object")
                .contains("not the address of a live object");
    }

    // ---- uniform spans (MSpan.uniformInfo): the checks read the allocation bit ----

    static final Type UNIFORM = Type.struct("misuse.uniform", "ptr,scalar,scalar,scalar,scalar"); // 48-byte class
    static final Type UNIFORM2 = Type.struct("misuse.uniform2", "scalar,scalar,ptr,scalar,scalar");

    static gort.heap.MSpan spanOf(long addr) {
        return Runtime.current().collector().heap().spanOf(addr);
    }

    @ParameterizedTest(name = "debug heap: {0}")
    @ValueSource(booleans = {false, true})
    void aFreedSlotOfAUniformSpanIsDead(boolean debug) {
        Caught c = panic(debug, (h, a) -> {
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, h.alloc(UNIFORM)); // a live neighbour keeps the span in use
            long x = h.alloc(UNIFORM);
            a.add(x);
            Go.gc(); // x is not marked
            Go.gc(); // and is swept: its allocation bit is clear
            assertThat(spanOf(x).isUniform()).as("only one type in this span").isTrue();
            assertThat(h.loadInt(st.get(f, 0), 1)).isZero(); // the neighbour answers
            h.loadInt(x, 1);
        });
        assertThat(c.message()).startsWith("runtime error: loadInt of field 1 of a dead object").contains("address " + c.hex(0));
    }

    @Test
    void aSpanWithTwoTypesChecksEachObjectByItsOwnLayout() {
        List<String> errors = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), 30, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(2);
            st.set(f, 0, h.alloc(UNIFORM));
            st.set(f, 1, h.alloc(UNIFORM2));
            long x = st.get(f, 0);
            long y = st.get(f, 1);
            if (spanOf(x) != spanOf(y) || spanOf(x).isUniform()) {
                errors.add("expected one mixed span for both objects");
            }
            h.storePtr(x, 0, y); // x: word 0 is a pointer
            h.storePtr(y, 2, x); // y: word 2 is
            for (Runnable bad : List.<Runnable>of(() -> h.storePtr(x, 2, y), () -> h.storePtr(y, 0, x),
                    () -> h.storeInt(x, 0, 1), () -> h.storeInt(y, 2, 1), () -> h.loadInt(y, 5))) {
                try {
                    bad.run();
                    errors.add("a misuse went through");
                } catch (GoPanic e) {
                    // expected
                }
            }
            if (h.loadPtr(x, 0) != y || h.loadPtr(y, 2) != x) {
                errors.add("pointers did not come back");
            }
        });
        assertThat(errors).isEmpty();
    }

    // ---- allocation misuse ----

    @Test
    void allocOfAnArrayType() {
        Caught c = misuse(false, (h, a) -> h.alloc(Type.arrayOf(NODE)));
        assertThat(c.error()).isInstanceOf(RuntimeException.class);
        assertThat(c.message()).isEqualTo("alloc: []misuse.node is not a struct type; use allocArray or allocString");
    }

    @Test
    void allocOfTheStringType() {
        Caught c = misuse(false, (h, a) -> h.alloc(Type.BYTES));
        assertThat(c.message()).contains("alloc: string is not a struct type");
    }

    @ParameterizedTest(name = "len {0}")
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void allocArrayWithNegativeLength(int n) {
        Caught c = panic(false, (h, a) -> h.allocArray(NODE, n));
        assertThat(c.message()).isEqualTo("runtime error: makeslice: len out of range: " + n);
    }

    // ---- root slots ----

    @Test
    void stackSlotPastTheFrame() {
        Caught c = misuse(false, (h, a) -> {
            Stack st = Raw.stack();
            int f = st.push(2);
            st.set(f, 2, 0);
        });
        assertThat(c.error()).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(c.message()).isEqualTo("slot 2 of frame 0 (stack top 2)");
    }

    @Test
    void stackSlotNegative() {
        Caught c = misuse(false, (h, a) -> {
            Stack st = Raw.stack();
            st.push(1);
            int f = st.push(3);
            st.get(f, -1);
        });
        assertThat(c.message()).isEqualTo("slot -1 of frame 1 (stack top 4)");
    }

    @Test
    void stackSlotOfAPoppedFrame() {
        Caught c = misuse(false, (h, a) -> {
            Stack st = Raw.stack();
            int f = st.push(2);
            st.pop(f);
            st.get(f, 0);
        });
        assertThat(c.message()).isEqualTo("slot 0 of frame 0 (stack top 0)");
    }

    @Test
    void popAboveTheStackTopAndNegativeFrame() {
        Caught c = misuse(false, (h, a) -> {
            Stack st = Raw.stack();
            st.push(2);
            st.pop(3);
        });
        assertThat(c.message()).isEqualTo("pop of frame 3 above the stack top 2");
        Caught d = misuse(false, (h, a) -> Raw.stack().push(-1));
        assertThat(d.message()).contains("frame of -1 slots");
    }

    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void setGlobalWithANonObjectAddress(boolean debug) {
        Caught c = misuse(debug, (h, a) -> {
            int g = Raw.newGlobal();
            long x = h.alloc(NODE);
            a.add(x);
            Raw.setGlobal(g, x); // fine
            Raw.setGlobal(g, x + 1);
        });
        assertThat(c.message()).contains("global slot").contains("0x" + Long.toHexString(c.addrs().get(0) + 1))
                .contains("is not an object's address");
        Caught d = misuse(debug, (h, a) -> Raw.setGlobal(Raw.newGlobal(), 12345L << 20));
        assertThat(d.message()).contains("0x" + Long.toHexString(12345L << 20)).contains("is not an object's address");
    }

    /**
     * A stale address must be refused by setGlobal as it is by storePtr. Before the check (found by
     * this test), it was accepted: the next collection then died on the poisoned header ("no type
     * with id -559038737") in debug mode, and without debug the freed slot was reused while the
     * global still named it.
     */
    @ParameterizedTest(name = "debug heap {0}")
    @ValueSource(booleans = {false, true})
    void setGlobalWithAFreedObject(boolean debug) {
        Caught c = misuse(debug, (h, a) -> Raw.setGlobal(Raw.newGlobal(), freedObject(h, a, true)));
        assertThat(c.message()).contains("global slot").contains(c.hex(0) + " is not an object's address")
                .contains("the slot is free");
    }

    @Test
    void globalSlotThatDoesNotExist() {
        Caught c = misuse(false, (h, a) -> {
            int g = Raw.newGlobal();
            Raw.setGlobal(g + 1000, 0);
        });
        assertThat(c.error()).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(c.message()).startsWith("global slot ").contains("(there are ");
        Caught d = misuse(false, (h, a) -> Raw.global(-1));
        assertThat(d.message()).startsWith("global slot -1");
    }

    // ---- uncaught ----

    @Test
    void anUncaughtPanicInAGoroutineIsFatal() {
        assertThatThrownBy(() -> Rt.run(Config.defaults().withGomaxprocs(2).withDebugHeap(true), 30, () -> {
                    Chan<Integer> never = Go.makeChan(Integer.class, 0);
                    Go.go("misuser", () -> {
                        long x = Raw.heap().alloc(NODE);
                        Raw.heap().loadPtr(x, 2);
                    });
                    never.recv();
                }))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("panic: runtime error: loadPtr of field 2 of misuse.node object 0x")
                .hasMessageContaining("goroutine ")
                .hasMessageContaining("[running]");
    }

    @Test
    void anUncaughtNilDereferenceInMainIsFatal() {
        assertThatThrownBy(() -> Rt.run(Config.defaults().withGomaxprocs(1), 30, () -> Raw.heap().loadPtr(0, 0)))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("panic: runtime error: invalid memory address or nil pointer dereference")
                .hasCauseInstanceOf(GoPanic.class);
    }
}
