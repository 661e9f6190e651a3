package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.heap.MCache;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.platform.RealPlatform;
import org.junit.jupiter.api.Test;

/**
 * Scan work is counted in bytes, as Go 1.5's scanobject counts it: the bytes it walked, which
 * stop at the first word past the object's last pointer but cover two words at least; and what an
 * allocation adds to heap_scan is its pointer-holding prefix (Go's typ.ptrdata).
 */
class ScanWorkTest {
    final MHeap heap = new MHeap(16L << 20);
    final MCache c = heap.newMCache();
    final Work work = new Work(RealPlatform.INSTANCE, () -> false);
    final Mark mark = new Mark(heap, work);
    final GcWork gcw = new GcWork(work);

    long scan(long obj) {
        MSpan s = heap.spanOf(obj);
        return mark.scanobject(obj, s.slotInfoAt(s.objIndex(obj)), gcw);
    }

    @Test
    void aStructIsScannedUpToItsLastPointerAndAtLeastTwoWords() {
        assertThat(scan(c.alloc(Type.struct("sw.node", "ptr,ptr,scalar")))).isEqualTo(16);
        assertThat(scan(c.alloc(Type.struct("sw.head", "ptr,scalar,scalar,scalar")))).as("two words at least").isEqualTo(16);
        assertThat(scan(c.alloc(Type.struct("sw.tail", "scalar,scalar,scalar,ptr")))).isEqualTo(32);
        assertThat(scan(c.alloc(Type.PTR))).as("a one-word object").isEqualTo(8);
        Type wide = Type.builder("sw.wide").scalars(35).ptr().scalars(4).build(); // 40 words: the descriptor path
        assertThat(scan(c.alloc(wide))).isEqualTo(36 * 8);
    }

    @Test
    void anArrayIsScannedToItsLastElementsLastPointer() {
        assertThat(scan(c.alloc(Type.PTR_ARRAY, 10))).isEqualTo(80);
        assertThat(scan(c.alloc(Type.PTR_ARRAY, 1))).isEqualTo(8);
        Type pairs = Type.arrayOf(Type.struct("sw.pair", "ptr,scalar"));
        assertThat(scan(c.alloc(pairs, 5))).as("4 whole elements and the last one's pointer").isEqualTo((4 * 2 + 1) * 8);
    }

    @Test
    void heapScanGetsThePointerHoldingPrefixOfEveryScannableAllocation() {
        assertThat(Type.struct("sw.n2", "ptr,ptr,scalar").ptrdataBytes(0)).isEqualTo(16);
        assertThat(Type.struct("sw.t2", "scalar,ptr").ptrdataBytes(0)).isEqualTo(16);
        assertThat(Type.PTR_ARRAY.ptrdataBytes(7)).isEqualTo(56);
        assertThat(Type.SCALAR_ARRAY.ptrdataBytes(7)).isZero();
        assertThat(Type.BYTES.ptrdataBytes(100)).isZero();
        assertThat(Type.arrayOf(Type.struct("sw.p2", "ptr,scalar")).ptrdataBytes(5)).isEqualTo(72);
    }
}
