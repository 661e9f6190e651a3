package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.sched.FatalError;
import gort.sched.GoPanic;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * select as Go 1.5 has it (select.go), with tests modelled on Go's own channel and select tests:
 * uniformly random choice among ready cases, default, nil channels, closed channels, every waiter
 * woken by close, no case left queued after a select returns, and exact delivery under concurrency.
 */
class SelectTest {

    /** 40,000 selects over 4 always-ready cases: the counts fit a uniform choice (chi-square, 3 degrees of freedom). */
    @Test
    void theChoiceAmongReadyCasesIsUniform() {
        int trials = 40_000;
        int[] cnt = new int[4];
        Rt.run(1, () -> {
            List<Chan<Integer>> cs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Chan<Integer> c = Go.makeChan(Integer.class, 1);
                c.send(i);
                cs.add(c);
            }
            for (int t = 0; t < trials; t++) {
                Select.Selected s = Select.select(Select.recv(cs.get(0)), Select.recv(cs.get(1)), Select.recv(cs.get(2)),
                        Select.recv(cs.get(3)));
                cnt[s.index()]++;
                assertThat(s.<Integer>value()).isEqualTo(s.index());
                cs.get(s.index()).send(s.index()); // ready again
            }
        });
        double e = trials / 4.0;
        double chi2 = 0;
        for (int c : cnt) {
            chi2 += (c - e) * (c - e) / e;
        }
        assertThat(chi2).as("chi-square of %s (p = 0.0001 at 21.1)", java.util.Arrays.toString(cnt)).isLessThan(21.1);
    }

    /** Sends and receives in one select: also uniform, and each send case really sends. */
    @Test
    void sendAndReceiveCasesAreChosenAlike() {
        int[] cnt = new int[2];
        Rt.run(1, () -> {
            Chan<Integer> in = Go.makeChan(Integer.class, 1);
            Chan<Integer> out = Go.makeChan(Integer.class, 1);
            in.send(7);
            for (int t = 0; t < 10_000; t++) {
                Select.Selected s = Select.select(Select.recv(in), Select.send(out, 9));
                cnt[s.index()]++;
                if (s.index() == 0) {
                    in.send(7);
                } else {
                    assertThat(out.recv()).isEqualTo(9);
                }
            }
        });
        assertThat(cnt[0]).isBetween(4600, 5400);
    }

    @Test
    void defaultRunsOnlyWhenNothingIsReady() {
        List<Integer> got = new ArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 1);
            got.add(Select.select(Select.recv(c), Select.defaultCase()).index()); // 1: default
            c.send(5);
            got.add(Select.select(Select.defaultCase(), Select.recv(c)).index()); // 1: the receive
            got.add(Select.select(Select.send(c, 6), Select.defaultCase()).index()); // 0: room in the buffer
            got.add(Select.select(Select.send(c, 7), Select.defaultCase()).index()); // 1: full
            got.add(c.tryRecv().value());
            got.add(c.tryRecv() == null ? -1 : 0);
            got.add(c.trySend(8) ? 1 : 0);
            got.add(c.trySend(9) ? 1 : 0);
        });
        assertThat(got).containsExactly(1, 1, 0, 1, 6, -1, 1, 0);
    }

    @Test
    void aNilChannelCaseIsNeverReady() {
        List<Integer> got = new ArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> nil = null;
            Chan<Integer> c = Go.makeChan(Integer.class, 1);
            c.send(1);
            for (int i = 0; i < 100; i++) {
                Select.Selected s = Select.select(Select.recv(nil), Select.send(nil, 3), Select.recv(c));
                got.add(s.index());
                c.send(1);
            }
            got.add(Select.select(Select.recv(nil), Select.defaultCase()).index());
        });
        assertThat(got.subList(0, 100)).containsOnly(2);
        assertThat(got.get(100)).isEqualTo(1);
    }

    @Test
    void aSelectOnlyOnNilChannelsIsADeadlock() {
        assertThatThrownBy(() -> Rt.run(1, () -> Select.select(Select.recv((Chan<Integer>) null))))
                .isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!")
                .hasMessageContaining("[select (no cases)]");
        assertThatThrownBy(() -> Rt.run(1, () -> Select.select()))
                .isInstanceOf(FatalError.class).hasMessageContaining("[select (no cases)]");
    }

    @Test
    void aSelectBlockedForeverIsADeadlock() {
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Chan<Integer> a = Go.makeChan(Integer.class, 0);
            Chan<Integer> b = Go.makeChan(Integer.class, 0);
            Select.select(Select.recv(a), Select.send(b, 1));
        })).isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!").hasMessageContaining("[select]");
    }

    @Test
    void receiveFromAClosedChannelIsReadyWithOkFalse() {
        List<Object> got = new ArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 2);
            c.send(1);
            c.close();
            Select.Selected s = Select.select(Select.recv(c));
            got.add(s.value());
            got.add(s.ok());
            s = Select.select(Select.recv(c));
            got.add(s.value());
            got.add(s.ok());
            Chan<Ptr> p = Go.makeChan(Ptr.class, 0);
            p.close();
            got.add(Select.select(Select.recv(p)).value() == null ? "nil" : "not nil");
        });
        assertThat(got).containsExactly(1, true, 0, false, "nil"); // Go's zero values
    }

    @Test
    void aSendCaseOnAClosedChannelPanics() {
        assertThatThrownBy(() -> Rt.run(1, () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 0);
            Chan<Integer> d = Go.makeChan(Integer.class, 0);
            c.close();
            Select.select(Select.send(c, 1), Select.recv(d));
        })).isInstanceOf(FatalError.class).hasMessageContaining("panic: send on closed channel");
    }

    @Test
    void multipleDefaultsPanic() {
        assertThatThrownBy(() -> Rt.run(1, () -> Select.select(Select.defaultCase(), Select.defaultCase())))
                .hasMessageContaining("multiple defaults");
    }

    /** close wakes every receiver and every select waiting on the channel, each with ok false. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void closeWakesEveryWaiter(int procs) {
        AtomicInteger woken = new AtomicInteger();
        Rt.run(procs, () -> {
            Chan<Integer> c = Go.makeChan(Integer.class, 0);
            Chan<Integer> other = Go.makeChan(Integer.class, 0);
            WaitGroup wg = new WaitGroup();
            int n = 50;
            wg.add(2 * n);
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    if (!c.recv2().ok()) {
                        woken.incrementAndGet();
                    }
                    wg.done();
                });
                Go.go(() -> {
                    Select.Selected s = Select.select(Select.recv(other), Select.recv(c));
                    if (s.index() == 1 && !s.ok()) {
                        woken.incrementAndGet();
                    }
                    wg.done();
                });
            }
            RootingTest.awaitWaiting(n, "chan receive");
            RootingTest.awaitWaiting(n, "select");
            c.close();
            wg.await();
        });
        assertThat(woken).hasValue(100);
    }

    /** After a select returns, none of its cases is still queued: a later send goes to the next receiver. */
    @Test
    void aFinishedSelectLeavesNoCaseQueued() {
        List<String> got = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<String> a = Go.makeChan(String.class, 0);
            Chan<String> b = Go.makeChan(String.class, 0);
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(() -> {
                Select.Selected s = Select.select(Select.recv(a), Select.recv(b));
                got.add("select " + s.index() + " " + s.value());
                wg.done();
            });
            RootingTest.awaitWaiting(1, "select");
            a.send("x");
            Go.go(() -> {
                got.add("receiver " + b.recv());
                wg.done();
            });
            RootingTest.awaitWaiting(1, "chan receive");
            b.send("y"); // must reach the receiver, not the finished select's stale case
            wg.await();
        });
        assertThat(got).containsExactlyInAnyOrder("select 0 x", "receiver y");
    }

    /**
     * Many goroutines select over shared channels (sends and receives, buffered and not): every
     * value sent is received exactly once.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void exactDeliveryUnderConcurrentSelects(int procs) {
        int producers = 8;
        int per = 2000;
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        Rt.run(procs, () -> {
            Chan<Integer> u = Go.makeChan(Integer.class, 0);
            Chan<Integer> b = Go.makeChan(Integer.class, 16);
            Chan<Integer> done = Go.makeChan(Integer.class, 0);
            WaitGroup prod = new WaitGroup();
            WaitGroup cons = new WaitGroup();
            prod.add(producers);
            for (int p = 0; p < producers; p++) {
                int base = p * per;
                Go.go(() -> {
                    for (int i = 0; i < per; i++) {
                        Select.select(Select.send(u, base + i), Select.send(b, base + i));
                    }
                    prod.done();
                });
            }
            int consumers = 5;
            cons.add(consumers);
            for (int k = 0; k < consumers; k++) {
                Go.go(() -> {
                    for (;;) {
                        Select.Selected s = Select.select(Select.recv(u), Select.recv(b), Select.recv(done));
                        if (s.index() == 2) {
                            break;
                        }
                        got.add(s.value());
                    }
                    cons.done();
                });
            }
            prod.await();
            // drain what is left in the buffer, then stop the consumers
            while (b.len() > 0) {
                Go.gosched();
            }
            done.close();
            cons.await();
        });
        List<Integer> sorted = new ArrayList<>(got);
        Collections.sort(sorted);
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < producers * per; i++) {
            want.add(i);
        }
        assertThat(sorted).isEqualTo(want);
    }

    /** Pointers through selects: every value right, with checkmark, across collections. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void pointersThroughSelects(int procs) {
        ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
        AtomicInteger n = new AtomicInteger();
        Rt.run(Config.defaults().withGomaxprocs(procs).withGodebug(java.util.Map.of("gccheckmark", "1")), () -> {
            Chan<Ptr> u = Go.makeChan(Ptr.class, 0);
            Chan<Ptr> b = Go.makeChan(Ptr.class, 8);
            WaitGroup wg = new WaitGroup();
            int per = 3000;
            wg.add(4);
            for (int p = 0; p < 2; p++) {
                int base = p * per;
                Go.go(() -> {
                    for (int i = 0; i < per; i++) {
                        try (Scope s = Go.scope()) {
                            Ptr x = Go.alloc(RootingTest.NODE);
                            x.set(2, base + i);
                            x.setPtr(0, Go.alloc(RootingTest.NODE)); // a child, reached only through x
                            x.ptr(0).set(2, -(base + i));
                            Select.select(Select.send(u, x), Select.send(b, x));
                        }
                    }
                    Select.select(Select.send(u, null));
                    Select.select(Select.send(u, null));
                    wg.done();
                });
            }
            for (int k = 0; k < 2; k++) {
                Go.go(() -> {
                    int nils = 0;
                    while (true) {
                        try (Scope s = Go.scope()) {
                            Select.Selected sel = Select.select(Select.recv(u), Select.recv(b));
                            Ptr x = sel.value();
                            if (x == null) {
                                if (++nils == 2) {
                                    break;
                                }
                                continue;
                            }
                            long id = x.get(2);
                            if (x.ptr(0).get(2) != -id) {
                                bad.add(id + " child " + x.ptr(0).get(2));
                            }
                            n.incrementAndGet();
                            RootingTest.churn(1000);
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
            while (b.len() > 0) {
                try (Scope s = Go.scope()) {
                    Ptr x = b.recv();
                    if (x.ptr(0).get(2) != -x.get(2)) {
                        bad.add("drained " + x.get(2));
                    }
                    n.incrementAndGet();
                }
            }
        });
        assertThat(bad).isEmpty();
        assertThat(n).hasValue(6000);
    }
}
