package gort.sched;

import gort.api.Chan;
import gort.api.WaitGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Go;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

/**
 * The runtime's timers (Go 1.5's time.go), modelled on Go's time/sleep_test.go and tick_test.go:
 * sleeping goroutines; stop before and after firing; reset of a pending and of a fired timer;
 * periodic timers; deadline order; stops from inside a timer's function; a function that starts a
 * goroutine; the accounting the rooting hook relies on; deadlock detection with and without a
 * pending timer; misuse.
 *
 * <p>Many tests run on one P: a goroutine that does not yield keeps the only P, and a timer's
 * function runs on the timer goroutine, which needs a P, so nothing fires between two of the
 * goroutine's calls. That makes "stop before it fires" and "added before any fired" exact,
 * whatever the host's load. Times are asserted only as "ran at or after its deadline", by the
 * platform clock.
 */
class TimersTest {
    static final long HOUR = 3_600_000_000_000L;
    static final long MS = 1_000_000L;

    /** A one-shot timer due at when whose function sends on done once it ran (and counts). */
    static Timer signalling(long when, AtomicInteger fired, Chan<Long> done) {
        return new Timer(when, (arg, seq) -> {
            fired.incrementAndGet();
            done.trySend(Sched.current().nanotime());
        }, null);
    }

    // =====================================================================================
    // Sleep (a timer whose function readies the sleeper)
    // =====================================================================================

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
        // the other goroutine runs on the only P while main is parked in its sleep (it sees main
        // waiting as "sleep"); main sleeps again until it has, so a slow host only takes more rounds
        AtomicBoolean sawMainAsleep = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger();
        Rt.run(1, () -> {
            G main = Sched.getg();
            Go.go("other", () -> sawMainAsleep.set(main.status() == G.WAITING && main.waitReason().equals("sleep")));
            while (!sawMainAsleep.get() && rounds.incrementAndGet() < 10_000) {
                Go.sleep(MS);
            }
        });
        assertThat(sawMainAsleep).as("the other goroutine ran on the only P while main slept").isTrue();
    }

    // =====================================================================================
    // Stop (Go's TestAfterStop, TestTimerStopStress)
    // =====================================================================================

    @Test
    void stopBeforeItFiresReturnsTrueAndItsFunctionNeverRuns() {
        AtomicInteger fired = new AtomicInteger();
        AtomicInteger later = new AtomicInteger();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            Timer t = signalling(s.nanotime(), fired, done); // due at once
            s.startTimer(t);
            assertThat(s.pendingTimers()).isOne();
            // this goroutine has not yielded the only P: the timer goroutine cannot have run
            assertThat(s.stopTimer(t)).as("stop of a pending timer").isTrue();
            assertThat(s.pendingTimers()).isZero();
            assertThat(s.stopTimer(t)).as("a second stop").isFalse();
            assertThat(s.stopTimer(new Timer(s.nanotime(), (a, q) -> {}, null))).as("stop of a timer never started").isFalse();
            // a timer due after the stopped one fires: the timer goroutine ran past that deadline
            s.startTimer(signalling(s.nanotime(), later, done));
            done.recv();
        });
        assertThat(later.get()).isOne();
        assertThat(fired.get()).as("the stopped timer's function").isZero();
    }

    @Test
    void stopAfterItFiredReturnsFalse() {
        AtomicInteger fired = new AtomicInteger();
        AtomicReference<Long> ranAt = new AtomicReference<>();
        AtomicReference<Long> when = new AtomicReference<>();
        Rt.run(2, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            Timer t = signalling(s.nanotime() + MS, fired, done);
            when.set(t.when());
            s.startTimer(t);
            ranAt.set(done.recv());
            assertThat(s.pendingTimers()).isZero();
            assertThat(s.stopTimer(t)).as("stop of a timer that fired").isFalse();
        });
        assertThat(fired.get()).isOne();
        assertThat(ranAt.get()).as("its function ran at or after its deadline").isGreaterThanOrEqualTo(when.get());
    }

    // =====================================================================================
    // Reset (Go's TestReset): stop, new deadline, start
    // =====================================================================================

    @Test
    void resetOfAPendingTimerAndOfAFiredOne() {
        AtomicInteger fired = new AtomicInteger();
        List<Long> ranAt = new ArrayList<>();
        List<Long> deadlines = new ArrayList<>();
        List<Boolean> active = new ArrayList<>();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            Timer t = signalling(s.nanotime() + HOUR, fired, done);
            s.startTimer(t);
            long w1 = s.nanotime() + MS;
            deadlines.add(w1);
            active.add(s.resetTimer(t, w1)); // pending: true
            assertThat(t.when()).isEqualTo(w1);
            assertThat(s.pendingTimers()).isOne();
            ranAt.add(done.recv());
            long w2 = s.nanotime() + MS;
            deadlines.add(w2);
            active.add(s.resetTimer(t, w2)); // fired: false, and it fires again
            ranAt.add(done.recv());
            assertThat(s.pendingTimers()).isZero();
        });
        assertThat(active).containsExactly(true, false);
        assertThat(fired.get()).as("one firing per start: the hour-long deadline never fired").isEqualTo(2);
        for (int k = 0; k < 2; k++) {
            assertThat(ranAt.get(k)).as("firing %d at or after its reset deadline", k).isGreaterThanOrEqualTo(deadlines.get(k));
        }
    }

    // =====================================================================================
    // Periodic timers (Go's TestTicker, TestTeardown)
    // =====================================================================================

    @Test
    void aPeriodicTimerFiresRepeatedlyAtMultiplesOfItsPeriodAndStops() {
        long period = MS;
        List<long[]> calls = Collections.synchronizedList(new ArrayList<>()); // {ran at, when after the call}
        AtomicInteger afterStop = new AtomicInteger();
        AtomicReference<Long> first = new AtomicReference<>();
        AtomicBoolean stoppedWhilePending = new AtomicBoolean();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> fifth = Go.makeChan(Long.class, 1);
            AtomicReference<Timer> self = new AtomicReference<>();
            Timer t = new Timer(s.nanotime() + period, period, (arg, seq) -> {
                calls.add(new long[] {Sched.current().nanotime(), self.get().when()});
                if (calls.size() == 5) {
                    fifth.trySend(0L);
                }
            }, null, 0);
            self.set(t);
            first.set(t.when());
            s.startTimer(t);
            fifth.recv();
            // one P: the timer goroutine is not inside f now, and cannot fire until this goroutine yields
            assertThat(s.pendingTimers()).as("a periodic timer stays in the heap").isOne();
            stoppedWhilePending.set(s.stopTimer(t));
            int n = calls.size();
            Go.sleep(10 * period);
            afterStop.set(calls.size() - n);
            assertThat(s.pendingTimers()).isZero();
        });
        assertThat(stoppedWhilePending).isTrue();
        assertThat(afterStop.get()).as("calls after the stop").isZero();
        long due = first.get();
        for (long[] c : calls) {
            assertThat(c[0]).as("each call at or after the deadline it fired for").isGreaterThanOrEqualTo(due);
            long step = c[1] - due;
            assertThat(step).as("re-armed by whole periods").isPositive();
            assertThat(step % period).isZero();
            due = c[1];
        }
    }

    // =====================================================================================
    // Order (Go's TestAfterQueuing): many timers fire in deadline order
    // =====================================================================================

    @Property(tries = 10)
    void timersFireInDeadlineOrderAndStoppedOnesNever(
            @ForAll @Size(min = 1, max = 60) @UniqueElements List<@IntRange(min = 0, max = 3000) Integer> micros,
            @ForAll @Size(max = 60) List<Boolean> stopIt) {
        int n = micros.size();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Long> when = new ArrayList<>();
        List<Long> ranAt = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> stopped = new ArrayList<>();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            long base = s.nanotime();
            List<Timer> ts = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                final int idx = k;
                Timer t = new Timer(base + micros.get(k) * 1000L, (arg, seq) -> {
                    ranAt.add(Sched.current().nanotime());
                    order.add(idx);
                }, null);
                when.add(t.when());
                ts.add(t);
                s.startTimer(t); // the only P is ours: none fires before all are added
            }
            for (int k = 0; k < n; k++) {
                boolean stop = k < stopIt.size() && stopIt.get(k);
                stopped.add(stop);
                if (stop) {
                    assertThat(s.stopTimer(ts.get(k))).isTrue();
                }
            }
            // after the last deadline: every function that will run has run
            s.startTimer(new Timer(base + 3001 * 1000L, (arg, seq) -> done.trySend(0L), null));
            done.recv();
        });
        List<Integer> expected = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (!stopped.get(k)) {
                expected.add(k);
            }
        }
        expected.sort(Comparator.comparing(when::get));
        assertThat(order).as("functions in deadline order, stopped ones left out").containsExactlyElementsOf(expected);
        for (int j = 0; j < order.size(); j++) {
            assertThat(ranAt.get(j)).isGreaterThanOrEqualTo(when.get(order.get(j)));
        }
    }

    // =====================================================================================
    // Functions that stop timers and start goroutines
    // =====================================================================================

    @Test
    void aTimersFunctionStopsAnotherTimerAndAPeriodicTimerStopsItself() {
        AtomicInteger bFired = new AtomicInteger();
        AtomicBoolean aStoppedB = new AtomicBoolean();
        AtomicInteger selfCalls = new AtomicInteger();
        AtomicBoolean selfStopped = new AtomicBoolean();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            long now = s.nanotime();
            Timer b = new Timer(now + 1, (arg, seq) -> bFired.incrementAndGet(), null);
            Timer a = new Timer(now, (arg, seq) -> aStoppedB.set(Sched.current().stopTimer((Timer) arg)), b);
            AtomicReference<Timer> self = new AtomicReference<>();
            Timer p = new Timer(now, MS / 10, (arg, seq) -> {
                if (selfCalls.incrementAndGet() == 3) {
                    selfStopped.set(Sched.current().stopTimer(self.get()));
                }
            }, null, 0);
            self.set(p);
            s.startTimer(b);
            s.startTimer(a); // a is earlier: it fires first, while b is still pending
            s.startTimer(p);
            // p stops itself at its third call: a few of our rounds at most (each needs the timer goroutine)
            for (int r = 0; r < 1000 && !selfStopped.get(); r++) {
                Go.sleep(MS);
            }
            s.startTimer(new Timer(s.nanotime() + MS, (arg, seq) -> done.trySend(0L), null));
            done.recv();
            assertThat(s.pendingTimers()).isZero();
        });
        assertThat(aStoppedB).as("a's stop of b, still pending").isTrue();
        assertThat(bFired.get()).isZero();
        assertThat(selfStopped).as("p's stop of itself: re-armed before its call, so still pending").isTrue();
        assertThat(selfCalls.get()).as("no call after p stopped itself").isEqualTo(3);
    }

    @Test
    void aTimersFunctionStartsAGoroutine() {
        // Go's AfterFunc: f is goFunc, which runs "go arg()" on the timer goroutine (which holds a P)
        AtomicReference<G> firedOn = new AtomicReference<>();
        AtomicReference<G> ranOn = new AtomicReference<>();
        Rt.run(2, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 0);
            Runnable fn = () -> {
                ranOn.set(Sched.getg());
                done.send(1L);
            };
            s.startTimer(new Timer(s.nanotime() + MS, (arg, seq) -> {
                firedOn.set(Sched.getg());
                Sched.current().newproc((Runnable) arg, "time.goFunc");
            }, fn));
            done.recv();
        });
        assertThat(firedOn.get().isSystem()).as("f ran on the timer goroutine").isTrue();
        assertThat(firedOn.get().startName).isEqualTo("runtime.timerproc");
        assertThat(ranOn.get()).isNotSameAs(firedOn.get());
        assertThat(ranOn.get().startName).isEqualTo("time.goFunc");
        assertThat(ranOn.get().isSystem()).isFalse();
    }

    // =====================================================================================
    // When the runtime lets go of a timer (what rooting arg relies on)
    // =====================================================================================

    @Property(tries = 10)
    void eachStartEndsInExactlyOneStopThatReturnsTrueOrOneCallOfF(@ForAll @IntRange(min = 1, max = 4) int procs,
            @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 5) Integer> script) {
        int workers = 3;
        int timersEach = 4;
        AtomicInteger[] starts = new AtomicInteger[workers * timersEach];
        AtomicInteger[] stopsTrue = new AtomicInteger[starts.length];
        AtomicInteger[] calls = new AtomicInteger[starts.length];
        for (int k = 0; k < starts.length; k++) {
            starts[k] = new AtomicInteger();
            stopsTrue[k] = new AtomicInteger();
            calls[k] = new AtomicInteger();
        }
        Rt.run(procs, () -> {
            Sched s = Sched.current();
            WaitGroup wg = new WaitGroup();
            for (int w = 0; w < workers; w++) {
                final int w0 = w * timersEach;
                wg.add(1);
                Go.go("timer.user", () -> {
                    Timer[] mine = new Timer[timersEach];
                    for (int j = 0; j < timersEach; j++) {
                        mine[j] = new Timer(s.nanotime(), (arg, seq) -> calls[(Integer) arg].incrementAndGet(), w0 + j);
                    }
                    int step = 0;
                    for (int op : script) {
                        int j = (step++ + w0) % timersEach;
                        Timer t = mine[j];
                        long when = s.nanotime() + (op * 97L + step) % 400 * 1000L;
                        if (op < 3) { // reset: stop (counted if it was pending) and start
                            if (s.resetTimer(t, when)) {
                                stopsTrue[w0 + j].incrementAndGet();
                            }
                            starts[w0 + j].incrementAndGet();
                        } else if (s.stopTimer(t)) {
                            stopsTrue[w0 + j].incrementAndGet();
                        }
                        if (step % 16 == 0) {
                            Go.sleep(100_000);
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
            // every pending timer fires within 400 µs; then a last one after them all: the timer
            // goroutine runs functions one at a time, so theirs have returned when its runs
            while (s.pendingTimers() > 0) {
                Go.sleep(MS);
            }
            Chan<Long> done = Go.makeChan(Long.class, 1);
            s.startTimer(new Timer(s.nanotime(), (arg, seq) -> done.trySend(0L), null));
            done.recv();
        });
        for (int k = 0; k < starts.length; k++) {
            assertThat(starts[k].get()).as("timer %d: starts = stops that returned true + calls of f", k)
                    .isEqualTo(stopsTrue[k].get() + calls[k].get());
        }
    }

    // =====================================================================================
    // Deadlock detection (Go 1.5's checkdead with the timer goroutine)
    // =====================================================================================

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

    @Test
    void blockedWhileAPeriodicTimerIsPendingIsNoDeadlock() {
        // main waits on a channel that only the timer's third call sends on: meanwhile every user
        // goroutine is blocked, but the timer goroutine's M sleeps in notetsleepg and counts as running
        AtomicInteger ticks = new AtomicInteger();
        Rt.run(2, () -> {
            Sched s = Sched.current();
            Chan<Long> third = Go.makeChan(Long.class, 1);
            Timer t = new Timer(s.nanotime() + MS, MS, (arg, seq) -> {
                if (ticks.incrementAndGet() == 3) {
                    third.trySend(0L);
                }
            }, null, 0);
            s.startTimer(t);
            third.recv();
            assertThat(s.stopTimer(t)).isTrue();
        });
        assertThat(ticks.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void blockedAfterTheOnlyTimerFiredIsADeadlock() {
        AtomicInteger fired = new AtomicInteger();
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            s.startTimer(signalling(s.nanotime() + MS, fired, done));
            done.recv();
            Go.makeChan(Object.class, 0).recv(); // no timer pending: nothing can wake main
        })).isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!")
                .hasMessageContaining("[chan receive]").hasMessageNotContaining("timer goroutine");
        assertThat(fired.get()).isOne();
    }

    @Test
    void blockedAfterStoppingTheOnlyTimerIsADeadlock() {
        // the timer goroutine first sleeps in notetsleepg on the timer's deadline; the stop does not
        // wake it (Go's deltimer), so the runtime is found dead once it wakes there, finds nothing
        // pending and parks
        AtomicInteger fired = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        assertThatThrownBy(() -> Rt.run(1, () -> {
            Sched s = Sched.current();
            Chan<Long> done = Go.makeChan(Long.class, 1);
            // on one P the timer goroutine cannot fire the timer while we hold the P; it can only if
            // the deadline passed before it first looked: then try again with a longer one
            for (long d = 50 * MS; !stopped.get() && d < 60_000 * MS; d *= 4) {
                Timer t = signalling(s.nanotime() + d, fired, done);
                s.startTimer(t);
                Go.gosched(); // the timer goroutine looks at the heap and sleeps until the deadline
                stopped.set(s.stopTimer(t));
            }
            assertThat(s.pendingTimers()).isZero();
            Go.makeChan(Object.class, 0).recv();
        })).isInstanceOf(FatalError.class).hasMessageContaining("all goroutines are asleep - deadlock!")
                .hasMessageNotContaining("timer goroutine");
        assertThat(stopped).isTrue();
    }

    // =====================================================================================
    // Misuse
    // =====================================================================================

    @Test
    void misuseOfATimerPanicsNamingTheRule() {
        assertThatThrownBy(() -> new Timer(0, null, null)).isInstanceOf(GoPanic.class).hasMessageContaining("f is nil");
        assertThatThrownBy(() -> new Timer(0, -1, (a, q) -> {}, null, 0)).isInstanceOf(GoPanic.class)
                .hasMessageContaining("period -1 is negative").hasMessageContaining("must be 0 (fire once) or > 0");
        assertThatThrownBy(() -> Rt.run(1, () -> {
            Sched s = Sched.current();
            Timer t = new Timer(s.nanotime() + HOUR, (a, q) -> {}, null);
            s.startTimer(t);
            s.startTimer(t);
        })).isInstanceOf(FatalError.class).hasMessageContaining("panic: start of a pending timer(when=")
                .hasMessageContaining("stop it first");
    }

    @Test
    void aTimerBelongsToTheRuntimeThatFirstStartedIt() {
        AtomicReference<Timer> t = new AtomicReference<>();
        AtomicReference<String> first = new AtomicReference<>();
        Rt.run(1, () -> {
            Sched s = Sched.current();
            first.set(s.name());
            t.set(new Timer(s.nanotime() + HOUR, (a, q) -> {}, null));
            s.startTimer(t.get());
        });
        AtomicReference<String> second = new AtomicReference<>();
        for (boolean stop : new boolean[] {true, false}) {
            assertThatThrownBy(() -> Rt.run(1, () -> {
                Sched s = Sched.current();
                second.set(s.name());
                if (stop) {
                    s.stopTimer(t.get());
                } else {
                    s.startTimer(t.get());
                }
            })).isInstanceOf(FatalError.class)
                    .hasMessageContaining("panic: timer of " + first.get() + " used from a goroutine of " + second.get())
                    .hasMessageContaining("belongs to the runtime that first started it");
        }
    }
}
