package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.api.Chan;
import gort.sched.G;
import gort.sched.Sched;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The coordinator's wakeup mechanisms on the real scheduler, observed by where the woken
 * coordinator goes — the mechanisms of note, park (golang/go CL 9291) and park-yield (CL 12670),
 * not their timings (those are measured by gort compare).
 */
class MarkDoneSignalTest {

    @Test
    void parkReadiesTheCoordinatorIntoTheCompletersRunnext() {
        AtomicReference<String> seen = new AtomicReference<>("");
        // one P: with an idle second P, ready's wakep may let that P steal runnext (as in Go)
        Rt.run(1, () -> {
            Sched s = Sched.current();
            MarkDoneSignal sig = new MarkDoneSignal(s, MarkDoneSignal.Wake.PARK);
            sig.clear();
            AtomicReference<G> coord = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Chan<Integer> started = Go.makeChan(Integer.class, 0);
            Go.go(() -> {
                coord.set(Sched.getg());
                started.send(1); // readies us; we run once the coordinator parks
                sig.await();
                wg.done();
            });
            started.recv();
            Rt.spinUntil(() -> coord.get().status() == G.WAITING, 10_000);
            boolean won = sig.complete(CompleterKind.DEDICATED);
            boolean inRunnext = Sched.currentM().p().runnextForTest() == coord.get();
            seen.set("won=" + won + " runnext=" + inRunnext + " again=" + sig.complete(CompleterKind.ASSIST));
            wg.await(); // we block: the coordinator runs next on this P
            seen.set(seen.get() + " kind=" + sig.completer() + " delayMeasured=" + (sig.wakeupDelayNanos() >= 0));
        });
        assertThat(seen.get()).isEqualTo("won=true runnext=true again=false kind=DEDICATED delayMeasured=true");
    }

    @Test
    void noteSendsTheWokenCoordinatorThroughTheGlobalRunQueueWhenNoPIsIdle() {
        AtomicReference<String> seen = new AtomicReference<>("");
        Rt.run(1, () -> {
            Sched s = Sched.current();
            MarkDoneSignal sig = new MarkDoneSignal(s, MarkDoneSignal.Wake.NOTE);
            sig.clear();
            AtomicReference<G> coord = new AtomicReference<>();
            AtomicBoolean resumed = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Chan<Integer> started = Go.makeChan(Integer.class, 0);
            Go.go(() -> {
                coord.set(Sched.getg());
                started.send(1);
                sig.await(); // notetsleepg: hands the only P (and us with it) to another M
                resumed.set(true);
                wg.done();
            });
            started.recv();
            Rt.spinUntil(() -> coord.get().status() == G.SYSCALL, 10_000);
            // Hold the only P without a safepoint while completing: the woken coordinator finds
            // no idle P, goes to the global run queue, and its M stops.
            sig.complete(CompleterKind.IDLE);
            boolean global = Rt.spinUntil(() -> coord.get().status() == G.RUNNABLE && s.globalRunqSize() >= 1, 10_000);
            seen.set("global=" + global + " resumedEarly=" + resumed.get());
            wg.await();
            seen.set(seen.get() + " resumed=" + resumed.get() + " kind=" + sig.completer());
        });
        assertThat(seen.get()).isEqualTo("global=true resumedEarly=false resumed=true kind=IDLE");
    }

    @ParameterizedTest
    @EnumSource(value = MarkDoneSignal.Wake.class, names = {"NOTE", "PARK"})
    void completionBeforeTheCoordinatorWaitsIsNotLost(MarkDoneSignal.Wake w) {
        AtomicInteger phases = new AtomicInteger();
        Rt.run(2, () -> {
            MarkDoneSignal sig = new MarkDoneSignal(Sched.current(), w);
            for (int phase = 0; phase < 50; phase++) {
                sig.clear();
                WaitGroup wg = new WaitGroup();
                wg.add(1);
                CompleterKind kind = phase % 2 == 0 ? CompleterKind.ASSIST : CompleterKind.FRACTIONAL;
                Go.go(() -> {
                    sig.complete(kind);
                    wg.done();
                });
                if (phase % 3 == 0) {
                    wg.await(); // complete surely came first
                }
                sig.await(); // must return: the signal is kept
                if (phase % 3 != 0) {
                    wg.await();
                }
                assertThat(sig.isDone()).isTrue();
                phases.incrementAndGet();
            }
        });
        assertThat(phases.get()).isEqualTo(50);
    }

    @Test
    void strategiesParseFromTheirFlags() {
        assertThat(WakeupStrategy.parse("note")).isEqualTo(WakeupStrategy.NOTE);
        assertThat(WakeupStrategy.parse("park")).isEqualTo(WakeupStrategy.PARK);
        assertThat(WakeupStrategy.parse("park-yield")).isEqualTo(WakeupStrategy.PARK_YIELD);
        assertThat(WakeupStrategy.parse("none")).isEqualTo(WakeupStrategy.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WakeupStrategy.parse("fast"))
                .hasMessageContaining("note, park, park-yield or none");
    }
}
