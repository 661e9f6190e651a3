package gort.explore;

import static org.assertj.core.api.Assertions.assertThat;

import gort.platform.SimPlatform;
import gort.sched.Note;
import gort.sched.Sched;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The oracles that classify the runtime's own throws: a note woken twice between clears
 * ({@link Outcome.Oracle#NOTE}) fires on a scenario that wakes a note twice, on every schedule, and
 * not on the clean runtime; an object freed while reachable ({@link Outcome.Oracle#FREED}) fires
 * when marking forgets the global roots, and not on the clean runtime; the classification of a
 * run's end names each oracle.
 */
class OracleTest {
    /** markterm, then main wakes a fresh note twice, with or without a clear between. */
    static Scenario doubleWakeup(boolean clearBetween) {
        return new ThenScenario(new MarkTermScenario(), "double-wakeup", "markterm, then a note woken twice", () -> {
            Note n = new Note(Sched.current().platform());
            n.clear();
            n.wakeup();
            if (clearBetween) {
                n.clear();
            }
            n.wakeup();
        });
    }

    @Test
    void aNoteWokenTwiceBetweenClearsIsReportedInEverySchedule() {
        Explorer e = new Explorer(doubleWakeup(false), Map.of("gcwakeup", "note"), null);
        for (Explorer.Strategy st : Explorer.Strategy.values()) {
            for (long seed = 1; seed <= 2; seed++) {
                Outcome o = e.run(st, seed);
                assertThat(o.failure()).as("%s seed %d", st.flag(), seed).isNotNull();
                assertThat(o.failure().oracle()).isEqualTo(Outcome.Oracle.NOTE);
                assertThat(o.failure().headline()).startsWith("notewakeup - double wakeup");
            }
        }
    }

    @Test
    void aNoteClearedBetweenItsWakeupsPasses() {
        Explorer e = new Explorer(doubleWakeup(true), Map.of("gcwakeup", "note"), null);
        assertThat(e.explore(Explorer.Strategy.RANDOM, 1, 5, 0, null).failures()).isEmpty();
    }

    /**
     * Marking that forgets the global roots frees the lists' nodes while the globals still hold
     * them; with gccheckmark off (so that it cannot report the unmarked objects first), the heap's
     * check on every access catches the first read of a freed node, and the explorer names it.
     */
    @Test
    void anObjectFreedWhileReachableIsReported() {
        Explorer e = new Explorer(new MarkTermScenario(), Map.of("gcwakeup", "park", "gccheckmark", "0"), () -> {
            gort.gc.GcFaults f = new gort.gc.GcFaults();
            f.skipGlobalRoots = true;
            return f;
        });
        for (long seed = 1; seed <= 3; seed++) {
            Outcome o = e.run(Explorer.Strategy.RANDOM, seed);
            assertThat(o.failure()).as("seed %d", seed).isNotNull();
            assertThat(o.failure().oracle()).as("seed %d: %s", seed, o.failure().message()).isEqualTo(Outcome.Oracle.FREED);
        }
        Explorer clean = new Explorer(new MarkTermScenario(), Map.of("gcwakeup", "park", "gccheckmark", "0"), null);
        assertThat(clean.explore(Explorer.Strategy.RANDOM, 1, 5, 0, null).failures()).isEmpty();
    }

    @Test
    void aRunsEndIsClassifiedByOracle() {
        SimPlatform p = new SimPlatform(1, 1, new gort.platform.SeededChooser(1));
        assertThat(Explorer.classify(p, null)).isNull();
        assertThat(Explorer.classify(p, new IllegalStateException("fatal error: notewakeup - double wakeup (1)")).oracle())
                .isEqualTo(Outcome.Oracle.NOTE);
        assertThat(Explorer.classify(p, new IllegalStateException("fatal error: casgstatus: goroutine 7: illegal transition running -> idle"))
                .oracle()).isEqualTo(Outcome.Oracle.GSTATUS);
        assertThat(Explorer.classify(p, new IllegalStateException("fatal error: casgstatus: goroutine 7 status waiting, wanted running -> dead"))
                .oracle()).isEqualTo(Outcome.Oracle.GSTATUS);
        assertThat(Explorer.classify(p, new IllegalStateException("checkmark found an unmarked object")).oracle())
                .isEqualTo(Outcome.Oracle.CHECKMARK);
        assertThat(Explorer.classify(p, new IllegalStateException("runtime error: load of field 0 of a dead object: 0x1 is a freed object"))
                .oracle()).isEqualTo(Outcome.Oracle.FREED);
        assertThat(Explorer.classify(p, new IllegalStateException("boom")).oracle()).isEqualTo(Outcome.Oracle.FATAL);
    }
}
