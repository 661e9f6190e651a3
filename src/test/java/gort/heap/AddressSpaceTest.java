package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressSpaceTest {
    @Test
    void pagesAreHandedOutAboveTheNilPageAcrossArenas() {
        AddressSpace as = new AddressSpace(20L << 20); // 2.5 arenas
        long p = as.sysAlloc(1000);
        assertThat(p).isEqualTo(1);
        long q = as.sysAlloc(100); // crosses into arena 1
        assertThat(q).isEqualTo(1001);
        assertThat(as.sysBytes()).isEqualTo(1100L * AddressSpace.PAGE_BYTES);
        long boundary = (long) AddressSpace.ARENA_WORDS;
        as.store(boundary - 1, 7);
        as.store(boundary, 8);
        assertThat(as.load(boundary - 1)).isEqualTo(7);
        assertThat(as.load(boundary)).isEqualTo(8);
        as.fill(boundary - 3, 6, 42);
        for (long a = boundary - 3; a < boundary + 3; a++) {
            assertThat(as.load(a)).isEqualTo(42);
        }
        assertThat(as.load(boundary + 3)).isZero();
        assertThat(as.cas(boundary, 42, 43)).isTrue();
        assertThat(as.cas(boundary, 42, 44)).isFalse();
        assertThat(as.xadd(boundary, 2)).isEqualTo(45);
        assertThat(as.or(boundary, 0x100)).isEqualTo(45);
        assertThat(as.loadAtomic(boundary)).isEqualTo(45 | 0x100);
        as.storeAtomic(boundary, 1);
        assertThat(as.load(boundary)).isEqualTo(1);
    }

    @Test
    void lastArenaStopsAtTheCapAndTheCapIsEnforced() {
        AddressSpace as = new AddressSpace(12L << 20); // 1536 pages: one full arena and a half one
        assertThat(as.capPages()).isEqualTo(1536);
        as.sysAlloc(1535);
        assertThat(as.load(1536L * AddressSpace.PAGE_WORDS - 1)).isZero();
        assertThatThrownBy(() -> as.sysAlloc(1))
                .isInstanceOf(HeapExhaustedError.class)
                .hasMessageStartingWith("fatal error: out of memory")
                .hasMessageContaining("requested 8192 bytes")
                .hasMessageContaining("cap of 12582912 bytes");
    }

    @Test
    void nilAndWildAddressesAreNamed() {
        AddressSpace as = new AddressSpace(20L << 20);
        as.sysAlloc(1);
        assertThatThrownBy(() -> as.load((long) AddressSpace.ARENA_WORDS * 2))
                .isInstanceOf(BadPointerException.class)
                .hasMessageContaining("0x200000")
                .hasMessageContaining("not obtained");
        assertThatThrownBy(() -> new AddressSpace(100)).hasMessageContaining("at least 16384 bytes");
    }

    @Test
    void clearZeroesExactlyItsRangeWithinAndAcrossArenas() {
        AddressSpace as = new AddressSpace(3L * AddressSpace.ARENA_WORDS * AddressSpace.WORD_BYTES);
        as.sysAlloc(2 * AddressSpace.ARENA_PAGES);
        long edge = AddressSpace.ARENA_WORDS; // first word of arena 1
        for (long[] r : new long[][] {{edge - 40, 8}, {edge - 3, 6}, {edge - 10, 30}, {edge + 5, 1}, {edge + 100, 0}}) {
            long from = r[0];
            long n = r[1];
            for (long a = from - 2; a < from + n + 2; a++) {
                as.store(a, -1L);
            }
            as.clear(from, n);
            for (long a = from - 2; a < from + n + 2; a++) {
                boolean inside = a >= from && a < from + n;
                assertThat(as.load(a)).as("word %d after clear(%d, %d)", a, from, n).isEqualTo(inside ? 0L : -1L);
            }
        }
    }
}
