package gort.api;

import static org.assertj.core.api.Assertions.assertThat;

import gort.heap.Type;
import gort.sched.GoPanic;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every way the handle API can still be misused panics on the default settings, naming the object
 * and the rule it broke — never a silently wrong value. (A raw address in a Java local across a
 * safepoint cannot happen through this API: it hands out no addresses, which the last test checks.)
 */
class PtrMisuseTest {
    static final Type NODE = Type.struct("misuse.ptrnode", "ptr,ptr,scalar");

    /** Runs body on the main goroutine; returns the panic it raised (fails if none). */
    static GoPanic panicOf(Runnable body) {
        List<Throwable> got = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(2), 30, () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                got.add(e);
            }
        });
        assertThat(got).as("the misuse must panic").hasSize(1);
        assertThat(got.getFirst()).isInstanceOf(GoPanic.class);
        return (GoPanic) got.getFirst();
    }

    @Test
    void aPtrUsedAfterItsScopeClosedPanicsNamingTheObjectAndTheRule() {
        GoPanic p = panicOf(() -> {
            Ptr x;
            try (Scope s = Go.scope()) {
                x = Go.alloc(NODE);
            }
            Go.gc(); // the object is garbage now, its slot free for reuse
            for (int i = 0; i < 1000; i++) {
                Go.alloc(NODE);
            }
            x.get(2);
        });
        assertThat(p.getMessage()).contains("dead Ptr").contains("misuse.ptrnode").contains("its Scope has closed")
                .contains("Scope.escape");
    }

    @Test
    void everyOperationOfADeadPtrPanics() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), 30, () -> {
            Ptr x;
            Ptr live = Go.alloc(NODE);
            try (Scope s = Go.scope()) {
                x = Go.alloc(NODE);
            }
            List<Runnable> ops = List.of(() -> x.get(2), () -> x.set(2, 1), () -> x.ptr(0), () -> x.setPtr(0, null),
                    () -> live.setPtr(0, x), () -> x.type(), () -> x.len(), () -> x.isNil(0), () -> x.getFloat(2),
                    () -> Go.newGlobal().set(x), () -> Go.makeChan(Ptr.class, 1).send(x), () -> x.equals(live),
                    () -> Select.select(Select.send(Go.makeChan(Ptr.class, 1), x)), () -> Go.go(() -> x.get(2)));
            for (Runnable op : ops) {
                try {
                    op.run();
                    msgs.add("no panic");
                } catch (GoPanic e) {
                    msgs.add(e.getMessage());
                }
            }
        });
        assertThat(msgs).hasSize(14).allSatisfy(m -> assertThat(m).contains("dead Ptr").contains("misuse.ptrnode"));
    }

    /** A Ptr that reached another goroutine through a Java object (not the go statement) dies with its scope. */
    @Test
    void aPtrSmuggledToAnotherGoroutinePanicsOnceItsScopeClosed() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), 30, () -> {
            List<Ptr> box = new ArrayList<>(); // a Ptr inside another captured object is not adopted
            Chan<Integer> go = Go.makeChan(Integer.class, 0);
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            try (Scope s = Go.scope()) {
                box.add(Go.alloc(NODE));
                Go.go(() -> {
                    go.recv();
                    try {
                        box.getFirst().get(2);
                        msgs.add("no panic");
                    } catch (GoPanic e) {
                        msgs.add(e.getMessage());
                    }
                    wg.done();
                });
            }
            Go.gc();
            go.send(1);
            wg.await();
        });
        assertThat(msgs).singleElement().asString().contains("dead Ptr").contains("capture the Ptr itself");
    }

    /** Field checks through a handle (its cached type) panic as the raw heap's do, first access or later. */
    @Test
    void badFieldAccessThroughAPtrPanicsNamingTheTypeAndField() {
        assertThat(panicOf(() -> Go.alloc(NODE).get(3)).getMessage()).contains("index out of range [3] with length 3")
                .contains("misuse.ptrnode");
        assertThat(panicOf(() -> {
            Ptr p = Go.alloc(NODE);
            p.set(2, 1); // the cache is warm
            p.get(0);
        }).getMessage()).contains("loadInt of field 0 of misuse.ptrnode").contains("holds a pointer");
        assertThat(panicOf(() -> {
            Ptr p = Go.alloc(NODE);
            p.setPtr(2, p);
        }).getMessage()).contains("storePtr of field 2").contains("holds a scalar");
        assertThat(panicOf(() -> {
            Ptr a = Go.allocArray(gort.heap.Type.PTR, 4);
            Ptr b = a.ptr(0); // nil: no handle
            a.setPtr(4, b);
        }).getMessage()).contains("index out of range [4] with length 4");
        assertThat(panicOf(() -> Go.string("abc").ptr(0)).getMessage()).contains("string");
    }

    @Test
    void scopeMisusePanics() {
        assertThat(panicOf(() -> {
            Scope s = Go.scope();
            s.close();
            s.close();
        }).getMessage()).contains("already closed");
        assertThat(panicOf(() -> {
            try (Scope s = Go.scope()) {
                Ptr a = Go.alloc(NODE);
                s.escape(a);
                s.escape(a);
            }
        }).getMessage()).contains("second escape");
        assertThat(panicOf(() -> {
            Go.alloc(NODE); // opens the root scope
            Go.scope().close();
            Scope root = Scope.current(gort.sched.Sched.currentM());
            root.close();
        }).getMessage()).contains("root Scope");
        assertThat(panicOf(() -> {
            Go.alloc(NODE);
            Scope.current(gort.sched.Sched.currentM()).escape(Go.alloc(NODE));
        }).getMessage()).contains("root Scope").contains("no enclosing scope");
        assertThat(panicOf(() -> {
            Scope s = Go.scope();
            s.close();
            s.escape(null);
        }).getMessage()).contains("closed Scope");
    }

    @Test
    void aScopeClosedOnAnotherGoroutinePanics() {
        List<String> msgs = new CopyOnWriteArrayList<>();
        Rt.run(Config.defaults().withGomaxprocs(1), 30, () -> {
            Scope s = Go.scope();
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go(() -> {
                try {
                    s.close();
                    msgs.add("no panic");
                } catch (GoPanic e) {
                    msgs.add(e.getMessage());
                }
                wg.done();
            });
            wg.await();
            s.close();
        });
        assertThat(msgs).singleElement().asString().contains("did not open it");
    }

    @Test
    void closingAnOuterScopeKillsTheHandlesOfScopesLeftOpenInsideIt() {
        GoPanic p = panicOf(() -> {
            Ptr inner;
            try (Scope outer = Go.scope()) {
                Go.scope(); // left open: closed with its parent
                inner = Go.alloc(NODE);
            }
            inner.get(2);
        });
        assertThat(p.getMessage()).contains("dead Ptr");
    }

    @Test
    void aPtrOnAChannelOfAnotherElementTypePanics() {
        assertThat(panicOf(() -> Go.makeChan(Object.class, 1).send(Go.alloc(NODE))).getMessage())
                .contains("send of a Ptr on a chan of java.lang.Object").contains("Go.makeChan(Ptr.class");
        assertThat(panicOf(() -> Select.select(Select.send(Go.makeChan(Object.class, 1), Go.alloc(NODE)))).getMessage())
                .contains("send of a Ptr");
    }

    record Holder(Ptr p, int n) {}

    @Test
    void aChannelOfValuesHoldingPtrsIsRefused() {
        assertThat(panicOf(() -> Go.makeChan(Holder.class, 1)).getMessage()).contains("field p").contains("Go.makeChan(Ptr.class");
        assertThat(panicOf(() -> Go.makeChan(Ptr[].class, 1)).getMessage()).contains("make a chan of Ptr");
    }

    @Test
    void tooManyHandlesInOneScopePanicsWithTheRule() {
        GoPanic p = panicOf(() -> {
            for (;;) {
                Go.alloc(Type.SCALAR); // no scope per iteration: every handle lives in the root scope
            }
        });
        assertThat(p.getMessage()).contains("live Ptr handles").contains("Go.scope() per iteration");
    }

    @Test
    void aPtrOfAnotherRuntimePanicsNamingBoth() throws Exception {
        List<Ptr> other = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch used = new java.util.concurrent.CountDownLatch(1);
        Thread a = new Thread(() -> Rt.run(1, () -> {
            Ptr x = Go.alloc(NODE); // alive while this goroutine waits (its root scope is open)
            x.setPtr(0, x);
            other.add(x);
            made.countDown();
            try {
                used.await(); // blocks this runtime's only M: fine for a test, nothing else runs here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        a.start();
        made.await();
        try {
            GoPanic p = panicOf(() -> Go.alloc(NODE).setPtr(0, other.getFirst()));
            assertThat(p.getMessage()).containsPattern("runtime \\d+.*runtime \\d+").contains("belong");
            GoPanic q = panicOf(() -> other.getFirst().ptr(0));
            assertThat(q.getMessage()).containsPattern("runtime \\d+.*runtime \\d+").contains("belong");
        } finally {
            used.countDown();
            a.join();
        }
    }

    /** The handle API gives a program no raw address to keep: no public method returns or takes one. */
    @Test
    void theProgramApiHandsOutNoAddresses() {
        List<String> found = new ArrayList<>();
        for (Class<?> c : List.of(Go.class, Ptr.class, Scope.class, Global.class, Chan.class, Select.class, Select.Selected.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                boolean scalarAccess = c == Ptr.class && (m.getName().equals("get"));
                if (m.getReturnType() == long.class && !scalarAccess) {
                    found.add(c.getSimpleName() + "." + m.getName() + " returns a long");
                }
                for (Class<?> t : m.getParameterTypes()) {
                    if (t == long.class && !(c == Ptr.class && m.getName().equals("set")) && !m.getName().equals("sleep")) {
                        found.add(c.getSimpleName() + "." + m.getName() + " takes a long");
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
