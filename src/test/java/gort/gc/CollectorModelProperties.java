package gort.gc;

import gort.api.Raw;
import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.MHeap;
import gort.heap.SizeClasses;
import gort.heap.Type;
import gort.api.Chan;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * The collector against a model: random mutator programs of 2–3 goroutines at GOMAXPROCS 1..2
 * and GOGC 1, 10 or 100, with the debug heap (poisoning) on.
 *
 * <p>Each goroutine owns a disjoint part of the graph. Its model is plain Java (node id → type,
 * length, scalar words, pointer words as node ids); its real roots are slots of frames on its own
 * {@link Stack}, its own global slot, and its own element of a shared pointer array that main keeps
 * in a global. Operations: allocate (structs with pointer and scalar fields — one of more than 64
 * fields, so the pointer mask spans two words — pointer, scalar and struct arrays, byte strings,
 * occasionally a large (&gt; 32 KiB) pointer array), link, unlink, overwrite a scalar (sometimes with
 * the poison pattern or with a live object's address, which the collector must not follow), push
 * and pop frames, drop a root, re-root a reachable node, set the goroutine's global and its shared
 * element, force {@code Go.gc()}, yield, and allocate garbage (bursts of small nodes, or up to four
 * arrays of up to 1 MiB, so that GOGC-paced cycles also start on their own).
 *
 * <p>Half of the programs run over a 4.5 MiB live ballast that main keeps in a global: then the goal
 * is live × (1 + GOGC/100) rather than the 4 MiB minimum, and at GOGC=1 a cycle starts every few
 * tens of KiB of allocation.
 *
 * <p>Checks: after every collection a goroutine sees (forced by itself or started by anyone), it
 * verifies every object reachable in its model field by field (type, length, each scalar, each
 * pointer as the model target's address, string bytes) and its frame slots. The program runs in
 * 1–4 rounds; after each round every goroutine is parked on a channel, main runs {@code Go.gc()}
 * and checks that the collector's live heap ({@code heap_live} right after mark termination)
 * equals the sum of the size-class-rounded sizes of every model-reachable object (pages for large
 * objects), that the goal is {@code max(live × (1 + GOGC/100), 4 MiB)}, and re-verifies every graph.
 *
 * <p>Modes: each program runs under one of the stop-the-world collector (GODEBUG=gcstoptheworld=1),
 * the concurrent collector with each wakeup strategy (note, park, park-yield, none) on Go 1.5's
 * marking, and each design ({@link Design}: go1.5-dev, go1.5.1, go1.6, with its own pacer), always with
 * GODEBUG=gccheckmark=1; an op starts a concurrent cycle at a random point (CYCLE) so that
 * goroutines mutate the graph while marking runs. After a forced collection the stop-the-world
 * mode checks NextGC = max(live × (1 + GOGC/100), 4 MiB); the concurrent one, that the pacer's
 * trigger leaves Go's sweep distance above the live heap. Concurrent programs run under each
 * registered pacer ({@link PacerKind}: go15, go16, go118); under go118 the goal must also be at least
 * GOGC's over the live heap and the trigger not above it. The stop-the-world mode has no pacer.
 *
 * <p>Budget: 100 tries of at most 300 operations per goroutine (shrinking a failure adds at most
 * jqwik's bounded 10 s). The seed is
 * random per run (jqwik prints it on failure, and re-runs a failing seed first by default; pin one
 * with {@code @Property(seed = "...")} to reproduce).
 */
class CollectorModelProperties {
    static final Type LEAF = Type.struct("cmp.leaf", "scalar");
    static final Type EMPTY = Type.struct("cmp.empty", "");
    static final Type PAIR = Type.struct("cmp.pair", "ptr,scalar");
    static final Type NODE = Type.struct("cmp.node", "ptr,ptr,scalar,ptr,scalar,scalar");
    static final Type PTRS = Type.struct("cmp.ptrs", "ptr,ptr,ptr,ptr");
    /** 70 fields, a pointer at every third: the pointer mask needs two words. */
    static final Type WIDE = wide();

    private static Type wide() {
        boolean[] f = new boolean[70];
        for (int i = 0; i < f.length; i++) {
            f[i] = i % 3 == 0;
        }
        return Type.struct("cmp.wide", f);
    }

    enum Kind { ALLOC, LINK, UNLINK, SCALAR, PUSH, POP, DROP, ROOT, GLOBAL, SHARED, GC, YIELD, GARBAGE, CYCLE }

    /** The collector under test: stop-the-world (gcstoptheworld=1), or concurrent under one of the registered strategies. */
    static final String STW = "stw";

    static List<String> modes() {
        List<String> m = new java.util.ArrayList<>(List.of(STW));
        for (WakeupStrategy w : WakeupStrategy.values()) {
            m.add(w.flag());
        }
        for (Design d : Design.values()) {
            m.add(d.flag()); // a design sets the pacer too: the program's is not used
        }
        return m;
    }

    /** One operation; a, b, c and v are interpreted modulo the mutator's state when it runs. */
    record Op(Kind kind, int a, int b, int c, long v) {
        @Override
        public String toString() {
            return kind + "(" + a + "," + b + "," + c + "," + v + ")";
        }
    }

    /** With ballast, main keeps a 4.5 MiB scalar array live, so GOGC (not the 4 MiB minimum) sets the goal. */
    record Program(String mode, PacerKind pacer, int procs, int gogc, int rounds, boolean ballast, String ablation, List<List<Op>> ops) {}

    /** GODEBUG ablations (not Go) a program may run under; "" is Go's behaviour, the commonest. */
    static Arbitrary<String> ablations() {
        return Arbitraries.frequency(Tuple.of(6, ""), Tuple.of(1, "runnext=0"), Tuple.of(1, "schedglobal=2"),
                Tuple.of(1, "gcworkerfrac=1"));
    }

    static final int BALLAST_WORDS = 9 << 16; // 4.5 MiB

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void reachableObjectsSurviveIntactAndLiveAccountingMatchesTheModel(@ForAll("programs") Program p) {
        run(p);
    }

    @Provide
    Arbitrary<Program> programs() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(24, Kind.ALLOC), Tuple.of(14, Kind.LINK), Tuple.of(5, Kind.UNLINK),
                Tuple.of(9, Kind.SCALAR), Tuple.of(5, Kind.PUSH), Tuple.of(2, Kind.POP),
                Tuple.of(4, Kind.DROP), Tuple.of(5, Kind.ROOT), Tuple.of(3, Kind.GLOBAL),
                Tuple.of(3, Kind.SHARED), Tuple.of(2, Kind.GC), Tuple.of(4, Kind.YIELD),
                Tuple.of(5, Kind.GARBAGE), Tuple.of(3, Kind.CYCLE));
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 1 << 20).withDistribution(RandomDistribution.uniform());
        Arbitrary<Op> op = Combinators.combine(kinds, n, n, n, Arbitraries.longs()).as(Op::new);
        Arbitrary<List<Op>> ops = op.list().ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(
                        Arbitraries.of(modes()),
                        Arbitraries.of(PacerKind.class),
                        Arbitraries.integers().between(1, 2),
                        Arbitraries.of(1, 10, 100),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.of(false, true),
                        ablations(),
                        ops.list().ofMinSize(2).ofMaxSize(3))
                .as(Program::new);
    }

    // =====================================================================================
    // The model
    // =====================================================================================

    static final class Node {
        final int id;
        final Type type;
        final int len;
        final long addr;
        /** Scalar words hold their value; pointer words the target node's id (0 = nil). */
        final long[] words;
        final byte[] bytes;
        final int[] ptrIdx;
        final int[] scalarIdx;

        Node(int id, Type type, int len, long addr, byte[] bytes) {
            this.id = id;
            this.type = type;
            this.len = len;
            this.addr = addr;
            this.bytes = bytes;
            int n = type.kind() == Type.Kind.BYTES ? 0 : (int) type.dataWords(len);
            this.words = new long[n];
            int np = 0;
            for (int i = 0; i < n; i++) {
                if (type.isPointer(i)) {
                    np++;
                }
            }
            ptrIdx = new int[np];
            scalarIdx = new int[n - np];
            int pi = 0;
            int si = 0;
            for (int i = 0; i < n; i++) {
                if (type.isPointer(i)) {
                    ptrIdx[pi++] = i;
                } else {
                    scalarIdx[si++] = i;
                }
            }
        }

        /** Bytes the heap accounts for this object: its size class, or whole pages if large. */
        long size() {
            return SizeClasses.roundUpSize(8L * type.objectWords(len));
        }

        @Override
        public String toString() {
            return "node " + id + " (" + type.name() + (type.kind() == Type.Kind.STRUCT ? "" : ", len " + len)
                    + ") at 0x" + Long.toHexString(addr);
        }
    }

    record Frame(int base, int[] slots) {}

    /** One goroutine's part of the graph: model and real roots. */
    static final class Mutator {
        final int index;
        final int globalSlot;
        final int sharedGlobal;
        final Map<Integer, Node> nodes = new HashMap<>();
        final ArrayList<Frame> frames = new ArrayList<>();
        int globalNode;
        int sharedNode;
        int nextId = 1;
        int opIndex = -1;
        Op op;

        Mutator(int index, int globalSlot, int sharedGlobal) {
            this.index = index;
            this.globalSlot = globalSlot;
            this.sharedGlobal = sharedGlobal;
        }

        /** Model-reachable nodes, in a deterministic (breadth-first from the roots) order. */
        List<Node> reachable() {
            LinkedHashSet<Integer> seen = new LinkedHashSet<>();
            ArrayDeque<Integer> q = new ArrayDeque<>();
            for (Frame f : frames) {
                for (int id : f.slots) {
                    if (id != 0 && seen.add(id)) {
                        q.add(id);
                    }
                }
            }
            for (int id : new int[] {globalNode, sharedNode}) {
                if (id != 0 && seen.add(id)) {
                    q.add(id);
                }
            }
            while (!q.isEmpty()) {
                Node n = nodes.get(q.poll());
                for (int i : n.ptrIdx) {
                    int t = (int) n.words[i];
                    if (t != 0 && seen.add(t)) {
                        q.add(t);
                    }
                }
            }
            ArrayList<Node> out = new ArrayList<>(seen.size());
            for (int id : seen) {
                out.add(nodes.get(id));
            }
            return out;
        }

        long addrOf(int id) {
            return id == 0 ? 0 : nodes.get(id).addr;
        }

        String where() {
            return "mutator " + index + " after op #" + opIndex + " " + op;
        }
    }

    // =====================================================================================
    // Running a program
    // =====================================================================================

    static Collector collector() {
        return ((gort.api.Runtime) Sched.current().env).collector();
    }

    static void run(Program p) {
        Config cfg = Config.defaults().withGomaxprocs(p.procs()).withGogc(p.gogc()).withDebugHeap(true)
                .withGodebug(Map.of("gccheckmark", "1"));
        if (!p.ablation().isEmpty()) {
            cfg = cfg.withGodebug(Config.parseGodebug(p.ablation()));
        }
        if (p.mode().equals(STW)) {
            cfg = cfg.withGodebug(Map.of("gcstoptheworld", "1"));
        } else if (java.util.Arrays.stream(Design.values()).anyMatch(d -> d.flag().equals(p.mode()))) {
            cfg = cfg.withDesign(Design.parse(p.mode()));
        } else {
            cfg = cfg.withWakeup(WakeupStrategy.parse(p.mode())).withPacer(p.pacer());
        }
        PacerKind pacer = cfg.pacer();
        int nm = p.ops().size();
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            int shared = Raw.newGlobal();
            Raw.setGlobal(shared, h.allocArray(Type.PTR, nm)); // no safepoint between alloc and set
            int ballast = Raw.newGlobal();
            if (p.ballast()) {
                Raw.setGlobal(ballast, h.allocArray(Type.SCALAR, BALLAST_WORDS));
                h.storeInt(Raw.global(ballast), BALLAST_WORDS - 1, 0x5eed);
            }
            Mutator[] ms = new Mutator[nm];
            for (int k = 0; k < nm; k++) {
                ms[k] = new Mutator(k, Raw.newGlobal(), shared);
            }
            Chan<Integer> done = Go.makeChan(Integer.class, nm);
            List<Chan<Integer>> resume = new ArrayList<>();
            for (int k = 0; k < nm; k++) {
                resume.add(Go.makeChan(Integer.class, 1));
            }
            for (int k = 0; k < nm; k++) {
                Mutator m = ms[k];
                List<Op> ops = p.ops().get(k);
                Chan<Integer> mine = resume.get(k);
                Go.go("mutator-" + k, () -> mutate(m, ops, p.rounds(), done, mine));
            }
            long sharedSize = SizeClasses.roundUpSize(8L * Type.PTR_ARRAY.objectWords(nm));
            if (p.ballast()) {
                sharedSize += SizeClasses.roundUpSize(8L * Type.SCALAR_ARRAY.objectWords(BALLAST_WORDS));
            }
            for (int r = 0; r < p.rounds(); r++) {
                for (int k = 0; k < nm; k++) {
                    done.recv();
                }
                // every mutator is parked on its resume channel: the heap is quiescent
                Go.gc();
                long live = gc.heap().heapLive();
                MemStats st = Go.readMemStats();
                long expected = sharedSize;
                StringBuilder detail = new StringBuilder();
                for (Mutator m : ms) {
                    List<Node> reach = m.reachable();
                    long sum = 0;
                    for (Node n : reach) {
                        sum += n.size();
                    }
                    expected += sum;
                    detail.append(" mutator ").append(m.index).append(": ").append(reach.size())
                            .append(" objects, ").append(sum).append(" B;");
                    verifyGraph(h, m, "main's check after round " + r);
                }
                if (live != expected) {
                    throw new AssertionError("round " + r + ": heap_live after Go.gc() is " + live
                            + " B but the model's reachable objects take " + expected + " B (main's shared array"
                            + " and ballast " + sharedSize + " B;" + detail + ")");
                }
                if (p.mode().equals(STW)) {
                    long goal = Math.max(live + live * p.gogc() / 100, Pacer.heapMinimum(p.gogc()));
                    if (st.nextGC() != goal) {
                        throw new AssertionError("round " + r + ": NextGC " + st.nextGC() + " != max(" + live
                                + " × (1 + " + p.gogc() + "/100), heapminimum) = " + goal);
                    }
                } else if (pacer == PacerKind.GO118) {
                    // Go 1.19's: the goal at least GOGC's over the live heap alone (stacks and globals only add),
                    // and the trigger under it and at least the sweep distance (1 MiB, unscaled) above the live heap
                    Go118Pacer ctl = (Go118Pacer) gc.controller();
                    long goal = ctl.nextGoal();
                    long least = Math.max(live + live * p.gogc() / 100, Go118Pacer.DEFAULT_HEAP_MINIMUM * p.gogc() / 100);
                    if (goal < least || st.nextGC() > goal || st.nextGC() < live + Go118Pacer.SWEEP_MIN_HEAP_DISTANCE) {
                        throw new AssertionError("round " + r + ": go118 goal " + goal + " (at least " + least + ") and NextGC "
                                + st.nextGC() + " (in [" + live + " + 1 MiB, goal])");
                    }
                } else {
                    // the pacer's trigger: at least 4 MiB, and room for concurrent sweep above the live heap
                    long floor = Math.max(live + Pacer.SWEEP_MIN_HEAP_DISTANCE * p.gogc() / 100, Pacer.heapMinimum(p.gogc()));
                    if (st.nextGC() < floor) {
                        throw new AssertionError("round " + r + ": NextGC " + st.nextGC() + " < max(" + live
                                + " + 1 MiB × " + p.gogc() + "/100, heapminimum) = " + floor);
                    }
                }
                if (Raw.global(shared) == 0 || h.len(Raw.global(shared)) != nm) {
                    throw new AssertionError("the shared array was damaged");
                }
                if (p.ballast() && (h.len(Raw.global(ballast)) != BALLAST_WORDS
                        || h.loadInt(Raw.global(ballast), BALLAST_WORDS - 1) != 0x5eed)) {
                    throw new AssertionError("the ballast was damaged");
                }
                for (int k = 0; k < nm; k++) {
                    resume.get(k).send(r);
                }
            }
            for (int k = 0; k < nm; k++) {
                done.recv(); // every mutator verified its graph after the last collection
            }
        });
    }

    static void mutate(Mutator m, List<Op> ops, int rounds, Chan<Integer> done, Chan<Integer> resume) {
        Heap h = Raw.heap();
        Stack st = Raw.stack();
        Collector gc = collector();
        int seenGC = gc.numGC();
        int per = (ops.size() + rounds - 1) / Math.max(1, rounds);
        int next = 0;
        for (int r = 0; r < rounds; r++) {
            int end = r == rounds - 1 ? ops.size() : Math.min(ops.size(), next + per);
            for (; next < end; next++) {
                m.opIndex = next;
                m.op = ops.get(next);
                apply(h, st, m, m.op);
                int n = gc.numGC();
                if (n != seenGC) {
                    seenGC = n;
                    verify(h, st, m, "after cycle " + n);
                }
            }
            verify(h, st, m, "at the end of round " + r);
            done.send(m.index);
            resume.recv();
            seenGC = gc.numGC();
            verify(h, st, m, "after main's collection in round " + r);
        }
        done.send(m.index);
    }

    static void apply(Heap h, Stack st, Mutator m, Op op) {
        switch (op.kind()) {
            case ALLOC -> alloc(h, st, m, op);
            case LINK, UNLINK -> {
                List<Node> holders = withPtrs(m.reachable());
                if (holders.isEmpty()) {
                    return;
                }
                Node src = holders.get(op.a() % holders.size());
                int field = src.ptrIdx[op.b() % src.ptrIdx.length];
                Node tgt = null;
                if (op.kind() == Kind.LINK) {
                    List<Node> reach = m.reachable();
                    tgt = reach.get(op.c() % reach.size());
                }
                h.storePtr(src.addr, field, tgt == null ? 0 : tgt.addr);
                src.words[field] = tgt == null ? 0 : tgt.id;
            }
            case SCALAR -> {
                List<Node> holders = new ArrayList<>();
                List<Node> reach = m.reachable();
                for (Node n : reach) {
                    if (n.scalarIdx.length > 0) {
                        holders.add(n);
                    }
                }
                if (holders.isEmpty()) {
                    return;
                }
                Node n = holders.get(op.a() % holders.size());
                int field = n.scalarIdx[op.b() % n.scalarIdx.length];
                long v = switch (op.c() % 4) {
                    case 1 -> MHeap.POISON;
                    case 2 -> reach.get(op.c() % reach.size()).addr; // looks like a pointer; must not be one
                    default -> op.v();
                };
                h.storeInt(n.addr, field, v);
                n.words[field] = v;
            }
            case PUSH -> {
                int n = 1 + op.a() % 6;
                m.frames.add(new Frame(st.push(n), new int[n]));
            }
            case POP -> {
                if (m.frames.isEmpty()) {
                    return;
                }
                int i = op.a() % m.frames.size();
                st.pop(m.frames.get(i).base());
                while (m.frames.size() > i) {
                    m.frames.removeLast();
                }
            }
            case DROP -> {
                int total = 0;
                for (Frame f : m.frames) {
                    total += f.slots().length;
                }
                if (total == 0) {
                    return;
                }
                int k = op.a() % total;
                for (Frame f : m.frames) {
                    if (k < f.slots().length) {
                        st.set(f.base(), k, 0);
                        f.slots()[k] = 0;
                        return;
                    }
                    k -= f.slots().length;
                }
            }
            case ROOT -> {
                List<Node> reach = m.reachable();
                if (reach.isEmpty()) {
                    return;
                }
                Node n = reach.get(op.c() % reach.size());
                if (m.frames.isEmpty()) {
                    m.frames.add(new Frame(st.push(1), new int[1]));
                }
                Frame f = m.frames.get(op.a() % m.frames.size());
                int slot = op.b() % f.slots().length;
                st.set(f.base(), slot, n.addr);
                f.slots()[slot] = n.id;
            }
            case GLOBAL, SHARED -> {
                List<Node> reach = m.reachable();
                int pick = op.c() % (reach.size() + 1);
                Node n = pick == reach.size() ? null : reach.get(pick);
                long a = n == null ? 0 : n.addr;
                if (op.kind() == Kind.GLOBAL) {
                    Raw.setGlobal(m.globalSlot, a);
                    m.globalNode = n == null ? 0 : n.id;
                } else {
                    h.storePtr(Raw.global(m.sharedGlobal), m.index, a);
                    m.sharedNode = n == null ? 0 : n.id;
                }
            }
            case GC -> {
                Go.gc();
                verify(h, st, m, "after its own Go.gc()");
            }
            case YIELD -> Go.gosched();
            case GARBAGE -> garbage(h, m, op);
            case CYCLE -> {
                if (!collector().stopTheWorldMode()) {
                    collector().triggerConcurrentCycle(); // marking then runs while we go on mutating
                }
            }
        }
    }

    private static List<Node> withPtrs(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.ptrIdx.length > 0) {
                out.add(n);
            }
        }
        return out;
    }

    /** Allocates a node and roots it at once: in a frame slot, or in a reachable node's pointer field. */
    static void alloc(Heap h, Stack st, Mutator m, Op op) {
        int b = op.b();
        Type t;
        int len = 0;
        byte[] bytes = null;
        long addr;
        switch (op.a() % 10) {
            case 0 -> t = LEAF;
            case 1 -> t = EMPTY;
            case 2 -> t = PAIR;
            case 3 -> t = NODE;
            case 4 -> t = WIDE;
            case 5 -> t = PTRS;
            case 6 -> {
                t = Type.PTR_ARRAY;
                len = b % 16 == 0 ? 4096 + b % 2000 : b % 40; // sometimes a large object (> 32 KiB)
            }
            case 7 -> {
                t = Type.SCALAR_ARRAY;
                len = b % 40;
            }
            case 8 -> {
                t = Type.arrayOf(PAIR);
                len = b % 12;
            }
            default -> {
                t = Type.BYTES;
                len = b % 30;
                bytes = new byte[len];
                for (int i = 0; i < len; i++) {
                    bytes[i] = (byte) (op.v() >>> (8 * (i % 8)) ^ i);
                }
            }
        }
        if (t == Type.BYTES) {
            addr = h.allocString(bytes);
        } else if (t.isArray()) {
            addr = h.allocArray(t.elem(), len);
        } else {
            addr = h.alloc(t);
        }
        // no safepoint from here until the new object is rooted
        Node n = new Node(m.nextId++, t, len, addr, bytes);
        m.nodes.put(n.id, n);
        int c = op.c();
        if (c % 3 != 0) { // usually into a reachable node's pointer field (a nil one if it has one)
            List<Node> holders = withPtrs(m.reachable());
            if (!holders.isEmpty()) {
                Node src = holders.get((c / 3) % holders.size());
                int field = src.ptrIdx[(c / 3) % src.ptrIdx.length];
                for (int i : src.ptrIdx) {
                    if (src.words[i] == 0) {
                        field = i;
                        break;
                    }
                }
                h.storePtr(src.addr, field, addr);
                src.words[field] = n.id;
                return;
            }
        }
        if (m.frames.isEmpty()) {
            m.frames.add(new Frame(st.push(2), new int[2]));
        }
        Frame f = m.frames.getLast();
        int slot = (c / 3) % f.slots().length;
        st.set(f.base(), slot, addr);
        f.slots()[slot] = n.id;
    }

    /** Allocates unreachable objects: up to four arrays of up to 1 MiB, or a burst of small nodes. */
    static void garbage(Heap h, Mutator m, Op op) {
        List<Node> reach = m.reachable();
        if (op.a() % 2 == 0) {
            int arrays = 1 + op.a() % 4;
            for (int k = 0; k < arrays; k++) {
                int words = 1 + (op.b() + k * 7919) % (128 << 10);
                if ((op.c() + k) % 2 == 0) {
                    long a = h.allocArray(Type.SCALAR, words);
                    h.storeInt(a, words - 1, op.v());
                } else {
                    long a = h.allocArray(Type.PTR, words);
                    if (!reach.isEmpty()) { // garbage that points at live objects
                        h.storePtr(a, words - 1, reach.get(op.c() % reach.size()).addr);
                    }
                }
            }
        } else {
            int count = 1 + op.b() % 64;
            for (int i = 0; i < count; i++) {
                long a = h.alloc(i % 2 == 0 ? NODE : PAIR);
                if (!reach.isEmpty()) {
                    h.storePtr(a, 0, reach.get((op.c() + i) % reach.size()).addr);
                }
            }
        }
    }

    // =====================================================================================
    // Verification
    // =====================================================================================

    /** The goroutine's own check: its frames, its global, its shared element, its whole graph. */
    static void verify(Heap h, Stack st, Mutator m, String when) {
        for (Frame f : m.frames) {
            for (int i = 0; i < f.slots().length; i++) {
                long got = st.get(f.base(), i);
                long want = m.addrOf(f.slots()[i]);
                if (got != want) {
                    throw new AssertionError(m.where() + ", " + when + ": frame slot " + i + " of frame at "
                            + f.base() + " holds 0x" + Long.toHexString(got) + ", expected 0x" + Long.toHexString(want));
                }
            }
        }
        if (Raw.global(m.globalSlot) != m.addrOf(m.globalNode)) {
            throw new AssertionError(m.where() + ", " + when + ": global slot " + m.globalSlot + " changed");
        }
        long sharedArr = Raw.global(m.sharedGlobal);
        if (h.loadPtr(sharedArr, m.index) != m.addrOf(m.sharedNode)) {
            throw new AssertionError(m.where() + ", " + when + ": shared element " + m.index + " changed");
        }
        verifyGraph(h, m, when);
    }

    /** Every model-reachable object is intact in the heap, field by field. */
    static void verifyGraph(Heap h, Mutator m, String when) {
        for (Node n : m.reachable()) {
            String at = m.where() + ", " + when + ": " + n;
            Type t;
            try {
                t = h.typeOf(n.addr);
            } catch (RuntimeException e) {
                throw new AssertionError(at + " is not a live object: " + e.getMessage(), e);
            }
            if (t.id() != n.type.id()) {
                throw new AssertionError(at + " has type " + t.name());
            }
            if (h.len(n.addr) != n.len) {
                throw new AssertionError(at + " has length " + h.len(n.addr));
            }
            if (n.bytes != null) {
                byte[] got = h.loadBytes(n.addr);
                if (!Arrays.equals(got, n.bytes)) {
                    throw new AssertionError(at + " holds bytes " + Arrays.toString(got) + ", expected "
                            + Arrays.toString(n.bytes));
                }
                continue;
            }
            for (int i : n.scalarIdx) {
                long got = h.loadInt(n.addr, i);
                if (got != n.words[i]) {
                    throw new AssertionError(at + ": scalar field " + i + " holds 0x" + Long.toHexString(got)
                            + ", expected 0x" + Long.toHexString(n.words[i]));
                }
            }
            for (int i : n.ptrIdx) {
                long got = h.loadPtr(n.addr, i);
                long want = m.addrOf((int) n.words[i]);
                if (got != want) {
                    throw new AssertionError(at + ": pointer field " + i + " holds 0x" + Long.toHexString(got)
                            + ", expected 0x" + Long.toHexString(want) + " (node " + n.words[i] + ")");
                }
            }
        }
    }
}
