package gort.sched;

import gort.platform.RuntimeMutex;
import java.util.ArrayList;

/**
 * The runtime's timers (Go 1.5's time.go): a heap of timers ordered by their deadline, and the
 * timer goroutine ({@code timerproc}) that sleeps until the earliest one and runs the expired
 * ones. {@link Sched#timeSleep} (Go's timeSleep: time.Sleep, and a GC assist that cannot pay its
 * debt) parks the calling goroutine on a timer whose function readies it again.
 *
 * <p>Owns, under its lock: the 4-ary heap of pending timers, the timer goroutine, and whether
 * that goroutine sleeps on its note (a timed notetsleepg: its P is handed off meanwhile) or is
 * parked with no timer at all. Invariants, as Go's: a timer is in the heap exactly while
 * {@code i >= 0}; {@code t[0]} has the earliest deadline; adding a timer that becomes the
 * earliest wakes the sleeping or parked timer goroutine, so no deadline is slept past; a timer's
 * function runs on the timer goroutine without the lock held.
 *
 * <p>As in Go 1.5, the wakeup path matters for what it costs: the timer goroutine's note sleep
 * hands its P away, so when the deadline passes it needs a P again (its old one, an idle one, or
 * the global run queue), and the goroutine it readies goes into the runnext of whatever P the
 * timer goroutine then runs on.
 *
 * <p>Simplified from Go: no periodic timers and no timer deletion (time.Ticker, time.AfterFunc
 * and friends are not offered); only sleeping goroutines use timers.
 */
final class Timers {
    /** A pending wakeup (Go's runtime timer). */
    static final class Timer {
        /** Deadline, platform nanotime. */
        long when;
        /** Index in the heap, -1 once removed. */
        int i = -1;
        /** The goroutine to ready (Go's f = goroutineReady, arg = the sleeping g). */
        final G g;

        Timer(long when, G g) {
            this.when = when;
            this.g = g;
        }
    }

    private final Sched sched;
    private final RuntimeMutex lock;
    private final ArrayList<Timer> t = new ArrayList<>();
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
        Timer tm = new Timer(sched.platform.nanotime() + ns, m.curg);
        lock.lock();
        addtimerLocked(tm);
        sched.goparkunlock(m, lock, "sleep");
    }

    /** Adds a timer; wakes the timer goroutine if it is now the earliest (Go's addtimerLocked). */
    private void addtimerLocked(Timer tm) {
        if (tm.when < 0) {
            tm.when = Long.MAX_VALUE; // overflow: never
        }
        tm.i = t.size();
        t.add(tm);
        siftupTimer(tm.i);
        if (tm.i == 0) {
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
            sched.setSystem(sched.newproc(this::timerproc, "runtime.timerproc"));
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
                if (t.isEmpty()) {
                    delta = -1;
                    break;
                }
                Timer tm = t.get(0);
                delta = tm.when - now;
                if (delta > 0) {
                    break;
                }
                removeTop();
                lock.unlock();
                sched.ready(tm.g); // Go's goroutineReady: into this P's runnext
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

    /** Removes t[0] (Go's timerproc removal of an expired one-shot timer). */
    private void removeTop() {
        Timer top = t.get(0);
        int last = t.size() - 1;
        if (last > 0) {
            Timer l = t.get(last);
            t.set(0, l);
            l.i = 0;
        }
        t.remove(last);
        if (last > 0) {
            siftdownTimer(0);
        }
        top.i = -1;
    }

    // Go's 4-ary heap of timers (siftupTimer, siftdownTimer)

    private void siftupTimer(int i) {
        Timer tm = t.get(i);
        long when = tm.when;
        while (i > 0) {
            int p = (i - 1) / 4; // parent
            if (when >= t.get(p).when) {
                break;
            }
            t.set(i, t.get(p));
            t.get(i).i = i;
            i = p;
        }
        t.set(i, tm);
        tm.i = i;
    }

    private void siftdownTimer(int i) {
        int n = t.size();
        Timer tm = t.get(i);
        long when = tm.when;
        for (;;) {
            int c = i * 4 + 1; // left child
            int c3 = c + 2; // mid child
            if (c >= n) {
                break;
            }
            long w = t.get(c).when;
            if (c + 1 < n && t.get(c + 1).when < w) {
                w = t.get(c + 1).when;
                c++;
            }
            if (c3 < n) {
                long w3 = t.get(c3).when;
                if (c3 + 1 < n && t.get(c3 + 1).when < w3) {
                    w3 = t.get(c3 + 1).when;
                    c3++;
                }
                if (w3 < w) {
                    w = w3;
                    c = c3;
                }
            }
            if (w >= when) {
                break;
            }
            t.set(i, t.get(c));
            t.get(i).i = i;
            i = c;
        }
        t.set(i, tm);
        tm.i = i;
    }

    /** Pending timers (for tests and dumps). */
    int pending() {
        lock.lock();
        try {
            return t.size();
        } finally {
            lock.unlock();
        }
    }
}
