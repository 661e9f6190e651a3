package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizeClassesTest {
    /**
     * Go 1.5's class_to_size (classes 1..66) as its initSizes computes it on amd64. (Go 1.7 and
     * later generate a different table with mksizeclasses: 6528, 6784, 10240, ..., 28672; that is
     * not the 1.5 table.)
     */
    static final int[] GO15_CLASS_TO_SIZE = {
        8, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
        448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1664, 2048, 2304, 2560, 2816,
        3072, 3328, 4096, 4608, 5376, 6144, 6400, 6656, 6912, 8192, 8448, 8704, 9472, 10496, 12288, 13568,
        14080, 16384, 16640, 17664, 20480, 21248, 24576, 24832, 28416, 32768
    };

    @Test
    void computedTableMatchesGo15() {
        int[] computed = new int[SizeClasses.NUM_SIZE_CLASSES - 1];
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            computed[c - 1] = SizeClasses.classToSize(c);
        }
        assertThat(SizeClasses.classToSize(0)).isZero();
        assertThat(computed).containsExactly(GO15_CLASS_TO_SIZE);
    }

    @Test
    void allocNPagesWasteAtMostOneEighthAndMinimal() {
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            int size = SizeClasses.classToSize(c);
            int np = SizeClasses.classToAllocNPages(c);
            int alloc = np * AddressSpace.PAGE_BYTES;
            assertThat(alloc % size).as("waste of class %d", c).isLessThanOrEqualTo(alloc / 8);
            assertThat(SizeClasses.classToNElems(c)).isEqualTo(alloc / size).isPositive();
            assertThat(size % 8).isZero();
        }
        // a few known values of Go 1.5's class_to_allocnpages
        assertThat(SizeClasses.classToAllocNPages(SizeClasses.sizeToClass(8))).isEqualTo(1);
        assertThat(SizeClasses.classToAllocNPages(SizeClasses.sizeToClass(32768))).isEqualTo(4);
        assertThat(SizeClasses.classToAllocNPages(SizeClasses.sizeToClass(1280))).isEqualTo(1);
        assertThat(SizeClasses.classToAllocNPages(SizeClasses.sizeToClass(1664))).isEqualTo(2);
        assertThat(SizeClasses.classToAllocNPages(SizeClasses.sizeToClass(6912))).isEqualTo(6);
    }

    @Test
    void sizeToClassIsTightForEverySize() {
        for (int n = 1; n <= SizeClasses.MAX_SMALL_SIZE; n++) {
            int c = SizeClasses.sizeToClass(n);
            assertThat(c).isBetween(1, SizeClasses.NUM_SIZE_CLASSES - 1);
            assertThat(SizeClasses.classToSize(c)).as("class size for %d", n).isGreaterThanOrEqualTo(n);
            assertThat(SizeClasses.classToSize(c - 1)).as("previous class for %d", n).isLessThan(n);
        }
        assertThat(SizeClasses.sizeToClass(24)).isEqualTo(3); // 32 bytes
        assertThat(SizeClasses.roundUpSize(24)).isEqualTo(32);
        assertThat(SizeClasses.roundUpSize(33000)).isEqualTo(40960);
    }

    @Test
    void objIndexByMultiplyIsExactForEveryClassAndOffset() {
        MHeap h = new MHeap(4 << 20);
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            int np = SizeClasses.classToAllocNPages(c);
            MSpan s = new MSpan(h, 1, np, MSpan.State.IN_USE, c, false);
            long words = (long) np * AddressSpace.PAGE_WORDS;
            for (long off = 0; off < words; off++) {
                int want = (int) (off / s.elemWords());
                if (s.objIndex(s.base() + off) != want) {
                    throw new AssertionError("class " + c + " offset " + off + ": " + s.objIndex(s.base() + off) + " != " + want);
                }
            }
        }
    }

    @Test
    void everyClassSpanHoldsNElemsObjects() {
        MHeap h = new MHeap(64 << 20);
        MCache c = h.newMCache();
        for (int cl = 1; cl < SizeClasses.NUM_SIZE_CLASSES; cl++) {
            int words = SizeClasses.classToSize(cl) / 8;
            Type t = Type.builder("c" + cl).scalars(words).build(); // fills the class exactly (no header)
            long first = c.alloc(t);
            MSpan s = h.spanOf(first);
            assertThat(s.sizeclass()).isEqualTo(cl);
            assertThat(s.npages()).isEqualTo(SizeClasses.classToAllocNPages(cl));
            int n = 1;
            while (h.spanOf(c.alloc(t)) == s) {
                n++;
            }
            assertThat(n).as("objects in a class-%d span", cl).isEqualTo(SizeClasses.classToNElems(cl));
            long waste = s.npages() * AddressSpace.PAGE_BYTES - (long) n * s.elemBytes();
            assertThat(waste).isEqualTo((s.npages() * AddressSpace.PAGE_BYTES) % s.elemBytes());
        }
    }
}
