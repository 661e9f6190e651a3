package gort.platform;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A platform thread serving one M. Owns: the back-pointer to that M, so that code running on the
 * thread (including a goroutine's continuation mounted on it) finds its M from the thread itself.
 * Raw continuations keep the carrier's identity, so this works inside goroutines too.
 */
public final class OsThread extends Thread {
    volatile Object owner;

    OsThread(String name, Object owner, Runnable body) {
        super(null, body, name, 0, false);
        this.owner = owner;
        setDaemon(true);
    }

    public Object owner() {
        return owner;
    }

    /**
     * The owner (M) of the calling thread, or null for a thread the runtime did not start. Static
     * and cheap: the scheduler calls it at every safepoint. A simulated platform that runs several
     * Ms on one host thread re-points the owner when it switches Ms.
     */
    public static Object currentOwner() {
        return current() instanceof OsThread t ? t.owner : null;
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
     * The simulation that started this thread, or null on the real platform; set once by
     * {@link SimPlatform#newosproc} before the thread starts.
     */
    SimPlatform simulation;
    /** On a simulated platform: 1 once the thread has left the simulation (it ended), else 0. */
    final Futex ended = new Futex();

    /**
     * Waits up to {@code nanos} for this thread to end; true if it has ended. On a simulated
     * platform the wait is a futex sleep in virtual time (a real join would wait for a thread that
     * cannot run: only the caller holds the baton).
     */
    public boolean awaitEnd(long nanos) {
        if (simulation != null) {
            return simulation.awaitEnd(this, nanos);
        }
        try {
            return join(java.time.Duration.ofNanos(Math.max(1, nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive();
        }
    }

    /** For simulated platforms: re-point the calling thread at another M. */
    public void setOwner(Object o) {
        owner = o;
    }
}
