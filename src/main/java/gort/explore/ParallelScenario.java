package gort.explore;

import gort.api.Config;
import gort.api.Go;
import gort.api.Time;
import gort.api.WaitGroup;
import gort.platform.SimPlatform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The explorer's scheduler program, after Go's TestGoroutineParallelism (proc_test.go):
 * {@link #PROCS} Ps and, {@link #TRIES} times, {@link #PROCS} goroutines that pass a token round
 * {@link #LAPS} times, each busy-waiting for its turn; main starts them and waits. The round can
 * only end when all of them run at once, each on a P of its own, so it checks that every goroutine
 * made runnable while a P is idle gets an M: the spinning-M protocol's wakeups (newproc and ready
 * wake a P unless an M spins; a spinning M that goes idle looks at the run queues once more).
 *
 * <p>Its check, thrown from main: each try ends within {@link #TRY_NS} of virtual time. A goroutine
 * left in a run queue while a P is idle (a lost wakeup) waits behind a busy-waiter of its own P
 * until sysmon preempts it (10 ms), which passes the bound. The waits call the clock, so that the
 * simulation can switch threads while a goroutine busy-waits, and poll, so that sysmon can preempt
 * it (no GC runs: the program allocates nothing).
 */
public final class ParallelScenario implements Scenario {
    public static final int PROCS = 4;
    static final int TRIES = 3;
    static final int LAPS = 3;
    /** A try's bound in virtual time: far below sysmon's 10 ms preemption. */
    static final long TRY_NS = 5 * Time.MILLISECOND;

    @Override
    public String name() {
        return "parallel";
    }

    @Override
    public String description() {
        return PROCS + " Ps, " + TRIES + " times " + PROCS + " goroutines passing a token by busy-waiting (every one needs a P at once)";
    }

    @Override
    public int procs() {
        return PROCS;
    }

    @Override
    public Config config(SimPlatform p, Map<String, String> godebug) {
        return Config.defaults(p).withGomaxprocs(PROCS).withGodebug(new LinkedHashMap<>(godebug));
    }

    @Override
    public void main() {
        for (int t = 0; t < TRIES; t++) {
            AtomicInteger x = new AtomicInteger();
            WaitGroup done = new WaitGroup();
            done.add(PROCS);
            long t0 = Time.now();
            for (int p = 0; p < PROCS; p++) {
                int me = p;
                Go.go("token", () -> {
                    for (int i = 0; i < LAPS; i++) {
                        int expected = PROCS * i + me;
                        while (x.get() != expected) {
                            Time.now();
                            Go.poll();
                        }
                        x.set(expected + 1);
                    }
                    done.done();
                });
            }
            done.await();
            long took = Time.now() - t0;
            if (took > TRY_NS) {
                throw new CycleHang("try " + t + " took " + took / 1000 + " µs of virtual time, over " + TRY_NS / 1000
                        + " µs: a runnable goroutine waited while a P was idle (a lost wakeup?)");
            }
        }
    }
}
