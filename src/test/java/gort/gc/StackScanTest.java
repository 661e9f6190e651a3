package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.api.WaitGroup;
import gort.sched.G;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The concurrent stack scan (Go 1.5's gcscan_m with scang): with the world started, the
 * coordinator scans the stacks of goroutines that are not running, and a running goroutine scans
 * its own at its next safepoint and runs on; mark 1 is armed only when every stack is scanned, so
 * a goroutine that reaches no safepoint holds the scan, and so the cycle, up, as in Go 1.5.
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

    /** How long the looper watches the phase after the scan asked it: a bound on the watch, not a measurement. */
    static final long WATCH_NS = 50_000_000L;

    /**
     * The scan's own wait (scang spinning on a running goroutine): a goroutine that begins a loop
     * without safepoints once sweep termination has restarted the world (so that stop-the-world did
     * not wait for it), and is still running when the scan reaches it, is asked to scan itself; the
     * scan, and so the phase, cannot move on from SCAN until the loop reaches its safepoint. A cycle
     * whose scan reached the goroutine before its loop began (it was then scanned where it waited)
     * tests nothing, and the next cycle is tried.
     */
    @Test
    void aGoroutineThatReachesNoSafepointHoldsTheStackScanUntilItDoes() {
        AtomicReference<String> watched = new AtomicReference<>();
        AtomicLong loopEnded = new AtomicLong();
        AtomicLong armedAt = new AtomicLong();
        AtomicInteger cycles = new AtomicInteger();
        Rt.run(2, () -> {
            Collector gc = CompletionPathTest.collector();
            var platform = Sched.current().platform();
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle(); // a first cycle: the collector's goroutines come before the looper in the scan's order
            while (gc.numGC() == n0) {
                Go.gosched();
            }
            AtomicBoolean stop = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go("looper", () -> {
                G me = Sched.getg();
                while (!stop.get() && watched.get() == null) {
                    if (gc.phaseForTest() != GcPhase.SCAN) {
                        Go.poll(); // safepoints: sweep termination's stop-the-world stops us here
                        continue;
                    }
                    // the scan phase with the world started: from here, no safepoint
                    while (gc.phaseForTest() == GcPhase.SCAN && !me.preemptscan()) {
                        Rt.spinTurn();
                    }
                    if (!me.preemptscan()) {
                        continue; // the scan got past us before the loop began: try the next cycle
                    }
                    // the scan asked us to scan ourselves: it must wait for our safepoint
                    long until = platform.nanotime() + WATCH_NS;
                    while (platform.nanotime() < until && gc.phaseForTest() == GcPhase.SCAN) {
                        Rt.spinTurn();
                    }
                    watched.set("phase " + gc.phaseForTest() + " after the scan asked a goroutine without safepoints to scan itself");
                    loopEnded.set(platform.nanotime());
                    Go.poll(); // the safepoint: the goroutine scans its own stack and runs on
                }
                wg.done();
            });
            gc.faults.onPhaseArmed = sig -> {
                if (sig == gc.mark1 && loopEnded.get() != 0) {
                    armedAt.compareAndSet(0, platform.nanotime());
                }
            };
            for (int c = 0; c < 2000 && watched.get() == null; c++) {
                int n = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n) {
                    Go.gosched();
                }
                cycles.incrementAndGet();
            }
            stop.set(true);
            wg.await();
        });
        assertThat(watched.get()).as("what the goroutine saw (null: in %d cycles the scan never found it in its loop)", cycles.get())
                .isEqualTo("phase SCAN after the scan asked a goroutine without safepoints to scan itself");
        assertThat(armedAt.get()).as("mark 1 was armed after the loop reached its safepoint").isGreaterThan(loopEnded.get());
    }
}
