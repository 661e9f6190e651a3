package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Ptr;
import gort.api.Raw;
import gort.heap.MHeap;
import gort.heap.Type;
import gort.testing.Rt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The write barrier itself (Go 1.5's Dijkstra insertion barrier: mbarrier.go's writebarrierptr →
 * shade), observed on the mark bit of the object a store installs. Marking is held open in mark 1
 * with nobody draining (no background workers, no assists, no scheduler completion), so an object
 * allocated then is white and stays white unless the barrier greys it: a pointer store into a heap
 * object, into a global or through a handle marks it at once; a write into a goroutine's frame
 * does not (frames take no barrier; {@link StackRescanTest} covers what keeps them sound); and
 * outside marking a store marks nothing.
 */
class WriteBarrierTest {
    static final Type NODE = Type.struct("wb.node", "ptr,ptr,scalar");

    /** Holds mark 1 open with nobody draining; returns the signal once the phase is armed. */
    static MarkDoneSignal holdMarkOneOpen(Collector gc) {
        gc.faults.workerModes = 0;
        gc.faults.assistsDisabled = true;
        gc.faults.schedulerCompletes = false;
        AtomicReference<MarkDoneSignal> armed = new AtomicReference<>();
        gc.faults.onPhaseArmed = sig -> armed.compareAndSet(null, sig);
        gc.triggerConcurrentCycle();
        while (armed.get() == null) {
            Go.gosched(); // the coordinator scans and installs the barrier on the other P
        }
        return armed.get();
    }

    /** Lets marking finish (every worker mode, assists, the scheduler's check) and waits for the cycle to end. */
    static void release(Collector gc, Heap h, int n0) {
        gc.faults.onPhaseArmed = null;
        gc.faults.workerModes = new GcFaults().workerModes;
        gc.faults.assistsDisabled = false;
        gc.faults.schedulerCompletes = true;
        while (gc.numGC() == n0) {
            h.alloc(NODE); // garbage: assists
            Go.gosched();
        }
    }

    @Test
    void duringMarkAPointerStoreGreysItsTargetAndAFrameWriteDoesNot() {
        Map<String, Boolean> marked = new LinkedHashMap<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withGodebug(Config.parseGodebug("gccheckmark=1")), () -> {
            Heap h = Raw.heap();
            Collector gc = CompletionPathTest.collector();
            MHeap mh = gc.heap();
            Stack st = Raw.stack();
            int f = st.push(6);
            long holder = h.alloc(NODE);
            st.set(f, 0, holder);
            int global = Raw.newGlobal();
            Ptr handleHolder = Go.alloc(NODE);

            long before = h.alloc(NODE);
            st.set(f, 1, before);
            h.storePtr(holder, 0, before);
            marked.put("stored into a heap object outside marking", mh.isMarked(before));

            int n0 = gc.numGC();
            MarkDoneSignal mark1 = holdMarkOneOpen(gc);
            marked.put("mark 1 armed and not complete, the barrier on", !mark1.isDone() && gc.writeBarrierEnabled());

            long a = h.alloc(NODE); // mark 1 allocates white
            st.set(f, 2, a); // a frame write: no barrier
            marked.put("allocated in mark 1, written into a frame", mh.isMarked(a));
            h.storePtr(holder, 1, a);
            marked.put("then stored into a heap object", mh.isMarked(a));

            long b = h.alloc(NODE);
            st.set(f, 3, b);
            Raw.setGlobal(global, b);
            marked.put("allocated in mark 1, stored into a global", mh.isMarked(b));

            Ptr c = Go.alloc(NODE); // its handle slot is a root the barrier does not see either
            long ca = st.hslots()[st.htop() - 1];
            marked.put("allocated in mark 1, held by a handle", mh.isMarked(ca));
            handleHolder.setPtr(0, c);
            marked.put("then stored through a handle", mh.isMarked(ca));

            marked.put("mark 1 still open: nobody else marked them", !mark1.isDone());
            release(gc, h, n0);
            st.pop(f);
        });
        assertThat(marked).containsExactly(
                Map.entry("stored into a heap object outside marking", false),
                Map.entry("mark 1 armed and not complete, the barrier on", true),
                Map.entry("allocated in mark 1, written into a frame", false),
                Map.entry("then stored into a heap object", true),
                Map.entry("allocated in mark 1, stored into a global", true),
                Map.entry("allocated in mark 1, held by a handle", false),
                Map.entry("then stored through a handle", true),
                Map.entry("mark 1 still open: nobody else marked them", true));
    }
}
