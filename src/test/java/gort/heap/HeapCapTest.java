package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapCapTest {
    static final long CAP = 16L << 20;
    static final Type NODE = Type.struct("node", "ptr,ptr,scalar");

    @Test
    void allocatingPastTheCapIsAFatalOutOfMemory() {
        MHeap h = new MHeap(CAP);
        MCache c = h.newMCache();
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 10_000_000; i++) {
                        c.alloc(NODE);
                    }
                })
                .isInstanceOf(HeapExhaustedError.class)
                .hasMessageStartingWith("fatal error: out of memory")
                .hasMessageContaining("requested 8192 bytes")
                .hasMessageContaining("cap of " + CAP + " bytes")
                .satisfies(e -> {
                    HeapExhaustedError h2 = (HeapExhaustedError) e;
                    assertThat(h2.leftBytes()).as("the request exceeds what is left").isLessThan(h2.requestedBytes());
                    assertThat(e.getMessage()).contains("only " + h2.leftBytes() + " are left").contains("in use by spans");
                });
        assertThat(h.heapSys()).isLessThanOrEqualTo(CAP);
        assertThat(h.heapSys()).isGreaterThan(CAP - (1 << 20));
    }

    @Test
    void oneObjectLargerThanTheCap() {
        MHeap h = new MHeap(CAP);
        MCache c = h.newMCache();
        HeapExhaustedError e = org.junit.jupiter.api.Assertions.assertThrows(HeapExhaustedError.class,
                () -> c.alloc(Type.SCALAR_ARRAY, 3 << 20)); // 24 MiB
        assertThat(e).hasMessageStartingWith("fatal error: out of memory");
        assertThat(e.requestedBytes()).isEqualTo((3L << 20) * 8); // exactly 3072 pages: no header word
        assertThat(e.capBytes()).isEqualTo(CAP);
        // the heap is still usable afterwards
        assertThat(c.alloc(NODE)).isPositive();
    }

    @Test
    void unsweptGarbageIsSweptBeforeGivingUp() {
        MHeap h = new MHeap(CAP);
        MCache c = h.newMCache();
        long n = 0;
        try {
            for (;; n++) {
                c.alloc(Type.SCALAR_ARRAY, 20_000); // 160 KiB each, all garbage
            }
        } catch (HeapExhaustedError expected) {
            // full
        }
        assertThat(n).isGreaterThan(50);
        h.finishSweep();
        h.flushAllMCaches();
        h.startSweep(); // nothing marked: everything is garbage, but nothing is swept yet
        for (int i = 0; i < n; i++) {
            c.alloc(Type.SCALAR_ARRAY, 20_000);
        }
        assertThat(h.heapSys()).isLessThanOrEqualTo(CAP);
        SweepTest.gcCycle(h, List.of());
    }
}
