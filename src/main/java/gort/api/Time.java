package gort.api;

import gort.platform.RuntimeMutex;
import gort.sched.GoPanic;
import gort.sched.Sched;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Go's {@code time} package as far as goroutine programs need it (Go 1.5's time/sleep.go and
 * time/tick.go) on the runtime's timers ({@link gort.sched.Timer}): {@link #sleep}, {@link #after},
 * {@link #newTimer} with {@link Timer#stop} and {@link Timer#reset}, {@link #afterFunc},
 * {@link #newTicker} with {@link Ticker#stop}, {@link #tick}. Durations and times are nanoseconds;
 * a time is a reading of the runtime's monotonic clock ({@link #now}), which is also what a timer's
 * or ticker's channel delivers (Go delivers a time.Time).
 *
 * <p>As in Go: a Timer's or Ticker's channel has a buffer of one and the runtime's send into it
 * does not block (Go's sendTime), so a tick nobody took is dropped rather than queued; a stopped
 * timer's channel is not closed; {@link #afterFunc} runs its function in a goroutine of its own
 * (Go's goFunc). A {@link Ptr} the function of {@link #afterFunc} captures stays alive while the
 * timer is pending (pinned as a global root, as Go's timer heap keeps its timers' arguments
 * reachable) and for the goroutine's life after it fires.
 */
public final class Time {
    private Time() {}

    public static final long NANOSECOND = 1;
    public static final long MICROSECOND = 1000 * NANOSECOND;
    public static final long MILLISECOND = 1000 * MICROSECOND;
    public static final long SECOND = 1000 * MILLISECOND;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;

    /** The runtime's monotonic clock, in nanoseconds (the clock timers run on). */
    public static long now() {
        return Sched.current().nanotime();
    }

    /** time.Sleep: parks the calling goroutine for at least d nanoseconds (nothing for d ≤ 0). */
    public static void sleep(long d) {
        Go.sleep(d);
    }

    /** Go's when(d): the deadline d from now; now for d ≤ 0; never on overflow. */
    static long when(Sched s, long d) {
        long now = s.nanotime();
        if (d <= 0) {
            return now;
        }
        long t = now + d;
        return t < 0 ? Long.MAX_VALUE : t;
    }

    /** Go's sendTime: a send that never blocks the timer goroutine. */
    private static final gort.sched.Timer.Func SEND_TIME = (arg, seq) -> {
        @SuppressWarnings("unchecked")
        Chan<Long> c = (Chan<Long>) arg;
        c.trySend(Sched.current().nanotime());
    };

    /** time.After: a channel that receives the time once, d from now. */
    public static Chan<Long> after(long d) {
        return newTimer(d).c();
    }

    /** time.NewTimer: sends the time on its channel once, d from now. */
    public static Timer newTimer(long d) {
        Sched s = Sched.current();
        Chan<Long> c = Go.makeChan(Long.class, 1);
        Timer t = new Timer(c, new gort.sched.Timer(when(s, d), SEND_TIME, c), null);
        s.startTimer(t.rt);
        return t;
    }

    /**
     * time.AfterFunc: runs f in its own goroutine d from now. The Ptrs f captures stay alive while
     * the timer is pending and, once it fires, for that goroutine's life.
     */
    public static Timer afterFunc(long d, Runnable f) {
        if (f == null) {
            throw new GoPanic("time: AfterFunc of a nil func");
        }
        Sched s = Sched.current();
        Payload pl = new Payload(f, Runtime.of(s), s.newMutex());
        Timer t = new Timer(null, new gort.sched.Timer(when(s, d), GO_FUNC, pl), pl);
        pl.pin();
        s.startTimer(t.rt);
        return t;
    }

    /** Go's goFunc: starts the function's goroutine (which adopts its captures), then lets the timer's pin go. */
    private static final gort.sched.Timer.Func GO_FUNC = (arg, seq) -> {
        Payload pl = (Payload) arg;
        Go.go(pl.f);
        pl.unpinOne();
    };

    /** time.NewTicker: sends the time on its channel every d; d must be positive. */
    public static Ticker newTicker(long d) {
        if (d <= 0) {
            throw new GoPanic("non-positive interval for NewTicker");
        }
        Sched s = Sched.current();
        Chan<Long> c = Go.makeChan(Long.class, 1);
        gort.sched.Timer rt = new gort.sched.Timer(when(s, d), d, SEND_TIME, c, 0);
        s.startTimer(rt);
        return new Ticker(c, rt);
    }

    /** time.Tick: a ticker's channel, for a ticker that is never stopped; nil (null) for d ≤ 0. */
    public static Chan<Long> tick(long d) {
        return d <= 0 ? null : newTicker(d).c();
    }

    /** Go's time.Timer. */
    public static final class Timer {
        private final Chan<Long> c;
        private final gort.sched.Timer rt;
        private final Payload payload;

        private Timer(Chan<Long> c, gort.sched.Timer rt, Payload payload) {
            this.c = c;
            this.rt = rt;
            this.payload = payload;
        }

        /** The channel the time is sent on (Go's t.C); null for a timer made by afterFunc. */
        public Chan<Long> c() {
            return c;
        }

        /** Stops the timer: true if it was pending (then it will not fire), false if it had fired or been stopped. */
        public boolean stop() {
            boolean active = Sched.current().stopTimer(rt);
            if (active && payload != null) {
                payload.unpinOne();
            }
            return active;
        }

        /** Go 1.5's Reset: stops the timer, then starts it to fire d from now; returns whether it was pending. */
        public boolean reset(long d) {
            Sched s = Sched.current();
            if (payload != null) {
                payload.pin(); // the new start's root, before the timer can fire again
            }
            boolean active = s.resetTimer(rt, when(s, d));
            if (active && payload != null) {
                payload.unpinOne();
            }
            return active;
        }
    }

    /** Go's time.Ticker. */
    public static final class Ticker {
        private final Chan<Long> c;
        private final gort.sched.Timer rt;

        private Ticker(Chan<Long> c, gort.sched.Timer rt) {
            this.c = c;
            this.rt = rt;
        }

        /** The channel the ticks are sent on (Go's t.C). */
        public Chan<Long> c() {
            return c;
        }

        /** Stops the ticker: no more ticks are sent (the channel is not closed). */
        public void stop() {
            Sched.current().stopTimer(rt);
        }
    }

    /**
     * An AfterFunc's function and the roots of its captured handles: one set of pinned global slots
     * (with an adoption of each handle) per start of the timer, let go once per end of a start (a
     * stop that returned true, or the call of the function), as the runtime timer's contract says.
     */
    private static final class Payload {
        final Runnable f;
        final Runtime rt;
        final ArrayList<Ptr> caps;
        final RuntimeMutex lock;
        final ArrayDeque<int[]> pins = new ArrayDeque<>();

        Payload(Runnable f, Runtime rt, RuntimeMutex lock) {
            this.f = f;
            this.rt = rt;
            this.lock = lock;
            ArrayList<Ptr> c = Captured.ptrs(f);
            this.caps = c == null ? new ArrayList<>() : c;
            for (Ptr p : caps) {
                if (p.heap() != rt.heap()) {
                    throw new GoPanic("runtime error: AfterFunc in a goroutine of " + rt.name() + " captures a Ptr of "
                            + p.heap().runtimeName() + ": heap addresses belong to the runtime that allocated them");
                }
            }
        }

        void pin() {
            if (caps.isEmpty()) {
                return;
            }
            int[] slots = new int[caps.size()];
            for (int i = 0; i < slots.length; i++) {
                Ptr p = caps.get(i);
                slots[i] = rt.collector().pinGlobal(p.adopt("AfterFunc capture"));
            }
            lock.lock();
            pins.add(slots);
            lock.unlock();
        }

        void unpinOne() {
            if (caps.isEmpty()) {
                return;
            }
            lock.lock();
            int[] slots = pins.poll();
            lock.unlock();
            if (slots == null) {
                throw new IllegalStateException("fatal error: AfterFunc timer let go more often than started");
            }
            for (int i = 0; i < slots.length; i++) {
                rt.collector().unpinGlobal(slots[i]);
                caps.get(i).release();
            }
        }
    }
}
