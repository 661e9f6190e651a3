package gort.api;

import gort.sched.GoPanic;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;

/**
 * What a function object captures, as far as the collector cares: the {@link Ptr} and {@code Ptr[]}
 * fields of a Runnable's class (a lambda's captured variables, an anonymous or named class's
 * fields, up its superclasses), found once per class by reflection. A go statement and a timer's
 * AfterFunc adopt those handles for as long as the function may run (Go's newproc copies a
 * goroutine's arguments and the closure pointer onto its stack; Go's timer heap keeps its timers'
 * arguments reachable).
 *
 * <p>A simplification of Go, named in docs/ARCHITECTURE.md: only handles the function holds
 * directly are adopted; a {@code Ptr} inside another captured object (a list, a record) is not,
 * and using it after its scope closed panics as any dead handle does. A captured array is read
 * once, at the go statement.
 *
 * <p>Owns: the per-class table of getters. Invariant: a table lists exactly the instance fields
 * whose declared type is Ptr or Ptr[].
 */
final class Captured {
    private Captured() {}

    private static final MethodHandle[] NONE = new MethodHandle[0];

    private static final ClassValue<MethodHandle[]> FIELDS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            ArrayList<MethodHandle> hs = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || (f.getType() != Ptr.class && f.getType() != Ptr[].class)) {
                        continue;
                    }
                    try {
                        MethodHandles.Lookup l = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
                        hs.add(l.unreflectGetter(f));
                    } catch (IllegalAccessException e) {
                        throw new GoPanic("go statement: cannot read the Ptr field " + f.getName() + " of " + c.getName()
                                + " to keep it alive (" + e.getMessage() + ")");
                    }
                }
            }
            return hs.isEmpty() ? NONE : hs.toArray(MethodHandle[]::new);
        }
    };

    /** The live handles fn captures (may repeat one; no nulls). */
    static ArrayList<Ptr> ptrs(Object fn) {
        MethodHandle[] hs = FIELDS.get(fn.getClass());
        if (hs.length == 0) {
            return null;
        }
        ArrayList<Ptr> out = new ArrayList<>();
        try {
            for (MethodHandle h : hs) {
                Object v = h.invoke(fn);
                if (v instanceof Ptr p) {
                    out.add(p);
                } else if (v instanceof Ptr[] a) {
                    for (Ptr p : a) {
                        if (p != null) {
                            out.add(p);
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * Refuses a channel element type that holds handles in its fields: such a channel would carry
     * the handles but not keep their objects alive.
     */
    static void refuseElement(Class<?> elem) {
        for (Class<?> c = elem; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isArray() && (c.getComponentType() == Ptr.class || c.getComponentType() == Ptr[].class)) {
                throw new GoPanic("makechan: a chan of " + elem.getSimpleName() + " would not keep the pointers in its "
                        + "values alive: make a chan of Ptr (Go.makeChan(Ptr.class, n)) and send each pointer");
            }
            if (c.getName().startsWith("java.")) {
                return;
            }
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && (f.getType() == Ptr.class || f.getType() == Ptr[].class)) {
                    throw new GoPanic("makechan: a chan of " + elem.getName() + " would carry the Ptr in its field "
                            + f.getName() + " without keeping the object alive: make a chan of Ptr "
                            + "(Go.makeChan(Ptr.class, n)), or put the data in a managed struct and send a Ptr to it");
                }
            }
        }
    }
}
