package gort.gc;

import gort.heap.AddressSpace;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.sched.G;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * {@code GODEBUG=gccheckmark=1} (Go's checkmark mode): after every mark, re-marks everything
 * reachable from the roots with the separate checkmark bits, single-threaded, with the world
 * stopped, and dies naming any reachable object the mark phase left unmarked (a lost object,
 * caught before sweep frees it). Owns the count of the last verification (for tests).
 */
final class Checkmark {
    private final Collector c;
    private volatile long checkmarked;

    Checkmark(Collector c) {
        this.c = c;
    }

    /** Objects checkmarked by the last verification. */
    long lastCheckmarked() {
        return checkmarked;
    }

    /** Verifies the mark just done. World stopped. */
    void verify() {
        MHeap heap = c.heap;
        heap.clearCheckmarks();
        long[] stack = new long[1024];
        int sp = 0;
        long n = 0;
        ArrayList<long[]> rootSets = new ArrayList<>();
        ArrayList<String> rootNames = new ArrayList<>();
        for (G gp : c.sched.allgs()) {
            if (gp.status() != G.DEAD && gp.local instanceof Stack st) {
                rootSets.add(Arrays.copyOf(st.slots(), st.depth()));
                rootNames.add("stack of goroutine " + gp.goid());
                rootSets.add(Arrays.copyOf(st.hslots(), st.htop()));
                rootNames.add("handles of goroutine " + gp.goid());
            }
            if (gp.status() != G.DEAD) {
                java.util.ArrayList<Long> w = new java.util.ArrayList<>();
                gp.forEachWaitingPtr(w::add);
                rootSets.add(w.stream().mapToLong(Long::longValue).toArray());
                rootNames.add("channel values goroutine " + gp.goid() + " waits with");
            }
        }
        rootSets.add(Arrays.copyOf(c.globals.snapshot(), c.globals.count()));
        rootNames.add("globals");
        rootSets.add(c.globals.ownedRoots());
        rootNames.add("channel buffers");
        AddressSpace mem = heap.mem();
        for (int r = 0; r < rootSets.size(); r++) {
            for (long p : rootSets.get(r)) {
                if (p == 0) {
                    continue;
                }
                if (checkgrey(p, rootNames.get(r))) {
                    n++;
                    if (sp == stack.length) {
                        stack = Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = p;
                }
                while (sp > 0) {
                    long obj = stack[--sp];
                    MSpan s = heap.spanOf(obj);
                    long info = s.slotInfoAt(s.objIndex(obj));
                    Type t = Type.byId((int) info);
                    int[] offs = t.ptrOffsets();
                    long nelem = t.isArray() ? (int) (info >>> 32) : 1;
                    for (long e = 0; e < nelem; e++) {
                        for (int off : offs) {
                            long q = mem.load(obj + e * t.sizeWords() + off);
                            if (q != 0 && checkgrey(q, t.name() + " object 0x" + Long.toHexString(obj) + " field " + (e * t.sizeWords() + off))) {
                                n++;
                                if (sp == stack.length) {
                                    stack = Arrays.copyOf(stack, sp * 2);
                                }
                                stack[sp++] = q;
                            }
                        }
                    }
                }
            }
        }
        checkmarked = n;
    }

    /** Checkmarks p; true if newly checkmarked. Dies if p is reachable but was not marked. */
    private boolean checkgrey(long p, String from) {
        MHeap heap = c.heap;
        MSpan s = heap.spanOfHeap(p);
        if (s == null || s.base(p) != p || s.typeIdAt(s.objIndex(p)) == 0) {
            throw new IllegalStateException("fatal error: checkmark found bad pointer 0x" + Long.toHexString(p) + " in " + from);
        }
        if (!s.setCheckmarked(p)) {
            return false;
        }
        if (!s.isMarked(p)) {
            throw new IllegalStateException("fatal error: checkmark found unmarked object 0x" + Long.toHexString(p) + " ("
                    + heap.typeOf(p).name() + "), reachable from " + from + ": the mark phase lost it");
        }
        return true;
    }
}
