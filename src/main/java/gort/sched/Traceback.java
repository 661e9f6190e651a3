package gort.sched;

import jdk.internal.vm.Continuation;

/**
 * Where a goroutine is in the program: the innermost frame of its stack that is the program's own
 * code rather than the runtime's (the line Go's traceback prints under a goroutine's header, after
 * the runtime frames {@code gopark}, {@code chanrecv}, ...).
 *
 * <p>Owns nothing: it walks a stack only when a report asks, so parking, readying and running a
 * goroutine pay nothing for it. A parked or runnable goroutine's frames are in its unmounted
 * continuation; a running one's are on its M's thread, below that M's schedule loop.
 *
 * <p>Invariants: the caller makes sure the stack it asks for cannot change under the walk in a way
 * that matters. The deadlock dump walks with every M idle, so every goroutine is unmounted and
 * stays so; a report on a goroutine that holds a safepoint up reads a running thread's stack, which
 * the JVM samples safely (the frame it names is wherever the loop was at that instant).
 *
 * <p>Simplification (docs/ARCHITECTURE.md): one frame, not Go's whole traceback with its callers
 * and the {@code created by} line.
 */
final class Traceback {
    private Traceback() {}

    /** Packages whose frames are the runtime's or the JDK's, never the program's. */
    private static final String[] RUNTIME_PACKAGES = {
        "gort.sched.", "gort.api.", "gort.gc.", "gort.heap.", "gort.platform.", "gort.trace.", "gort.cli.", "java.", "jdk.", "sun.",
    };

    /**
     * Where gp is in the program, as {@code File.java:LINE (Class.method)}, or null when none of its
     * frames is the program's (a runtime goroutine, a stack the JVM would not give).
     */
    static String programFrame(G gp) {
        StackTraceElement[] st = stackOf(gp);
        return st == null ? null : programFrame(st);
    }

    /** The innermost frame of st outside the runtime, formatted; or null. */
    static String programFrame(StackTraceElement[] st) {
        for (StackTraceElement e : st) {
            if (!isRuntime(e.getClassName())) {
                String at = e.getFileName() == null ? "unknown source"
                        : e.getLineNumber() > 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
                String cls = e.getClassName();
                return at + " (" + cls.substring(cls.lastIndexOf('.') + 1) + "." + e.getMethodName() + ")";
            }
        }
        return null;
    }

    static boolean isRuntime(String className) {
        for (String p : RUNTIME_PACKAGES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** gp's frames, innermost first: from its M's thread while mounted, else from its continuation. */
    private static StackTraceElement[] stackOf(G gp) {
        try {
            M mp = gp.m;
            int s = gp.status();
            if (mp != null && (s == G.RUNNING || s == G.SYSCALL)) {
                Thread t = mp.thread;
                return t == null ? null : t.getStackTrace();
            }
            Continuation c = gp.cont;
            return c == null || c.isDone() ? null : c.getStackTrace();
        } catch (RuntimeException e) {
            return null; // the goroutine moved under the walk: a report goes without the frame
        }
    }
}
