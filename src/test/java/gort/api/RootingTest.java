package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.heap.Type;
import gort.sched.G;
import gort.sched.HChan;
import gort.sched.Sched;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every place a Go program keeps a pointer keeps it alive: a channel's buffer, a blocked sender's
 * value, a value handed to a blocked receiver or select, a select's send case, a go statement's
 * captured pointers, a global. Each test parks a pointer in one such place with no other root,
 * forces a full collection, allocates enough objects of the same size class to reuse every freed
 * slot (stamped with a value no test object has), and then checks every value it gets back; it
 * runs under each set-up of {@link gort.testing.Designs} (every design, and the ablations that
 * matter), with gccheckmark=1. Where the api would keep the object alive through the sender's own
 * scope anyway, the test hands the runtime a raw address instead, so that only the mechanism under
 * test roots it.
 */
class RootingTest {
    static final Type NODE = Type.struct("rooting.node", "ptr,ptr,scalar");
    static final long CHURN_MARK = -7;

    static Stream<String> designs() {
        return gort.testing.Designs.SETUPS.stream();
    }

    static Config cfg(int procs, String setup) {
        return gort.testing.Designs.apply(Config.defaults().withGomaxprocs(procs).withGodebug(Map.of("gccheckmark", "1")), setup);
    }

    /** n garbage NODEs stamped CHURN_MARK: they reuse the slots a collection freed. */
    static void churn(int n) {
        for (int i = 0; i < n; i += 1000) {
            try (Scope s = Go.scope()) {
                for (int j = 0; j < 1000; j++) {
                    Go.alloc(NODE).set(2, CHURN_MARK);
                }
            }
        }
    }

    /** Yields until n user goroutines wait with the given reason. */
    static void awaitWaiting(int n, String reason) {
        for (int i = 0; i < 1_000_000; i++) {
            long k = Sched.current().allgs().stream()
                    .filter(g -> !g.isSystem() && g.status() == G.WAITING && g.waitReason().equals(reason)).count();
            if (k >= n) {
                return;
            }
            Go.gosched();
        }
        throw new AssertionError(n + " goroutines never waited on " + reason);
    }

