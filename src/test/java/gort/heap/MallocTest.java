package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MallocTest {
    static final Type NODE = Type.struct("node", "ptr,ptr,scalar");

    @Test
    void smallObjectsAreDistinctZeroedAndHeadered() {
        MHeap h = new MHeap(64L << 20);
        MCache c = h.newMCache();
        Set<Long> seen = new HashSet<>();
        Type[] types = {NODE, Type.struct("one", "scalar"), Type.builder("big").scalars(300).ptr().build(), Type.struct("none", "")};
        for (int i = 0; i < 20_000; i++) {
            Type t = types[i % types.length];
            long a = c.alloc(t);
            assertThat(seen.add(a)).as("address 0x%x handed out twice", a).isTrue();
            MSpan s = h.spanOfHeap(a);
            assertThat(s).isNotNull();
            assertThat(s.base(a)).isEqualTo(a);
            assertThat(s.elemBytes()).isEqualTo(SizeClasses.roundUpSize(t.objectWords(0) * 8));
            assertThat(h.typeOf(a)).isSameAs(t);
            assertThat(h.arrayLen(a)).isZero();
            for (long w = 1; w <= t.sizeWords(); w++) {
                assertThat(h.load(a + w)).isZero();
                h.store(a + w, -1L); // dirty it: nothing below may see it
            }
            h.checkLive(a);
        }
        HeapStats st = h.readStats();
        assertThat(st.heapObjects()).isEqualTo(20_000);
        assertThat(st.mallocs()).isEqualTo(20_000);
        assertThat(c.localNMalloc()).isEqualTo(20_000);
        assertThat(st.heapAlloc()).isEqualTo(c.localAllocBytes());
        assertThat(st.heapInuse()).isGreaterThanOrEqualTo(st.heapAlloc());
        assertThat(st.heapSys()).isGreaterThanOrEqualTo(st.heapInuse());
        c.releaseAll();
        assertThat(c.localAllocBytes()).isZero();
        HeapStats after = h.readStats();
        assertThat(after.totalAlloc()).isEqualTo(st.heapAlloc());
        assertThat(after.heapLive()).isEqualTo(st.heapAlloc());
    }

    @Test
    void arraysAndStrings() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long arr = c.alloc(Type.PTR_ARRAY, 100);
        assertThat(h.typeOf(arr)).isSameAs(Type.PTR_ARRAY);
        assertThat(h.arrayLen(arr)).isEqualTo(100);
        assertThat(h.spanOf(arr).elemBytes()).isEqualTo(SizeClasses.roundUpSize(101 * 8));
        long empty = c.alloc(Type.SCALAR_ARRAY, 0);
        assertThat(h.arrayLen(empty)).isZero();
        for (String s : new String[] {"", "a", "12345678", "123456789", "héllo, wörld — ✓"}) {
            long a = h.allocString(c, s);
            assertThat(h.typeOf(a)).isSameAs(Type.BYTES);
            assertThat(h.loadString(a)).isEqualTo(s);
        }
        assertThatThrownBy(() -> h.loadBytes(arr)).hasMessageContaining("[]ptr, not a string");
        assertThatThrownBy(() -> c.alloc(NODE, 2)).hasMessageContaining("node is a struct");
        assertThatThrownBy(() -> c.alloc(Type.PTR_ARRAY, -1)).hasMessageContaining(">= 0");
        MCache other = new MHeap(1 << 20).newMCache();
        assertThatThrownBy(() -> h.mallocgc(other, NODE, 0)).hasMessageContaining("another heap");
    }

    @Test
    void largeObjectsGetTheirOwnSpan() {
        MHeap h = new MHeap(64L << 20);
        MCache c = h.newMCache();
        int n = 5000; // 5001 words > 4096
        long a = c.alloc(Type.SCALAR_ARRAY, n);
        MSpan s = h.spanOf(a);
        assertThat(s.isLarge()).isTrue();
        assertThat(s.sizeclass()).isZero();
        assertThat(s.npages()).isEqualTo(5);
        assertThat(s.base()).isEqualTo(a);
        assertThat(h.spanOf(a + n)).isSameAs(s);
        assertThat(s.base(a + 4000)).isEqualTo(a);
        assertThat(s.objIndex(a + 4000)).isZero();
        for (long w = 1; w <= n; w++) {
            assertThat(h.load(a + w)).isZero();
        }
        long b = c.alloc(Type.PTR_ARRAY, 4095); // exactly 32 KiB with header: still small
        assertThat(h.spanOf(b).sizeclass()).isEqualTo(SizeClasses.NUM_SIZE_CLASSES - 1);
        long d = c.alloc(Type.PTR_ARRAY, 4096); // one word over: large
        assertThat(h.spanOf(d).isLarge()).isTrue();
        assertThat(h.heapObjects()).isEqualTo(3);
        assertThat(h.heapLive()).isEqualTo(5L * 8192 + 5L * 8192 + SizeClasses.classToSize(66)
                * (long) SizeClasses.classToNElems(66));
    }

    @Test
    void allocBlackMarksNewObjects() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long white = c.alloc(NODE);
        h.allocBlack = true;
        long black = c.alloc(NODE);
        long bigBlack = c.alloc(Type.SCALAR_ARRAY, 10_000);
        h.allocBlack = false;
        assertThat(h.isMarked(white)).isFalse();
        assertThat(h.isMarked(black)).isTrue();
        assertThat(h.isMarked(bigBlack)).isTrue();
        assertThat(h.setMarked(black)).isFalse();
        assertThat(h.setMarked(white)).isTrue();
    }

    @Test
    void checkLiveNamesWhatIsWrong() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long a = c.alloc(NODE);
        long b = c.alloc(NODE);
        h.checkLive(a);
        assertThatThrownBy(() -> h.checkLive(0)).isInstanceOf(BadPointerException.class).hasMessageContaining("nil");
        assertThatThrownBy(() -> h.checkLive(a + 1)).hasMessageContaining(Long.toHexString(a + 1))
                .hasMessageContaining("points into the object at 0x" + Long.toHexString(a));
        long unallocated = b + (b - a) * 3;
        assertThatThrownBy(() -> h.checkLive(unallocated)).isInstanceOf(BadPointerException.class)
                .hasMessageContaining("0x" + Long.toHexString(unallocated))
                .hasMessageContaining("is free");
        assertThatThrownBy(() -> h.checkLive(1L << 40)).hasMessageContaining("not in the heap");
        assertThatThrownBy(() -> h.checkLive(-5)).hasMessageContaining("not in the heap");
        long freePages = h.spanOf(a).limit() + 100 * AddressSpace.PAGE_WORDS;
        assertThatThrownBy(() -> h.checkLive(freePages)).hasMessageContaining("free heap pages");
        MSpan m = h.allocManual(2);
        assertThatThrownBy(() -> h.checkLive(m.base())).hasMessageContaining("manual");
    }

    @Test
    void manualSpansAreZeroedOnReuse() {
        MHeap h = new MHeap(16L << 20, true);
        MSpan m = h.allocManual(3);
        h.mem().fill(m.base(), 3 * AddressSpace.PAGE_WORDS, 99);
        h.freeManual(m);
        MSpan m2 = h.allocManual(3);
        assertThat(m2.base()).isEqualTo(m.base());
        assertThat(h.mem().findNotZeroOr(m2.base(), 3 * AddressSpace.PAGE_WORDS, 0)).isEqualTo(-1);
        assertThatThrownBy(() -> h.freeManual(m)).hasMessageContaining("not a manual span");
    }
}
