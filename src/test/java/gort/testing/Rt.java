package gort.testing;

import gort.api.Config;
import gort.api.Runtime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test support: runs a runtime under a watchdog so that a hung scheduler fails its test instead
 * of hanging the suite. The watchdog bounds time only; no test asserts on elapsed time.
 *
 * <p>A runtime that trips the watchdog is ended ({@link Runtime#abort}) before the test fails, and
 * the watchdog waits for its threads: left running, its goroutines would take the host's CPU from
 * every later test in the JVM. The failure says whether the runtime ended.
 */
public final class Rt {
    private Rt() {}

    /** Default hang guard for one runtime in a test. */
    public static final long WATCHDOG_SECONDS = 60;

    public static void run(int procs, Runnable main) {
        run(Config.defaults().withGomaxprocs(procs), main);
    }

    public static void run(Config config, Runnable main) {
        run(config, WATCHDOG_SECONDS, main);
    }

    /** Runs main in a fresh runtime; rethrows what the runtime threw; fails after seconds. */
    public static void run(Config config, long seconds, Runnable main) {
        AtomicReference<Throwable> err = new AtomicReference<>();
        AtomicReference<Runtime> started = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Runtime.run(config, () -> {
                    started.set((Runtime) gort.sched.Sched.current().env);
                    main.run();
                });
            } catch (Throwable e) {
                err.set(e);
            }
        }, "gort-test-runner");
        t.setDaemon(true);
        t.start();
        join(t, seconds * 1000);
        if (t.isAlive()) {
            String dump = threadDump();
            // main never ran: the runtime started last is this one (tests run one at a time)
            Runtime rt = started.get() != null ? started.get() : Runtime.lastStarted();
            if (rt != null) {
                rt.abort("fatal error: watchdog: test runtime did not finish within " + seconds + " s");
            }
            join(t, STOP_SECONDS * 1000);
            throw new AssertionError("watchdog: runtime did not finish within " + seconds + " s (hang?); "
                    + (t.isAlive() ? "it is still running after " + STOP_SECONDS + " s of being stopped" : "stopped")
                    + "\n" + dump);
        }
        Throwable e = err.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error er) {
            throw er;
        }
    }

    /**
     * How long the watchdog waits for a runtime it stopped to end: more than the grace a runtime
     * gives a goroutine to reach a safepoint when it exits.
     */
    static final long STOP_SECONDS = 30;

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The stacks of every live thread but the JVM's own (what each M is doing), for hang reports. */
    public static String threadDump() {
        StringBuilder sb = new StringBuilder();
        Runtime rt = Runtime.lastStarted();
        if (rt != null) {
            sb.append(rt.debugDump());
        }
        Thread.getAllStackTraces().forEach((th, st) -> {
            if (th.isDaemon() && (th.getName().startsWith("Reference") || th.getName().startsWith("Finalizer")
                    || th.getName().startsWith("Signal") || th.getName().startsWith("Common-Cleaner"))) {
                return;
            }
            sb.append("thread \"").append(th.getName()).append("\" ").append(th.getState()).append('\n');
            int n = 0;
            for (StackTraceElement e : st) {
                if (n++ == 40) {
                    sb.append("\t...\n");
                    break;
                }
                sb.append("\tat ").append(e).append('\n');
            }
        });
        return sb.toString();
    }

    /** Spins (no safepoint) until the condition holds or the bound passes; returns whether it held. */
    public static boolean spinUntil(java.util.function.BooleanSupplier cond, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
