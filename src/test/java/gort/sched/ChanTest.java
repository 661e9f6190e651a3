package gort.sched;

import gort.api.WaitGroup;

import gort.api.Chan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Go;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Channels (chan.go semantics): exact delivery with many producers and consumers, FIFO order,
 * close semantics and Go's panics, non-blocking send.
 */
class ChanTest {

    // ---------------------------------------------------------------------------------------
    // helpers (all called on goroutines)
    // ---------------------------------------------------------------------------------------

    /** Yields (Gosched) until cond holds; fails after a bounded number of yields. */
    static void yieldUntil(BooleanSupplier cond, String what) {
        for (int i = 0; i < 1_000_000; i++) {
            if (cond.getAsBoolean()) {
                return;
            }
            Go.gosched();
        }
        throw new AssertionError("condition never held: " + what);
    }

    /** Yields until gp is parked with the given wait reason. */
    static void awaitParked(G gp, String reason) {
        yieldUntil(() -> gp.status() == G.WAITING && gp.waitReason().equals(reason),
                gp + " parked on " + reason);
    }

    /**
     * Runs P producers (each sending K distinct values) and C consumers (receiving until close)
     * over one channel of capacity cap. Returns what each consumer received, in order.
     */
    static List<List<Integer>> producersConsumers(int procs, int cap, int producers, int consumers, int k) {
        List<List<Integer>> perConsumer = new CopyOnWriteArrayList<>();
        Rt.run(procs, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            WaitGroup prod = new WaitGroup();
            WaitGroup cons = new WaitGroup();
            prod.add(producers);
            cons.add(consumers);
            for (int p = 0; p < producers; p++) {
                final int base = p * k;
                Go.go("producer", () -> {
                    for (int i = 0; i < k; i++) {
                        ch.send(base + i);
                    }
                    prod.done();
                });
            }
            for (int c = 0; c < consumers; c++) {
                Go.go("consumer", () -> {
                    List<Integer> mine = new ArrayList<>();
                    for (;;) {
                        Chan.Recv<Integer> r = ch.recv2();
                        if (!r.ok()) {
                            assertThat(r.value()).isZero();
                            break;
                        }
                        mine.add(r.value());
                    }
                    perConsumer.add(mine);
                    cons.done();
                });
            }
            prod.await();
            ch.close();
            cons.await();
        });
        return perConsumer;
    }

    /** Exact multiset check, plus per-producer order within each consumer. */
    static void assertExactDelivery(List<List<Integer>> perConsumer, int producers, int consumers, int k) {
        assertThat(perConsumer).hasSize(consumers);
        List<Integer> all = new ArrayList<>();
        perConsumer.forEach(all::addAll);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < producers * k; i++) {
            expected.add(i);
        }
        // exact multiset: nothing lost, nothing duplicated
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        // a channel is FIFO: one consumer sees each producer's values in the order they were sent
        for (List<Integer> mine : perConsumer) {
            int[] last = new int[producers];
            java.util.Arrays.fill(last, -1);
            for (int v : mine) {
                int p = v / k;
                assertThat(v).as("producer %d's values out of order for one consumer", p).isGreaterThan(last[p]);
                last[p] = v;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // N producers x M consumers
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "procs={0} cap={1} producers={2} consumers={3} k={4}")
    @CsvSource({
        "1, 0, 4, 3, 2000",
        "2, 0, 4, 3, 2000",
        "1, 1, 4, 3, 2000",
        "2, 1, 4, 3, 2000",
        "1, 16, 4, 3, 2000",
        "2, 16, 4, 3, 2000",
        "2, 0, 1, 1, 3000",
        "2, 5, 3, 8, 1000",
        "2, 0, 8, 1, 500",
        "4, 3, 4, 4, 1000",
    })
    void producersAndConsumersLoseAndDuplicateNothing(int procs, int cap, int producers, int consumers, int k) {
        List<List<Integer>> got = producersConsumers(procs, cap, producers, consumers, k);
        assertExactDelivery(got, producers, consumers, k);
    }

    @ParameterizedTest(name = "procs={0} cap={1}")
    @CsvSource({"1, 0", "2, 0", "1, 1", "1, 7", "2, 7", "2, 64"})
    void singleProducerIsFifo(int procs, int cap) {
        int n = 5000;
        List<Integer> got = new CopyOnWriteArrayList<>();
        Rt.run(procs, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            Go.go(() -> {
                for (int i = 0; i < n; i++) {
                    ch.send(i);
                }
                ch.close();
            });
            List<Integer> mine = new ArrayList<>();
            for (Chan.Recv<Integer> r; (r = ch.recv2()).ok(); ) {
                mine.add(r.value());
            }
            got.addAll(mine);
        });
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void bufferedLenAndCap() {
        AtomicReference<List<Integer>> seen = new AtomicReference<>();
        Rt.run(1, () -> {
            Chan<String> ch = Go.makeChan(String.class, 3);
            List<Integer> l = new ArrayList<>();
            l.add(ch.cap());
            l.add(ch.len());
            ch.send("a");
            ch.send("b");
            l.add(ch.len());
            ch.recv();
            l.add(ch.len());
            Chan<String> u = Go.makeChan(String.class, 0);
            l.add(u.cap());
            l.add(u.len());
            seen.set(l);
        });
        assertThat(seen.get()).containsExactly(3, 0, 2, 1, 0, 0);
    }

    @Test
    void makeChanWithNegativeSizePanics() {
        AtomicReference<String> msg = new AtomicReference<>();
        Rt.run(1, () -> {
            try {
                Go.makeChan(Integer.class, -1);
            } catch (GoPanic e) {
                msg.set(e.getMessage());
            }
        });
        assertThat(msg.get()).isEqualTo("makechan: size out of range: -1");
    }

    // ---------------------------------------------------------------------------------------
    // close semantics
    // ---------------------------------------------------------------------------------------

    @Test
    void recvOnClosedBufferedChannelDrainsValuesThenReportsNotOk() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 3);
            ch.send(1);
            ch.send(2);
            ch.close();
            for (int i = 0; i < 4; i++) {
                Chan.Recv<Integer> r = ch.recv2();
                seen.add(r.value());
                seen.add(r.ok());
            }
            seen.add(String.valueOf(ch.recv())); // plain recv on closed and empty: zero value
        });
        assertThat(seen).containsExactly(1, true, 2, true, 0, false, 0, false, "0"); // Go's zero value of int
    }

    @Test
    void recvOnClosedUnbufferedChannelReportsNotOk() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 0);
            ch.close();
            Chan.Recv<Integer> r = ch.recv2();
            seen.add(String.valueOf(r.value()));
            seen.add(r.ok());
            r = ch.recv2();
            seen.add(r.ok());
        });
        assertThat(seen).containsExactly("0", false, false);
    }

    @Test
    void okIsPerReceiveNotSticky() {
        // a successful receive after a not-ok one on another channel reports ok again
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> closed = Go.makeChan(Integer.class, 0);
            closed.close();
            Chan<Integer> full = Go.makeChan(Integer.class, 1);
            full.send(7);
            seen.add(closed.recv2().ok());
            seen.add(full.recv2().ok());
            seen.add(closed.recv2().ok());
        });
        assertThat(seen).containsExactly(false, true, false);
    }

    @ParameterizedTest(name = "cap={0}")
    @CsvSource({"0", "2"})
    void sendOnClosedChannelPanics(int cap) {
        AtomicReference<String> msg = new AtomicReference<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            ch.close();
            try {
                ch.send(1);
            } catch (GoPanic e) {
                msg.set(e.getMessage());
            }
        });
        assertThat(msg.get()).isEqualTo("send on closed channel");
    }

    @ParameterizedTest(name = "cap={0}")
    @CsvSource({"0", "2"})
    void closeOfClosedChannelPanics(int cap) {
        AtomicReference<String> msg = new AtomicReference<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            ch.close();
            try {
                ch.close();
            } catch (GoPanic e) {
                msg.set(e.getMessage());
            }
        });
        assertThat(msg.get()).isEqualTo("close of closed channel");
    }

    @Test
    void closeOfNilChannelPanics() {
        AtomicReference<String> msg = new AtomicReference<>();
        Rt.run(1, () -> {
            try {
                Chan.close((Chan<Integer>) null);
            } catch (GoPanic e) {
                msg.set(e.getMessage());
            }
        });
        assertThat(msg.get()).isEqualTo("close of nil channel");
    }

    @Test
    void sendAndRecvOnNilChannelBlockForever() {
        AtomicReference<List<String>> reasons = new AtomicReference<>();
        Rt.run(2, () -> {
            AtomicReference<G> sender = new AtomicReference<>();
            AtomicReference<G> receiver = new AtomicReference<>();
            AtomicBoolean returned = new AtomicBoolean();
            Go.go(() -> {
                sender.set(Go.getg());
                Chan.send(null, 1);
                returned.set(true);
            });
            Go.go(() -> {
                receiver.set(Go.getg());
                Chan.recv((Chan<Integer>) null);
                returned.set(true);
            });
            yieldUntil(() -> sender.get() != null && receiver.get() != null, "both started");
            awaitParked(sender.get(), "chan send (nil chan)");
            awaitParked(receiver.get(), "chan receive (nil chan)");
            for (int i = 0; i < 100; i++) {
                Go.gosched();
            }
            assertThat(returned.get()).isFalse();
            reasons.set(List.of(sender.get().waitReason(), receiver.get().waitReason()));
            // main returns: the blocked goroutines are abandoned, as in Go
        });
        assertThat(reasons.get()).containsExactly("chan send (nil chan)", "chan receive (nil chan)");
    }

    @ParameterizedTest(name = "procs={0} cap={1}")
    @CsvSource({"1, 0", "2, 0", "1, 1", "2, 1"})
    void blockedSenderPanicsWhenChannelIsClosed(int procs, int cap) {
        AtomicReference<String> msg = new AtomicReference<>();
        AtomicReference<Object> received = new AtomicReference<>("none");
        Rt.run(procs, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            for (int i = 0; i < cap; i++) {
                ch.send(100 + i); // fill the buffer so the next send blocks
            }
            AtomicReference<G> sender = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go(() -> {
                sender.set(Go.getg());
                try {
                    ch.send(1);
                    msg.set("send returned normally");
                } catch (GoPanic e) {
                    msg.set(e.getMessage());
                }
                wg.done();
            });
            yieldUntil(() -> sender.get() != null, "sender started");
            awaitParked(sender.get(), "chan send");
            ch.close();
            wg.await();
            if (cap > 0) {
                // what was buffered before close is still delivered; the blocked value is not
                Chan.Recv<Integer> r = ch.recv2();
                assertThat(r.ok()).isTrue();
                assertThat(r.value()).isEqualTo(100);
            }
            received.set(ch.recv2().ok());
        });
        assertThat(msg.get()).isEqualTo("send on closed channel");
        assertThat(received.get()).isEqualTo(false);
    }

    @ParameterizedTest(name = "procs={0} cap={1}")
    @CsvSource({"1, 0", "2, 0", "1, 4", "2, 4"})
    void blockedReceiversAreReleasedNotOkOnClose(int procs, int cap) {
        int n = 5;
        ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
        Rt.run(procs, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, cap);
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            List<AtomicReference<G>> gs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                AtomicReference<G> me = new AtomicReference<>();
                gs.add(me);
                Go.go(() -> {
                    me.set(Go.getg());
                    Chan.Recv<Integer> r = ch.recv2();
                    results.add(r.ok() + "/" + r.value());
                    wg.done();
                });
            }
            for (AtomicReference<G> me : gs) {
                yieldUntil(() -> me.get() != null, "receiver started");
                awaitParked(me.get(), "chan receive");
            }
            ch.close();
            wg.await();
        });
        assertThat(results).hasSize(n).allMatch(s -> s.equals("false/0"));
    }

    // ---------------------------------------------------------------------------------------
    // trySend
    // ---------------------------------------------------------------------------------------

    @Test
    void trySendOnBufferedChannelFailsOnlyWhenFull() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 2);
            seen.add(ch.trySend(1)); // empty
            seen.add(ch.trySend(2));
            seen.add(ch.trySend(3)); // full
            seen.add(ch.len());
            seen.add(ch.recv());
            seen.add(ch.trySend(4)); // room again
            seen.add(ch.recv());
            seen.add(ch.recv());
            seen.add(ch.len());
        });
        assertThat(seen).containsExactly(true, true, false, 2, 1, true, 2, 4, 0);
    }

    @Test
    void trySendOnUnbufferedChannelNeedsAWaitingReceiver() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 0);
            seen.add(ch.trySend(1)); // nobody waiting
            AtomicReference<G> rg = new AtomicReference<>();
            AtomicReference<Integer> got = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go(() -> {
                rg.set(Go.getg());
                got.set(ch.recv());
                wg.done();
            });
            yieldUntil(() -> rg.get() != null, "receiver started");
            awaitParked(rg.get(), "chan receive");
            seen.add(ch.trySend(42)); // hands over to the waiting receiver
            wg.await();
            seen.add(got.get());
            seen.add(ch.trySend(2)); // nobody waiting again
        });
        assertThat(seen).containsExactly(false, true, 42, false);
    }

    @Test
    void trySendOnClosedChannelPanics() {
        AtomicReference<String> msg = new AtomicReference<>();
        Rt.run(1, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 1);
            ch.close();
            try {
                ch.trySend(1);
            } catch (GoPanic e) {
                msg.set(e.getMessage());
            }
        });
        assertThat(msg.get()).isEqualTo("send on closed channel");
    }

    // ---------------------------------------------------------------------------------------
    // uncaught panics crash the runtime
    // ---------------------------------------------------------------------------------------

    @Test
    void uncaughtSendOnClosedChannelCrashesTheRuntimeWithGoroutineDump() {
        AtomicLong goid = new AtomicLong(-1);
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Chan<Integer> ch = Go.makeChan(Integer.class, 0);
            ch.close();
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            Go.go("panicker", () -> {
                goid.set(Go.getg().goid());
                ch.send(1);
            });
            never.recv(); // main blocks until the runtime dies
        }))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("panic: send on closed channel")
                .satisfies(e -> assertThat(e.getMessage()).contains("goroutine " + goid.get() + " [running]"))
                .hasCauseInstanceOf(GoPanic.class);
        assertThat(goid.get()).isPositive();
    }

    @Test
    void uncaughtPanicInMainCrashesTheRuntime() {
        AtomicLong goid = new AtomicLong(-1);
        assertThatThrownBy(() -> Rt.run(1, () -> {
            goid.set(Go.getg().goid());
            Chan.close((Chan<Integer>) null);
        }))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("panic: close of nil channel")
                .satisfies(e -> assertThat(e.getMessage()).contains("goroutine " + goid.get() + " [running]"));
    }

    @Test
    void uncaughtJavaExceptionCrashesTheRuntime() {
        assertThatThrownBy(() -> Rt.run(1, () -> {
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            Go.go(() -> {
                throw new IllegalStateException("boom");
            });
            never.recv();
        }))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("panic: java.lang.IllegalStateException: boom")
                .hasMessageContaining("[running]");
    }
}
