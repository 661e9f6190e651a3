package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Allocation and sweeping against a plain model: over several cycles with random survivors and
 * lazy, partial and background-style sweeping, every surviving object stays intact word for word,
 * and the heap's object and byte counts equal the model's. Debug poisoning is on throughout.
 */
class SweepProperties {
    static final Type[] TYPES = {
        Type.struct("p1", "ptr"),
        Type.struct("node", "ptr,ptr,scalar"),
        Type.builder("wide").scalars(40).ptr().build(),
        Type.SCALAR_ARRAY,
        Type.PTR_ARRAY,
        Type.BYTES,
    };

    record Obj(Type type, int len, long words) {}

    static long stamp(long addr, long w) {
        return addr * 31 + w;
    }

    @Property(tries = 40)
    void survivorsStayIntactAndAccountingMatches(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int cycles) {
        Random r = new Random(seed);
        MHeap h = new MHeap(64L << 20, true);
        MCache c = h.newMCache();
        Map<Long, Obj> model = new HashMap<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            int n = r.nextInt(3000);
            for (int i = 0; i < n; i++) {
                Type t = TYPES[r.nextInt(TYPES.length)];
                int len = t.kind() == Type.Kind.STRUCT ? 0
                        : r.nextInt(50) == 0 ? 4096 + r.nextInt(9000) : r.nextInt(64);
                long a = c.alloc(t, len);
                assertThat(model).doesNotContainKey(a);
                long words = t.objectWords(len); // max(1, data words): every word the object owns
                assertThat(h.spanOf(a).elemBytes()).isEqualTo(SizeClasses.roundUpSize(8 * words));
                for (long w = 0; w < words; w++) {
                    if (h.load(a + w) != 0) {
                        throw new AssertionError("new object 0x" + Long.toHexString(a) + " word " + w + " not zeroed");
                    }
                    h.store(a + w, stamp(a, w));
                }
                model.put(a, new Obj(t, len, words));
            }
            // Mark a random subset (the sweep of the previous cycle must be finished first).
            h.finishSweep();
            int keepPercent = r.nextInt(101);
            List<Long> dead = new ArrayList<>();
            for (Map.Entry<Long, Obj> e : model.entrySet()) {
                if (r.nextInt(100) < keepPercent) {
                    h.setMarked(e.getKey());
                } else {
                    dead.add(e.getKey());
                }
            }
            dead.forEach(model::remove);
            h.flushAllMCaches();
            h.startSweep(r.nextBoolean() ? 0 : 1L << (20 + r.nextInt(4)));
            // sweep some spans now; the rest is left to lazy sweeping and the next finishSweep
            int k = r.nextInt(20);
            for (int i = 0; i < k && h.sweepone() != -1; i++) {
                // partial background sweep
            }
        }
        h.finishSweep();
        long bytes = 0;
        for (Map.Entry<Long, Obj> e : model.entrySet()) {
            long a = e.getKey();
            Obj o = e.getValue();
            h.checkLive(a);
            assertThat(h.typeOf(a)).isSameAs(o.type());
            assertThat(h.arrayLen(a)).isEqualTo(o.len());
            for (long w = 0; w < o.words(); w++) {
                if (h.load(a + w) != stamp(a, w)) {
                    throw new AssertionError("object 0x" + Long.toHexString(a) + " word " + w + " corrupted");
                }
            }
            bytes += h.spanOf(a).elemBytes();
        }
        HeapStats st = h.readStats();
        assertThat(st.heapObjects()).isEqualTo(model.size());
        assertThat(st.heapAlloc()).isEqualTo(bytes);
        assertThat(st.heapInuse()).isGreaterThanOrEqualTo(bytes);
    }
}
