package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.WakeupStrategy;
import gort.heap.Type;
import gort.platform.OsThread;
import gort.sched.G;
import gort.sched.M;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A runtime whose main returns leaves nothing running: when {@link Runtime#run} returns, every
 * thread of that runtime has ended and every goroutine is dead, however busy its goroutines were —
 * loops that only poll, goroutines blocked forever, an allocator keeping the collector (and under
 * note its coordinator's notetsleepg) busy. Many runtimes in turn in one JVM, as tests and
 * back-to-back measurements run them. States are counted, not timed.
 */
class RuntimeExitTest {
    static final Type NODE = Type.struct("exit.node", "ptr,scalar");

    /** The live threads serving an M of the runtime rt. */
    static List<Thread> threadsOf(Runtime rt) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t instanceof OsThread ot && ot.owner() instanceof M m && m.sched() == rt.sched() && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void aHundredRuntimesInTurnLeaveNoThreadAndNoRunnableGoroutine() {
        WakeupStrategy[] ws = WakeupStrategy.values();
        for (int r = 0; r < 100; r++) {
            int procs = 1 + r % 4;
            AtomicLong spins = new AtomicLong();
            AtomicLong allocs = new AtomicLong();
            AtomicReference<Runtime> rt = new AtomicReference<>();
            Config c = Config.defaults().withGomaxprocs(procs).withWakeup(ws[r % ws.length]).withGogc(25).withOnExit(rt::set);
            Rt.run(c, () -> {
                for (int i = 0; i <= procs; i++) {
                    Go.go("spinner", () -> {
                        long n = 0;
                        for (;;) { // a loop whose only safepoint is the poll
                            n++;
                            spins.incrementAndGet();
                            Go.poll();
                        }
                    });
                }
                Go.go("blocked", () -> Go.makeChan(Object.class, 0).recv());
                Go.go("allocator", () -> {
                    Heap h = Raw.heap();
                    for (;;) {
                        h.allocArray(NODE, 256); // 4 KiB of garbage: a collection every few MB
                        allocs.incrementAndGet();
                    }
                });
                while (spins.get() < 2000 || allocs.get() < 3000) {
                    Go.gosched();
                }
            });
            Runtime done = rt.get();
            assertThat(threadsOf(done)).as("threads of runtime %d (%s) after run returned", r, done.name()).isEmpty();
            assertThat(done.sched().liveMs()).isZero();
            for (G g : done.sched().allgs()) {
                assertThat(g.status()).as("%s of runtime %d", g, r).isEqualTo(G.DEAD);
            }
        }
    }
}
