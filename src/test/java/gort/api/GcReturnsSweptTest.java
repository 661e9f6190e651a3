package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.MemStats;
import gort.heap.Type;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * runtime.GC() returns with the heap swept (Go 1.5's gcForceBlockMode): the MemStats read right after
 * it count only what is still reachable. One P, so the background sweeper cannot run before the
 * read: what the stats show is the forced collection's own sweep.
 */
class GcReturnsSweptTest {
    static final Type NODE = Type.struct("swept.node", "ptr,ptr,scalar");

    @Test
    void memStatsRightAfterGcCountOnlyTheLiveHeap() {
        AtomicReference<MemStats> before = new AtomicReference<>();
        AtomicReference<MemStats> after = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(1).withGogc(-1), () -> { // GOGC=off: no cycle but the forced one
            Global keep = Go.newGlobal();
            Ptr list = null;
            try (Scope s = Go.scope()) {
                for (int i = 0; i < 10_000; i++) { // 10,000 live nodes: ~240 KB
                    Ptr n = Go.alloc(NODE);
                    n.setPtr(0, list);
                    list = n;
                }
                keep.set(list);
            }
            for (int i = 0; i < 400; i++) { // 400,000 garbage nodes: ~9.6 MB
                try (Scope s = Go.scope()) {
                    for (int j = 0; j < 1000; j++) {
                        Go.alloc(NODE);
                    }
                }
            }
            before.set(Go.readMemStats());
            Go.gc();
            after.set(Go.readMemStats());
        });
        long live = 10_000L * 24;
        assertThat(before.get().heapAlloc()).isGreaterThan(20 * live);
        assertThat(after.get().heapAlloc()).as("heapAlloc right after GC()").isBetween(live, 2 * live);
        assertThat(after.get().heapObjects()).isBetween(10_000L, 10_100L);
    }
}
