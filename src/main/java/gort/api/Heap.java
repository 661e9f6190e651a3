package gort.api;

import gort.gc.Collector;
import gort.heap.AddressSpace;
import gort.heap.BadPointerException;
import gort.heap.MHeap;
import gort.heap.MSpan;
import gort.heap.Type;
import gort.sched.GoPanic;
import gort.sched.M;
import gort.sched.Sched;
import java.nio.charset.StandardCharsets;

/**
 * What a goroutine sees of the managed heap: allocation (a safepoint) and checked loads and
 * stores of object fields by index. Addresses are longs (word indices), 0 is nil.
 *
 * <p>Contract (raw addresses, docs/ARCHITECTURE.md "How a program's pointers stay alive"): an
 * address held only in a Java local is valid until the goroutine's next safepoint (any
 * allocation, any runtime call, {@link Go#poll()}); anything that must live across one goes into
 * a {@link gort.gc.Stack} frame slot, a global, or a heap object.
 *
 * <p>Invariant: no access corrupts the heap silently. A nil dereference, an index out of range, a
 * pointer op on a scalar field (or the reverse), storing something that is not an object's address
 * into a pointer field, and touching a freed object (once swept, until its slot is reused: the
 * slot's type entry is 0; the debug heap also poisons its words) raise a runtime panic that names
 * the object, its type and the field.
 */
public final class Heap {
    private final Collector gc;
    private final MHeap heap;
    private final AddressSpace mem;
    private final boolean debug;
    /** heap.pageTable(), mem.segment() and mem.base(), held here so a check starts with them in hand. */
    private final MSpan[] spans;
    private final java.lang.foreign.MemorySegment words;
    private final long base;

    Heap(Collector gc) {
        this.gc = gc;
        this.heap = gc.heap();
        this.mem = heap.mem();
        this.debug = heap.debug();
        this.spans = heap.pageTable();
        this.words = mem.segment();
        this.base = mem.base();
    }

    // ---- allocation (each is a safepoint) ----

    /** {@code new(T)}: a zeroed struct. */
    public long alloc(Type t) {
        if (t.isArray() || t.kind() == Type.Kind.BYTES) {
            throw new IllegalArgumentException("alloc: " + t.name() + " is not a struct type; use allocArray or allocString");
        }
        M m = Sched.safepointM();
        return gc.mallocgc(m, t, 0);
    }

    /**
     * An allocation for a caller that passed its safepoint already (m from Sched.safepointM): a
     * struct of type t when n is -1, else an array type t of n elements. Checks the shape first.
     */
    long allocFrom(M m, Type t, int n) {
        if (n < 0) {
            if (t.isArray() || t.kind() == Type.Kind.BYTES) {
                throw new GoPanic("runtime error: new(" + t.name() + "): not a struct type (use Go.allocArray, Go.string or Go.bytes)");
            }
            return gc.mallocgc(m, t, 0);
        }
        if (!t.isArray()) {
            throw new GoPanic("runtime error: make of " + t.name() + ": not an array type");
        }
        return gc.mallocgc(m, t, n);
    }

    /** A byte object holding a copy of b, for a caller that passed its safepoint already. */
    long allocBytesFrom(M m, byte[] b) {
        return gc.allocString(m, b);
    }

