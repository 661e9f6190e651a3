package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.sched.FatalError;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** GODEBUG=gccheckmark=1: a second, stopped-world mark that must agree with the first. */
class CheckmarkTest {
    static final Type NODE = Type.struct("checkmark.node", "ptr,ptr,scalar");

    private static Config config() {
        return Config.defaults().withGomaxprocs(2).withGodebug(Config.parseGodebug("gccheckmark=1")).withDebugHeap(true);
    }

    private static Collector collector() {
        return ((gort.api.Runtime) Sched.current().env).collector();
    }

    /** A list of n nodes hung from a new global; returns the global's index. */
    private static int buildList(Heap h, int n) {
        int g = Raw.newGlobal();
        for (int i = 0; i < n; i++) {
            long node = h.alloc(NODE); // a safepoint: the list so far is rooted by the global
            h.storePtr(node, 0, Raw.global(g));
            h.storeInt(node, 2, i);
            Raw.setGlobal(g, node);
        }
        return g;
    }

    @Test
    void checkmarkAgreesWithTheMarkPhaseAndCountsEveryReachableObject() {
        AtomicLong checked = new AtomicLong(-1);
        Rt.run(config(), () -> {
            Heap h = Raw.heap();
            buildList(h, 1000);
            Go.gc();
            checked.set(collector().lastCheckmarked());
        });
        assertThat(checked.get()).isEqualTo(1000);
    }

    @Test
    void checkmarkCatchesAnObjectTheMarkPhaseLost() {
        assertThatThrownBy(() -> Rt.run(config(), () -> {
            Heap h = Raw.heap();
            buildList(h, 10);
            collector().faults.skipGlobalRoots = true;
            Go.gc();
        }))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("fatal error: checkmark found unmarked object 0x")
                .hasMessageContaining("(checkmark.node), reachable from globals");
    }
}
