package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.heap.Type;
import gort.sched.GoPanic;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The checked access's fast path (the type's access word, Type.accessWord) accepts exactly the
 * accesses the type descriptor allows: for random struct layouts (up to 80 words, so both sides
 * of the 32-word fast-path limit), arrays of random elements and byte strings, every index from
 * -2 to words + 2 is tried as a pointer and as a scalar load and store; each must succeed iff the
 * index is in range and the word's kind matches, and otherwise panic. Values stored are read back.
 */
class AccessCheckProperties {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** One object to probe: a struct (arrayLen 0), an array of elem (arrayLen elements) or bytes. */
    record Shape(List<Boolean> layout, int kind, int arrayLen) {
        Type type() {
            if (kind == 2) {
                return Type.BYTES;
            }
            boolean[] ptrs = new boolean[layout.size()];
            for (int i = 0; i < ptrs.length; i++) {
                ptrs[i] = layout.get(i);
            }
            Type t = Type.struct("access." + SEQ.incrementAndGet(), ptrs);
            return kind == 0 ? t : Type.arrayOf(t);
        }
    }

    @Provide
    Arbitrary<List<Shape>> shapes() {
        Arbitrary<List<Boolean>> small = Arbitraries.of(true, false).list().ofMinSize(0).ofMaxSize(6);
        Arbitrary<List<Boolean>> wide = Arbitraries.of(true, false).list().ofMinSize(0).ofMaxSize(80);
        Arbitrary<Shape> structs = wide.map(l -> new Shape(l, 0, 0));
        Arbitrary<Shape> arrays = Combinators.combine(small.filter(l -> !l.isEmpty()), Arbitraries.integers().between(0, 40))
                .as((l, n) -> new Shape(l, 1, n));
        Arbitrary<Shape> bytes = Arbitraries.integers().between(0, 70).map(n -> new Shape(List.of(), 2, n));
        return Arbitraries.oneOf(structs, arrays, bytes).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60)
    void fastPathAgreesWithTheDescriptor(@ForAll("shapes") List<Shape> shapes) {
        List<String> errors = new ArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), () -> {
            Heap h = Raw.heap();
            long target = h.alloc(Type.SCALAR); // any object will do as a pointer value
            int g = Raw.newGlobal();
            Raw.setGlobal(g, target);
            for (Shape sh : shapes) {
                Type t = sh.type();
                long obj = sh.kind() == 0 ? h.alloc(t) : sh.kind() == 1 ? h.allocArray(t.elem(), sh.arrayLen())
                        : h.allocBytes(sh.arrayLen());
                long words = t.dataWords(sh.kind() == 0 ? 0 : sh.arrayLen());
                for (int j = -2; j <= words + 2; j++) {
                    final int i = j;
                    boolean inRange = i >= 0 && i < words;
                    boolean ptr = inRange && t.kind() != Type.Kind.BYTES && t.isPointer(i);
                    probe(errors, t + "[" + i + "] ptr store", inRange && ptr, () -> h.storePtr(obj, i, Raw.global(g)));
                    probe(errors, t + "[" + i + "] ptr load", inRange && ptr, () -> {
                        if (h.loadPtr(obj, i) != Raw.global(g)) {
                            errors.add(t + "[" + i + "]: the pointer stored did not come back");
                        }
                    });
                    probe(errors, t + "[" + i + "] int store", inRange && !ptr, () -> h.storeInt(obj, i, 7L * i + 1));
                    probe(errors, t + "[" + i + "] int load", inRange && !ptr, () -> {
                        if (h.loadInt(obj, i) != 7L * i + 1) {
                            errors.add(t + "[" + i + "]: the scalar stored did not come back");
                        }
                    });
                }
            }
        });
        assertThat(errors).isEmpty();
    }

    private static void probe(List<String> errors, String what, boolean allowed, Runnable access) {
        try {
            access.run();
            if (!allowed) {
                errors.add(what + ": allowed, but the descriptor forbids it");
            }
        } catch (GoPanic e) {
            if (allowed) {
                errors.add(what + ": panicked, but the descriptor allows it: " + e.getMessage());
            } else if (!e.getMessage().startsWith("runtime error: ")) {
                errors.add(what + ": unclear panic " + e.getMessage());
            }
        }
    }
}
