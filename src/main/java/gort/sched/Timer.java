package gort.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A runtime timer (Go 1.5's {@code runtime.timer} in time.go, the {@code runtimeTimer} inside
 * time.Timer and time.Ticker): at {@link #when()}, a time on {@link Sched#nanotime()}'s clock, and
 * then every {@link #period()} nanoseconds if the period is positive, the runtime's timer goroutine
 * calls {@code f(arg, seq)}. {@link Sched#startTimer} puts a timer in its runtime's heap of pending
 * timers (Go's addtimer), {@link Sched#stopTimer} takes it out (Go's deltimer), and
 * {@link Sched#resetTimer} does both with a new deadline in between (Go 1.5's time.Timer.Reset).
 *
 * <p>Owns: its deadline, its heap index ({@code i}: its slot in the owner's heap, -1 when in none)
 * and the runtime it belongs to. The function, its argument, the sequence number and the period
 * are fixed when the timer is made, as Go's time package never changes them after its first
 * start. Invariants, as Go's: {@code i} and {@code when} change only under the owner's timers lock
 * while the timer is in the heap ({@code when} also while it is in none, by its one user, as
 * time.Timer.Reset writes it between stop and start); a timer is in the heap exactly while
 * {@code i >= 0}, and at most once (gort panics on a start of a timer that is pending, where Go 1.5
 * would put it in the heap twice); a timer belongs to the runtime that first started it, and a
 * start or stop from another runtime panics, naming both.
 *
 * <p>The function: {@code f} runs on the timer goroutine (a system goroutine, holding a P) with no
 * lock held, one call at a time for all the runtime's timers, in deadline order. It must not block:
 * while it runs no other timer fires. It may ready a goroutine (Go's goroutineReady, what
 * {@link Sched#timeSleep} uses), send on a channel without blocking (Go's sendTime, for time.Timer
 * and time.Ticker), start a goroutine with {@link Sched#newproc} (Go's goFunc, for time.AfterFunc),
 * and start or stop timers, this one included. An exception from f kills the runtime like any
 * goroutine's panic.
 *
 * <p>When the runtime lets go of a timer (the hook for rooting arg): while a timer is in the heap
 * the runtime holds it, and with it {@code arg}, as Go's timers heap keeps {@code t.arg} reachable.
 * A layer that puts managed pointers behind arg (an AfterFunc closure's captures, a channel's
 * buffer) keeps them rooted from a start until the runtime lets go of the timer for that start,
 * which happens exactly once per successful start, as exactly one of:
 * <ul>
 *   <li>a {@link Sched#stopTimer} (or the stop inside {@link Sched#resetTimer}) that returns true:
 *       the stopper took it out, and f will not be called for that start;
 *   <li>for a one-shot timer (period 0) only: the timer goroutine takes it out and then calls f,
 *       with arg, once for that start; that call is the notice.
 * </ul>
 * A periodic timer stays in the heap across its calls (each re-arms it before f runs), so only a
 * stop that returns true lets it go. A one-shot timer is out of the heap from just before its call,
 * so a start made meanwhile (from f, or by anyone) begins a new round whose let-go comes later, and
 * the earlier round's call may come after that start: keep one root per start (a count), not a
 * flag. A timer still pending when its runtime ends goes with the runtime. Nothing else is needed:
 * arg is opaque to the runtime, and f's calls and stop's return value say everything.
 */
public final class Timer {
    /** What a timer calls (Go's {@code f func(arg interface{}, seq uintptr)}). */
    @FunctionalInterface
    public interface Func {
        /** Called on the timer goroutine, without the timers lock; must not block. */
        void fire(Object arg, long seq);
    }

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Timer.class, "owner", Sched.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Index in the owner's heap, -1 while in none (under the owner's timers lock). */
    int i = -1;
    /** The deadline, platform nanotime; advanced by the period each time a periodic timer fires. */
    volatile long when;
    private final long period;
    final Func f;
    final Object arg;
    private final long seq;
    /** The runtime that first started this timer; null before. Set once, by CAS. */
    private volatile Sched owner;

    /**
     * A timer that, once started, calls {@code f(arg, seq)} at {@code when} and then every
     * {@code period} nanoseconds ({@code period == 0}: once). A {@code when} that overflowed
     * (negative) means never, as in Go.
     *
     * @throws GoPanic if f is null or the period is negative
     */
    public Timer(long when, long period, Func f, Object arg, long seq) {
        if (f == null) {
            throw new GoPanic("runtime timer: f is nil: a timer needs a function to call when it fires");
        }
        if (period < 0) {
            throw new GoPanic("runtime timer: period " + period
                    + " is negative: it must be 0 (fire once) or > 0 (nanoseconds between firings)");
        }
        this.when = when;
        this.period = period;
        this.f = f;
        this.arg = arg;
        this.seq = seq;
    }

    /** A one-shot timer with sequence number 0. */
    public Timer(long when, Func f, Object arg) {
        this(when, 0, f, arg, 0);
    }

    /**
     * The deadline (platform nanotime): as made, as the last {@link Sched#resetTimer} set it, or, for
     * a periodic timer that fired, the next firing.
     */
    public long when() {
        return when;
    }

    public long period() {
        return period;
    }

    public Func f() {
        return f;
    }

    public Object arg() {
        return arg;
    }

    public long seq() {
        return seq;
    }

    /** The runtime that first started this timer, or null if it never was. */
    Sched owner() {
        return owner;
    }

    /**
     * Makes s this timer's runtime if it has none; panics if it belongs to another. Called before
     * any use of the timer by a runtime.
     */
    void claim(Sched s) {
        Sched o = owner;
        if (o == null && OWNER.compareAndSet(this, null, s)) {
            return;
        }
        o = owner;
        if (o != s) {
            throw foreign(o, s);
        }
    }

    static GoPanic foreign(Sched owner, Sched user) {
        return new GoPanic("timer of " + owner.name() + " used from a goroutine of " + user.name()
                + ": a timer belongs to the runtime that first started it");
    }

    @Override
    public String toString() {
        return "timer(when=" + when + (period > 0 ? ", period=" + period : "") + ", seq=" + seq + ")";
    }
}
