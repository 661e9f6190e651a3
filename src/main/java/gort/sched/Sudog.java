package gort.sched;

/**
 * A G waiting on a channel or semaphore queue (Go's sudog). Owns: the element being handed off and
 * its queue links. Invariant: a sudog is on at most one wait queue, and only while its G waits.
 */
final class Sudog {
    final G g;
    Object elem;
    Sudog next;
    Sudog prev;
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

        Sudog dequeue() {
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
            return s;
        }

        boolean isEmpty() {
            return first == null;
        }
    }
}