    /** A NODE with id in its scalar field, rooted nowhere: the raw address. */
    static long rawNode(long id) {
        Heap h = Raw.heap();
        long a = h.alloc(NODE); // the allocation's safepoint comes before it: a is unexposed until stored
        h.storeInt(a, 2, id);
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void pointersInABufferedChannelSurviveCollections(String setup) {
        int n = 5000;
        AtomicLong wrong = new AtomicLong(-1);
        Rt.run(cfg(2, setup), () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, n);
            for (int i = 0; i < n; i++) {
                try (Scope s = Go.scope()) {
                    Ptr x = Go.alloc(NODE);
                    x.set(2, i);
                    c.send(x);
                }
            }
            Go.gc();
            churn(300_000);
            long bad = 0;
            for (int i = 0; i < n; i++) {
                try (Scope s = Go.scope()) {
                    if (c.recv().get(2) != i) {
                        bad++;
                    }
                }
            }
            wrong.set(bad);
        });
        assertThat(wrong).as("values wrong after receiving").hasValue(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aBlockedSendersValueIsARoot(String setup) {
        int k = 200;
        List<Long> got = new ArrayList<>();
        Rt.run(cfg(1, setup), () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, 0);
            for (int i = 0; i < k; i++) {
                long id = i;
                Go.go("sender", () -> {
                    long a = rawNode(id);
                    c.h.send(Sched.currentM(), null, a, true); // a is in the sudog only (M looked up after the allocation)
                });
            }
            awaitWaiting(k, "chan send");
            Go.gc();
            churn(100_000);
            for (int i = 0; i < k; i++) {
                try (Scope s = Go.scope()) {
                    got.add(c.recv().get(2));
                }
            }
        });
        assertThat(got).containsExactlyInAnyOrderElementsOf(range(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aValueHandedToABlockedReceiverIsARoot(String setup) {
        int k = 200;
        ConcurrentLinkedQueue<Long> got = new ConcurrentLinkedQueue<>();
        Rt.run(cfg(1, setup), () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, 0);
            WaitGroup wg = new WaitGroup();
            wg.add(k);
            for (int i = 0; i < k; i++) {
                Go.go("receiver", () -> {
                    got.add(c.recv().get(2));
                    wg.done();
                });
            }
            awaitWaiting(k, "chan receive");
            for (int i = 0; i < k; i++) {
                long a = rawNode(i);
                c.h.send(Sched.currentM(), null, a, true); // each hands its value to a waiting receiver
            }
            Go.gc(); // the receivers are runnable, not yet run: the values are only in their sudogs
            churn(100_000);
            wg.await();
        });
        assertThat(got).containsExactlyInAnyOrderElementsOf(range(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aBlockedSelectsSendCaseIsARoot(String setup) {
        int k = 100;
        List<Long> got = new ArrayList<>();
        Rt.run(cfg(1, setup), () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, 0);
            Chan<Ptr> never = Go.makeChan(Ptr.class, 0);
            for (int i = 0; i < k; i++) {
                long id = i;
                Go.go("selector", () -> {
                    long a = rawNode(id);
                    HChan.select(Sched.currentM(), new HChan.Case[] {HChan.Case.recv(never.h), HChan.Case.send(c.h, null, a)}, true);
                });
            }
            awaitWaiting(k, "select");
            Go.gc();
            churn(100_000);
            for (int i = 0; i < k; i++) {
                try (Scope s = Go.scope()) {
                    got.add(c.recv().get(2));
                }
            }
        });
        assertThat(got).containsExactlyInAnyOrderElementsOf(range(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aValueHandedToABlockedSelectIsARoot(String setup) {
        int k = 100;
        ConcurrentLinkedQueue<Long> got = new ConcurrentLinkedQueue<>();
        Rt.run(cfg(1, setup), () -> {
            Chan<Ptr> c = Go.makeChan(Ptr.class, 0);
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            WaitGroup wg = new WaitGroup();
            wg.add(k);
            for (int i = 0; i < k; i++) {
                Go.go("selector", () -> {
                    Select.Selected s = Select.select(Select.recv(never), Select.recv(c));
                    assertThat(s.index()).isEqualTo(1);
                    Ptr v = s.value();
                    got.add(v.get(2));
                    wg.done();
                });
            }
            awaitWaiting(k, "select");
            for (int i = 0; i < k; i++) {
                long a = rawNode(i);
                c.h.send(Sched.currentM(), null, a, true);
            }
            Go.gc();
            churn(100_000);
            wg.await();
        });
        assertThat(got).containsExactlyInAnyOrderElementsOf(range(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aGoStatementsCapturedPointerLivesAsLongAsTheGoroutine(String setup) {
        int k = 1000;
        ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
        Rt.run(cfg(1, setup), () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(k);
            for (int i = 0; i < k; i++) {
                long id = i;
                try (Scope s = Go.scope()) {
                    Ptr x = Go.alloc(NODE);
                    x.set(2, id);
                    Go.go(() -> {
                        if (x.get(2) != id) {
                            bad.add(id + ": " + x.get(2));
                        }
                        wg.done();
                    });
                } // x's scope closes before the goroutine runs (one P: the starter runs on)
                if (i % 100 == 0) {
                    churn(20_000);
                }
            }
            Go.gc();
            churn(100_000);
            wg.await();
        });
        assertThat(bad).isEmpty();
    }

    /**
     * A pending AfterFunc's captured pointer: its scope closes and a collection runs while the timer
     * is pending (due in 30 s, so it cannot fire meanwhile); a Reset keeps it pinned across the
     * restart; then it fires and its goroutine reads the value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aPendingTimersCapturedPointerIsARoot(String setup) {
        AtomicLong got = new AtomicLong();
        Rt.run(cfg(2, setup), () -> {
            Chan<Integer> done = Go.makeChan(Integer.class, 0);
            Time.Timer t;
            try (Scope s = Go.scope()) {
                Ptr x = Go.alloc(NODE);
                x.set(2, 42);
                t = Time.afterFunc(30 * Time.SECOND, () -> {
                    got.set(x.get(2));
                    done.send(1);
                });
            }
            Go.gc();
            churn(100_000);
            t.reset(Time.MILLISECOND);
            Go.gc();
            churn(100_000);
            done.recv();
        });
        assertThat(got).hasValue(42);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aGlobalIsARoot(String setup) {
        AtomicLong got = new AtomicLong();
        Rt.run(cfg(2, setup), () -> {
            Global g = Go.newGlobal();
            try (Scope s = Go.scope()) {
                Ptr x = Go.alloc(NODE);
                x.set(2, 42);
                g.set(x);
            }
            Go.gc();
            churn(100_000);
            got.set(g.get().get(2));
        });
        assertThat(got).hasValue(42);
    }

    static List<Long> range(int k) {
        List<Long> r = new ArrayList<>();
        for (long i = 0; i < k; i++) {
            r.add(i);
        }
        return r;
    }
}