    /** The type name of the object at addr if it is an allocated object's address now, else null (for messages). */
    String describe(long addr) {
        try {
            MSpan s = span(addr);
            int idx;
            long info;
            if (s == null || (int) (info = s.entryAt(idx = s.objIndex(addr))) == 0 || s.objAddr(idx) != addr) {
                return null;
            }
            return Type.byId((int) info).name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The runtime this heap belongs to, as messages name it. */
    String runtimeName() {
        return mem.owner();
    }

    /** {@code make([]T, n)}: a zeroed array of n elements of struct type elem. */
    public long allocArray(Type elem, int n) {
        if (n < 0) {
            throw new GoPanic("runtime error: makeslice: len out of range: " + n);
        }
        Type at = Type.arrayOf(elem);
        M m = Sched.safepointM();
        return gc.mallocgc(m, at, n);
    }

    /** A byte string. */
    public long allocString(byte[] bytes) {
        M m = Sched.safepointM();
        return gc.allocString(m, bytes);
    }

    public long allocString(String s) {
        return allocString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A byte string holding {@code len} bytes of {@code bytes} from {@code off} (a safepoint): for
     * callers that reuse one buffer, so that making a string allocates nothing on the JVM heap.
     */
    public long allocString(byte[] bytes, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, bytes.length);
        long s = allocBytes(len); // zeroed: a short last word stays zero-padded
        java.lang.foreign.MemorySegment.copy(bytes, off, words, java.lang.foreign.ValueLayout.JAVA_BYTE, (s - base) << 3, len);
        return s;
    }

    /** {@code make([]byte, n)}: a zeroed byte object of n bytes (a safepoint). */
    public long allocBytes(int n) {
        if (n < 0) {
            throw new GoPanic("runtime error: makeslice: len out of range: " + n);
        }
        M m = Sched.safepointM();
        return gc.mallocgc(m, Type.BYTES, n);
    }

    /**
     * Go's {@code copy} for pointer-free data: copies words [srcWord, srcWord + nwords) of src to
     * words [dstWord, ...) of dst. Both must be byte objects or arrays of scalars (no pointer word
     * is ever copied, so no write barrier is needed), distinct, and in range; not a safepoint.
     */
    public void copyWords(long dst, int dstWord, long src, int srcWord, int nwords) {
        if (nwords < 0) {
            throw new GoPanic("runtime error: copyWords of " + nwords + " words");
        }
        if (dst == src) {
            throw new GoPanic("runtime error: copyWords within one object 0x" + Long.toHexString(dst));
        }
        long d = wordRange(dst, dstWord, nwords, "copyWords (destination)");
        long s = wordRange(src, srcWord, nwords, "copyWords (source)");
        mem.copy(d, s, nwords);
    }

    /** The address of word i of a pointer-free object after checking [i, i + n) lies in it. */
    private long wordRange(long obj, int i, int n, String op) {
        long info = slotEntry(obj, op, i);
        Type t = Type.byId((int) info);
        if (t.hasPointers()) {
            throw new GoPanic("runtime error: " + op + " of " + t.name() + " object 0x" + Long.toHexString(obj)
                    + ": it holds pointers (copyWords is for byte objects and scalar arrays)");
        }
        long words = t.dataWords((int) (info >>> 32));
        if (i < 0 || (long) i + n > words) {
            throw new GoPanic("runtime error: slice bounds out of range [" + i + ":" + ((long) i + n) + "] with length " + words
                    + " (" + op + " of " + t.name() + " object 0x" + Long.toHexString(obj) + ")");
        }
        return obj + i;
    }

    // ---- checked access ----

    public long loadPtr(long obj, int i) {
        return load(field(obj, i, true, "loadPtr"));
    }

    /** Stores pointer v into field i of obj, with the write barrier (Dijkstra: shade v while marking). */
    public void storePtr(long obj, int i, long v) {
        long a = field(obj, i, true, "storePtr");
        if (v != 0) {
            MSpan s = checkTarget(v, obj, i);
            if (gc.writeBarrierEnabled()) {
                gc.shade(v, s, s.objIndex(v)); // the span lookup of the check serves the barrier too
            }
        }
        store(a, v);
    }

    public long loadInt(long obj, int i) {
        return load(field(obj, i, false, "loadInt"));
    }

    public void storeInt(long obj, int i, long v) {
        store(field(obj, i, false, "storeInt"), v);
    }

    /** The word at a checked address (an allocated object's field: inside this heap's block). */
    private long load(long a) {
        return words.get(AddressSpace.WORD, (a - base) << 3);
    }

    private void store(long a, long v) {
        words.set(AddressSpace.WORD, (a - base) << 3, v);
    }

    /** Element count of an array (byte length of a string; 0 for a struct). */
    public int len(long obj) {
        checkObject(obj, "len", -1);
        try {
            return heap.arrayLen(obj);
        } catch (BadPointerException e) {
            throw dead(obj, "len", -1, e);
        }
    }

    public Type typeOf(long obj) {
        checkObject(obj, "typeOf", -1);
        try {
            return heap.typeOf(obj);
        } catch (BadPointerException e) {
            throw dead(obj, "typeOf", -1, e);
        }
    }

    public byte[] loadBytes(long obj) {
        checkObject(obj, "loadBytes", -1);
        try {
            return heap.loadBytes(obj);
        } catch (BadPointerException e) {
            throw dead(obj, "loadBytes", -1, e);
        }
    }

    public String loadString(long obj) {
        return new String(loadBytes(obj), StandardCharsets.UTF_8);
    }

    private void checkObject(long obj, String op, int i) {
        if (obj == 0) {
            throw new GoPanic("runtime error: invalid memory address or nil pointer dereference ("
                    + op + (i >= 0 ? " of field " + i : "") + " of nil)");
        }
        if (debug) {
            try {
                heap.checkLive(obj);
            } catch (RuntimeException e) {
                throw dead(obj, op, i, e);
            }
        }
    }

    private static GoPanic dead(long obj, String op, int i, RuntimeException why) {
        return new GoPanic("runtime error: " + op + (i >= 0 ? " of field " + i : "") + " of a dead object: " + why.getMessage());
    }

    /**
     * The address of word i of obj's data (obj + i), after every check. The type and length come
     * from obj's span: one page-table lookup (any span it names answers a slot lookup safely, see
     * MSpan), one slot index, and the slot's entry (in a uniform span, its allocation bit and the
     * span's entry); the bound and the pointer kind from the type's access word. An address that is
     * not an allocated object's (interior, wild, or a freed or swept slot) panics even without the
     * debug heap.
     */
    private long field(long obj, int i, boolean wantPtr, String op) {
        long info = slotEntry(obj, op, i);
        MSpan s = span(obj); // the span slotEntry checked (the page table only ever names it here)
        // The common shapes are checked from the type's access word alone (Type.accessWord; a
        // uniform span keeps its type's).
        return fieldOf(obj, i, wantPtr, op, info, s.accessWordOf(info));
    }

    /**
     * {@link #field} for an object known to be live with slot entry {@code info} and access word
     * {@code acc} (a Ptr's cached ones: a live handle's object cannot be freed, so they cannot
     * change): the bounds and the pointer kind, with no span lookup.
     */
    long fieldOf(long obj, int i, boolean wantPtr, String op, long info, long acc) {
        long words;
        boolean isPtr;
        switch ((int) (acc >>> 62)) {
            case Type.ACCESS_STRUCT -> {
                words = (acc >>> 32) & 0xFFFF;
                isPtr = ((acc >>> (i & 31)) & 1) != 0; // i < words <= 32 once the bound holds
            }
            case Type.ACCESS_WORD_ARRAY -> {
                words = info >>> 32;
                isPtr = (acc & 1) != 0;
            }
            case Type.ACCESS_BYTES -> {
                words = ((info >>> 32) + 7) >>> 3;
                isPtr = false;
            }
            default -> {
                return fieldSlow(obj, i, wantPtr, op, info);
            }
        }
        if (i < 0 || i >= words || isPtr != wantPtr) {
            return fieldSlow(obj, i, wantPtr, op, info); // panics, naming the type
        }
        return obj + i;
    }

    /** The slot entry of a live object (type id | length << 32), checked: for a Ptr's cache. */
    long entryOf(long obj) {
        return slotEntry(obj, "access", -1);
    }

    /** The access word of a live object whose entry is info: for a Ptr's cache. */
    long accessWordOf(long obj, long info) {
        return span(obj).accessWordOf(info);
    }

    /** The word at a checked field address (fieldOf's result). */
    long loadWord(long a) {
        return load(a);
    }

    void storeWord(long a, long v) {
        store(a, v);
    }

    /**
     * Stores v, the address of a live object of this heap (a live Ptr's), into the checked pointer
     * field address a, with the write barrier: v needs no check of its own.
     */
    void storeLivePtr(long a, long v) {
        if (v != 0 && gc.writeBarrierEnabled()) {
            gc.shade(v);
        }
        store(a, v);
    }

    /** {@link #field} from the type descriptor: any shape, and every panic's message. */
    private long fieldSlow(long obj, int i, boolean wantPtr, String op, long info) {
        Type t = Type.byId((int) info);
        long words = t.dataWords((int) (info >>> 32));
        if (i < 0 || i >= words) {
            throw new GoPanic("runtime error: index out of range [" + i + "] with length " + words + " ("
                    + op + " of " + t.name() + " object 0x" + Long.toHexString(obj) + ")");
        }
        if (t.kind() == Type.Kind.BYTES ? wantPtr : t.isPointer(i) != wantPtr) {
            throw new GoPanic("runtime error: " + op + " of field " + i + " of " + t.name() + " object 0x"
                    + Long.toHexString(obj) + ": the field holds a " + (wantPtr ? "scalar" : "pointer")
                    + " (layout " + (t.kind() == Type.Kind.BYTES ? "bytes" : t.layout()) + ")");
        }
        return obj + i;
    }

    /**
     * obj's slot entry (type id | length << 32), after checking that obj is an allocated object's
     * address: nil, an interior or wild address, and a swept slot (entry 0) panic, naming op and i.
     */
    private long slotEntry(long obj, String op, int i) {
        checkObject(obj, op, i);
        MSpan s = span(obj);
        int idx;
        long info;
        if (s == null || (int) (info = s.entryAt(idx = s.objIndex(obj))) == 0 || s.objAddr(idx) != obj) {
            checkOwned(obj, op + (i >= 0 ? " of field " + i : ""));
            throw dead(obj, op, i, heap.notAnObject(obj));
        }
        return info;
    }

    /**
     * Panics, naming both runtimes, if addr lies in another runtime's heap (every runtime's heap
     * owns a distinct range of addresses, see AddressSpace); other bad addresses are left to the
     * caller's own checks.
     */
    public void checkOwned(long addr, String op) {
        if (addr != 0 && !mem.owns(addr)) {
            String o = AddressSpace.ownerOf(addr);
            if (o != null) {
                throw new GoPanic("runtime error: " + op + " of address 0x" + Long.toHexString(addr) + " in a goroutine of "
                        + mem.owner() + ": the address belongs to the heap of " + o
                        + " (heap addresses belong to the runtime that allocated them)");
            }
        }
    }

    /** The span the page table names for addr (MHeap.spanOf, from the table held here), or null. */
    private MSpan span(long addr) {
        long page = (addr - base) >>> AddressSpace.LOG_PAGE_WORDS; // another heap's address: huge, so null
        return page < spans.length ? spans[(int) page] : null;
    }

    /** v, stored into field i of obj, must be an allocated object's address (its slot has a type); returns v's span. */
    private MSpan checkTarget(long v, long obj, int i) {
        MSpan s = span(v);
        int idx;
        if (s == null || (int) s.entryAt(idx = s.objIndex(v)) == 0 || s.objAddr(idx) != v) {
            checkOwned(v, "storePtr into field " + i + " of 0x" + Long.toHexString(obj));
            throw new GoPanic("runtime error: storePtr of 0x" + Long.toHexString(v) + " into field " + i + " of "
                    + heap.typeOf(obj).name() + " object 0x" + Long.toHexString(obj)
                    + ": not the address of a live object (a scalar in a pointer field?)");
        }
        return s;
    }
}
