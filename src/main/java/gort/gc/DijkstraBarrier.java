package gort.gc;

import gort.heap.MSpan;
import gort.sched.Sched;

/**
 * Go 1.5's Dijkstra insertion barrier (mbarrier.go's writebarrierptr → shade): the object whose
 * pointer is being installed is greyed into the current P's work cache (disposed at once in mark
 * 2 and mark termination), so no black object ever points to a white one through the heap or the
 * globals. Stack writes take no barrier, so every stack is rescanned at mark termination.
 */
final class DijkstraBarrier implements WriteBarrier {
    private final Collector c;

    DijkstraBarrier(Collector c) {
        this.c = c;
    }

    @Override
    public void store(long obj, MSpan s, int idx) {
        if (s.isMarkedIndex(idx)) {
            return; // already grey or black: nothing to do, and no need to find our P
        }
        GcWork gcw = (GcWork) Sched.currentM().p().gcw;
        c.mark.greyobjectAt(obj, s, idx, gcw);
        if (c.disposePromptly()) {
            gcw.dispose();
        }
    }

    @Override
    public boolean rescanStacks() {
        return true;
    }
}
