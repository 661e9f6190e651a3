package gort.heap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A type descriptor: name, size in words and a pointer bitmap (Go's {@code _type} with its
 * {@code gcdata}).
 *
 * <p>Kinds: a {@link Kind#STRUCT} has a fixed number of one-word fields, each a pointer or a
 * scalar; an {@link Kind#ARRAY} repeats an element struct {@code arrayLen} times; {@link Kind#BYTES}
 * is a byte string packed eight bytes per word, little-endian, with no pointers.
 *
 * <p><b>Object layout.</b> An object has no header (as in Go): its address is its first data word,
 * <pre>
 *   addr + i          data word i  (field i of a struct; word i of an array's elements;
 *                     bytes 8i..8i+7 of a string, byte k in bits 8(k%8)..8(k%8)+7)
 * </pre>
 * and it occupies {@link #objectWords} = max(1, data words) words, rounded up to its size class
 * (a zero-size object gets one word, so every object has a distinct address). An object's address
 * is the first word of its slot in the span, so {@code MSpan.base(addr) == addr} for every object.
 * What the header used to hold lives beside the span, one entry per slot (Go keeps it in the heap
 * bitmap): the type id and the array length ({@code MSpan.slotInfo}; {@code arrayLen} is 0 for
 * structs, the element count for arrays and the byte length for strings). Type ids are positive,
 * so a type entry of 0 means "no object in this slot".
 *
 * <p>Invariants: a descriptor is immutable once built and registered for its lifetime in a global,
 * append-only table (ids are never reused), so {@link #byId} needs no lock. Registration takes a
 * short spin lock (never a monitor) and publishes the table with a volatile store.
 */
public final class Type {
    /** What shape a type's data has. */
    public enum Kind {
        STRUCT,
        ARRAY,
        BYTES
    }

    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final AtomicBoolean REGISTRY_LOCK = new AtomicBoolean();
    private static volatile Type[] registry = new Type[64];
    /**
     * The same table, for {@link #byId}'s fast path: a plain read costs the mutator's hot path far
     * less than a volatile one (which keeps the JIT from reusing earlier loads). A stale table
     * misses and falls back to {@link #registry}; a Type found is safely published (final fields).
     */
    private static Type[] registryPlain = registry;
    /**
     * Per type id, the {@link #accessWord}: what a checked field access needs of a type, in one
     * long, so the mutator's check reads one array element instead of a descriptor and its pointer
     * mask (two more dependent loads). Grown and published with the registry; a stale table or an
     * entry not yet visible reads 0 (no valid word is 0), and the caller computes it from
     * {@link #byId}.
     */
    private static long[] accessPlain = new long[64];

    /** {@link #accessWord} layout: bits 62-63 say how to read the rest. */
    public static final int ACCESS_STRUCT = 0;
    /** An array whose element is one word (pointer or scalar): bit 0 says which. */
    public static final int ACCESS_WORD_ARRAY = 1;
    /** A byte string: no pointer word; data words = (length + 7) / 8. */
    public static final int ACCESS_BYTES = 2;
    /** Anything else (a struct over 32 words, an array of multi-word elements): ask the descriptor. */
    public static final int ACCESS_SLOW = 3;
    private static final long ACCESS_VALID = 1L << 61;

    private static final java.lang.invoke.VarHandle ARRAY_TYPE;

    static {
        try {
            ARRAY_TYPE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Type.class, "arrayType", Type.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A single pointer word. */
    public static final Type PTR = struct("ptr", "ptr");
    /** A single scalar word. */
    public static final Type SCALAR = struct("int64", "scalar");
    /** An array of pointers ({@code []*T}). */
    public static final Type PTR_ARRAY = arrayOf(PTR);
    /** An array of scalar words ({@code []int64}). */
    public static final Type SCALAR_ARRAY = arrayOf(SCALAR);
    /** A byte string. */
    public static final Type BYTES = create("string", Kind.BYTES, 0, new long[0], null);

    private final int id;
    private final String name;
    private final Kind kind;
    /** kind as 0 (struct), 1 (array), 2 (bytes), for the hot paths. */
    private final int kindCode;
    /** Fields of a struct; element stride of an array; 0 for strings. */
    private final int sizeWords;
    /** Bit i set = word i (of the struct, or of one array element) holds a pointer. */
    private final long[] ptrmask;
    private final Type elem;
    private final boolean hasPointers;
    /**
     * Words of the struct, or of one array element, up to and including its last pointer word (0
     * without pointers): Go's {@code typ.ptrdata} in words.
     */
    private final int ptrdataWords;
    /** Indices of the pointer words of the struct (or of one array element), ascending. */
    private final int[] ptrOffsets;
    private volatile Type arrayType;

    private Type(String name, Kind kind, int sizeWords, long[] ptrmask, Type elem, int id) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.kindCode = kind == Kind.STRUCT ? 0 : kind == Kind.ARRAY ? 1 : 2;
        this.sizeWords = sizeWords;
        this.ptrmask = ptrmask;
        this.elem = elem;
        boolean any = false;
        for (long w : ptrmask) {
            any |= w != 0;
        }
        this.hasPointers = any;
        int np = 0;
        for (int i = 0; i < sizeWords; i++) {
            if ((ptrmask[i >>> 6] & (1L << i)) != 0) {
                np++;
            }
        }
        this.ptrOffsets = new int[np];
        for (int i = 0, k = 0; i < sizeWords; i++) {
            if ((ptrmask[i >>> 6] & (1L << i)) != 0) {
                ptrOffsets[k++] = i;
            }
        }
        this.ptrdataWords = np == 0 ? 0 : ptrOffsets[np - 1] + 1;
    }

    /**
     * Builds and registers a descriptor. It is published only once fully constructed, so a thread
     * that finds it through {@link #byId}'s plain read sees its final fields.
     */
    private static Type create(String name, Kind kind, int sizeWords, long[] ptrmask, Type elem) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a type needs a non-empty name");
        }
        while (!REGISTRY_LOCK.compareAndSet(false, true)) {
            // registration is rare and short; no monitor (it could pin a goroutine). The registry
            // is the JVM's, with no runtime (so no Platform) at hand; the section below makes no
            // platform call, so a platform that runs one M at a time never leaves its holder
            // paused, and only Ms of concurrently running platforms can meet it held
            Thread.onSpinWait();
        }
        try {
            int id = NEXT_ID.getAndIncrement();
            Type t = new Type(name, kind, sizeWords, ptrmask, elem, id);
            Type[] cur = registry;
            if (id >= cur.length) {
                cur = java.util.Arrays.copyOf(cur, cur.length * 2);
            }
            cur[id] = t;
            long[] acc = accessPlain;
            if (id >= acc.length) {
                acc = java.util.Arrays.copyOf(acc, cur.length);
            }
            acc[id] = t.computeAccessWord();
            accessPlain = acc;
            registry = cur; // volatile store publishes the slot (and the access word written before it)
            registryPlain = cur;
            return t;
        } finally {
            REGISTRY_LOCK.set(false);
        }
    }

    /** The registered type with this id. */
    public static Type byId(int id) {
        Type[] p = registryPlain;
        if (id > 0 && id < p.length) {
            Type x = p[id];
            if (x != null) {
                return x;
            }
        }
        return byIdSlow(id);
    }

    /**
     * The access word of type {@code id} (for a checked load or store): bits 62-63 are one of
     * {@link #ACCESS_STRUCT} (then bits 32-47 are the data words, at most 32, and bits 0-31 the
     * pointer mask), {@link #ACCESS_WORD_ARRAY} (bit 0: the element is a pointer),
     * {@link #ACCESS_BYTES} or {@link #ACCESS_SLOW}. An id with no type throws as {@link #byId}.
     */
    public static long accessWord(int id) {
        long[] a = accessPlain;
        if (id > 0 && id < a.length) {
            long w = a[id];
            if (w != 0) {
                return w;
            }
        }
        return byId(id).computeAccessWord();
    }

    /** Whether objects of type {@code id} hold no pointer (the collector blackens them at once). */
    public static boolean isNoscan(int id) {
        return isNoscan(id, accessWord(id));
    }

    /** {@link #isNoscan(int)} given the type's access word {@code acc}. */
    public static boolean isNoscan(int id, long acc) {
        return switch ((int) (acc >>> 62)) {
            case ACCESS_STRUCT -> (acc & 0xFFFF_FFFFL) == 0;
            case ACCESS_WORD_ARRAY -> (acc & 1) == 0;
            case ACCESS_BYTES -> true;
            default -> !byId(id).hasPointers();
        };
    }

    private long computeAccessWord() {
        long w;
        if (kind == Kind.STRUCT && sizeWords <= 32) {
            w = (long) ACCESS_STRUCT << 62 | (long) sizeWords << 32 | (ptrmask.length == 0 ? 0 : ptrmask[0] & 0xFFFF_FFFFL);
        } else if (kind == Kind.ARRAY && sizeWords == 1) {
            w = (long) ACCESS_WORD_ARRAY << 62 | (ptrmask[0] & 1);
        } else if (kind == Kind.BYTES) {
            w = (long) ACCESS_BYTES << 62;
        } else {
            w = (long) ACCESS_SLOW << 62;
        }
        return w | ACCESS_VALID;
    }

    private static Type byIdSlow(int id) {
        Type[] t = registry;
        if (id > 0 && id < t.length) {
            Type x = t[id];
            if (x != null) {
                return x;
            }
        }
        throw new IllegalArgumentException("no type with id " + id
                + " (a corrupt type entry, or an address that is not an object)");
    }

    /**
     * A struct from a comma-separated layout of field kinds, e.g. {@code "ptr,ptr,scalar"}.
     * Allowed kinds: {@code ptr} (also {@code p}) and {@code scalar} (also {@code s}, {@code int}).
     * An empty layout is a struct with no fields.
     */
    public static Type struct(String name, String layout) {
        Builder b = builder(name);
        String trimmed = layout == null ? "" : layout.trim();
        if (!trimmed.isEmpty()) {
            String[] parts = trimmed.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                switch (p) {
                    case "ptr", "p" -> b.ptr();
                    case "scalar", "s", "int" -> b.scalar();
                    default -> throw new IllegalArgumentException("type " + name + ": field " + i + " has kind '" + p
                            + "'; allowed kinds are ptr (p) and scalar (s, int)");
                }
            }
        }
        return b.build();
    }

    /** A struct whose field i is a pointer iff {@code isPtr[i]}. */
    public static Type struct(String name, boolean... isPtr) {
        Builder b = builder(name);
        for (boolean p : isPtr) {
            if (p) {
                b.ptr();
            } else {
                b.scalar();
            }
        }
        return b.build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The array type whose elements are {@code elem} (cached: one descriptor per element type). */
    public static Type arrayOf(Type elem) {
        if (elem.kind != Kind.STRUCT) {
            throw new IllegalArgumentException("array element type " + elem.name + " must be a struct, not " + elem.kind);
        }
        Type a = elem.arrayType;
        if (a == null) {
            Type created = create("[]" + elem.name, Kind.ARRAY, elem.sizeWords, elem.ptrmask, elem);
            // Benign race: two threads may each register one; the first stored wins for the cache.
            a = (Type) ARRAY_TYPE.compareAndExchange(elem, (Type) null, created);
            if (a == null) {
                a = created;
            }
        }
        return a;
    }

    /** Builds struct types field by field. */
    public static final class Builder {
        private final String name;
        private final List<Boolean> fields = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder ptr() {
            fields.add(true);
            return this;
        }

        public Builder scalar() {
            fields.add(false);
            return this;
        }

        public Builder ptrs(int n) {
            for (int i = 0; i < n; i++) {
                ptr();
            }
            return this;
        }

        public Builder scalars(int n) {
            for (int i = 0; i < n; i++) {
                scalar();
            }
            return this;
        }

        public Type build() {
            int n = fields.size();
            long[] mask = new long[(n + 63) >>> 6];
            for (int i = 0; i < n; i++) {
                if (fields.get(i)) {
                    mask[i >>> 6] |= 1L << i;
                }
            }
            return create(name, Kind.STRUCT, n, mask, null);
        }
    }

    // ---- queries ----

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Fields of a struct; words per element of an array; 0 for strings. */
    public int sizeWords() {
        return sizeWords;
    }

    /** The element type of an array, else null. */
    public Type elem() {
        return elem;
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean hasPointers() {
        return hasPointers;
    }

    /**
     * Data words of an object of this type with {@code arrayLen} elements (0 for an empty struct,
     * array or string).
     *
     * @throws IllegalArgumentException if {@code arrayLen} is negative, or nonzero for a struct
     */
    public long dataWords(int arrayLen) {
        // the hot path of every checked access and every scan: no switch on the enum
        if (kindCode == 0) {
            if (arrayLen == 0) {
                return sizeWords;
            }
        } else if (arrayLen >= 0) {
            return kindCode == 1 ? (long) sizeWords * arrayLen : ((long) arrayLen + 7) >>> 3;
        }
        throw new IllegalArgumentException(kind == Kind.STRUCT
                ? "type " + name + " is a struct, not an array: arrayLen must be 0, got " + arrayLen
                : (kind == Kind.ARRAY ? "array length of " : "byte length of ") + name + " must be >= 0, got " + arrayLen);
    }

    /**
     * Words an object of this type with {@code arrayLen} elements occupies before size-class
     * rounding: its data words, at least 1 (a zero-size object still gets a distinct address).
     */
    public long objectWords(int arrayLen) {
        return Math.max(1, dataWords(arrayLen));
    }

    /**
     * Bytes of an object of this type with {@code arrayLen} elements that can hold pointers: up to
     * its last pointer word (for an array, the whole array but the last element's tail). What Go's
     * mallocgc adds to heap_scan ({@code typ.ptrdata}, or {@code dataSize - typ.size +
     * typ.ptrdata} for an array); 0 for a type without pointers.
     */
    public long ptrdataBytes(int arrayLen) {
        if (ptrdataWords == 0) {
            return 0;
        }
        if (kindCode == 0) {
            return (long) ptrdataWords << 3;
        }
        return arrayLen == 0 ? 0 : (((long) arrayLen - 1) * sizeWords + ptrdataWords) << 3;
    }

    /**
     * The scan work of scanning an object of {@code dataWords} data words whose pointer-holding
     * prefix is {@code ptrdataBytes} (Go 1.5's scanobject counts the bytes it walked: it stops at
     * the first word past the last pointer, but looks at two words at least): in bytes.
     */
    public static long scanBytes(long dataWords, long ptrdataBytes) {
        return dataWords <= 1 ? 8 : Math.max(16, ptrdataBytes);
    }

    /**
     * The pointer words of the struct, or of one array element (add {@code k * sizeWords()} for
     * element k): what the collector scans. Do not modify the array.
     */
    public int[] ptrOffsets() {
        return ptrOffsets;
    }

    /** Whether data word {@code i} of an object of this type holds a pointer. */
    public boolean isPointer(long i) {
        if (!hasPointers) {
            return false;
        }
        long w = kind == Kind.ARRAY ? i % sizeWords : i;
        return w < sizeWords && (ptrmask[(int) (w >>> 6)] & (1L << w)) != 0;
    }

    /** The layout as "ptr,scalar,..." (a struct, or one array element). */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizeWords; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append((ptrmask[i >>> 6] & (1L << i)) != 0 ? "ptr" : "scalar");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
