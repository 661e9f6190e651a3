package gort.sched;

import gort.api.Mutex;

import gort.api.WaitGroup;

import gort.api.Chan;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many goroutines at once: a ring, a fan-in pipeline and a contended Mutex, each with a bounded
 * amount of work that must end by itself (under the watchdog) with exact totals.
 */
class StressTest {
    static final int N = 10_000;
    static final long WATCHDOG_S = 30;

    static void run(int procs, Runnable main) {
        Rt.run(Config.defaults().withGomaxprocs(procs), WATCHDOG_S, main);
    }

    /** After the workers have signalled done, the runtime must see them exit. */
    static int settleGoroutines(int want) {
        int n = Go.numGoroutine();
        for (int i = 0; i < 500 && n > want; i++) {
            Go.gosched();
            n = Go.numGoroutine();
        }
        return n;
    }

    @Test
    void ringOfTenThousandGoroutines() {
        int rounds = 3;
        List<Long> perRound = new ArrayList<>();
        AtomicReference<Integer> left = new AtomicReference<>();
        run(2, () -> {
            List<Chan<Long>> c = new ArrayList<>(N + 1);
            for (int i = 0; i <= N; i++) {
                c.add(Go.makeChan(Long.class, 0));
            }
            WaitGroup wg = new WaitGroup();
            wg.add(N);
            for (int i = 0; i < N; i++) {
                Chan<Long> in = c.get(i);
                Chan<Long> out = c.get(i + 1);
                Go.go("ring", () -> {
                    for (int r = 0; r < rounds; r++) {
                        out.send(in.recv() + 1);
                    }
                    wg.done();
                });
            }
            for (int r = 0; r < rounds; r++) {
                c.get(0).send((long) r * 1_000_000);
                perRound.add(c.get(N).recv());
            }
            wg.await();
            left.set(settleGoroutines(1));
        });
        assertThat(perRound).containsExactly((long) N, 1_000_000L + N, 2_000_000L + N);
        assertThat(left.get()).isEqualTo(1);
    }

    @Test
    void fanInPipelineOfTenThousandProducers() {
        int hops = 3; // each producer sends this many values
        int relays = 8;
        AtomicLong sum = new AtomicLong();
        AtomicLong count = new AtomicLong();
        AtomicInteger relayed = new AtomicInteger();
        AtomicReference<Integer> left = new AtomicReference<>();
        run(2, () -> {
            Chan<Integer> stage1 = Go.makeChan(Integer.class, 64);
            Chan<Integer> stage2 = Go.makeChan(Integer.class, 0);
            WaitGroup producers = new WaitGroup();
            WaitGroup relaysWg = new WaitGroup();
            producers.add(N);
            relaysWg.add(relays);
            for (int i = 0; i < N; i++) {
                final int id = i;
                Go.go("producer", () -> {
                    for (int h = 0; h < hops; h++) {
                        stage1.send(id);
                    }
                    producers.done();
                });
            }
            for (int r = 0; r < relays; r++) {
                Go.go("relay", () -> {
                    for (Chan.Recv<Integer> v; (v = stage1.recv2()).ok(); ) {
                        relayed.incrementAndGet();
                        stage2.send(v.value());
                    }
                    relaysWg.done();
                });
            }
            Go.go("closer", () -> {
                producers.await();
                stage1.close();
                relaysWg.await();
                stage2.close();
            });
            long s = 0;
            long n = 0;
            for (Chan.Recv<Integer> v; (v = stage2.recv2()).ok(); ) {
                s += v.value();
                n++;
            }
            sum.set(s);
            count.set(n);
            left.set(settleGoroutines(1));
        });
        assertThat(count.get()).isEqualTo((long) N * hops);
        assertThat(relayed.get()).isEqualTo(N * hops);
        assertThat(sum.get()).isEqualTo((long) hops * N * (N - 1) / 2);
        assertThat(left.get()).isEqualTo(1);
    }

    @Test
    void tenThousandGoroutinesContendForOneMutex() {
        int per = 5;
        long[] counter = new long[1]; // plain: guarded by the Mutex
        AtomicReference<Long> seen = new AtomicReference<>();
        run(2, () -> {
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            wg.add(N);
            for (int i = 0; i < N; i++) {
                final boolean yieldInside = i % 10 == 0;
                Go.go("locker", () -> {
                    for (int k = 0; k < per; k++) {
                        mu.lock();
                        long v = counter[0];
                        if (yieldInside && k == 0) {
                            Go.gosched();
                        }
                        counter[0] = v + 1;
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            wg.await();
            mu.lock();
            seen.set(counter[0]);
            mu.unlock();
        });
        assertThat(seen.get()).isEqualTo((long) N * per);
    }

    /**
     * Regression: in a hot loop the JIT may hoist Thread.currentThread() out of the loop, but a
     * goroutine that parks can resume on another M's thread; getg() must still be this goroutine
     * (it used to return another M's G, or null, after the loop was compiled).
     */
    @Test
    void getgStaysCorrectInCompiledLoopsThatMigrateBetweenMs() {
        int pairs = 4;
        int iters = 100_000;
        AtomicInteger wrong = new AtomicInteger();
        AtomicLong ops = new AtomicLong();
        run(2, () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2 * pairs);
            for (int i = 0; i < pairs; i++) {
                Chan<Integer> a = Go.makeChan(Integer.class, 0);
                Chan<Integer> b = Go.makeChan(Integer.class, 0);
                for (boolean pinger : new boolean[] {true, false}) {
                    Go.go(pinger ? "ping" : "pong", () -> {
                        G me = Go.getg();
                        for (int k = 0; k < iters; k++) {
                            if (pinger) {
                                a.send(k);
                                b.recv();
                            } else {
                                b.send(a.recv());
                            }
                            if (Go.getg() != me || Sched.currentM().curg != me) {
                                wrong.incrementAndGet();
                            }
                            ops.incrementAndGet();
                        }
                        wg.done();
                    });
                }
            }
            wg.await();
        });
        assertThat(wrong.get()).isZero();
        assertThat(ops.get()).isEqualTo(2L * pairs * iters);
    }

    @Test
    void spawnTreeOfGoroutinesThatSpawnGoroutines() {
        // a binary tree of goroutines, each reporting its subtree size to its parent over a channel
        int depth = 13; // 2^14 - 1 = 16383 goroutines
        AtomicReference<Long> total = new AtomicReference<>();
        run(2, () -> {
            Chan<Long> result = Go.makeChan(Long.class, 1);
            Go.go(() -> tree(depth, result));
            total.set(result.recv());
        });
        assertThat(total.get()).isEqualTo((1L << (depth + 1)) - 1);
    }

    private static void tree(int depth, Chan<Long> parent) {
        if (depth == 0) {
            parent.send(1L);
            return;
        }
        Chan<Long> kids = Go.makeChan(Long.class, 0);
        Go.go(() -> tree(depth - 1, kids));
        Go.go(() -> tree(depth - 1, kids));
        parent.send(1 + kids.recv() + kids.recv());
    }
}
