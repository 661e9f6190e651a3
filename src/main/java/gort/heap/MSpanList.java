package gort.heap;

/**
 * An intrusive doubly linked list of spans (Go's {@code mSpanList}).
 *
 * <p>Owns: the {@code next}/{@code prev}/{@code list} links of its members. Invariant: a span is on
 * at most one list, and {@code span.list} names it. Not thread-safe: each list is guarded by the
 * lock of its owner (an {@link MCentral}'s lock or the {@link MHeap} lock).
 */
final class MSpanList {
    MSpan first;
    MSpan last;
    int size;

    boolean isEmpty() {
        return first == null;
    }

    /** Inserts at the front. */
    void insert(MSpan s) {
        check(s);
        s.next = first;
        s.prev = null;
        if (first != null) {
            first.prev = s;
        } else {
            last = s;
        }
        first = s;
        s.list = this;
        size++;
    }

    /** Inserts at the back. */
    void insertBack(MSpan s) {
        check(s);
        s.prev = last;
        s.next = null;
        if (last != null) {
            last.next = s;
        } else {
            first = s;
        }
        last = s;
        s.list = this;
        size++;
    }

    void remove(MSpan s) {
        if (s.list != this) {
            throw new IllegalStateException("fatal error: MSpanList.remove of " + s + " from a list it is not on");
        }
        if (s.prev != null) {
            s.prev.next = s.next;
        } else {
            first = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        } else {
            last = s.prev;
        }
        s.next = null;
        s.prev = null;
        s.list = null;
        size--;
    }

    private static void check(MSpan s) {
        if (s.list != null) {
            throw new IllegalStateException("fatal error: MSpanList.insert of " + s + ", which is already on a list");
        }
    }
}
