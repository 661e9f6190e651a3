package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.platform.SimPlatform;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole runtimes on the simulated platform: the scheduler, timers and the collector run one M at
 * a time in virtual time, and a run is a function of its seed. Rt's watchdog only guards against
 * a hang; the assertions read the simulation's decisions and virtual clock.
 */
class SimRuntimeTest {

    static Config on(SimPlatform p, int procs) {
        return Config.defaults(p).withGomaxprocs(procs);
    }

    @Test
    void aMainThatReturnsEndsTheRuntime() {
        SimPlatform p = new SimPlatform(1, 4);
        Rt.run(on(p, 4), () -> {});
        assertThat(p.failure()).isNull();
        assertThat(p.decisionCount()).isGreaterThan(0);
    }

    @Test
    void twoGoroutinesOverAnUnbufferedChannel() {
        SimPlatform p = new SimPlatform(2, 4);
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        Rt.run(on(p, 4), () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 0);
            Chan<Boolean> done = Go.makeChan(Boolean.class, 0);
            Go.go(() -> {
                for (int i = 0; i < 10; i++) {
                    got.add(c.recv());
                }
                done.send(true);
            });
            for (int i = 0; i < 10; i++) {
                c.send(i);
            }
            done.recv();
        });
        assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aTimerSleepTakesVirtualTime() {
        SimPlatform p = new SimPlatform(3, 2);
        long[] slept = new long[1];
        Rt.run(on(p, 2), () -> {
            long t0 = Time.now();
            Time.sleep(10 * Time.MILLISECOND);
            slept[0] = Time.now() - t0;
        });
        assertThat(slept[0]).isGreaterThanOrEqualTo(10 * Time.MILLISECOND);
        assertThat(p.now()).isGreaterThanOrEqualTo(10 * Time.MILLISECOND);
    }

    @Test
    void aForcedCollection() {
        SimPlatform p = new SimPlatform(4, 4);
        Rt.run(on(p, 4), () -> {
            for (int i = 0; i < 100; i++) {
                Go.bytes(new byte[64]);
            }
            Go.gc();
            assertThat(Go.readMemStats().numGC()).isGreaterThanOrEqualTo(1);
        });
        assertThat(p.failure()).isNull();
    }

    /** Four goroutines pass a token round a ring of channels on 4 Ps, allocating; a collection in the middle. */
    static SimPlatform ring(long seed) {
        SimPlatform p = new SimPlatform(seed, 4);
        Rt.run(on(p, 4), ringBody());
        return p;
    }

    static Runnable ringBody() {
        return () -> {
            int n = 4;
            List<Chan<Integer>> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cs.add(Go.makeChan(Integer.class, 0));
            }
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                Go.go(() -> {
                    for (int r = 0; r < 20; r++) {
                        int v = cs.get(k).recv();
                        Go.bytes(new byte[32]);
                        if (k == 0 && r == 10) {
                            Go.gc();
                        }
                        if (!(k == n - 1 && r == 19)) {
                            cs.get((k + 1) % n).send(v + 1);
                        }
                    }
                    wg.done();
                });
            }
            cs.get(0).send(0);
            wg.await();
        };
    }

    @Test
    void theSameSeedRunsTheSameSchedule() {
        SimPlatform a = ring(11);
        SimPlatform b = ring(11);
        assertThat(a.failure()).isNull();
        assertThat(a.decisionCount()).isGreaterThan(30);
        assertThat(b.decisions()).isEqualTo(a.decisions());
        assertThat(b.now()).isEqualTo(a.now());
    }

    /**
     * The tracer reads the platform's non-deciding clock, takes its buffer lock without a decision
     * point and writes its buffers without a thread of its own: a traced run makes exactly the
     * decisions of the same seed's untraced run, and its events carry virtual time.
     */
    @Test
    void aTraceDoesNotMoveTheSchedule(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SimPlatform plain = ring(17);
        SimPlatform traced = new SimPlatform(17, 4);
        java.nio.file.Path raw = dir.resolve("ring.raw");
        Rt.run(on(traced, 4).withTrace(new gort.sched.Trace.Settings(raw)), ringBody());
        assertThat(traced.failure()).isNull();
        assertThat(java.nio.file.Files.size(raw)).as("the trace holds events").isGreaterThan(1000);
        assertThat(traced.decisionCount()).isEqualTo(plain.decisionCount());
        assertThat(traced.decisions()).isEqualTo(plain.decisions());
        assertThat(traced.now()).isEqualTo(plain.now());
        long last = lastEventTime(raw);
        assertThat(last).as("the last event's trace time is virtual: within the run's virtual duration").isPositive()
                .isLessThanOrEqualTo(traced.now());
    }

    /** The largest timestamp in a raw trace (nanoseconds since the runtime's start). */
    static long lastEventTime(java.nio.file.Path raw) throws Exception {
        long[] max = {Long.MIN_VALUE};
        gort.trace.RawTrace.open(raw).forEach(e -> {
            max[0] = Math.max(max[0], e.ts);
            return true;
        });
        return max[0];
    }

    @Test
    void aRecordedScheduleReplays() {
        SimPlatform a = ring(13);
        SimPlatform r = SimPlatform.replay(13, 4, a.decisions());
        Rt.run(on(r, 4), ringBody());
        assertThat(r.decisions()).isEqualTo(a.decisions());
        assertThat(r.now()).isEqualTo(a.now());
    }

    @Test
    void anotherSeedRunsAnotherSchedule() {
        SimPlatform a = ring(11);
        SimPlatform b = ring(12);
        assertThat(b.decisions()).isNotEqualTo(a.decisions());
    }

    @Test
    void aGoroutineDeadlockIsTheRuntimesToReport() {
        SimPlatform p = new SimPlatform(5, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rt.run(on(p, 2), () -> Go.makeChan(Integer.class, 0).recv()))
                .isInstanceOf(gort.sched.FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!");
        assertThat(p.failure()).as("the runtime saw it, not the platform").isNull();
    }

    /** A select over a channel and a timer, many times: which fires depends on the seed's schedule, and repeats with it. */
    static List<String> selectWithTimers(long seed) {
        SimPlatform p = new SimPlatform(seed, 4);
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        Rt.run(on(p, 4), () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 0);
            Go.go(() -> {
                for (int i = 0; i < 30; i++) {
                    Time.sleep((i % 3) * 10 * Time.MICROSECOND);
                    Select.select(Select.send(c, i), Select.recv(Time.after(15 * Time.MICROSECOND)));
                }
            });
            for (int i = 0; i < 30; i++) {
                Select.Selected s = Select.select(Select.recv(c), Select.recv(Time.after(12 * Time.MICROSECOND)));
                fired.add(s.index() == 0 ? "c" + s.value() : "t");
            }
        });
        fired.add("end@" + p.now());
        return List.copyOf(fired);
    }

    @Test
    void selectAndTimersRepeatWithTheSeed() {
        List<String> a = selectWithTimers(21);
        assertThat(selectWithTimers(21)).isEqualTo(a);
        assertThat(a).contains("t").anyMatch(x -> x.startsWith("c"));
        assertThat(java.util.stream.LongStream.rangeClosed(22, 25).mapToObj(SimRuntimeTest::selectWithTimers))
                .anyMatch(b -> !b.equals(a));
    }

    @Test
    void sixtyFourPsAndTenThousandGoroutines() {
        SimPlatform p = new SimPlatform(8, 64);
        int n = 10_000;
        long[] sum = new long[1];
        Rt.run(on(p, 64), () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 64);
            for (int i = 0; i < n; i++) {
                int k = i;
                Go.go(() -> {
                    Go.bytes(new byte[128]);
                    c.send(k);
                });
            }
            for (int i = 0; i < n; i++) {
                sum[0] += c.recv();
            }
        });
        assertThat(sum[0]).isEqualTo((long) n * (n - 1) / 2);
        assertThat(p.failure()).isNull();
    }
}
