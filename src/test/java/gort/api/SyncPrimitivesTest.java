package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.sched.FatalError;
import gort.testing.Rt;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** sync.Once, sync.RWMutex and sync.Cond as Go 1.5 has them. */
class SyncPrimitivesTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void onceRunsItsFunctionOnceAndEveryCallerWaitsForIt(int procs) {
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger returnedEarly = new AtomicInteger();
        Rt.run(procs, () -> {
            Once once = new Once();
            AtomicInteger finished = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            wg.add(50);
            for (int i = 0; i < 50; i++) {
                Go.go(() -> {
                    once.run(() -> {
                        ran.incrementAndGet();
                        for (int k = 0; k < 20; k++) {
                            Go.gosched(); // the others arrive meanwhile
                        }
                        finished.set(1);
                    });
                    if (finished.get() == 0) {
                        returnedEarly.incrementAndGet();
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(ran).hasValue(1);
        assertThat(returnedEarly).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void rwmutexExcludesWritersFromEveryoneAndLetsReadersShare(int procs) {
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger maxReaders = new AtomicInteger();
        Rt.run(procs, () -> {
            RWMutex rw = new RWMutex();
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger writers = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            wg.add(12);
            for (int g = 0; g < 12; g++) {
                boolean writer = g % 4 == 0;
                Go.go(() -> {
                    for (int i = 0; i < 300; i++) {
                        if (writer) {
                            rw.lock();
                            if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                                violations.incrementAndGet();
                            }
                            Go.gosched();
                            writers.decrementAndGet();
                            rw.unlock();
                        } else {
                            rw.rlock();
                            int r = readers.incrementAndGet();
                            maxReaders.accumulateAndGet(r, Math::max);
                            if (writers.get() != 0) {
                                violations.incrementAndGet();
                            }
                            Go.gosched(); // other readers may enter meanwhile
                            readers.decrementAndGet();
                            rw.runlock();
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(violations).hasValue(0);
        assertThat(maxReaders.get()).as("readers inside at once").isGreaterThan(1);
    }

    @Test
    void rwmutexMisusePanicsAsGos() {
        assertThatThrownBy(() -> Rt.run(1, () -> new RWMutex().runlock())).isInstanceOf(FatalError.class)
                .hasMessageContaining("sync: RUnlock of unlocked RWMutex");
        assertThatThrownBy(() -> Rt.run(1, () -> new RWMutex().unlock())).isInstanceOf(FatalError.class)
                .hasMessageContaining("sync: Unlock of unlocked RWMutex");
    }

    @Test
    void condSignalWakesOneWaiterAndBroadcastWakesTheRest() {
        int[] woken = new int[2];
        Rt.run(1, () -> {
            Mutex m = new Mutex();
            Cond c = new Cond(m);
            AtomicInteger awake = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            wg.add(5);
            for (int i = 0; i < 5; i++) {
                Go.go(() -> {
                    m.lock();
                    c.await();
                    awake.incrementAndGet();
                    m.unlock();
                    wg.done();
                });
            }
            RootingTest.awaitWaiting(5, "semacquire");
            c.signal();
            for (int i = 0; i < 50; i++) {
                Go.gosched();
            }
            woken[0] = awake.get();
            c.broadcast();
            wg.await();
            woken[1] = awake.get();
        });
        assertThat(woken).containsExactly(1, 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void condGuardsAQueueWithoutLosingASignal(int procs) {
        AtomicInteger got = new AtomicInteger();
        Rt.run(procs, () -> {
            Mutex m = new Mutex();
            Cond nonEmpty = new Cond(m);
            ArrayDeque<Integer> q = new ArrayDeque<>();
            WaitGroup wg = new WaitGroup();
            wg.add(4);
            for (int k = 0; k < 4; k++) {
                Go.go(() -> {
                    for (int i = 0; i < 500; i++) {
                        m.lock();
                        while (q.isEmpty()) {
                            nonEmpty.await();
                        }
                        q.poll();
                        got.incrementAndGet();
                        m.unlock();
                    }
                    wg.done();
                });
            }
            for (int i = 0; i < 2000; i++) {
                m.lock();
                q.add(i);
                nonEmpty.signal();
                m.unlock();
                if (i % 7 == 0) {
                    Go.gosched();
                }
            }
            wg.await();
        });
        assertThat(got).hasValue(2000);
    }
}
