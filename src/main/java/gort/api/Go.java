package gort.api;

import gort.gc.Stack;
import gort.heap.Type;
import gort.sched.G;
import gort.sched.GoPanic;
import gort.sched.M;
import gort.sched.Sched;

/**
 * What a goroutine program calls: the {@code go} statement, channels, allocation through
 * {@link Ptr} handles and their {@link Scope}s, globals, Gosched, GOMAXPROCS, runtime.GC and the
 * explicit safepoint poll. Every method must be called from a goroutine of a running runtime; it
 * finds that runtime from the current thread's M. (The raw-address fast path of the built-in
 * workloads is {@link Raw}, not this class.)
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
        goStatement(fn, fn == null ? "nil" : nameOf(fn));
    }

    /** Per Runnable class: its goroutine name, computed at its first {@code go}. */
    private static final ClassValue<String[]> NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            return new String[1];
        }
    };
    /**
     * Lambdas seen per starting method of a class ("start" of Pool), for their funcN numbers: per
     * class, so a program loaded afresh for each run (compare, bench) numbers its closures afresh.
     */
    private static final ClassValue<java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger>> FUNCS =
            new ClassValue<>() {
                @Override
                protected java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> computeValue(Class<?> type) {
                    return new java.util.concurrent.ConcurrentHashMap<>();
                }
            };
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
        int k = FUNCS.get(caller.getDeclaringClass()).computeIfAbsent(parent, x -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
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
        goStatement(fn, name);
    }

    /**
     * The go statement: the Ptr handles fn captures are adopted by the new goroutine before it can
     * run (its root scope holds them for its whole life, as Go's newproc copies the arguments and
     * the closure onto the new stack), so they stay alive however soon the starter's scope closes.
     */
    private static void goStatement(Runnable fn, String name) {
        if (fn == null) {
            throw new GoPanic("go of a nil func value");
        }
        java.util.ArrayList<Ptr> caps = Captured.ptrs(fn);
        Sched s = Sched.current();
        if (caps == null) {
            s.newproc(fn, name);
            return;
        }
        Runtime rt = Runtime.of(s);
        Stack st = new Stack();
        Scope root = Scope.newRoot(st, rt.heap());
        for (Ptr p : caps) {
            if (p.heap() != rt.heap()) {
                throw new GoPanic("runtime error: go statement in a goroutine of " + rt.name() + " captures a Ptr of "
                        + p.heap().runtimeName() + ": heap addresses belong to the runtime that allocated them");
            }
            st.hpush(p.adopt("go statement capture"));
            root.onRelease(p);
        }
        s.newproc(fn, name, st);
    }

    /**
     * {@code make(chan T, size)}: a channel whose elements are of class {@code elem}. A channel of
     * {@link Ptr} keeps the pointers it holds alive (its buffer is on the managed heap); a channel
     * of any other class carries Java values (an element class with Ptr fields is refused: the
     * channel would not keep those alive).
     */
    public static <T> Chan<T> makeChan(Class<T> elem, int size) {
        return Chan.make(elem, size);
    }

    /** runtime.Gosched(): yields to other goroutines (this one goes to the global run queue). */
    public static void gosched() {
        Sched.current().gosched();
    }

    /**
     * A safepoint for long loops that neither allocate nor call the runtime: without one, a loop
     * cannot be preempted (as in Go 1.5). On the simulated platform it is also a decision point
     * ({@link gort.platform.Platform#polled}), so that such a loop does not hold the one thread that runs.
     */
    public static void poll() {
        Sched.poll();
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

    // ---- the managed heap, through handles ----

    /** {@code new(T)}: a zeroed struct of type t; a new handle in the current scope. */
    public static Ptr alloc(Type t) {
        M m = Sched.safepointM();
        Scope s = Scope.current(m); // the goroutine's scope: the same after the allocation, on whatever M it resumes
        return s.makeNew(s.heap.allocFrom(m, t, -1), t, 0);
    }

    /**
     * {@code make([]T, n)}: a zeroed array of n elements of type elem (a struct type; Type.PTR for
     * an array of pointers, Type.SCALAR for one of int64s); a new handle in the current scope.
     */
    public static Ptr allocArray(Type elem, int n) {
        if (n < 0) {
            throw new GoPanic("runtime error: makeslice: len out of range: " + n);
        }
        M m = Sched.safepointM();
        Scope s = Scope.current(m);
        Type at = Type.arrayOf(elem);
        return s.makeNew(s.heap.allocFrom(m, at, n), at, n);
    }

    /** {@code []byte(s)} as a managed byte object (UTF-8); a new handle in the current scope. */
    public static Ptr string(String s) {
        return bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A managed byte object holding a copy of b; a new handle in the current scope. */
    public static Ptr bytes(byte[] b) {
        M m = Sched.safepointM();
        Scope s = Scope.current(m);
        return s.make(s.heap.allocBytesFrom(m, b));
    }

    /**
     * Opens a handle scope nested in the current one: use it in try-with-resources, so that the
     * handles made inside die when the block ends ({@link Scope}).
     */
    public static Scope scope() {
        return Scope.open(Sched.currentM());
    }

    /** A new global pointer variable, holding nil: a root for the runtime's whole life. */
    public static Global newGlobal() {
        Runtime rt = Runtime.current();
        return new Global(rt, rt.collector().globals().add());
    }

    /** runtime.GC(): a full collection; returns when it is done and the heap is swept. */
    public static void gc() {
        Runtime.current().collector().gc();
    }

    /** runtime.ReadMemStats. */
    public static gort.gc.MemStats readMemStats() {
        return Runtime.current().collector().readMemStats();
    }

    /** The current goroutine. */
    public static G getg() {
        return Sched.getg();
    }

    /**
     * Go's os.Exit: ends the program now with the given status (0: as if main returned; otherwise
     * {@code gort run} exits with it, and {@link Runtime#run} throws {@link gort.sched.ExitStatus}).
     * Other goroutines stop where they are; nothing after the call runs.
     */
    public static void exit(int code) {
        Sched.current().exitProcess(code);
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
