package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The page-run allocator: random allocate/free sequences keep the heap tiled, coalesced and mapped. */
class MHeapProperties {

    @Provide
    Arbitrary<List<Integer>> ops() {
        // > 0: allocate that many pages; <= 0: free live span number (-op mod live)
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(100, 200),
                        Arbitraries.integers().between(-40, 0))
                .list()
                .ofMaxSize(50);
    }

    @Property(tries = 150)
    void pageRunsTileTheHeapAndCoalesce(@ForAll("ops") List<Integer> ops) {
        MHeap h = new MHeap(128L << 20);
        List<MSpan> live = new ArrayList<>();
        int k = 0;
        for (int op : ops) {
            if (op > 0) {
                MSpan s = (k++ % 2 == 0)
                        ? h.allocManual(op)
                        : h.allocSpan(op, 0, MSpan.State.IN_USE, null);
                assertThat(s.npages()).isEqualTo(op);
                live.add(s);
            } else if (!live.isEmpty()) {
                MSpan s = live.remove(-op % live.size());
                if (s.state() == MSpan.State.MANUAL) {
                    h.freeManual(s);
                } else {
                    h.freeSpan(s);
                }
            }
            checkInvariants(h, live);
        }
        for (MSpan s : live) {
            if (s.state() == MSpan.State.MANUAL) {
                h.freeManual(s);
            } else {
                h.freeSpan(s);
            }
        }
        List<MSpan> runs = h.freeRuns();
        long used = h.usedPages();
        if (used > 1) {
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).startPage()).isEqualTo(1);
            assertThat(runs.get(0).npages()).isEqualTo(used - 1);
        } else {
            assertThat(runs).isEmpty();
        }
        assertThat(h.heapInuse()).isZero();
        assertThat(h.readStats().manualInuse()).isZero();
        assertThat(h.readStats().heapIdle()).isEqualTo(h.heapSys());
    }

    static void checkInvariants(MHeap h, List<MSpan> live) {
        List<MSpan> all = new ArrayList<>(live);
        List<MSpan> runs = h.freeRuns();
        all.addAll(runs);
        all.sort(Comparator.comparingLong(MSpan::startPage));
        long next = 1;
        long inuse = 0;
        long manual = 0;
        for (MSpan s : all) {
            assertThat(s.startPage()).as("span %s starts where the previous ended (no overlap, no gap)", s).isEqualTo(next);
            next = s.startPage() + s.npages();
            if (s.state() == MSpan.State.FREE) {
                assertThat(h.spanOf(s.base())).isSameAs(s);
                assertThat(h.spanOf(s.limit() - 1)).isSameAs(s);
                assertThat(h.spanOfHeap(s.base())).isNull();
            } else {
                for (long p = s.startPage(); p < next; p++) {
                    assertThat(h.spanOf(h.mem().pageAddr(p) + (p % AddressSpace.PAGE_WORDS))).isSameAs(s);
                }
                if (s.state() == MSpan.State.IN_USE) {
                    inuse += s.npages();
                    assertThat(h.spanOfHeap(s.limit() - 1)).isSameAs(s);
                } else {
                    manual += s.npages();
                }
            }
        }
        assertThat(next).as("spans tile [1, usedPages)").isEqualTo(h.usedPages());
        for (long p = 1; p < h.usedPages(); p++) {
            MSpan s = h.spanOf(h.mem().pageAddr(p));
            if (s != null && s.state() == MSpan.State.DEAD) {
                assertThat(s.nelems()).as("page %d names a retired in-use span %s (its slot array may be reused)", p, s)
                        .isZero();
            }
        }
        for (int i = 1; i < runs.size(); i++) {
            MSpan a = runs.get(i - 1);
            assertThat(a.startPage() + a.npages()).as("free runs %s and %s are coalesced", a, runs.get(i))
                    .isLessThan(runs.get(i).startPage());
        }
        assertThat(h.heapInuse()).isEqualTo(inuse * AddressSpace.PAGE_BYTES);
        assertThat(h.readStats().manualInuse()).isEqualTo(manual * AddressSpace.PAGE_BYTES);
        assertThat(h.heapSys()).isEqualTo((h.usedPages() - 1) * AddressSpace.PAGE_BYTES);
    }
}
