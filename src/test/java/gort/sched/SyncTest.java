package gort.sched;

import gort.api.Mutex;

import gort.api.WaitGroup;

import gort.api.Chan;

import static gort.sched.ChanTest.awaitParked;
import static gort.sched.ChanTest.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mutex, WaitGroup and Sema: the sync primitives built on the runtime semaphore. */
class SyncTest {

    // ---------------------------------------------------------------------------------------
    // Mutex
    // ---------------------------------------------------------------------------------------

    /** A plain (non-atomic, non-volatile) counter: only the Mutex makes the increments exact. */
    static final class Counter {
        long n;
    }

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2, 4})
    void mutexProtectsAPlainCounter(int procs) {
        int goroutines = 8;
        int iters = 2000;
        Counter c = new Counter();
        AtomicReference<Long> seen = new AtomicReference<>();
        Rt.run(procs, () -> {
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go("incr", () -> {
                    for (int i = 0; i < iters; i++) {
                        mu.lock();
                        long v = c.n;
                        if (i % 97 == 0) {
                            Go.gosched(); // yield while holding the lock: others must queue on it
                        }
                        c.n = v + 1;
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            wg.await();
            mu.lock();
            seen.set(c.n);
            mu.unlock();
        });
        assertThat(seen.get()).isEqualTo((long) goroutines * iters);
    }

    @Test
    void unlockOfUnlockedMutexPanics() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Mutex mu = new Mutex();
            try {
                mu.unlock();
            } catch (GoPanic e) {
                msgs.add(e.getMessage());
            }
            // as in Go, a mutex is unusable after that panic: use a fresh one
            Mutex mu2 = new Mutex();
            mu2.lock();
            mu2.unlock();
            try {
                mu2.unlock(); // a second unlock
            } catch (GoPanic e) {
                msgs.add(e.getMessage());
            }
        });
        assertThat(msgs).containsExactly("sync: unlock of unlocked mutex", "sync: unlock of unlocked mutex");
    }

    @Test
    void tryLockFailsWhileLocked() {
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Mutex mu = new Mutex();
            seen.add(mu.tryLock());
            seen.add(mu.tryLock());
            mu.unlock();
            seen.add(mu.tryLock());
            mu.unlock();
        });
        assertThat(seen).containsExactly(true, false, true);
    }

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void mutexBlocksAWaiterUntilUnlocked(int procs) {
        List<String> events = new CopyOnWriteArrayList<>();
        Rt.run(procs, () -> {
            Mutex mu = new Mutex();
            mu.lock();
            AtomicReference<G> waiter = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go(() -> {
                waiter.set(Go.getg());
                mu.lock();
                events.add("waiter locked");
                mu.unlock();
                wg.done();
            });
            yieldUntil(() -> waiter.get() != null, "waiter started");
            awaitParked(waiter.get(), "semacquire");
            events.add("main unlocks");
            mu.unlock();
            wg.await();
        });
        assertThat(events).containsExactly("main unlocks", "waiter locked");
    }

    // ---------------------------------------------------------------------------------------
    // WaitGroup
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void waitGroupWaitsForAll(int procs) {
        int n = 200;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger seenAtWait = new AtomicInteger(-1);
        Rt.run(procs, () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            for (int i = 0; i < n; i++) {
                final int yields = i % 5;
                Go.go(() -> {
                    for (int y = 0; y < yields; y++) {
                        Go.gosched();
                    }
                    done.incrementAndGet();
                    wg.done();
                });
            }
            wg.await();
            seenAtWait.set(done.get());
        });
        assertThat(seenAtWait.get()).isEqualTo(n);
    }

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void waitGroupReleasesEveryWaiter(int procs) {
        int waiters = 4;
        int workers = 20;
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
        Rt.run(procs, () -> {
            WaitGroup wg = new WaitGroup();
            WaitGroup all = new WaitGroup();
            wg.add(workers);
            all.add(waiters);
            Chan<Integer> start = Go.makeChan(Integer.class, 0);
            for (int i = 0; i < waiters; i++) {
                Go.go(() -> {
                    wg.await();
                    seen.add(done.get());
                    all.done();
                });
            }
            for (int i = 0; i < workers; i++) {
                Go.go(() -> {
                    start.recv();
                    done.incrementAndGet();
                    wg.done();
                });
            }
            for (int i = 0; i < workers; i++) {
                start.send(i);
            }
            all.await();
        });
        assertThat(seen).hasSize(waiters).allMatch(v -> v == workers);
    }

    @Test
    void waitGroupCanBeReusedAfterWaitReturns() {
        AtomicInteger done = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Rt.run(2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int round = 1; round <= 3; round++) {
                wg.add(10);
                for (int i = 0; i < 10; i++) {
                    Go.go(() -> {
                        Go.gosched();
                        done.incrementAndGet();
                        wg.done();
                    });
                }
                wg.await();
                seen.add(done.get());
            }
        });
        assertThat(seen).containsExactly(10, 20, 30);
    }

    @Test
    void negativeWaitGroupCounterPanics() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            WaitGroup wg = new WaitGroup();
            try {
                wg.done();
            } catch (GoPanic e) {
                msgs.add(e.getMessage());
            }
            WaitGroup wg2 = new WaitGroup();
            wg2.add(2);
            try {
                wg2.add(-3);
            } catch (GoPanic e) {
                msgs.add(e.getMessage());
            }
        });
        assertThat(msgs).containsExactly("sync: negative WaitGroup counter", "sync: negative WaitGroup counter");
    }

    @Test
    void waitOnZeroCounterReturnsAtOnce() {
        AtomicBoolean returned = new AtomicBoolean();
        AtomicReference<String> status = new AtomicReference<>();
        Rt.run(1, () -> {
            WaitGroup wg = new WaitGroup();
            wg.await(); // with one goroutine, blocking here would be a deadlock
            wg.add(3);
            wg.add(-3);
            wg.await();
            returned.set(true);
            status.set(G.statusName(Go.getg().status()));
        });
        assertThat(returned).isTrue();
        assertThat(status.get()).isEqualTo("running");
    }

    // ---------------------------------------------------------------------------------------
    // Sema
    // ---------------------------------------------------------------------------------------

    @Test
    void semaCountsWithoutBlocking() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Sema s = new Sema(Sched.current(), 2);
            seen.add(s.count());
            s.acquire();
            s.acquire();
            seen.add(s.count());
            s.release();
            s.release();
            s.release();
            seen.add(s.count());
        });
        assertThat(seen).containsExactly(2, 0, 3);
    }

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void semaWakesWaitersInFifoOrder(int procs) {
        int n = 5;
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicReference<Integer> countAfter = new AtomicReference<>();
        Rt.run(procs, () -> {
            Sema s = new Sema(Sched.current(), 0);
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            // queue the waiters one at a time so their queue order is known
            for (int i = 0; i < n; i++) {
                final int id = i;
                AtomicReference<G> me = new AtomicReference<>();
                Go.go(() -> {
                    me.set(Go.getg());
                    s.acquire();
                    order.add(id);
                    wg.done();
                });
                yieldUntil(() -> me.get() != null, "waiter started");
                awaitParked(me.get(), "semacquire");
            }
            // release one at a time; each release wakes the longest waiter
            for (int i = 0; i < n; i++) {
                final int want = i + 1;
                s.release();
                yieldUntil(() -> order.size() == want, "waiter " + i + " woke");
            }
            wg.await();
            countAfter.set(s.count());
        });
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(countAfter.get()).isZero();
    }

    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void semaAsABoundedPoolNeverAdmitsMoreThanItsCount(int procs) {
        int permits = 3;
        int goroutines = 16;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        Rt.run(procs, () -> {
            Sema s = new Sema(Sched.current(), permits);
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    for (int i = 0; i < 200; i++) {
                        s.acquire();
                        int now = inside.incrementAndGet();
                        maxInside.accumulateAndGet(now, Math::max);
                        if (i % 7 == 0) {
                            Go.gosched();
                        }
                        total.incrementAndGet();
                        inside.decrementAndGet();
                        s.release();
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(maxInside.get()).isBetween(1, permits);
        assertThat(total.get()).isEqualTo(goroutines * 200);
        assertThat(inside.get()).isZero();
    }

    @Test
    void goroutinesBlockedOnSyncPrimitivesShowTheirWaitReason() {
        List<String> reasons = new ArrayList<>();
        AtomicReference<List<String>> out = new AtomicReference<>();
        Rt.run(1, () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            AtomicReference<G> waiter = new AtomicReference<>();
            Go.go(() -> {
                waiter.set(Go.getg());
                wg.await();
            });
            yieldUntil(() -> waiter.get() != null, "waiter started");
            awaitParked(waiter.get(), "semacquire");
            reasons.add(waiter.get().waitReason());
            reasons.add(waiter.get().toString().replaceAll("goroutine \\d+", "goroutine N"));
            wg.done();
            out.set(List.copyOf(reasons));
        });
        assertThat(out.get()).containsExactly("semacquire", "goroutine N [semacquire]");
    }
}
