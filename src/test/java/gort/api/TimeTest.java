package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.sched.FatalError;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Go's time package on the runtime's timers, with tests modelled on Go's own (sleep_test.go,
 * tick_test.go): After in a select as a timeout, Stop before firing, Reset, AfterFunc, Ticker's
 * period and Stop, and deadlock detection with and without a pending timer. Tests assert what fired
 * and in which order, never how long it took; deadlines are far apart where order matters.
 */
class TimeTest {

    @Test
    void afterIsATimeoutInASelect() {
        List<Integer> got = new ArrayList<>();
        Rt.run(2, () -> {
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            Chan<Integer> soon = Go.makeChan(Integer.class, 1);
            got.add(Select.select(Select.recv(never), Select.recv(Time.after(5 * Time.MILLISECOND))).index());
            Go.go(() -> soon.send(7));
            got.add(Select.select(Select.recv(soon), Select.recv(Time.after(30 * Time.SECOND))).index());
        });
        assertThat(got).containsExactly(1, 0);
    }

    @Test
    void aTimerStoppedBeforeItFiresNeverSends() {
        List<Object> got = new ArrayList<>();
        Rt.run(1, () -> {
            Time.Timer t = Time.newTimer(20 * Time.MILLISECOND);
            got.add(t.stop()); // pending: true
            got.add(t.stop()); // already stopped: false
            Time.sleep(60 * Time.MILLISECOND);
            got.add(t.c().tryRecv() == null ? "nothing" : "a tick");
            Time.Timer u = Time.newTimer(Time.MILLISECOND);
            u.c().recv();
            got.add(u.stop()); // fired: false
        });
        assertThat(got).containsExactly(true, false, "nothing", false);
    }

    @Test
    void resetMovesTheDeadline() {
        List<Object> got = new ArrayList<>();
        Rt.run(1, () -> {
            Time.Timer t = Time.newTimer(30 * Time.SECOND);
            got.add(t.reset(Time.MILLISECOND)); // was pending
            long v = t.c().recv();
            got.add(v > 0);
            got.add(t.reset(Time.MILLISECOND)); // had fired
            t.c().recv();
            got.add("fired again");
        });
        assertThat(got).containsExactly(true, true, false, "fired again");
    }

    @Test
    void afterFuncRunsItsFunctionInAGoroutineOfItsOwnUnlessStopped() {
        List<String> got = new CopyOnWriteArrayList<>();
        Rt.run(2, () -> {
            long mainId = Go.getg().goid();
            Chan<Integer> done = Go.makeChan(Integer.class, 0);
            Time.Timer stopped = Time.afterFunc(20 * Time.MILLISECOND, () -> got.add("stopped timer ran"));
            Time.afterFunc(Time.MILLISECOND, () -> {
                got.add(Go.getg().goid() != mainId ? "own goroutine" : "main");
                done.send(1);
            });
            got.add("stop " + stopped.stop());
            done.recv();
            Time.sleep(60 * Time.MILLISECOND);
        });
        assertThat(got).containsExactlyInAnyOrder("stop true", "own goroutine");
    }

    @Test
    void aTickerTicksUntilStopped() {
        AtomicInteger after = new AtomicInteger(-1);
        List<Long> ticks = new ArrayList<>();
        long[] start = new long[1];
        Rt.run(2, () -> {
            start[0] = Time.now();
            Time.Ticker tk = Time.newTicker(2 * Time.MILLISECOND);
            for (int i = 0; i < 10; i++) {
                ticks.add(tk.c().recv());
            }
            tk.stop();
            tk.c().tryRecv(); // one tick may have been sent before the stop
            Time.sleep(30 * Time.MILLISECOND);
            after.set(tk.c().tryRecv() == null ? 0 : 1);
        });
        assertThat(ticks).hasSize(10).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < 10; i++) {
            // tick i+1 is sent no earlier than its deadline, i+1 periods after the start (later ones may be skipped, never early)
            assertThat(ticks.get(i) - start[0]).as("tick %d", i + 1).isGreaterThanOrEqualTo((i + 1) * 2 * Time.MILLISECOND);
        }
        assertThat(after).as("ticks after Stop").hasValue(0);
    }

    @Test
    void badTickerIntervalsAndTick() {
        assertThatThrownBy(() -> Rt.run(1, () -> Time.newTicker(0))).isInstanceOf(FatalError.class)
                .hasMessageContaining("non-positive interval for NewTicker");
        List<Object> got = new ArrayList<>();
        Rt.run(1, () -> {
            got.add(Time.tick(0) == null);
            got.add(Time.tick(-5) == null);
            got.add(Time.tick(Time.MILLISECOND).recv() > 0);
        });
        assertThat(got).containsExactly(true, true, true);
    }

    /** Blocked in a select with a timer pending is not a deadlock; with none pending it is. */
    @Test
    void deadlockDetectionSeesPendingTimers() {
        List<Integer> got = new ArrayList<>();
        Rt.run(2, () -> {
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            got.add(Select.select(Select.recv(never), Select.recv(Time.after(20 * Time.MILLISECOND))).index());
        });
        assertThat(got).containsExactly(1);
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            Time.Timer t = Time.newTimer(Time.MILLISECOND);
            t.c().recv();
            Select.select(Select.recv(never), Select.recv(t.c())); // its timer fired already: nothing pending
        })).isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!").hasMessageContaining("[select]");
    }
}
