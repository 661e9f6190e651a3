package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The concurrent stack scan (Go 1.5's gcscan_m with scang): with the world started, the
 * coordinator scans the stacks of goroutines that are not running, and a running goroutine scans
 * its own at its next safepoint and runs on; mark 1 is armed only when every stack is scanned, so
 * a goroutine that reaches no safepoint holds the cycle up, as in Go 1.5.
 */
class StackScanTest {
    static final Type NODE = Type.struct("scan.node", "ptr,scalar");

    @Test
    void aRunningGoroutineScansItsOwnStackAtItsSafepointAndItsRootsSurvive() {
        AtomicLong selfScans = new AtomicLong();
        Rt.run(Config.defaults().withGomaxprocs(2).withGodebug(Config.parseGodebug("gccheckmark=1")), () -> {
            Heap h = Raw.heap();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong survivors = new AtomicLong();
            AtomicBoolean polling = new AtomicBoolean();
            gort.api.WaitGroup wg = new gort.api.WaitGroup();
            wg.add(1);
            Go.go("holder", () -> {
                Stack st = Raw.stack();
                int f = st.push(1);
                long n = h.alloc(NODE); // rooted only by this goroutine's stack
                st.set(f, 0, n);
                h.storeInt(st.get(f, 0), 1, 42);
                polling.set(true);
                while (!stop.get()) {
                    Go.poll(); // safepoints only: the scan must come to us
                }
                survivors.set(h.loadInt(st.get(f, 0), 1));
                st.pop(f);
                wg.done();
            });
            while (!polling.get()) {
                Go.gosched(); // let the holder start on the other P
            }
            Collector gc = CompletionPathTest.collector();
            // the holder is running at the scan in some of the cycles (else sysmon's preemption sent it to
            // the global queue, where a mark worker's turn on its P may leave it for a while): cycles
            // until one finds it running, at most 2000 (each a fraction of a millisecond)
            for (int c = 0; c < 2000 && (c < 3 || Sched.current().selfScans() == 0); c++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle(); // the coordinator takes this P; the holder runs on the other
                while (gc.numGC() == n0) {
                    Go.gosched();
                }
            }
            selfScans.set(Sched.current().selfScans());
            stop.set(true);
            wg.await();
            assertThat(survivors.get()).isEqualTo(42);
        });
        assertThat(selfScans.get()).as("scan requests a running goroutine answered at its safepoint").isPositive();
    }

    @Test
    void aGoroutineThatReachesNoSafepointHoldsTheScanAndSoMarkOneUp() {
        AtomicLong loopEnded = new AtomicLong();
        AtomicLong armedAt = new AtomicLong();
        AtomicBoolean release = new AtomicBoolean();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200); // a delay, not a measurement: the loop must still be spinning when the scan starts
            } catch (InterruptedException e) {
                return;
            }
            release.set(true);
        });
        Rt.run(2, () -> {
            Collector gc = CompletionPathTest.collector();
            var platform = Sched.current().platform();
            gc.faults.beforeMarkWait = sig -> armedAt.compareAndSet(0, platform.nanotime());
            AtomicBoolean spinning = new AtomicBoolean();
            Go.go("no-safepoints", () -> {
                spinning.set(true);
                while (!release.get()) {
                    Thread.onSpinWait(); // no safepoint: neither preemption nor a stack-scan request can stop us
                }
                loopEnded.set(platform.nanotime());
                Go.poll();
            });
            while (!spinning.get()) {
                Go.gosched();
            }
            releaser.start();
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle();
            while (gc.numGC() == n0) {
                Go.gosched();
            }
        });
        assertThat(loopEnded.get()).isPositive();
        assertThat(armedAt.get()).as("mark 1 was armed only after the loop reached its safepoint").isGreaterThan(loopEnded.get());
    }
}
