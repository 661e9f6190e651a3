package gort.sched;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A G waiting on a channel or semaphore queue (Go's sudog). Owns: the element being handed off and
 * its queue links. Invariants: a sudog is on at most one wait queue, and only while its G waits or
 * selects; a G that selects waits with one sudog per case, linked through {@link #waitlink} from
 * {@code G.waiting}, all sharing one {@link #selectdone} flag that the first waker claims (Go's
 * selectdone CAS), so the others are skipped by {@link WaitQ#dequeue}.
 *
 * <p>An element is a Java value ({@link #elem}) or, on a channel of pointers, a managed-heap
 * address ({@link #ptr}): a blocked sender's value, or the value a sender handed to a blocked
 * receiver. The collector scans the {@code ptr} of every sudog on a goroutine's waiting list as a
 * root of that goroutine (Go: sudog.elem points into the goroutine's stack, which is scanned).
 */
final class Sudog {
    final G g;
    Object elem;
    /** The managed-heap address being sent or received on a channel of pointers, else 0. */
    long ptr;
    Sudog next;
    Sudog prev;
    /** Next sudog of the same G (select's cases), from G.waiting. */
    Sudog waitlink;
    /** Shared by the sudogs of one select: set by the first waker, else null (Go's selectdone). */
    AtomicBoolean selectdone;
    /** The channel this sudog waits on (select's pass 3 dequeues it from the others). */
    HChan c;
    /** The select case this sudog stands for. */
    int caseIndex;
    /** Semaphore the sudog waits on (semaphores only). */
    Object key;

    Sudog(G g) {
        this.g = g;
    }

    /** FIFO of sudogs (Go's waitq), guarded by the owning object's lock. */
    static final class WaitQ {
        Sudog first;
        Sudog last;

        void enqueue(Sudog s) {
            s.next = null;
            s.prev = last;
            if (last == null) {
                first = s;
            } else {
                last.next = s;
            }
            last = s;
        }

        /**
         * Takes the first sudog; one of a select that another waker already claimed is dropped and
         * the next taken (Go's dequeue with the selectdone CAS).
         */
        Sudog dequeue() {
            for (;;) {
                Sudog s = first;
                if (s == null) {
                    return null;
                }
                first = s.next;
                if (first == null) {
                    last = null;
                } else {
                    first.prev = null;
                }
                s.next = null;
                s.prev = null;
                AtomicBoolean done = s.selectdone;
                if (done != null && (done.get() || !done.compareAndSet(false, true))) {
                    continue; // its select already won elsewhere
                }
                return s;
            }
        }

        /** Removes s if it is still queued (Go's dequeueSudoG: select's pass 3). */
        void dequeueSudog(Sudog s) {
            Sudog x = s.prev;
            Sudog y = s.next;
            if (x != null) {
                x.next = y;
                if (y != null) {
                    y.prev = x;
                } else {
                    last = x;
                }
            } else if (y != null) {
                y.prev = null;
                first = y;
            } else if (first == s) {
                first = null;
                last = null;
            }
            s.next = null;
            s.prev = null;
        }

        boolean isEmpty() {
            return first == null;
        }
    }
}
