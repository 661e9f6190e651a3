package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Heap;
import gort.api.Raw;
import gort.heap.MCache;
import gort.sched.G;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An assist pays the pacer's assist ratio times the bytes its goroutine allocated during the
 * cycle (Go 1.5.1's gcAssistAlloc: debt = assistRatio × gcalloc − gcscanwork), with the ratio the
 * controller computed and no floor under it. Mark 1 is held open with no background worker (so
 * there is no credit to steal) over a long live list (so the grey work outlasts the debt); the
 * goroutine first allocates with assists off, which charges its bytes without paying, then makes
 * one allocation at an assist point (its cache has just taken a span). That assist's scan work is
 * the debt, give or take the one object gcDrainN scans past it.
 */
class AssistRatioTest {
    /** At most one object's scan work past the debt: the list's nodes and the globals' objects are small. */
    static final long ONE_OBJECT = 256;

    @Test
    void anAssistDoesTheControllersRatioTimesTheBytesItsGoroutineAllocated() {
        AtomicReference<double[]> out = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withGodebug(Config.parseGodebug("gccheckmark=1")), () -> {
            Heap h = Raw.heap();
            Collector gc = CompletionPathTest.collector();
            CompletionPathTest.buildList(h, 50_000); // ~800 KB of scan work, none of it done before the assist
            int n0 = gc.numGC();
            WriteBarrierTest.holdMarkOneOpen(gc); // assists off, no workers, no scheduler completion
            G me = Sched.getg();
            for (int i = 0; i < 4_000; i++) {
                h.alloc(WriteBarrierTest.NODE); // charged to gcalloc, not paid: assists are off
            }
            gc.faults.assistsDisabled = false;
            double[] r = null;
            for (int attempt = 0; attempt < 1_000 && r == null; attempt++) {
                // up to an assist point: the cache has just taken a span, so the next allocation assists
                while (!((MCache) Sched.currentM().mcache()).shouldhelpgc) {
                    h.alloc(WriteBarrierTest.NODE);
                }
                double ratio = gc.controller().assistRatio();
                long work0 = me.gcscanwork;
                h.alloc(WriteBarrierTest.NODE); // a safepoint first: a preemption there may move us to a P with no assist due
                if (me.gcscanwork != work0) {
                    r = new double[] {ratio, me.gcalloc, work0, me.gcscanwork, gc.faults.minAssistRatio};
                }
            }
            WriteBarrierTest.release(gc, h, n0);
            out.set(r);
        });
        double[] r = out.get();
        assertThat(r).as("an allocation at an assist point assisted").isNotNull();
        double ratio = r[0];
        long gcalloc = (long) r[1];
        long work0 = (long) r[2];
        long work1 = (long) r[3];
        assertThat(r[4]).as("no floor under the ratio").isZero();
        long debt = (long) (ratio * gcalloc) - work0;
        assertThat(debt).as("the debt (ratio %s × %s bytes allocated − %s bytes of scan work paid)", ratio, gcalloc, work0)
                .isGreaterThan(16 * ONE_OBJECT);
        assertThat(work1 - work0).as("the assist's scan work against its debt %s", debt).isBetween(debt, debt + ONE_OBJECT);
    }
}
