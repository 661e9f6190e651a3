package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressSpaceTest {
    @Test
    void pagesAreHandedOutAboveTheReservedPage() {
        AddressSpace as = new AddressSpace(20L << 20);
        long p = as.sysAlloc(1000);
        assertThat(p).isEqualTo(1);
        long q = as.sysAlloc(100);
        assertThat(q).isEqualTo(1001);
        assertThat(as.sysBytes()).isEqualTo(1100L * AddressSpace.PAGE_BYTES);
        long a = as.pageAddr(1000);
        as.store(a - 1, 7);
        as.store(a, 8);
        assertThat(as.load(a - 1)).isEqualTo(7);
        assertThat(as.load(a)).isEqualTo(8);
        as.fill(a - 3, 6, 42);
        for (long x = a - 3; x < a + 3; x++) {
            assertThat(as.load(x)).isEqualTo(42);
        }
        assertThat(as.load(a + 3)).isZero();
        assertThat(as.cas(a, 42, 43)).isTrue();
        assertThat(as.cas(a, 42, 44)).isFalse();
        assertThat(as.xadd(a, 2)).isEqualTo(45);
        assertThat(as.or(a, 0x100)).isEqualTo(45);
        assertThat(as.loadAtomic(a)).isEqualTo(45 | 0x100);
        as.storeAtomic(a, 1);
        assertThat(as.load(a)).isEqualTo(1);
        as.copy(a + 10, a - 3, 5);
        assertThat(as.load(a + 10)).isEqualTo(42);
        assertThat(as.load(a + 13)).isEqualTo(1);
    }

    @Test
    void theCapIsEnforcedAndTheMessageAddsUp() {
        AddressSpace as = new AddressSpace(12L << 20); // 1536 pages, page 0 reserved
        assertThat(as.capPages()).isEqualTo(1536);
        as.sysAlloc(1535);
        assertThat(as.load(as.pageAddr(1536) - 1)).isZero();
        assertThatThrownBy(() -> as.sysAlloc(1))
                .isInstanceOf(HeapExhaustedError.class)
                .hasMessageStartingWith("fatal error: out of memory")
                .hasMessageContaining("requested 8192 bytes, but only 0 are left below the heap's cap of 12582912 bytes");
    }

    @Test
    void nilWildAndUnobtainedAddressesAreNamed() {
        AddressSpace as = new AddressSpace(20L << 20);
        as.sysAlloc(1);
        assertThatThrownBy(() -> as.load(0)).isInstanceOf(BadPointerException.class).hasMessageContaining("nil");
        long unobtained = as.pageAddr(200);
        assertThatThrownBy(() -> as.load(unobtained))
                .isInstanceOf(BadPointerException.class)
                .hasMessageContaining("0x" + Long.toHexString(unobtained))
                .hasMessageContaining("not obtained");
        assertThatThrownBy(() -> as.store(as.base(), 1)).isInstanceOf(BadPointerException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new AddressSpace(100)).hasMessageContaining("at least 16384 bytes");
    }

    @Test
    void spacesOwnDistinctRangesAndNameEachOther() {
        AddressSpace a = new AddressSpace(1L << 20);
        AddressSpace b = new AddressSpace(1L << 20);
        a.setOwner("runtime A");
        b.setOwner("runtime B");
        a.sysAlloc(4);
        b.sysAlloc(4);
        long inA = a.pageAddr(1) + 5;
        assertThat(a.owns(inA)).isTrue();
        assertThat(b.owns(inA)).isFalse();
        assertThat(Math.abs(a.base() - b.base())).isGreaterThanOrEqualTo(1L << AddressSpace.SPACE_SHIFT);
        assertThat(b.pageOf(inA)).isGreaterThanOrEqualTo(b.capPages());
        assertThat(AddressSpace.ownerOf(inA)).isEqualTo("runtime A");
        assertThatThrownBy(() -> b.load(inA))
                .isInstanceOf(BadPointerException.class)
                .hasMessageContaining("outside this heap's address space (runtime B)")
                .hasMessageContaining("belongs to the heap of runtime A");
        a.markEnded();
        assertThat(AddressSpace.ownerOf(inA)).isEqualTo("runtime A, which has ended");
    }

    @Test
    void clearZeroesExactlyItsRange() {
        AddressSpace as = new AddressSpace(4L << 20);
        as.sysAlloc(100);
        long edge = as.pageAddr(50);
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
