package gort.api;

import gort.sched.Chan;
import gort.sched.G;
import gort.sched.Sched;

/**
 * What a goroutine program calls: the {@code go} statement, channels, Gosched, GOMAXPROCS and the
 * explicit safepoint poll. Every method must be called from a goroutine of a running runtime; it
 * finds that runtime from the current thread's M.
 */
public final class Go {
    private Go() {}

    /** {@code go fn()}: starts a goroutine. */
    public static void go(Runnable fn) {
        Sched.current().newproc(fn, fn.getClass().getName());
    }

    /** {@code go fn()} with a name shown in dumps. */
    public static void go(String name, Runnable fn) {
        Sched.current().newproc(fn, name);
    }

    /** {@code make(chan T, size)}. */
    public static <T> Chan<T> makeChan(int size) {
        return new Chan<>(Sched.current(), size);
    }

    /** runtime.Gosched(): yields to other goroutines (this one goes to the global run queue). */
    public static void gosched() {
        Sched.current().gosched();
    }

    /**
     * A safepoint for long loops that neither allocate nor call the runtime: without one, a loop
     * cannot be preempted (as in Go 1.5).
     */
    public static void poll() {
        Sched.safepoint();
    }

    /** runtime.GOMAXPROCS(n): sets the number of Ps if n > 0 and returns the previous value. */
    public static int gomaxprocs(int n) {
        Sched s = Sched.current();
        if (n <= 0) {
            return s.gomaxprocs();
        }
        return s.setGomaxprocs(n);
    }

    /** The managed heap: allocation and checked field access. */
    public static Heap heap() {
        return Runtime.current().heap();
    }

    /** The current goroutine's shadow stack of root slots. */
    public static gort.gc.Stack stack() {
        return gort.gc.Collector.stackOf(Sched.getg());
    }

    /** runtime.GC(): runs a full collection and returns when it is done. */
    public static void gc() {
        Runtime.current().collector().gc();
    }

    /** runtime.ReadMemStats. */
    public static gort.gc.MemStats readMemStats() {
        return Runtime.current().collector().readMemStats();
    }

    /** A new global root slot (holding nil); returns its index. */
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

    /** The current goroutine. */
    public static G getg() {
        return Sched.getg();
    }

    /** runtime.NumGoroutine(). */
    public static int numGoroutine() {
        int n = 0;
        for (G g : Sched.current().allgs()) {
            int s = g.status();
            if (s != G.DEAD && s != G.IDLE && !g.isSystem()) {
                n++;
            }
        }
        return n;
    }
}
