package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.explore.Explorer;
import gort.explore.MarkTermScenario;
import gort.explore.Outcome;
import gort.explore.Scenario;
import gort.explore.ThenScenario;
import gort.platform.SimPlatform;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GODEBUG gstatuscheck: every casgstatus is checked against Go's table of legal status changes.
 * The table holds the transitions Go's casgstatus callers make and refuses others; with the check
 * on, a goroutine whose status is moved illegally dies with an error the explorer reports as
 * {@link Outcome.Oracle#GSTATUS}; with it off the same illegal move goes unnoticed (the check is
 * what fires); the explorer's schedules run with it on.
 */
class GStatusCheckTest {
    @Test
    void theTableHoldsGosTransitionsAndNoOthers() {
        int[][] legal = {{G.IDLE, G.DEAD}, {G.DEAD, G.RUNNABLE}, {G.RUNNABLE, G.RUNNING}, {G.RUNNING, G.RUNNABLE}, {G.RUNNING, G.WAITING},
                {G.RUNNING, G.SYSCALL}, {G.RUNNING, G.DEAD}, {G.WAITING, G.RUNNABLE}, {G.WAITING, G.RUNNING}, {G.SYSCALL, G.RUNNING},
                {G.SYSCALL, G.RUNNABLE}};
        int[] all = {G.IDLE, G.RUNNABLE, G.RUNNING, G.SYSCALL, G.WAITING, G.DEAD};
        int n = 0;
        for (int from : all) {
            for (int to : all) {
                boolean want = false;
                for (int[] t : legal) {
                    want |= t[0] == from && t[1] == to;
                }
                assertThat(G.legalTransition(from, to)).as("%s -> %s", G.statusName(from), G.statusName(to)).isEqualTo(want);
                n += want ? 1 : 0;
            }
        }
        assertThat(n).isEqualTo(legal.length);
        assertThat(G.legalTransition(G.RUNNABLE | G.SCAN, G.RUNNING)).isFalse();
    }

    @Test
    void anIllegalCasgstatusDiesOnlyWithTheCheckOn() {
        Sched s = new Sched(gort.platform.RealPlatform.INSTANCE, 1, 0, System.err);
        G g = new G(s);
        g.setStatus(G.RUNNABLE);
        g.casgstatus(G.RUNNABLE, G.WAITING); // illegal, unchecked: goes through
        assertThat(g.status()).isEqualTo(G.WAITING);
        s.setGStatusCheck(true); // a G copies the switch when it is made
        G checked = new G(s);
        checked.setStatus(G.WAITING);
        checked.casgstatus(G.WAITING, G.RUNNABLE); // legal
        assertThatThrownBy(() -> checked.casgstatus(G.RUNNABLE, G.WAITING)).hasMessageContaining("fatal error: casgstatus: goroutine")
                .hasMessageContaining("illegal transition runnable -> waiting");
        assertThat(checked.status()).isEqualTo(G.RUNNABLE);
    }

    /** markterm, whose main moves its own goroutine running -> idle -> running once the lists are checked. */
    static Scenario illegalMove() {
        return new ThenScenario(new MarkTermScenario(), "illegal-gstatus", "markterm, then main's goroutine moved running -> idle -> running", () -> {
            G gp = Sched.getg();
            gp.casgstatus(G.RUNNING, G.IDLE);
            gp.casgstatus(G.IDLE, G.RUNNING);
        });
    }

    @Test
    void theExplorerReportsAnIllegalTransitionInEverySchedule() {
        Explorer e = new Explorer(illegalMove(), Map.of("gcwakeup", "park"), null);
        for (long seed = 1; seed <= 3; seed++) {
            Outcome o = e.run(Explorer.Strategy.RANDOM, seed);
            assertThat(o.failure()).as("seed %d", seed).isNotNull();
            assertThat(o.failure().oracle()).isEqualTo(Outcome.Oracle.GSTATUS);
            assertThat(o.failure().headline()).contains("illegal transition running -> idle");
        }
        // the unmodified scenario under the same check passes
        Outcome clean = new Explorer(new MarkTermScenario(), Map.of("gcwakeup", "park"), null).run(Explorer.Strategy.RANDOM, 1);
        assertThat(clean.failure()).isNull();
    }

    @Test
    void withoutTheCheckTheSameMoveGoesUnnoticed() {
        Scenario sc = illegalMove();
        SimPlatform p = new SimPlatform(1, sc.procs(), new gort.platform.SeededChooser(1));
        gort.api.Runtime.run(sc.config(p, Map.of("gcwakeup", "park")), sc::main); // no gstatuscheck: returns normally
        assertThat(p.failure()).isNull();
    }
}
