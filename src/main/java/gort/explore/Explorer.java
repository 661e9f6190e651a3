package gort.explore;

import gort.api.Config;
import gort.gc.CycleRecord;
import gort.gc.GcFaults;
import gort.platform.Chooser;
import gort.platform.ReplayChooser;
import gort.platform.SimDeadlock;
import gort.platform.SimPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Runs a {@link Scenario} on the simulated platform once per schedule and checks every schedule
 * with the oracles of {@link Outcome.Oracle}; a schedule is a seed of a {@link Strategy} (the
 * chooser that picks the next thread at every decision point), or a recorded decision list
 * ({@link #replay}).
 *
 * <p>The oracles: the simulation's deadlock (every thread blocked for ever); the runtime's fatal
 * error or panic, the scenario's own checks included (its bound on a cycle's virtual time is how a
 * lost wakeup shows: the goroutines still run, so no deadlock); GODEBUG gccheckmark=1 (scenarios
 * turn it on), which re-marks after every cycle and dies naming a reachable unmarked object; and
 * the collector's cycle records ({@link #checkProtocol}): one record per cycle, numbered in order,
 * and a concurrent cycle's two marking phases each completed once, by a named completer, in order
 * (mark 1 done, its transition, mark 2 done, its transition, the cycle's end).
 *
 * <p>Owns nothing between schedules but idle host threads: each schedule runs in a fresh runtime
 * on a fresh platform, on a host thread that runs nothing else meanwhile (taken from a pool,
 * {@code CALLERS}; the runtime's caller attaches to the simulation), under a host-time guard that only
 * catches a host thread spinning without platform calls, which the simulation cannot deschedule
 * (such a schedule's threads are left running: nothing can stop them). A campaign may run its
 * schedules on several host threads at once ({@code jobs}): simulations share no scheduling
 * state (each platform has its own threads, clock and chooser), which {@code ExplorerTest} checks
 * by comparing a parallel campaign's failures with a serial one's.
 */
public final class Explorer {
    /** How a seed becomes a chooser. */
    public enum Strategy {
        /** Uniform among the runnable threads at every decision point ({@link gort.platform.SeededChooser}). */
        RANDOM(seed -> new gort.platform.SeededChooser(seed)),
        /**
         * PCT ({@link PctChooser}) of depth {@link #PCT_DEPTH} over an estimated
         * {@link #PCT_STEPS} decisions: priorities and change points drawn from the seed.
         */
        PCT(seed -> new PctChooser(seed, PCT_DEPTH, PCT_STEPS)),
        /**
         * POS ({@link PosChooser}): a random priority per thread's next event, the highest runnable
         * runs and its thread draws a new one (the paper's BasicPOS: no race information here).
         */
        POS(PosChooser::new);

        final LongFunction<Chooser> chooser;

        Strategy(LongFunction<Chooser> chooser) {
            this.chooser = chooser;
        }

        public String flag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Strategy parse(String s) {
            for (Strategy st : values()) {
                if (st.flag().equals(s)) {
                    return st;
                }
            }
            return null;
        }
    }

    /** PCT's depth: bugs that need up to this many ordering constraints (d - 1 priority changes). */
    public static final int PCT_DEPTH = 3;
    /** PCT's estimate of one schedule's decisions (the mark-termination scenario takes some 300-400). */
    public static final long PCT_STEPS = 400;

    /**
     * A schedule's bound in virtual time, past the scenario's own: a run whose threads only sleep
     * and wake without progress ends there (as {@link Outcome.Oracle#HANG}) instead of running on.
     */
    static final long VIRTUAL_LIMIT_NS = 10_000_000_000L;

    /**
     * The runtime's debug checks every schedule runs with, on top of the scenario's settings:
     * goroutine status changes checked against Go's table (GODEBUG gstatuscheck). It adds no
     * platform call, so it moves no decision.
     */
    static final Map<String, String> CHECKS = Map.of("gstatuscheck", "1");

    /** The host-time guard of one schedule. */
    static final long HOST_GUARD_MS = 60_000;

    /**
     * The host threads that call {@code Runtime.run} for a schedule, kept between schedules
     * (daemons, each ended after a minute unused): starting and ending a host thread per schedule
     * costs more than a small schedule's own set-up. A thread left behind by a host hang stays
     * busy, and the next schedule gets another.
     */
    private static final java.util.concurrent.ExecutorService CALLERS = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "explore-caller");
                t.setDaemon(true);
                return t;
            });

    private final Scenario scenario;
    private final Map<String, String> godebug;
    private final Supplier<GcFaults> faults;

    /**
     * @param godebug GODEBUG settings added to the scenario's (a design, a wakeup strategy)
     * @param faults makes each schedule's collector faults (test-only planted bugs), or null for none
     */
    public Explorer(Scenario scenario, Map<String, String> godebug, Supplier<GcFaults> faults) {
        this.scenario = scenario;
        this.godebug = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(godebug));
        this.faults = faults;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The GODEBUG settings added to the scenario's. */
    public Map<String, String> godebug() {
        return godebug;
    }

    /** Runs one schedule: the strategy's chooser from {@code seed}. */
    public Outcome run(Strategy strategy, long seed) {
        return run(seed, strategy.chooser.apply(seed));
    }

    /**
     * Repeats a schedule from its seed and recorded decisions. A replay that cannot follow them (a
     * decision names a thread that is not runnable, or the run needs more decisions than were
     * recorded: the runtime or the scenario changed) goes on choosing the first runnable thread,
     * so that it ends, and fails with {@link Outcome.Oracle#DIVERGED}.
     */
    public Outcome replay(long seed, int[] decisions) {
        Following f = new Following(decisions);
        Outcome o = run(seed, f);
        if (f.diverged != null) {
            return new Outcome(seed, o.decisions(), o.virtualNs(), new Outcome.Failure(Outcome.Oracle.DIVERGED, f.diverged
                    + (o.failure() == null ? "" : "; then " + o.failure().oracle() + ": " + o.failure().headline())));
        }
        return o;
    }

    /** A {@link ReplayChooser} that, once the run leaves the recorded decisions, says where and picks the first runnable thread. */
    private static final class Following implements Chooser {
        private final ReplayChooser replay;
        String diverged;

        Following(int[] decisions) {
            this.replay = new ReplayChooser(decisions);
        }

        @Override
        public int choose(int[] runnable, int n) {
            if (diverged == null) {
                try {
                    return replay.choose(runnable, n);
                } catch (IllegalStateException e) {
                    diverged = e.getMessage();
                }
            }
            return 0;
        }
    }

    /** Runs one schedule from {@code seed} with choices from {@code chooser}. */
    Outcome run(long seed, Chooser chooser) {
        return run(seed, chooser, VIRTUAL_LIMIT_NS);
    }

    /**
     * As {@link #run(long, Chooser)}, ended as a {@link Outcome.Oracle#HANG} past {@code virtualLimitNs}
     * of virtual time (at most {@link #VIRTUAL_LIMIT_NS}): a shrink's guided runs, whose default
     * choices can spin far longer than the failure they shrink, and record every decision meanwhile.
     */
    Outcome run(long seed, Chooser chooser, long virtualLimitNs) {
        SimPlatform p = new SimPlatform(seed, scenario.procs(), chooser).limitTime(Math.min(virtualLimitNs, VIRTUAL_LIMIT_NS));
        AtomicReference<List<CycleRecord>> records = new AtomicReference<>();
        AtomicReference<Integer> numGC = new AtomicReference<>();
        Config cfg = scenario.config(p, godebug).withGodebug(CHECKS).withOnExit(rt -> {
            records.set(rt.collector().cycleRecords());
            numGC.set(rt.collector().numGC());
        });
        if (faults != null) {
            cfg = cfg.withGcFaults(faults.get());
        }
        Config config = cfg;
        AtomicReference<Throwable> err = new AtomicReference<>();
        String name = "explore-" + scenario.name() + "-" + seed;
        java.util.concurrent.Future<?> done = CALLERS.submit(() -> {
            Thread.currentThread().setName(name); // the attached thread's name, as deadlock reports show it
            try {
                gort.api.Runtime.run(config, scenario::main);
            } catch (Throwable e) {
                err.set(e);
            }
        });
        boolean hung = false;
        try {
            done.get(HOST_GUARD_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            hung = true;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Outcome.Failure f;
        if (hung) {
            // nothing can stop it: a thread that makes no platform call cannot be descheduled, and
            // Runtime.abort blocks on the platform, which a thread outside the simulation may not;
            // the schedule's daemon threads are left behind
            f = new Outcome.Failure(Outcome.Oracle.HOST_HANG, "the schedule did not end within " + HOST_GUARD_MS / 1000 + " s of host time");
        } else {
            f = classify(p, err.get());
            if (f == null) {
                f = checkProtocol(records.get(), numGC.get());
            }
        }
        return new Outcome(seed, p.decisions(), p.now(), f);
    }

    /** The failure a run's end shows, or null. */
    static Outcome.Failure classify(SimPlatform p, Throwable e) {
        if (p.failure() != null) {
            return new Outcome.Failure(p.failure().contains("virtual time limit") ? Outcome.Oracle.HANG : Outcome.Oracle.DEADLOCK, p.failure());
        }
        if (e == null) {
            return null;
        }
        if (e instanceof SimDeadlock) {
            return new Outcome.Failure(Outcome.Oracle.DEADLOCK, e.getMessage());
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains(CycleHang.class.getName())) {
            return new Outcome.Failure(Outcome.Oracle.HANG, m.substring(m.indexOf(CycleHang.class.getName())));
        }
        if (m.contains("notewakeup - double wakeup")) {
            return new Outcome.Failure(Outcome.Oracle.NOTE, m.substring(m.indexOf("notewakeup")));
        }
        if (m.contains("fatal error: casgstatus")) {
            return new Outcome.Failure(Outcome.Oracle.GSTATUS, m.substring(m.indexOf("casgstatus")));
        }
        if (m.contains("of a dead object") || m.contains("a freed slot must hold only the poison")) {
            return new Outcome.Failure(Outcome.Oracle.FREED, m);
        }
        if (m.contains("checkmark found")) {
            return new Outcome.Failure(Outcome.Oracle.CHECKMARK, m);
        }
        return new Outcome.Failure(Outcome.Oracle.FATAL, e.getClass().getSimpleName() + ": " + m);
    }

    /**
     * The phase protocol as the cycle records show it: one record per cycle, numbered 1, 2, ...;
     * a concurrent cycle's mark 1 and mark 2 each completed exactly once, by a named completer,
     * each transition after its completion, mark 2's completion after mark 1's transition, and
     * the cycle's end after mark 2's transition. Null if it holds.
     */
    static Outcome.Failure checkProtocol(List<CycleRecord> records, Integer numGC) {
        if (records == null || numGC == null) {
            return new Outcome.Failure(Outcome.Oracle.PROTOCOL, "the runtime ended without its cycle records");
        }
        if (records.size() != numGC) {
            return protocol(records.size() + " cycle records for " + numGC + " cycles");
        }
        for (int i = 0; i < records.size(); i++) {
            CycleRecord r = records.get(i);
            if (r.cycle() != i + 1) {
                return protocol("record " + i + " is of cycle " + r.cycle());
            }
            if (r.forced()) {
                if (r.mark1() != null || r.mark2() != null) {
                    return protocol("forced cycle " + r.cycle() + " has a marking completion");
                }
                continue;
            }
            CycleRecord.Completion m1 = r.mark1();
            CycleRecord.Completion m2 = r.mark2();
            if (m1 == null || m2 == null) {
                return protocol("cycle " + r.cycle() + " lacks the completion of mark " + (m1 == null ? 1 : 2));
            }
            if (m1.completer() == null || m2.completer() == null) {
                return protocol("cycle " + r.cycle() + ": a phase completed by nobody");
            }
            long[] order = {r.startNs(), m1.doneNs(), m1.resumedNs(), m2.doneNs(), m2.resumedNs(), r.endNs()};
            String[] names = {"start", "mark 1 done", "mark 1 transition", "mark 2 done", "mark 2 transition", "end"};
            for (int k = 1; k < order.length; k++) {
                if (order[k] < order[k - 1]) {
                    return protocol("cycle " + r.cycle() + ": " + names[k] + " at " + order[k] + " ns before " + names[k - 1] + " at "
                            + order[k - 1] + " ns");
                }
            }
        }
        return null;
    }

    private static Outcome.Failure protocol(String m) {
        return new Outcome.Failure(Outcome.Oracle.PROTOCOL, m);
    }

    /**
     * How many of a campaign's failures keep their decision lists (in the order they came); later
     * ones keep their seed, virtual time and failure, and replay from the seed.
     */
    public static final int KEPT_DECISIONS = 100;

    /** What a campaign came to. */
    public record Campaign(int schedules, List<Outcome> failures, long hostNanos) {
        public double schedulesPerSecond() {
            return hostNanos == 0 ? 0 : schedules * 1e9 / hostNanos;
        }
    }

    /** Called after each schedule of a campaign (progress). */
    public interface Listener {
        void scheduleDone(int index, Outcome o);
    }

    /**
     * Runs schedules seed, seed+1, ..., seed+n-1 one after another; stops early after
     * {@code maxFailures} failures (0: never). Failed outcomes are kept, passing ones dropped.
     */
    public Campaign explore(Strategy strategy, long seed, int n, int maxFailures, Listener listener) {
        return explore(strategy, seed, n, maxFailures, listener, 1);
    }

    /**
     * As above, on {@code jobs} host threads, each running its own simulations (a schedule is a
     * function of its seed alone, whichever thread runs it and whatever runs beside it). The
     * failures come back in seed order; with {@code maxFailures}, the campaign stops handing out
     * seeds once that many failed, so with several jobs it may have run a few seeds past the
     * failures' (they are counted). The listener is called under a lock, in completion order.
     */
    public Campaign explore(Strategy strategy, long seed, int n, int maxFailures, Listener listener, int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs " + jobs + " is invalid: must be at least 1");
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        List<Outcome> failures = new ArrayList<>();
        Object lock = new Object();
        long t0 = System.nanoTime();
        Runnable worker = () -> {
            for (;;) {
                synchronized (lock) {
                    if (maxFailures > 0 && failures.size() >= maxFailures) {
                        return;
                    }
                }
                int i = next.getAndIncrement();
                if (i >= n) {
                    return;
                }
                Outcome o = run(strategy, seed + i);
                synchronized (lock) {
                    int done = ran.incrementAndGet();
                    if (o.failed()) {
                        // past the first KEPT_DECISIONS failures only the seed and the failure are kept: a
                        // hang's decision list can run to millions, and its seed replays it anyway
                        failures.add(failures.size() < KEPT_DECISIONS ? o : new Outcome(o.seed(), new int[0], o.virtualNs(), o.failure()));
                    }
                    if (listener != null) {
                        listener.scheduleDone(done - 1, o);
                    }
                }
            }
        };
        if (jobs == 1) {
            worker.run();
        } else {
            List<Thread> ts = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                Thread t = new Thread(worker, "explore-job-" + j);
                t.setDaemon(true);
                t.start();
                ts.add(t);
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        failures.sort(java.util.Comparator.comparingLong(Outcome::seed));
        return new Campaign(ran.get(), failures, System.nanoTime() - t0);
    }
}
