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

    /**
     * {@code go fn()}: starts a goroutine, named in dumps as Go names a function: a named class's
     * {@code Class.run}, and a lambda after the method that starts it, as Go names a closure after
     * its enclosing function ({@code main.main.func1}): {@code Pool.start.func1} for the first lambda
     * started from {@code Pool.start}, {@code Pool.start.func2} for the next, and for one started
     * from inside a lambda the same rule applied to that lambda's method. Computed once per lambda
     * class.
     */
    public static void go(Runnable fn) {
        Sched.current().newproc(fn, nameOf(fn));
    }

    /** Per Runnable class: its goroutine name, computed at its first {@code go}. */
    private static final ClassValue<String[]> NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            return new String[1];
        }
    };
    /** Lambdas seen per starting method ("Pool.start"), for their funcN numbers. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> FUNCS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    static String nameOf(Runnable fn) {
        String[] slot = NAMES.get(fn.getClass());
        String n = slot[0];
        if (n == null) {
            n = computeName(fn.getClass());
            slot[0] = n;
        }
        return n;
    }

    private static String computeName(Class<?> c) {
        if (!c.isHidden() && !c.getName().contains("$$Lambda")) {
            return displayName(c) + ".run";
        }
        StackWalker.StackFrame caller = WALKER.walk(st -> st.filter(f -> f.getDeclaringClass() != Go.class).findFirst()).orElse(null);
        if (caller == null) {
            return "func1";
        }
        String parent = displayName(caller.getDeclaringClass()) + "." + goFuncName(caller.getMethodName());
        int k = FUNCS.computeIfAbsent(parent, x -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        return parent + ".func" + k;
    }

    /** javac's {@code lambda$start$3} (a lambda body in start) as Go would name it: {@code start.func4}. */
    static String goFuncName(String method) {
        if (method.startsWith("lambda$")) {
            int d = method.lastIndexOf('$');
            String outer = method.substring("lambda$".length(), d);
            try {
                return ("new".equals(outer) ? "init" : outer) + ".func" + (Integer.parseInt(method.substring(d + 1)) + 1);
            } catch (NumberFormatException e) {
                return method;
            }
        }
        return "<init>".equals(method) ? "init" : method;
    }

    /** A class as a dump names it: its name without the package, nested classes joined by dots. */
    private static String displayName(Class<?> c) {
        String n = c.getName();
        int slash = n.indexOf('/'); // a hidden class's suffix
        if (slash >= 0) {
            n = n.substring(0, slash);
        }
        n = n.substring(n.lastIndexOf('.') + 1).replace("$$Lambda", "").replace('$', '.');
        return n;
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

    /**
     * Sleeps the calling goroutine for at least {@code nanos} nanoseconds (Go's time.Sleep): it
     * parks on a runtime timer, and its thread runs other goroutines meanwhile.
     */
    public static void sleep(long nanos) {
        Sched.safepoint();
        Sched.current().timeSleep(nanos);
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
