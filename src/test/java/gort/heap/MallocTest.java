package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MallocTest {
    static final Type NODE = Type.struct("node", "ptr,ptr,scalar");

    @Test
    void smallObjectsAreDistinctZeroedAndTyped() {
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
            // no header: the slot holds max(1, data words), rounded up to the size class
            assertThat(s.elemBytes()).isEqualTo(SizeClasses.roundUpSize(8L * Math.max(1, t.sizeWords())));
            assertThat(h.typeOf(a)).isSameAs(t);
            assertThat(h.arrayLen(a)).isZero();
            for (long w = 0; w < t.sizeWords(); w++) {
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
        // node: 24 B -> 32; one: 8; big: 301 words; none: 0 words -> 8
        assertThat(st.heapAlloc()).isEqualTo(5000L * (32 + 8 + SizeClasses.roundUpSize(301 * 8) + 8));
        assertThat(st.heapInuse()).isGreaterThanOrEqualTo(st.heapAlloc());
        assertThat(st.heapSys()).isGreaterThanOrEqualTo(st.heapInuse());
        c.releaseAll();
        assertThat(c.localAllocBytes()).isZero();
        HeapStats after = h.readStats();
        assertThat(after.totalAlloc()).isEqualTo(st.heapAlloc());
        assertThat(after.heapLive()).isEqualTo(st.heapAlloc());
    }

    @Test
    void heapLiveLagsThroughTheCacheUntilItTakesASpanFromTheHeapAsInGo15() {
        MHeap h = new MHeap(64L << 20);
        java.util.concurrent.atomic.AtomicInteger revised = new java.util.concurrent.atomic.AtomicInteger();
        h.setRevise(revised::incrementAndGet);
        MCache c = h.newMCache();
        c.alloc(NODE); // the cache takes a new span from the heap: its (empty) counts are folded first
        int folds = revised.get();
        assertThat(folds).isPositive();
        for (int i = 0; i < 100; i++) {
            c.alloc(NODE);
            c.alloc(Type.SCALAR_ARRAY, 3); // noscan: adds to heap_live, not to heap_scan
        }
        assertThat(h.heapLive()).as("small objects from the cached spans: still in local_cachealloc").isZero();
        assertThat(h.heapScan()).isZero();
        long big = 5000 * 8; // a large object: the heap folds the cache's counts, then counts the object at once
        c.alloc(Type.SCALAR_ARRAY, 5000);
        assertThat(revised.get()).isGreaterThan(folds);
        long small = 101L * 32 + 100L * 32;
        assertThat(h.heapLive()).isEqualTo(small + SizeClasses.roundUpSize(big));
        assertThat(h.heapScan()).as("Go's local_scan: each node's pointer words, up to its last pointer").isEqualTo(101L * 16);
        c.alloc(NODE);
        c.releaseAll(); // purgecachedstats
        assertThat(h.heapLive()).isEqualTo(small + 32 + SizeClasses.roundUpSize(big));
        assertThat(h.heapScan()).isEqualTo(102L * 16);
    }

    @Test
    void arraysAndStrings() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long arr = c.alloc(Type.PTR_ARRAY, 100);
        assertThat(h.typeOf(arr)).isSameAs(Type.PTR_ARRAY);
        assertThat(h.arrayLen(arr)).isEqualTo(100);
        assertThat(h.spanOf(arr).elemBytes()).isEqualTo(SizeClasses.roundUpSize(100 * 8));
        long empty = c.alloc(Type.SCALAR_ARRAY, 0);
        assertThat(h.arrayLen(empty)).isZero();
        assertThat(h.spanOf(empty).elemBytes()).as("a zero-size object still gets one word").isEqualTo(8);
        long empty2 = c.alloc(Type.SCALAR_ARRAY, 0);
        assertThat(empty2).isNotEqualTo(empty);
        Type pair = Type.struct("pair", "ptr,ptr");
        assertThat(h.spanOf(c.alloc(pair)).elemBytes()).as("a 2-pointer node is 16 B, as in Go").isEqualTo(16);
        for (String s : new String[] {"", "a", "12345678", "123456789", "héllo, wörld — ✓"}) {
            long a = h.allocString(c, s);
            assertThat(h.typeOf(a)).isSameAs(Type.BYTES);
            assertThat(h.arrayLen(a)).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(h.loadString(a)).isEqualTo(s);
        }
        long eight = h.allocString(c, "12345678");
        assertThat(h.load(eight)).as("bytes start at the object's address").isEqualTo(0x3837363534333231L);
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
        int n = 5000; // 5000 words > 4096
        long a = c.alloc(Type.SCALAR_ARRAY, n);
        MSpan s = h.spanOf(a);
        assertThat(s.isLarge()).isTrue();
        assertThat(s.sizeclass()).isZero();
        assertThat(s.npages()).isEqualTo(5);
        assertThat(s.base()).isEqualTo(a);
        assertThat(h.spanOf(a + n - 1)).isSameAs(s);
        assertThat(s.base(a + 4000)).isEqualTo(a);
        assertThat(s.objIndex(a + 4000)).isZero();
        for (long w = 0; w < n; w++) {
            assertThat(h.load(a + w)).isZero();
        }
        long b = c.alloc(Type.PTR_ARRAY, 4096); // exactly 32 KiB: still small
        assertThat(h.spanOf(b).sizeclass()).isEqualTo(SizeClasses.NUM_SIZE_CLASSES - 1);
        long d = c.alloc(Type.PTR_ARRAY, 4097); // one word over: large
        assertThat(h.spanOf(d).isLarge()).isTrue();
        assertThat(h.heapObjects()).isEqualTo(3);
        assertThat(h.heapLive()).isEqualTo(5L * 8192 + 5L * 8192 + SizeClasses.classToSize(66)
                * (long) SizeClasses.classToNElems(66));
        // a large span's only slot is slot 0 for every word of it (a multiply-shift index is not
        // exact for 69 pages: the last word would land in "slot 1")
        int hugeWords = 69 * AddressSpace.PAGE_WORDS;
        long huge = c.alloc(Type.SCALAR_ARRAY, hugeWords);
        MSpan hs = h.spanOf(huge);
        assertThat(hs.npages()).isEqualTo(69);
        long last = huge + hugeWords - 1;
        assertThat(hs.objIndex(last)).isZero();
        assertThat(hs.base(last)).isEqualTo(huge);
        assertThatThrownBy(() -> h.checkLive(last)).hasMessageContaining("points into the object at 0x"
                + Long.toHexString(huge) + " (word " + (hugeWords - 1) + " of a []int64)");
        h.checkLive(huge);
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
                .hasMessageContaining("points into the object at 0x" + Long.toHexString(a) + " (word 1 of a node)");
        assertThatThrownBy(() -> h.typeOf(a + 1)).isInstanceOf(BadPointerException.class)
                .hasMessageContaining("points into the object at 0x" + Long.toHexString(a));
        long unallocated = b + (b - a) * 3;
        assertThatThrownBy(() -> h.checkLive(unallocated)).isInstanceOf(BadPointerException.class)
                .hasMessageContaining("0x" + Long.toHexString(unallocated))
                .hasMessageContaining("is free");
        assertThat(h.isAllocated(unallocated)).isFalse();
        assertThatThrownBy(() -> h.arrayLen(unallocated)).isInstanceOf(BadPointerException.class).hasMessageContaining("is free");
        assertThatThrownBy(() -> h.checkLive(1L << 40)).hasMessageContaining("not in the heap");
        assertThatThrownBy(() -> h.checkLive(-5)).hasMessageContaining("not in the heap");
        long freePages = h.spanOf(a).limit() + 100 * AddressSpace.PAGE_WORDS;
        assertThatThrownBy(() -> h.checkLive(freePages)).hasMessageContaining("free heap pages");
        MSpan m = h.allocManual(2);
        assertThatThrownBy(() -> h.checkLive(m.base())).hasMessageContaining("manual");
    }

    /** The API's field check looks a slot up through spanOf alone, trusting this (MSpan: page-table safety). */
    @Test
    void everySpanThePageTableNamesAnswersASlotLookup() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long a = c.alloc(NODE);
        long big = c.alloc(Type.SCALAR_ARRAY, 69 * AddressSpace.PAGE_WORDS);
        MSpan m = h.allocManual(2);
        MSpan small = h.spanOf(a);
        MSpan six = h.spanOf(c.alloc(Type.builder("six").scalars(6).build())); // 48 B: 170 slots and a tail
        long tail = six.objAddr(six.nelems() - 1) + six.elemWords(); // the unused tail
        java.util.function.LongUnaryOperator typeAt = x -> {
            MSpan s = h.spanOf(x);
            return s == null ? -1 : s.typeIdAt(s.objIndex(x));
        };
        assertThat(typeAt.applyAsLong(a)).isEqualTo(NODE.id());
        assertThat(typeAt.applyAsLong(a + 1)).as("interior: the slot's type; objAddr tells them apart").isEqualTo(NODE.id());
        assertThat(typeAt.applyAsLong(a + small.elemWords())).as("a free slot").isZero();
        assertThat(tail).isLessThan(six.limit());
        assertThat(six.objIndex(tail)).isEqualTo(six.nelems());
        assertThat(typeAt.applyAsLong(tail)).as("the unused tail").isZero();
        assertThat(typeAt.applyAsLong(six.limit() - 1)).isZero();
        assertThat(typeAt.applyAsLong(small.limit() - 1)).as("last slot, free").isZero();
        assertThat(typeAt.applyAsLong(big)).isEqualTo(Type.SCALAR_ARRAY.id());
        assertThat(typeAt.applyAsLong(big + 69 * AddressSpace.PAGE_WORDS - 1)).isEqualTo(Type.SCALAR_ARRAY.id());
        assertThat(typeAt.applyAsLong(m.base())).as("a manual span").isZero();
        assertThat(typeAt.applyAsLong(m.limit() - 1)).isZero();
        MSpan run = h.freeRuns().get(0);
        assertThat(typeAt.applyAsLong(run.base() + 17)).as("free pages").isZero();
        assertThat(typeAt.applyAsLong(run.limit() - 1)).isZero();
        assertThat(typeAt.applyAsLong(5)).as("the reserved page").isEqualTo(-1);
        // a freed large span: no page names it any more (null, or the new free run), no object found
        MSpan bigSpan = h.spanOf(big);
        SweepTest.gcCycle(h, java.util.List.of(a));
        h.finishSweep();
        for (long x = big; x < big + 69 * AddressSpace.PAGE_WORDS; x += 4093) {
            assertThat(h.spanOf(x)).isNotSameAs(bigSpan);
            assertThat(typeAt.applyAsLong(x)).as("freed large object, word %d", x - big).isNotPositive();
        }
        h.freeManual(m);
        assertThat(h.spanOf(m.base() + 5)).isNotSameAs(m);
        assertThat(typeAt.applyAsLong(m.base() + 5)).isNotPositive();
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
