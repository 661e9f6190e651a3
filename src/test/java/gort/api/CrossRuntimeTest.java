package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.heap.Type;
import gort.api.Chan;
import gort.sched.FatalError;
import gort.sched.GoPanic;
import gort.api.Mutex;
import gort.sched.Sched;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A channel, WaitGroup, Mutex or heap address belongs to the runtime that made it: a goroutine of
 * another runtime running at the same time that uses one panics, naming both runtimes, and the
 * owner keeps running unharmed.
 */
class CrossRuntimeTest {
    static final Type NODE = Type.struct("cross.node", "ptr,scalar");

    /** What runtime A shares (through plain Java) with runtime B. */
    record Shared(String owner, Chan<Integer> chan, WaitGroup wg, Mutex mu, long addr) {}

    /**
     * Runs runtime A, which makes the objects, publishes them and keeps running (and checks its
     * objects still work) until B says it is done; and, on another thread, runtime B running
     * {@code b} on what A shared. Returns what B threw out of Runtime.run, or null.
     */
    static Throwable withTwoRuntimes(java.util.function.Consumer<Shared> b) throws InterruptedException {
        AtomicReference<Shared> shared = new AtomicReference<>();
        AtomicBoolean bDone = new AtomicBoolean();
        AtomicReference<Throwable> bThrew = new AtomicReference<>();
        AtomicReference<Throwable> aThrew = new AtomicReference<>();
        Thread ta = new Thread(() -> {
            try {
                Rt.run(2, () -> {
                    Chan<Integer> c = Go.makeChan(Integer.class, 1);
                    WaitGroup wg = new WaitGroup();
                    Mutex mu = new Mutex();
                    int g = Raw.newGlobal();
                    long x = Raw.heap().alloc(NODE);
                    Raw.setGlobal(g, x);
                    Raw.heap().storeInt(x, 1, 42);
                    shared.set(new Shared(Sched.current().name(), c, wg, mu, x));
                    while (!bDone.get()) {
                        Go.gosched();
                    }
                    // A's objects are intact and usable by A
                    c.send(7);
                    assertThat(c.recv()).isEqualTo(7);
                    mu.lock();
                    mu.unlock();
                    wg.add(1);
                    wg.done();
                    wg.await();
                    assertThat(Raw.heap().loadInt(Raw.global(g), 1)).isEqualTo(42);
                });
            } catch (Throwable t) {
                aThrew.set(t);
            }
        }, "runtime-A");
        Thread tb = new Thread(() -> {
            try {
                Rt.run(2, () -> {
                    while (shared.get() == null) {
                        Go.gosched();
                    }
                    try {
                        b.accept(shared.get());
                    } finally {
                        bDone.set(true);
                    }
                });
            } catch (Throwable t) {
                bThrew.set(t);
                bDone.set(true);
            }
        }, "runtime-B");
        ta.start();
        tb.start();
        tb.join(120_000);
        ta.join(120_000);
        assertThat(aThrew.get()).as("runtime A, the owner, is unharmed").isNull();
        return bThrew.get();
    }

    @Test
    void everyKindOfObjectPanicsNamingBothRuntimes() throws InterruptedException {
        List<String> msgs = new ArrayList<>();
        AtomicReference<String> names = new AtomicReference<>();
        Throwable t = withTwoRuntimes(s -> {
            names.set(s.owner() + "|" + Sched.current().name());
            Heap h = Raw.heap();
            List<Runnable> misuse = List.of(
                    () -> s.chan().send(1),
                    () -> s.chan().recv(),
                    () -> s.chan().trySend(1),
                    () -> s.chan().close(),
                    () -> s.wg().add(1),
                    () -> s.wg().await(),
                    () -> s.mu().lock(),
                    () -> s.mu().tryLock(),
                    () -> h.loadInt(s.addr(), 1),
                    () -> h.storePtr(h.alloc(NODE), 0, s.addr()),
                    () -> Raw.setGlobal(Raw.newGlobal(), s.addr()));
            for (Runnable r : misuse) {
                try {
                    r.run();
                    msgs.add("no panic");
                } catch (GoPanic e) {
                    msgs.add(e.getMessage());
                }
            }
        });
        assertThat(t).isNull();
        String a = names.get().split("\\|")[0];
        String b = names.get().split("\\|")[1];
        assertThat(a).isNotEqualTo(b);
        assertThat(msgs).hasSize(11).allSatisfy(m -> assertThat(m).contains(a).contains(b));
        assertThat(msgs.get(0)).startsWith("send on a chan of " + a + " used from a goroutine of " + b);
        assertThat(msgs.get(6)).startsWith("Mutex of " + a + " used from a goroutine of " + b);
        assertThat(msgs.get(8)).contains("belongs to the heap of " + a).contains("goroutine of " + b);
    }

    @Test
    void anUncaughtSendOnAnotherRuntimesChannelIsAPanicOfTheSender() throws InterruptedException {
        Throwable t = withTwoRuntimes(s -> s.chan().send(1));
        assertThat(t).isInstanceOf(FatalError.class);
        assertThat(t.getMessage()).startsWith("panic: send on a chan of runtime ").contains("used from a goroutine of runtime ");
        assertThatThrownBy(() -> {
            throw t;
        }).hasMessageNotContaining("deadlock").hasMessageNotContaining("checkdead");
    }
}
