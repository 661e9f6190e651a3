package gort.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Shrinking a failing schedule toward the default one (the first runnable thread at every
 * decision): on each planted lost wakeup, the shrunk schedule has fewer decisions off the default,
 * fails with the same oracle, and replays to the same outcome every time; a passing schedule is
 * refused. The counts before and after are printed (a measurement).
 */
class ShrinkerTest {
    /** Runs a shrink here may spend: the prefix search and a few ddmin rounds (each failing run waits out a hang). */
    static final int BUDGET = 60;

    static Shrinker.Result shrinkFirstFailure(Explorer e, Explorer.Strategy st, String bug) {
        Outcome o = ExplorerTest.find(e, st, bug);
        Shrinker.Result r = new Shrinker(e, BUDGET).shrink(o);
        System.out.printf("shrink: %s (seed %d, %s): %d non-default decisions before, %d after, %d runs, %d -> %d decisions%n", bug,
                o.seed(), st.flag(), r.nonDefaultBefore(), r.nonDefaultAfter(), r.runs(), o.decisions().length, r.after().decisions().length);
        assertThat(r.after().failure().oracle()).isEqualTo(o.failure().oracle());
        assertThat(r.nonDefaultAfter()).as("non-default decisions after the shrink").isLessThan(r.nonDefaultBefore());
        assertThat(r.runs()).isLessThanOrEqualTo(BUDGET + 1);
        for (int i = 0; i < 3; i++) {
            Outcome again = e.replay(r.after().seed(), r.after().decisions());
            assertThat(again.failure()).isEqualTo(r.after().failure());
            assertThat(again.decisions()).isEqualTo(r.after().decisions());
        }
        return r;
    }

    @Test
    void theParkBugsScheduleShrinksAndStillHangs() {
        Explorer e = ExplorerTest.explorer("park", f -> f.parkWithoutWakeFlag = true);
        Shrinker.Result r = shrinkFirstFailure(e, Explorer.Strategy.RANDOM, "park without its wake flag");
        assertThat(r.after().failure().oracle()).isEqualTo(Outcome.Oracle.HANG);
    }

    @Test
    void theNoteBugsScheduleShrinksAndStillHangs() {
        Explorer e = ExplorerTest.explorer("note", f -> f.noteClearedAtWait = true);
        Shrinker.Result r = shrinkFirstFailure(e, Explorer.Strategy.RANDOM, "note cleared at the wait");
        assertThat(r.after().failure().oracle()).isEqualTo(Outcome.Oracle.HANG);
    }

    @Test
    void aPassingScheduleIsNotShrunk() {
        Explorer e = ExplorerTest.explorer("park", null);
        Outcome o = e.run(Explorer.Strategy.RANDOM, 1);
        assertThat(o.failed()).isFalse();
        assertThatThrownBy(() -> new Shrinker(e, 10).shrink(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 1 passed: there is no failure to shrink");
        assertThatThrownBy(() -> new Shrinker(e, 0)).hasMessageContaining("budget of at least 1 run");
    }
}
