package gort.sched;

import gort.api.WaitGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Go;
import gort.testing.Rt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The runtime's timers (Go 1.5's time.go): sleeping goroutines, the timer goroutine, deadlock detection. */
class TimersTest {
    @Property(tries = 15)
    void everySleeperWakesAndNeverBeforeItsDeadline(@ForAll @Size(min = 1, max = 40) java.util.List<@IntRange(min = 0, max = 3000) Integer> micros,
            @ForAll @IntRange(min = 1, max = 4) int procs) {
        ConcurrentLinkedQueue<String> early = new ConcurrentLinkedQueue<>();
        AtomicInteger woke = new AtomicInteger();
        Rt.run(procs, () -> {
            WaitGroup wg = new WaitGroup();
            for (int us : micros) {
                wg.add(1);
                Go.go("sleeper", () -> {
                    var platform = Sched.current().platform();
                    long t0 = platform.nanotime();
                    Go.sleep(us * 1000L);
                    long slept = platform.nanotime() - t0;
                    if (slept < us * 1000L) {
                        early.add(us + " µs asked, " + slept + " ns slept");
                    }
                    woke.incrementAndGet();
                    wg.done();
                });
            }
            wg.await();
            assertThat(Sched.current().pendingTimers()).isZero();
        });
        assertThat(early).isEmpty();
        assertThat(woke.get()).isEqualTo(micros.size());
    }

    @Test
    void aSleepingGoroutineLeavesItsPToOthers() {
        AtomicBoolean otherRan = new AtomicBoolean();
        AtomicBoolean ranWhileAsleep = new AtomicBoolean();
        Rt.run(1, () -> {
            Go.go("other", () -> otherRan.set(true));
            Go.sleep(5_000_000);
            ranWhileAsleep.set(otherRan.get());
        });
        assertThat(ranWhileAsleep).as("the other goroutine ran on the only P while main slept").isTrue();
    }

    @Test
    void sleepersAreNotADeadlockButWhatIsLeftAfterThemIs() {
        Rt.run(2, () -> {
            for (int i = 0; i < 4; i++) {
                Go.go("nap", () -> Go.sleep(2_000_000));
            }
            Go.sleep(10_000_000); // every goroutine asleep on a timer: the timer goroutine will wake them
        });
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Go.sleep(1_000_000);
            Go.makeChan(Object.class, 0).recv(); // nothing left to wake anyone: the timer goroutine is parked, and is the runtime's own
        })).isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!");
    }
}
