package gort.platform;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A platform thread serving one M. Owns: the back-pointer to that M and to the {@link Platform}
 * that started the thread, so that code running on the thread (including a goroutine's
 * continuation mounted on it) finds its M from the thread itself. Raw continuations keep the
 * carrier's identity, so this works inside goroutines too.
 *
 * <p>Invariant: {@link #currentOwner()} is the only static way up from a thread to its M, and it
 * asks the thread's own platform ({@link Platform#ownerOf}); code that has a runtime at hand asks
 * that runtime's platform ({@link Platform#currentOwner()}) instead. So a platform that runs Ms
 * its own way (a simulated one) answers for its threads wherever the question is asked, and
 * several platforms can share one JVM.
 */
public final class OsThread extends Thread {
    volatile Object owner;
    /**
     * The platform that started this thread (newosproc): the one that says whom it serves. Fixed,
     * except on a simulated platform's driver, which serves one platform after another
     * ({@link SimDriver}) and is re-pointed, by the thread handing it work, while it serves none.
     */
    Platform platform;

    OsThread(Platform platform, String name, Object owner, Runnable body) {
        super(null, body, name, 0, false);
        this.platform = platform;
        this.owner = owner;
        setDaemon(true);
    }

    public Object owner() {
        return owner;
    }

    /** The platform that started this thread. */
    public Platform platform() {
        return platform;
    }

    /**
     * The owner (M) of the calling thread, as the platform that started the thread says
     * ({@link Platform#ownerOf}), or null for a thread no platform started. Static and cheap (one
     * thread lookup, two field loads and a call the JIT inlines): the scheduler calls it at every
     * safepoint. The one static entry point for this question; see the class comment.
     */
    public static Object currentOwner() {
        return current() instanceof OsThread t ? t.platform.ownerOf(t) : null;
    }

    /**
     * The JVM flag that keeps {@link #currentThreadOutOfLine} a real call. The {@code gort} launcher
     * and the test runner pass it; without it {@link #current()} falls back to a slower method
     * handle that the JIT cannot inline either.
     */
    public static final String DONTINLINE_FLAG =
            "-XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine";

    /** True when the JVM was started with {@link #DONTINLINE_FLAG}. */
    public static final boolean FAST_LOOKUP = java.lang.management.ManagementFactory.getRuntimeMXBean()
            .getInputArguments().stream().anyMatch(a -> a.contains("OsThread::currentThreadOutOfLine"));

    /**
     * The thread the caller runs on right now. Goroutine code must use this, never an inlined
     * {@code Thread.currentThread()}: the JIT (C2) treats {@code currentThread()} as immutable
     * within a compiled method and may hoist it out of a loop or reuse it across a call, but a
     * goroutine's continuation can yield on one carrier thread and resume on another, so an inlined
     * value can name the thread (and so the M) the goroutine ran on before it last parked. The
     * lookup is therefore always a real call, evaluated on the thread that makes it: a method the
     * JIT is told not to inline ({@link #DONTINLINE_FLAG}), or else a non-constant method handle
     * (the slower of the two).
     */
    public static Thread current() {
        if (FAST_LOOKUP) {
            return currentThreadOutOfLine();
        }
        try {
            return (Thread) currentThreadMH.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread currentThreadOutOfLine() {
        return Thread.currentThread();
    }

    /** Deliberately not final: a constant method handle would be inlined, defeating its purpose. */
    private static MethodHandle currentThreadMH;

    static {
        try {
            currentThreadMH = MethodHandles.lookup().findStatic(OsThread.class, "currentThreadOutOfLine",
                    MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * On a simulated platform: 1 once the thread has left the simulation (it ended), else 0; the
     * futex {@link SimPlatform#awaitThreadEnd} sleeps on in virtual time. Unused on the real platform.
     */
    final Futex ended = new Futex();

    /** For simulated platforms: re-point the calling thread at another M. */
    public void setOwner(Object o) {
        owner = o;
    }
}
