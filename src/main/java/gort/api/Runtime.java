package gort.api;

import gort.gc.Collector;
import gort.heap.MHeap;
import gort.platform.Platform;
import gort.sched.FatalError;
import gort.sched.Sched;

/**
 * One gort runtime: starts from a {@link Config}, runs a main goroutine, and returns when main
 * returns (other goroutines are abandoned, as when a Go program's main returns: each stops at its
 * next safepoint, and {@link #run} returns once every thread of the runtime has ended).
 *
 * <p>Owns: the scheduler, the heap and the collector of this runtime. Invariant: {@link #run} returns normally only if main
 * returned or the program called {@code Go.exit(0)}; a deadlock, an uncaught exception in any goroutine or a runtime fatal error surface
 * as a {@link FatalError} whose message is what Go would print, and {@code Go.exit(code)} with a
 * non-zero code as a {@link gort.sched.ExitStatus}.
 */
public final class Runtime {
    private final Config config;
    private final Sched sched;
    private final MHeap mheap;
    private final Collector gc;
    private final Heap heap;

    private Runtime(Config config, Platform platform) {
        this.config = config;
        this.sched = new Sched(platform, config.gomaxprocs(), config.godebugInt("schedtrace"), config.traceOut(),
                config.trace(), config.schedAblations());
        this.mheap = new MHeap(platform, config.heapCapBytes(), config.debugHeap());
        this.gc = new Collector(sched, mheap, config.collectorSettings(), config.traceOut());
        this.heap = new Heap(gc);
        sched.setGStatusCheck(config.godebugInt("gstatuscheck") > 0);
        sched.setFaults(config.collectorSettings().faults().sched);
        sched.setHooks(gc.hooks());
        sched.env = this;
        mheap.mem().setOwner(sched.name());
    }

    /** The runtime of the calling goroutine. */
    static Runtime current() {
        return (Runtime) Sched.current().env;
    }

    /** The runtime a scheduler belongs to. */
    static Runtime of(Sched s) {
        return (Runtime) s.env;
    }

    /** How messages name this runtime ("runtime 3": its number in this JVM). */
    public String name() {
        return sched.name();
    }

    /**
     * Runs main as the main goroutine of a new runtime on the config's platform (real threads by
     * default). The calling thread, which the platform did not start, takes part in the
     * platform's scheduling while the runtime lives ({@link Platform#attach}): on a simulated
     * platform it is one of the simulation's threads, chosen like the Ms, while it builds the
     * runtime and waits for its end, and it leaves before the exit hook runs.
     */
    public static void run(Config config, Runnable main) {
        Platform platform = config.platform();
        platform.attach(gort.platform.OsThread.current().getName());
        Runtime rt;
        try {
            rt = new Runtime(config, platform);
            lastStarted = rt;
            try {
                rt.runMain(main);
            } finally {
                if (rt.sched.trace != null) {
                    rt.sched.trace.close(); // the file is complete when main returned (runMain stopped the trace)
                }
                rt.mheap.mem().markEnded();
            }
        } finally {
            platform.detach();
        }
        if (config.onExit() != null) {
            config.onExit().accept(rt);
        }
    }

    private static volatile Runtime lastStarted;

    /** The runtime started last in this JVM (for hang reports in tests and tools), or null. */
    public static Runtime lastStarted() {
        return lastStarted;
    }

    /** Every goroutine with its status, and the collector's state: what a hang report needs. */
    public String debugDump() {
        StringBuilder sb = new StringBuilder(gc.debugState()).append('\n');
        for (gort.sched.G gp : sched.allgs()) {
            sb.append("goroutine ").append(gp.goid()).append(gp.isSystem() ? " (system)" : "").append(" [")
                    .append(gp.status() == gort.sched.G.WAITING ? gp.waitReason() : gort.sched.G.statusName(gp.status()))
                    .append("]\n");
        }
        return sb.toString();
    }

    /**
     * Ends this runtime from outside it (another Java thread): {@link #run} then throws a
     * {@link FatalError} with this message once every M has ended, within the same grace a returning
     * main gets (a goroutine that reaches no safepoint keeps its thread, as a Go loop without
     * safepoints cannot be preempted). See {@link Sched#abort}.
     */
    public void abort(String message) {
        sched.abort(message);
    }

    /** Runs main under the environment's GOMAXPROCS/GOGC/GODEBUG. */
    public static void run(Runnable main) {
        run(Config.fromEnv(), main);
    }

    private void runMain(Runnable main) {
        sched.start(() -> {
            // as Go's runtime.main: start the background sweeper, then run the program
            sched.setSystem(sched.newproc(gc::bgsweep, "runtime.bgsweep"));
            main.run();
            if (sched.trace != null) {
                sched.trace.stopFromGoroutine(); // Go's StopTrace, as main returns
            }
        });
        sched.awaitExit();
    }

    public Collector collector() {
        return gc;
    }

    public Heap heap() {
        return heap;
    }

    public Config config() {
        return config;
    }

    public Sched sched() {
        return sched;
    }
}
