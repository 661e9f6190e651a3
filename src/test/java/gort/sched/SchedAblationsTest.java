package gort.sched;

import gort.api.Chan;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.testing.Rt;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The scheduler ablations (not Go): runnext=0 makes ready queue a woken goroutine at the tail, so
 * goroutines woken in turn run in the order they were woken, not the last one first; schedglobal=1
 * makes every schedule take from the global run queue first, so a yielding goroutine runs again
 * before the local queue. Each is checked against Go's behaviour on the same program.
 */
class SchedAblationsTest {

    /** Three goroutines blocked on channels, woken A, B, C by main on one P; the order they ran in. */
    static List<String> wakeOrder(Config c) {
        List<String> order = new CopyOnWriteArrayList<>();
        Rt.run(c.withGomaxprocs(1), () -> {
            Chan<Integer> ca = Go.makeChan(Integer.class, 0);
            Chan<Integer> cb = Go.makeChan(Integer.class, 0);
            Chan<Integer> cc = Go.makeChan(Integer.class, 0);
            Chan<Integer> done = Go.makeChan(Integer.class, 3);
            Go.go(() -> { ca.recv(); order.add("A"); done.send(1); });
            Go.go(() -> { cb.recv(); order.add("B"); done.send(1); });
            Go.go(() -> { cc.recv(); order.add("C"); done.send(1); });
            while (Sched.getg().sched.allgs().stream().filter(g -> !g.system && g.status() == G.WAITING).count() < 3) {
                Go.gosched(); // let all three block on their channels
            }
            ca.send(1);
            cb.send(1);
            cc.send(1);
            for (int i = 0; i < 3; i++) {
                done.recv();
            }
        });
        return order;
    }

    @Test
    void withoutRunnextWokenGoroutinesRunInTheOrderTheyWereWoken() {
        assertThat(wakeOrder(Config.defaults())).as("Go: each ready takes runnext, kicking the previous one to the tail")
                .containsExactly("C", "A", "B");
        assertThat(wakeOrder(Config.defaults().withGodebug(Map.of("runnext", "0")))).containsExactly("A", "B", "C");
    }

    /** main yields to the global queue with two goroutines on its P's local queue; who ran first after the yield. */
    static String firstAfterYield(Config c) {
        List<String> order = new CopyOnWriteArrayList<>();
        Rt.run(c.withGomaxprocs(1), () -> {
            // main started from runnext, inheriting a time slice, so its P's schedule count is 0, which
            // is a multiple of anything: one yield alone on the P makes it 1
            Go.gosched();
            assertThat(Sched.currentM().p.schedtick).isEqualTo(1);
            Chan<Integer> done = Go.makeChan(Integer.class, 2);
            Go.go(() -> { order.add("A"); done.send(1); });
            Go.go(() -> { order.add("B"); done.send(1); });
            Go.gosched(); // main goes to the global run queue; A and B wait on the local one
            order.add("main");
            done.recv();
            done.recv();
        });
        return order.get(0);
    }

    @Test
    void schedglobalOneTakesTheGlobalQueueFirstAtEverySchedule() {
        // Go: schedule count 1 is not a multiple of 61, so the local queue goes first (B, in runnext)
        assertThat(firstAfterYield(Config.defaults())).isEqualTo("B");
        assertThat(firstAfterYield(Config.defaults().withGodebug(Map.of("schedglobal", "1")))).isEqualTo("main");
    }

    @Test
    void configCarriesTheAblationsToTheScheduler() {
        assertThat(Config.defaults().schedAblations()).isEqualTo(SchedAblations.GO);
        assertThat(Config.defaults().withGodebug(Map.of("runnext", "0", "schedglobal", "7")).schedAblations())
                .isEqualTo(new SchedAblations(false, 7));
    }
}
