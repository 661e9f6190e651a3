package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Ptr;
import gort.api.Raw;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.testing.Rt;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mark termination's stack rescan (Go 1.5's gcMark rescanning every stack, which the Dijkstra
 * barrier needs because frame writes take no barrier), observed on objects that only a frame
 * holds: allocated after the goroutine's stack was scanned (mark 1 allocates white), written only
 * into a raw frame slot and a handle slot, with marking held open and nobody draining, they are
 * still white when marking is let go; only the rescan at mark termination can mark them, and they
 * must survive the sweep that follows.
 */
class StackRescanTest {
    @Test
    void objectsOnlyAFrameHoldsSinceTheConcurrentScanSurviveBecauseMarkTerminationRescansTheStack() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        // no checkmark: it would report a missed object itself; here the sweep must show whether it was kept
        Rt.run(Config.defaults().withGomaxprocs(2).withDebugHeap(true), () -> {
            Heap h = Raw.heap();
            Collector gc = CompletionPathTest.collector();
            MHeap mh = gc.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            int n0 = gc.numGC();
            MarkDoneSignal mark1 = WriteBarrierTest.holdMarkOneOpen(gc); // our stack was scanned before mark 1 was armed

            long raw = h.alloc(WriteBarrierTest.NODE);
            st.set(f, 0, raw); // a frame write: no barrier
            h.storeInt(raw, 2, 4242);
            Ptr handle = Go.alloc(WriteBarrierTest.NODE); // its handle slot: no barrier either
            handle.set(2, 4343);
            long ha = st.hslots()[st.htop() - 1];
            seen.put("white while marking is held open", !mh.isMarked(raw) && !mh.isMarked(ha) && !mark1.isDone());

            WriteBarrierTest.release(gc, h, n0);
            seen.put("the cycle's concurrent phases completed", gc.numGC() > n0);
            while (mh.sweepone() != -1) {
                // finish this cycle's sweep here (the background sweeper may hold the last span for a moment)
            }
            for (long addr : new long[] {raw, ha}) {
                MSpan s = mh.spanOf(addr);
                while (s != null && s.state() == MSpan.State.IN_USE && s.sweepgen() != mh.sweepgen()) {
                    Go.gosched(); // a span whose objects all died goes back to the heap instead
                }
            }
            boolean kept = mh.isAllocated(st.get(f, 0)) && mh.isAllocated(ha);
            seen.put("both still allocated after the sweep", kept);
            seen.put("their contents intact", kept && h.loadInt(st.get(f, 0), 2) == 4242 && handle.get(2) == 4343);
            st.pop(f);
        });
        assertThat(seen).containsExactly(
                Map.entry("white while marking is held open", true),
                Map.entry("the cycle's concurrent phases completed", true),
                Map.entry("both still allocated after the sweep", true),
                Map.entry("their contents intact", true));
    }
}
