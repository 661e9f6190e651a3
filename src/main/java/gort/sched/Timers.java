package gort.sched;

import gort.platform.RuntimeMutex;

/**
 * The runtime's timers (Go 1.5's time.go): the heap of pending {@link Timer}s, and the timer
 * goroutine ({@code timerproc}) that sleeps until the earliest deadline and runs the functions of
 * the timers that expired. {@link #addtimer} is Go's addtimer (time.startTimer), {@link #deltimer}
 * Go's deltimer (time.stopTimer), {@link #timeSleep} Go's timeSleep (time.Sleep, and a GC assist
 * that cannot pay its debt): a one-shot timer whose function is {@link #GOROUTINE_READY}.
 *
 * <p>Owns, under its lock: the {@link TimerHeap}, the timer goroutine, and whether that goroutine
 * sleeps on its note (a timed notetsleepg: its P is handed off meanwhile) or is parked with no
 * timer at all. Invariants, as Go's: {@code heap.top()} has the earliest deadline; adding a timer
 * that becomes the earliest wakes the sleeping or parked timer goroutine, so no deadline is slept
 * past; removing one wakes nobody (the timer goroutine may wake early and find nothing due, as in
 * Go); a timer's function runs on the timer goroutine without the lock held, after a one-shot timer
 * left the heap and after a periodic one was re-armed ({@link #rearm}: Go's {@code when += period *
 * (1 + -delta/period)}, which skips the periods that already passed).
 *
 * <p>What the wakeup path costs, as in Go 1.5: the timer goroutine's note sleep hands its P away,
 * so when the deadline passes it needs a P again (its old one, an idle one, or the global run
 * queue), and whatever its functions ready goes into the runnext of whatever P it then runs on.
 * Deadlock detection sees timers as Go's checkdead does: while a timer is pending the timer
 * goroutine's M sleeps in notetsleepg and counts as running, so goroutines blocked meanwhile are no
 * deadlock; with none pending, the timer goroutine is parked, a system goroutine, and counts for
 * nothing. A stopped timer wakes nobody, so a program that blocks for good after stopping its only
 * timer is found dead once the timer goroutine wakes at the stopped deadline and parks.
 */
final class Timers {
    /** Go's goroutineReady: the function of a sleep's timer; arg is the sleeping goroutine. */
    static final Timer.Func GOROUTINE_READY = (arg, seq) -> {
        G gp = (G) arg;
        gp.sched.ready(gp);
    };

    private final Sched sched;
    private final RuntimeMutex lock;
    private final TimerHeap heap = new TimerHeap();
    private final Note waitnote;
    private G gp;
    private boolean created;
    private boolean sleeping;
    private boolean rescheduling;

    Timers(Sched sched) {
        this.sched = sched;
        this.lock = sched.newMutex();
        this.waitnote = sched.newNote();
    }

    /** Parks the calling goroutine for at least ns nanoseconds (Go's timeSleep). */
    void timeSleep(M m, long ns) {
        if (ns <= 0) {
            return;
        }
        Timer t = new Timer(sched.platform.nanotime() + ns, GOROUTINE_READY, m.curg);
        t.claim(sched);
        lock.lock();
        addtimerLocked(t);
        sched.goparkunlock(m, lock, "sleep");
    }

    /** Adds t to the heap (Go's addtimer). t must belong to this runtime and not be pending. */
    void addtimer(Timer t) {
        t.claim(sched);
        lock.lock();
        if (heap.contains(t)) {
            lock.unlock();
            throw new GoPanic("start of a pending " + t + ": a timer is in the heap at most once; stop it first "
                    + "(a reset stops and starts it)");
        }
        addtimerLocked(t);
        lock.unlock();
    }

    /** Adds a timer; wakes the timer goroutine if it is now the earliest (Go's addtimerLocked). */
    private void addtimerLocked(Timer t) {
        if (t.when < 0) {
            t.when = Long.MAX_VALUE; // overflow: never, and timerproc's delta cannot overflow
        }
        if (heap.add(t) == 0) {
            // new earliest deadline
            if (sleeping) {
                sleeping = false;
                waitnote.wakeup();
            }
            if (rescheduling) {
                rescheduling = false;
                sched.ready(gp);
            }
        }
        if (!created) {
            created = true;
            G tg = sched.newproc(this::timerproc, "runtime.timerproc");
            sched.setSystem(tg);
            if (sched.trace != null) sched.trace.timerGoroutine(tg);
        }
    }

    /**
     * Takes t out of the heap if it is there (Go's deltimer): true if it was pending, false if it
     * already fired (one-shot), was stopped, or never started. Wakes nobody.
     */
    boolean deltimer(Timer t) {
        Sched o = t.owner();
        if (o == null) {
            return false; // never started: in no heap
        }
        if (o != sched) {
            throw Timer.foreign(o, sched);
        }
        lock.lock();
        boolean removed = heap.remove(t);
        lock.unlock();
        return removed;
    }

    /**
     * A periodic timer's next deadline after it fired {@code -delta} nanoseconds late (delta <= 0):
     * the first {@code when + k * period} (k >= 1) later than now, as Go's timerproc computes it;
     * never ({@code Long.MAX_VALUE}) where that overflows (Go 1.5 would wrap to a negative deadline,
     * which addtimer's comment forbids).
     */
    static long rearm(long when, long period, long delta) {
        try {
            return Math.addExact(when, Math.multiplyExact(period, 1 + -delta / period));
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** The timer goroutine (Go's timerproc): runs expired timers, then sleeps until the next one. */
    private void timerproc() {
        gp = Sched.getg();
        for (;;) {
            lock.lock();
            sleeping = false;
            long now = sched.platform.nanotime();
            long delta;
            for (;;) {
                Timer t = heap.top();
                if (t == null) {
                    delta = -1;
                    break;
                }
                delta = t.when - now;
                if (delta > 0) {
                    break;
                }
                if (t.period() > 0) {
                    // leave it in the heap, due again at its next period
                    t.when = rearm(t.when, t.period(), delta);
                    heap.fixTop();
                } else {
                    heap.removeTop();
                }
                Timer.Func f = t.f;
                Object arg = t.arg;
                long seq = t.seq();
                lock.unlock();
                f.fire(arg, seq);
                lock.lock();
            }
            if (delta < 0) {
                // no timers left: park until addtimer readies us
                rescheduling = true;
                sched.goparkunlock(lock, "timer goroutine (idle)");
                continue;
            }
            // at least one timer pending: sleep until then
            sleeping = true;
            waitnote.clear();
            lock.unlock();
            sched.notetsleepg(waitnote, delta);
        }
    }

    /** Pending timers. */
    int pending() {
        lock.lock();
        try {
            return heap.size();
        } finally {
            lock.unlock();
        }
    }
}
