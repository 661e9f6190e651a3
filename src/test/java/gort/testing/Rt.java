package gort.testing;

import gort.api.Config;
import gort.api.Runtime;
import gort.platform.RealPlatform;
import gort.platform.SimPlatform;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test support: runs a runtime under a watchdog so that a hung scheduler fails its test instead
 * of hanging the suite. The watchdog bounds time only; no test asserts on elapsed time.
 *
 * <p>The test platform: with the system property {@value #PLATFORM_PROPERTY} set to {@code sim}
 * (or {@code sim:SEED}), every runtime a test starts here on the real platform runs instead on a
 * fresh {@link SimPlatform} seeded from SEED (default 1) and with as many CPUs as the test's
 * GOMAXPROCS, bounded at {@link #SIM_VIRTUAL_LIMIT_NS} of virtual time; a test whose config
 * names a platform of its own keeps it. This is how the suite's timing-dependent tests run a
 * second time, deterministically (the surefire execution {@code on-sim} in pom.xml).
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
        Config onPlatform = onTestPlatform(config);
        simulated = onPlatform.platform() instanceof SimPlatform sp ? sp : null;
        AtomicReference<Throwable> err = new AtomicReference<>();
        AtomicReference<Runtime> started = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Runtime.run(onPlatform, () -> {
                    started.set((Runtime) gort.sched.Sched.current().env);
                    main.run();
                });
            } catch (Throwable e) {
                err.set(e);
            }
        }, "gort-test-runner");
        t.setDaemon(true);
        t.start();
        try {
            join(t, seconds * 1000);
        } finally {
            if (!t.isAlive()) {
                simulated = null;
            }
        }
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

    /** The system property that chooses the platform of the tests' runtimes: {@code real} (default), {@code sim} or {@code sim:SEED}. */
    public static final String PLATFORM_PROPERTY = "gort.test.platform";

    /** A simulated test runtime's bound in virtual time: past it, the run fails as a deadlock does. */
    public static final long SIM_VIRTUAL_LIMIT_NS = 600_000_000_000L;

    /** The simulated platform of the runtime {@link #run} started last, or null (tests run one at a time). */
    private static volatile SimPlatform simulated;

    /**
     * One turn of a test's spin loop, which stands for a thread that keeps its CPU while others run
     * beside it: nothing more on the real platform; on the simulated one, which runs one thread at
     * a time, a decision point (procyield), so that the other threads run meanwhile, as they would
     * on another core. It is no goroutine safepoint: a loop of these still holds its P.
     */
    public static void spinTurn() {
        SimPlatform p = simulated;
        if (p != null) {
            p.procyield(1);
        } else {
            Thread.onSpinWait();
        }
    }

    /** True when tests' runtimes run on the simulated platform ({@link #PLATFORM_PROPERTY}). */
    public static boolean onSim() {
        return System.getProperty(PLATFORM_PROPERTY, "real").startsWith("sim");
    }

    /** config on the platform {@link #PLATFORM_PROPERTY} chooses, unless it already names a platform other than the real one. */
    public static Config onTestPlatform(Config config) {
        String v = System.getProperty(PLATFORM_PROPERTY, "real");
        if (v.equals("real") || config.platform() != RealPlatform.INSTANCE) {
            return config;
        }
        long seed = 1;
        if (v.startsWith("sim:")) {
            seed = Long.parseLong(v.substring(4));
        } else if (!v.equals("sim")) {
            throw new IllegalArgumentException(PLATFORM_PROPERTY + "=" + v + " is invalid: use real, sim or sim:SEED");
        }
        return config.withPlatform(new SimPlatform(seed, Math.max(1, config.gomaxprocs())).limitTime(SIM_VIRTUAL_LIMIT_NS));
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
            spinTurn();
        }
        return true;
    }
}
