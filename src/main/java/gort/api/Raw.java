package gort.api;

import gort.gc.Collector;
import gort.gc.Stack;
import gort.sched.Sched;

/**
 * The raw-address fast path, for the built-in workloads (json, bintree, alloc) and the runtime's own
 * tests: heap addresses as plain {@code long}s, rooted by hand in frame slots of the goroutine's
 * {@link Stack} or in global slots. <strong>Not the API for programs</strong>: nothing checks that
 * an address held in a Java local across a safepoint is still rooted, so misuse can read a freed
 * and reused object silently. User programs use {@link Ptr}, {@link Scope}, {@link Global} and
 * typed channels, which cannot be misused that way.
 *
 * <p>The contract (docs/ARCHITECTURE.md, "How a program's pointers stay alive", rejected designs):
 * an address held only in a Java local is valid until the goroutine's next safepoint (any
 * allocation, any runtime call, {@link Go#poll()}); anything that must live across one goes into a
 * frame slot, a global slot or a heap object. Loads and stores are still checked (bounds, pointer
 * or scalar field, an allocated object), and pointer stores take the write barrier.
 */
public final class Raw {
    private Raw() {}

    /** The managed heap with raw addresses: allocation and checked field access. */
    public static Heap heap() {
        return Runtime.current().heap();
    }

    /**
     * This runtime's cumulative allocated bytes as a counter that any thread may read, without
     * walking the heap or stopping the world ({@code MHeap.totalAllocNow}).
     */
    public static java.util.function.LongSupplier allocatedBytes() {
        var heap = Runtime.current().collector().heap();
        return heap::totalAllocNow;
    }

    /** The current goroutine's shadow stack of raw root slots. */
    public static Stack stack() {
        return Collector.stackOf(Sched.getg());
    }

    /** A new global slot (holding nil); returns its index. */
    public static int newGlobal() {
        return Runtime.current().collector().globals().add();
    }

    public static long global(int i) {
        return Runtime.current().collector().globals().get(i);
    }

    public static void setGlobal(int i, long addr) {
        Runtime rt = Runtime.current();
        rt.heap().checkOwned(addr, "setGlobal");
        rt.collector().setGlobal(i, addr);
    }
}
