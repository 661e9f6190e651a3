package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SweepTest {
    static final Type NODE = Type.struct("node", "ptr,ptr,scalar");

    /** One collection as the gc layer will drive it, with marking done by hand. */
    static void gcCycle(MHeap h, Iterable<Long> live) {
        h.finishSweep(); // sweep termination: the previous sweep is complete
        for (long a : live) {
            h.setMarked(a);
        }
        h.flushAllMCaches(); // mark termination
        h.startSweep();
    }

    @Test
    void unmarkedObjectsAreFreedAndReusedMarkedOnesSurviveIntact() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        List<Long> all = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        Set<Long> dead = new HashSet<>();
        long prev = 0;
        for (int i = 0; i < 1000; i++) {
            long a = c.alloc(NODE);
            h.store(a, prev);
            h.store(a + 2, i);
            prev = a;
            all.add(a);
            if (i % 3 == 0) {
                kept.add(a);
            } else {
                dead.add(a);
            }
        }
        gcCycle(h, kept);
        assertThat(h.heapObjects()).as("nothing is freed before sweeping").isEqualTo(1000);
        h.finishSweep();
        assertThat(h.sweepDone()).isTrue();
        assertThat(h.heapObjects()).isEqualTo(kept.size());
        assertThat(h.readStats().frees()).isEqualTo(dead.size());
        for (int i = 0; i < all.size(); i++) {
            long a = all.get(i);
            if (i % 3 == 0) {
                assertThat(h.isAllocated(a)).isTrue();
                assertThat(h.isMarked(a)).as("sweep clears mark bits").isFalse();
                assertThat(h.load(a + 2)).isEqualTo(i);
                assertThat(h.load(a)).isEqualTo(i == 0 ? 0 : all.get(i - 1));
                assertThat(h.typeOf(a)).isSameAs(NODE);
                h.checkLive(a);
            } else {
                assertThat(h.isAllocated(a)).isFalse();
                assertThat(h.spanOf(a).typeIdAt(h.spanOf(a).objIndex(a))).as("sweep clears a freed slot's type").isZero();
                assertThatThrownBy(() -> h.checkLive(a)).isInstanceOf(BadPointerException.class).hasMessageContaining("is free");
            }
        }
        for (int i = 0; i < dead.size(); i++) {
            long a = c.alloc(NODE);
            assertThat(dead.remove(a)).as("new object 0x%x reuses a freed slot", a).isTrue();
            assertThat(h.load(a)).isZero();
            assertThat(h.load(a + 2)).isZero();
            assertThat(h.typeOf(a)).isSameAs(NODE);
        }
    }

    @Test
    void sweepClearsTheTypeOfEveryFreedSlotAndOnlyThose() {
        for (boolean debug : new boolean[] {false, true}) {
            MHeap h = new MHeap(16L << 20, debug);
            MCache c = h.newMCache();
            int perSpan = SizeClasses.classToNElems(SizeClasses.sizeToClass(24));
            List<Long> all = new ArrayList<>();
            for (int i = 0; i < perSpan * 3; i++) {
                all.add(c.alloc(NODE));
            }
            // keep the first object of each span and one in the middle of the second: whole
            // 64-slot words with no survivor, and words with one
            Set<Long> keep = new HashSet<>(List.of(all.get(0), all.get(perSpan), all.get(perSpan + 100), all.get(2 * perSpan)));
            keep.forEach(a -> h.store(a + 2, a));
            gcCycle(h, keep);
            h.finishSweep();
            for (long a : all) {
                MSpan s = h.spanOf(a);
                int id = s.typeIdAt(s.objIndex(a));
                if (keep.contains(a)) {
                    assertThat(id).isEqualTo(NODE.id());
                    assertThat(h.load(a + 2)).isEqualTo(a);
                } else {
                    assertThat(id).as("debug %s: freed slot 0x%x", debug, a).isZero();
                    assertThat(h.isAllocated(a)).isFalse();
                }
            }
        }
    }

    @Test
    void aRetiredSpansSlotArrayIsReusedAndNoPageNamesTheRetiredSpan() {
        MHeap h = new MHeap(16L << 20, true);
        MCache c = h.newMCache();
        int perSpan = SizeClasses.classToNElems(SizeClasses.sizeToClass(24));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < perSpan * 3; i++) {
            first.add(c.alloc(NODE));
        }
        MSpan dead = h.spanOf(first.get(perSpan)); // the middle span: freed between two others
        long[] info = dead.slotInfo;
        long keep = first.get(0);
        gcCycle(h, List.of(keep));
        h.finishSweep();
        assertThat(dead.state()).isEqualTo(MSpan.State.DEAD);
        for (long a = dead.base(); a < dead.limit(); a += AddressSpace.PAGE_WORDS) {
            assertThat(h.spanOf(a)).isNotSameAs(dead);
        }
        assertThatThrownBy(() -> h.checkLive(first.get(perSpan))).isInstanceOf(BadPointerException.class)
                .hasMessageContaining("free heap pages");
        // the next span of the class gets the zeroed array, and its entries are its own
        MSpan next = null;
        for (int i = 0; i < perSpan * 3 && next == null; i++) {
            long a = c.alloc(NODE);
            if (h.spanOf(a).slotInfo == info) {
                next = h.spanOf(a);
            }
        }
        assertThat(next).as("a new class span reuses the retired span's slot array").isNotNull().isNotSameAs(dead);
        int typed = 0;
        for (int i = 0; i < next.nelems(); i++) {
            if (next.typeIdAt(i) != 0) {
                typed++;
                assertThat(next.isAllocatedIndex(i)).isTrue();
            }
        }
        assertThat(typed).isEqualTo(next.allocCount());
        assertThat(next.typeIdAt(next.nelems())).isZero();
    }

    @Test
    void cacheSpanSweepsLazily() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        Set<Long> first = new HashSet<>();
        int perSpan = SizeClasses.classToNElems(SizeClasses.sizeToClass(32));
        for (int i = 0; i < perSpan * 3; i++) {
            first.add(c.alloc(NODE));
        }
        long keep = first.iterator().next();
        gcCycle(h, List.of(keep));
        int sg = h.sweepgen();
        long unsweptPages = h.heapInuse() / AddressSpace.PAGE_BYTES;
        long a = c.alloc(NODE); // refill: the central must sweep a span to use it
        assertThat(first).contains(a);
        MSpan s = h.spanOf(a);
        assertThat(s.sweepgen()).isEqualTo(sg);
        assertThat(h.pagesSwept()).isPositive().isLessThan(unsweptPages + 1);
        int swept = 0;
        int unswept = 0;
        for (long x : first) {
            MSpan t = h.spanOf(x);
            if (t.sweepgen() == sg) {
                swept++;
            } else {
                assertThat(t.sweepgen()).isEqualTo(sg - 2);
                unswept++;
            }
        }
        assertThat(swept).isPositive();
        assertThat(unswept).as("the other spans wait for the sweeper").isPositive();
        h.finishSweep();
        assertThat(h.isAllocated(keep)).isTrue();
    }

    @Test
    void sweeponeReturnsFreedPagesThenMinusOne() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long bigLive = c.alloc(Type.SCALAR_ARRAY, 3 * AddressSpace.PAGE_WORDS);   // 3 pages (no header)
        long bigDead = c.alloc(Type.SCALAR_ARRAY, 7 * AddressSpace.PAGE_WORDS);   // 7 pages
        h.store(bigLive + 1000, 1234);
        List<Long> small = new ArrayList<>();
        int perSpan = SizeClasses.classToNElems(SizeClasses.sizeToClass(32));
        for (int i = 0; i < perSpan * 2; i++) {
            small.add(c.alloc(NODE)); // two one-page spans, all dead
        }
        long inuseBefore = h.heapInuse();
        gcCycle(h, List.of(bigLive));
        long freed = 0;
        int calls = 0;
        for (long n; (n = h.sweepone()) != -1; calls++) {
            assertThat(n).isNotNegative();
            freed += n;
        }
        assertThat(calls).isEqualTo(4);
        assertThat(freed).isEqualTo(7 + 2);
        assertThat(h.sweepDone()).isTrue();
        assertThat(h.sweepone()).isEqualTo(-1);
        assertThat(h.heapInuse()).isEqualTo(inuseBefore - 9L * AddressSpace.PAGE_BYTES);
        assertThat(h.load(bigLive + 1000)).isEqualTo(1234);
        assertThat(h.isAllocated(bigDead)).isFalse();
        assertThat(h.spanOfHeap(bigDead)).isNull();
        // the freed large span's pages are reused, zeroed
        long again = c.alloc(Type.SCALAR_ARRAY, 7 * AddressSpace.PAGE_WORDS);
        for (long w = 0; w < 7 * AddressSpace.PAGE_WORDS; w++) {
            assertThat(h.load(again + w)).isZero();
        }
    }

    @Test
    void freeingEverythingCoalescesTheHeapBackToOneRun() {
        MHeap h = new MHeap(32L << 20);
        MCache c = h.newMCache();
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            if (i % 500 == 0) {
                c.alloc(Type.SCALAR_ARRAY, 5000 + r.nextInt(20_000));
            } else {
                c.alloc(Type.SCALAR_ARRAY, r.nextInt(60));
            }
        }
        gcCycle(h, List.of());
        h.finishSweep();
        assertThat(h.heapInuse()).isZero();
        assertThat(h.heapObjects()).isZero();
        List<MSpan> runs = h.freeRuns();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).npages() * AddressSpace.PAGE_BYTES).isEqualTo(h.heapSys());
    }

    @Test
    void debugPoisoningCatchesAFreedObject() {
        MHeap h = new MHeap(16L << 20, true);
        MCache c = h.newMCache();
        long live = c.alloc(NODE);
        long dead = c.alloc(NODE);
        h.store(dead + 2, 77);
        gcCycle(h, List.of(live)); // live keeps the span in use
        h.finishSweep();
        for (long w = 0; w < 4; w++) { // the whole 32-byte slot
            assertThat(h.load(dead + w)).isEqualTo(MHeap.POISON);
        }
        assertThat(h.isAllocated(dead)).isFalse();
        assertThatThrownBy(() -> h.checkLive(dead))
                .isInstanceOf(BadPointerException.class)
                .hasMessageContaining("0x" + Long.toHexString(dead))
                .hasMessageContaining("freed object")
                .hasMessageContaining("poison");
        h.checkLive(live);
        // a whole freed span is poisoned too, and reported as free heap pages
        long big = c.alloc(Type.SCALAR_ARRAY, 9000);
        gcCycle(h, List.of(live));
        h.finishSweep();
        assertThat(h.load(big + 5)).isEqualTo(MHeap.POISON);
        assertThatThrownBy(() -> h.checkLive(big)).hasMessageContaining("free heap pages").hasMessageContaining("poison");
    }

    @Test
    void debugModeCatchesAWriteAfterFree() {
        MHeap h = new MHeap(16L << 20, true);
        MCache c = h.newMCache();
        long live = c.alloc(NODE);
        long dead = c.alloc(NODE);
        gcCycle(h, List.of(live));
        h.finishSweep();
        h.store(dead + 2, 5); // a dangling write
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        c.alloc(NODE);
                    }
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("write after free")
                .hasMessageContaining("0x" + Long.toHexString(dead + 2));
    }

    @Test
    void allocatedBlackSurvivesTheSweep() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        long white = c.alloc(NODE);
        h.finishSweep();
        h.allocBlack = true;
        long black = c.alloc(NODE);
        h.allocBlack = false;
        h.flushAllMCaches();
        h.startSweep();
        h.finishSweep();
        assertThat(h.isAllocated(black)).isTrue();
        assertThat(h.isAllocated(white)).isFalse();
    }

    @Test
    void startSweepRefusesCachedSpansAndAnUnfinishedSweep() {
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        c.alloc(NODE);
        assertThatThrownBy(h::startSweep).isInstanceOf(IllegalStateException.class).hasMessageContaining("flushAllMCaches");
        c.releaseAll();
        h.startSweep();
        assertThatThrownBy(h::startSweep).hasMessageContaining("finishSweep");
        h.finishSweep();
        h.startSweep();
    }

    @Test
    void proportionalSweepKeepsAheadOfSpanAllocation() {
        MHeap h = new MHeap(64L << 20);
        MCache c = h.newMCache();
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            objs.add(c.alloc(NODE));
        }
        h.finishSweep();
        objs.forEach(h::setMarked);
        h.flushAllMCaches();
        long distance = 4L << 20;
        h.startSweep(distance);
        long inusePages = h.heapInuse() / AddressSpace.PAGE_BYTES;
        double ppb = h.sweepPagesPerByte();
        assertThat(ppb).isEqualTo((double) inusePages / (distance - (1 << 20)));
        long charged = 0;
        while (!h.sweepDone()) {
            h.deductSweepCredit(AddressSpace.PAGE_BYTES, 0);
            charged += AddressSpace.PAGE_BYTES;
            if (!h.sweepDone()) {
                assertThat(h.pagesSwept()).isGreaterThanOrEqualTo((long) (ppb * charged));
            }
        }
        assertThat(charged).isLessThanOrEqualTo(distance - (1 << 20) + AddressSpace.PAGE_BYTES);
        assertThat(h.pagesSwept()).isEqualTo(inusePages);
        assertThat(h.heapObjects()).isEqualTo(objs.size());
    }

    @Test
    void steadyLiveSetKeepsHeapSysFlat() {
        MHeap h = new MHeap(64L << 20);
        MCache c = h.newMCache();
        Random r = new Random(42);
        long[] ring = new long[2000];
        long sysAfterWarmup = 0;
        for (int cycle = 0; cycle < 30; cycle++) {
            for (int i = 0; i < 20_000; i++) {
                switch (r.nextInt(10)) {
                    case 0 -> c.alloc(Type.SCALAR_ARRAY, r.nextInt(200));
                    case 1 -> c.alloc(Type.SCALAR_ARRAY, i % 97 == 0 ? 5000 + r.nextInt(5000) : 3);
                    default -> {
                        long a = c.alloc(NODE);
                        if (i % 10 == 0) {
                            ring[r.nextInt(ring.length)] = a; // the live set: always 2000 nodes
                        }
                    }
                }
            }
            List<Long> live = new ArrayList<>();
            for (long a : ring) {
                if (a != 0) {
                    live.add(a);
                }
            }
            gcCycle(h, live);
            if (cycle == 10) {
                sysAfterWarmup = h.heapSys();
            }
        }
        assertThat(h.heapSys()).as("HeapSys after warm-up %d", sysAfterWarmup).isLessThanOrEqualTo(sysAfterWarmup);
    }

    /**
     * After a sweep, a span hands out exactly its freed slots, first fit (lowest address first),
     * across 64-slot words and past runs of survivors: what MSpan's allocCache fast path must keep.
     */
    @Property(tries = 50)
    void reuseIsFirstFitOverExactlyTheFreedSlots(@ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        MHeap h = new MHeap(16L << 20);
        MCache c = h.newMCache();
        Type t = Type.struct("fit.pair", "ptr,scalar"); // 16-byte class: 512 slots a span, 8 words of bits
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            all.add(c.alloc(t));
        }
        double keep = r.nextDouble();
        List<Long> kept = new ArrayList<>();
        java.util.TreeSet<Long> freed = new java.util.TreeSet<>();
        for (long a : all) {
            if (r.nextDouble() < keep) {
                kept.add(a);
            } else {
                freed.add(a);
            }
        }
        gcCycle(h, kept);
        h.finishSweep();
        long span = all.getFirst() >>> AddressSpace.LOG_PAGE_WORDS;
        for (long want : freed) {
            long got = c.alloc(t);
            if ((got >>> AddressSpace.LOG_PAGE_WORDS) != span) {
                // the span went back to the heap whole (nothing kept) and another took its place:
                assertThat(kept).isEmpty();
                return;
            }
            assertThat(got).as("first fit after sweep").isEqualTo(want);
        }
        long next = c.alloc(t);
        assertThat(next >>> AddressSpace.LOG_PAGE_WORDS).as("the span is full again").isNotEqualTo(span);
    }
}
