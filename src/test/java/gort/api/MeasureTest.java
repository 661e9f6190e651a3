package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Measure outside gort's program runner does nothing, whatever the order of calls; inside it, a
 * call reaches the window attached to its own runtime only.
 */
class MeasureTest {
    @Test
    void callsOutsideGortsRunnerDoNothing() {
        assertThatCode(() -> {
            Measure.stop();
            Measure.start();
            Measure.start();
        }).as("on a thread that is no goroutine").doesNotThrowAnyException();
        Rt.run(1, () -> {
            Measure.stop();
            Measure.start();
            Measure.start();
            Measure.stop();
            Measure.stop();
        });
    }

    @Test
    void aCallReachesTheWindowOfItsOwnRuntime() {
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        Measure.Window w = new Measure.Window() {
            @Override
            public void start() {
                starts.incrementAndGet();
            }

            @Override
            public void stop() {
                stops.incrementAndGet();
            }
        };
        Rt.run(2, () -> {
            Measure.attach(w);
            gort.sched.Sched s = gort.sched.Sched.current();
            try {
                Measure.start();
                gort.api.WaitGroup wg = new gort.api.WaitGroup();
                wg.add(1);
                Go.go(() -> {
                    Measure.stop(); // from another goroutine of the same runtime
                    wg.done();
                });
                wg.await();
                Thread other = new Thread(() -> Rt.run(1, Measure::start)); // another runtime has no window
                other.start();
                while (other.isAlive()) {
                    Go.sleep(1_000_000); // without blocking this goroutine's thread
                }
            } finally {
                Measure.detach(s);
            }
        });
        assertThat(starts).hasValue(1);
        assertThat(stops).hasValue(1);
    }
}
