package gort.sched;

import java.util.Arrays;

/**
 * The heap of pending timers (Go 1.5's {@code timers.t} with time.go's heap maintenance:
 * siftupTimer, siftdownTimer, and the removals in deltimer and timerproc): a 4-ary min-heap on
 * {@link Timer#when}, each timer knowing its slot.
 *
 * <p>Owns the array of timers; its user ({@link Timers}) guards it with the timers lock. Invariants,
 * checked by {@link #check()}: {@code t[k].i == k} for every slot in use; no timer's deadline is
 * earlier than its parent's ({@code t[(k - 1) / 4]}), so {@code t[0]} is the earliest; a timer not
 * in the heap has {@code i == -1}.
 */
final class TimerHeap {
    private Timer[] t = new Timer[16];
    private int n;

    int size() {
        return n;
    }

    /** The earliest timer, or null when the heap is empty. */
    Timer top() {
        return n == 0 ? null : t[0];
    }

    /** Adds tm (not in the heap); returns its slot: 0 when it is now the earliest (Go's addtimerLocked). */
    int add(Timer tm) {
        if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
        }
        tm.i = n;
        t[n++] = tm;
        siftup(tm.i);
        return tm.i;
    }

    /** Whether tm is in this heap: its index names a slot that holds it (Go's deltimer check). */
    boolean contains(Timer tm) {
        int i = tm.i;
        return i >= 0 && i < n && t[i] == tm;
    }

    /**
     * Removes tm if it is in the heap (Go's deltimer): the last timer takes its slot and is sifted
     * up, then down. Returns whether tm was there.
     */
    boolean remove(Timer tm) {
        if (!contains(tm)) {
            return false;
        }
        int i = tm.i;
        int last = n - 1;
        if (i != last) {
            t[i] = t[last];
            t[i].i = i;
        }
        t[last] = null;
        n = last;
        if (i != last) {
            siftup(i);
            siftdown(i);
        }
        tm.i = -1;
        return true;
    }

    /** Removes the earliest timer (timerproc's removal of a one-shot timer that fired). */
    Timer removeTop() {
        Timer top = t[0];
        int last = n - 1;
        if (last > 0) {
            t[0] = t[last];
            t[0].i = 0;
        }
        t[last] = null;
        n = last;
        if (last > 0) {
            siftdown(0);
        }
        top.i = -1;
        return top;
    }

    /** Restores the order after the earliest timer's deadline moved later (a periodic timer re-armed). */
    void fixTop() {
        siftdown(0);
    }

    private void siftup(int i) {
        Timer tm = t[i];
        long when = tm.when;
        while (i > 0) {
            int p = (i - 1) / 4; // parent
            if (when >= t[p].when) {
                break;
            }
            t[i] = t[p];
            t[i].i = i;
            i = p;
        }
        t[i] = tm;
        tm.i = i;
    }

    private void siftdown(int i) {
        Timer tm = t[i];
        long when = tm.when;
        for (;;) {
            int c = i * 4 + 1; // left child
            int c3 = c + 2; // mid child
            if (c >= n) {
                break;
            }
            long w = t[c].when;
            if (c + 1 < n && t[c + 1].when < w) {
                w = t[c + 1].when;
                c++;
            }
            if (c3 < n) {
                long w3 = t[c3].when;
                if (c3 + 1 < n && t[c3 + 1].when < w3) {
                    w3 = t[c3 + 1].when;
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
            t[i] = t[c];
            t[i].i = i;
            i = c;
        }
        t[i] = tm;
        tm.i = i;
    }

    /** The first broken invariant, or null if the heap is sound (for tests and dumps). */
    String check() {
        for (int k = 0; k < n; k++) {
            if (t[k] == null || t[k].i != k) {
                return "slot " + k + " holds " + t[k] + " whose index is " + (t[k] == null ? "-" : t[k].i);
            }
            if (k > 0 && t[k].when < t[(k - 1) / 4].when) {
                return "slot " + k + " (when " + t[k].when + ") is earlier than its parent, slot " + (k - 1) / 4 + " (when "
                        + t[(k - 1) / 4].when + ")";
            }
        }
        for (int k = n; k < t.length; k++) {
            if (t[k] != null) {
                return "slot " + k + " past the end (" + n + ") still holds a timer";
            }
        }
        return null;
    }
}
