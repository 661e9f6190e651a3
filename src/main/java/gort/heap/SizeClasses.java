package gort.heap;

/**
 * Go's size classes (msize.go): objects up to {@link #MAX_SMALL_SIZE} bytes are rounded up to one of
 * {@link #NUM_SIZE_CLASSES}{@code - 1} sizes, and each class has a span size in pages.
 *
 * <p>Owns: {@code classToSize}, {@code classToAllocNPages} and the two {@code sizeToClass} lookup
 * tables, computed at class initialisation exactly as Go 1.5's {@code initSizes} does: step through
 * sizes with an alignment that grows with size; give each size the fewest pages that waste at most
 * 1/8 of the span; merge a size into the previous class when both use the same pages and fit the
 * same number of objects. Class 0 means "large object" (its own span).
 *
 * <p>Invariants: the tables are immutable after initialisation; {@code classToSize} is strictly
 * increasing; {@code classToSize[sizeToClass(n)] >= n} and the previous class is {@code < n}.
 */
public final class SizeClasses {
    /** Largest size (bytes) served from a size class; larger objects get their own span. */
    public static final int MAX_SMALL_SIZE = 32 << 10;
    /** Number of classes including class 0 (Go 1.5's {@code _NumSizeClasses}). */
    public static final int NUM_SIZE_CLASSES = 67;
    /** Largest small object in words. */
    public static final int MAX_SMALL_WORDS = MAX_SMALL_SIZE / AddressSpace.WORD_BYTES;

    private static final int[] CLASS_TO_SIZE = new int[NUM_SIZE_CLASSES];
    private static final int[] CLASS_TO_ALLOCNPAGES = new int[NUM_SIZE_CLASSES];
    private static final byte[] SIZE_TO_CLASS8 = new byte[1024 / 8 + 1];
    private static final byte[] SIZE_TO_CLASS128 = new byte[(MAX_SMALL_SIZE - 1024) / 128 + 1];

    static {
        initSizes();
    }

    private SizeClasses() {}

    private static void initSizes() {
        final int pageSize = AddressSpace.PAGE_BYTES;
        CLASS_TO_SIZE[0] = 0;
        int sizeclass = 1; // 0 means no class
        int align = 8;
        for (int size = align; size <= MAX_SMALL_SIZE; size += align) {
            if ((size & (size - 1)) == 0) { // bump alignment once in a while
                if (size >= 2048) {
                    align = 256;
                } else if (size >= 128) {
                    align = size / 8;
                } else if (size >= 16) {
                    align = 16;
                }
            }
            if ((align & (align - 1)) != 0) {
                throw new IllegalStateException("initSizes - bug");
            }
            // Enough pages that the leftover is less than 1/8 of the total (waste at most 12.5%).
            int allocsize = pageSize;
            while (allocsize % size > allocsize / 8) {
                allocsize += pageSize;
            }
            int npages = allocsize >> AddressSpace.PAGE_SHIFT;
            // Same pages and same object count as the previous class: just widen that class.
            if (sizeclass > 1 && npages == CLASS_TO_ALLOCNPAGES[sizeclass - 1]
                    && allocsize / size == allocsize / CLASS_TO_SIZE[sizeclass - 1]) {
                CLASS_TO_SIZE[sizeclass - 1] = size;
                continue;
            }
            CLASS_TO_ALLOCNPAGES[sizeclass] = npages;
            CLASS_TO_SIZE[sizeclass] = size;
            sizeclass++;
        }
        if (sizeclass != NUM_SIZE_CLASSES) {
            throw new IllegalStateException("initSizes - bad NumSizeClasses: sizeclass=" + sizeclass
                    + " NumSizeClasses=" + NUM_SIZE_CLASSES);
        }
        int nextsize = 0;
        for (sizeclass = 1; sizeclass < NUM_SIZE_CLASSES; sizeclass++) {
            for (; nextsize < 1024 && nextsize <= CLASS_TO_SIZE[sizeclass]; nextsize += 8) {
                SIZE_TO_CLASS8[nextsize / 8] = (byte) sizeclass;
            }
            if (nextsize >= 1024) {
                for (; nextsize <= CLASS_TO_SIZE[sizeclass]; nextsize += 128) {
                    SIZE_TO_CLASS128[(nextsize - 1024) / 128] = (byte) sizeclass;
                }
            }
        }
    }

    /** The size class for an object of {@code size} bytes, {@code 0 < size <= MAX_SMALL_SIZE}. */
    public static int sizeToClass(int size) {
        if (size > 1024 - 8) {
            return SIZE_TO_CLASS128[(size - 1024 + 127) >> 7];
        }
        return SIZE_TO_CLASS8[(size + 7) >> 3];
    }

    /** Object size in bytes of class {@code c} (0 for class 0). */
    public static int classToSize(int c) {
        return CLASS_TO_SIZE[c];
    }

    /** Pages in a span of class {@code c}. */
    public static int classToAllocNPages(int c) {
        return CLASS_TO_ALLOCNPAGES[c];
    }

    /** Objects per span of class {@code c}. */
    public static int classToNElems(int c) {
        return CLASS_TO_ALLOCNPAGES[c] * AddressSpace.PAGE_BYTES / CLASS_TO_SIZE[c];
    }

    /** Rounds a small request up to its class size (Go's roundupsize); larger requests to pages. */
    public static long roundUpSize(long size) {
        if (size <= MAX_SMALL_SIZE && size > 0) {
            return CLASS_TO_SIZE[sizeToClass((int) size)];
        }
        return (size + AddressSpace.PAGE_BYTES - 1) / AddressSpace.PAGE_BYTES * AddressSpace.PAGE_BYTES;
    }
}
