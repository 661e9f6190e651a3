package gort.explore;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.CompleterKind;
import gort.gc.CycleRecord;
import gort.gc.GcFaults;
import gort.sched.Enqueued;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schedule explorer on the mark-termination scenario: the unmodified runtime passes every
 * schedule under every wakeup strategy; each planted coordination bug ({@link GcFaults}) is found
 * within a bounded number of schedules (how many it took is printed: a measurement, not a bound
 * asserted); a failure replays from its decision list to the same outcome; the oracles on the
 * cycle records fail on records that break the phase protocol.
 */
class ExplorerTest {
    static final MarkTermScenario SCENARIO = new MarkTermScenario();
    /** The bound on a planted bug's search: far above what it takes (printed), so a loaded host cannot matter. */
    static final int SEARCH_BOUND = 1500;

    static Explorer explorer(String wakeup, Consumer<GcFaults> fault) {
        return new Explorer(SCENARIO, Map.of("gcwakeup", wakeup), fault == null ? null : () -> {
            GcFaults g = new GcFaults();
            fault.accept(g);
            return g;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"note", "park", "park-yield", "none"})
    void theUnmodifiedRuntimePassesEverySchedule(String wakeup) {
        Explorer e = explorer(wakeup, null);
        Explorer.Campaign random = e.explore(Explorer.Strategy.RANDOM, 1, 60, 0, null);
        Explorer.Campaign pct = e.explore(Explorer.Strategy.PCT, 1, 20, 0, null);
        Explorer.Campaign pos = e.explore(Explorer.Strategy.POS, 1, 20, 0, null);
        assertThat(random.failures()).as("random schedules that failed").isEmpty();
        assertThat(pct.failures()).as("PCT schedules that failed").isEmpty();
        assertThat(pos.failures()).as("POS schedules that failed").isEmpty();
        assertThat(random.schedules() + pct.schedules() + pos.schedules()).isEqualTo(100);
        System.out.printf("explore %s gcwakeup=%s: %d schedules, 0 failed, %.1f schedules/s%n", SCENARIO.name(), wakeup,
                random.schedules() + pct.schedules() + pos.schedules(), random.schedulesPerSecond());
    }

    /** Explores from seed 1 until the first failure; asserts one is found within the bound and returns it. */
    static Outcome find(Explorer e, Explorer.Strategy st, String bug) {
        Explorer.Campaign c = e.explore(st, 1, SEARCH_BOUND, 1, null);
        assertThat(c.failures()).as("%s under %s within %d schedules", bug, st.flag(), SEARCH_BOUND).hasSize(1);
        Outcome o = c.failures().get(0);
        System.out.printf("explore: %s found by %s after %d schedules (seed %d): %s%n", bug, st.flag(), c.schedules(), o.seed(),
                o.failure().headline());
        return o;
    }

    @Test
    void theParkProtocolWithoutItsWakeFlagLosesAWakeup() {
        Explorer e = explorer("park", f -> f.parkWithoutWakeFlag = true);
        for (Explorer.Strategy st : Explorer.Strategy.values()) {
            assertThat(find(e, st, "park without its wake flag").failure().oracle()).isEqualTo(Outcome.Oracle.HANG);
        }
    }

    @Test
    void aNoteClearedAtTheWaitLosesAWakeup() {
        Explorer e = explorer("note", f -> f.noteClearedAtWait = true);
        for (Explorer.Strategy st : Explorer.Strategy.values()) {
            assertThat(find(e, st, "note cleared at the wait").failure().oracle()).isEqualTo(Outcome.Oracle.HANG);
        }
    }

    /**
     * The schedule in which the explorer found forEachP waiting for ever: a P handed off by its M
     * checked for the pending safe-point function before taking the scheduler's lock, forEachP
     * set the flag and walked the idle Ps, and the P then went idle owing the function. Go's
     * handoffp runs it under the lock, before the P goes idle; so does gort's now. The seed is this
     * runtime's schedule (a change elsewhere may move the race away from it); without the check
     * under the lock it hangs in mark 1's ragged barrier.
     */
    @Test
    void theScheduleThatFoundAPGoingIdleOwingItsSafePointFunctionPasses() {
        Outcome o = explorer("park", null).run(Explorer.Strategy.RANDOM, 894);
        assertThat(o.failure()).as("seed 894 under park").isNull();
    }

    /** The switches change nothing while off: the same seeds give the same decisions with a faults object as without. */
    @Test
    void aFaultsObjectWithEveryBugOffChangesNoSchedule() {
        for (long seed = 1; seed <= 5; seed++) {
            Outcome plain = explorer("park", null).run(Explorer.Strategy.RANDOM, seed);
            Outcome off = explorer("park", f -> {}).run(Explorer.Strategy.RANDOM, seed);
            assertThat(off.decisions()).isEqualTo(plain.decisions());
            assertThat(off.virtualNs()).isEqualTo(plain.virtualNs());
        }
    }

    @Test
    void aFailureReplaysToTheSameOutcomeFromItsDecisions() {
        Explorer e = explorer("park", f -> f.parkWithoutWakeFlag = true);
        Outcome o = find(e, Explorer.Strategy.RANDOM, "park without its wake flag");
        Replay r = Replay.parse(Replay.of(e, o).format());
        assertThat(r.seed()).isEqualTo(o.seed());
        assertThat(r.decisions()).isEqualTo(o.decisions());
        assertThat(r.godebug()).isEqualTo(Map.of("gcwakeup", "park"));
        for (int i = 0; i < 3; i++) {
            Outcome again = e.replay(r.seed(), r.decisions());
            assertThat(again.failure()).isEqualTo(o.failure());
            assertThat(again.decisions()).isEqualTo(o.decisions());
            assertThat(again.virtualNs()).isEqualTo(o.virtualNs());
        }
        // the same seed without the bug passes: the failure is the bug's
        Outcome fixed = explorer("park", null).run(Explorer.Strategy.RANDOM, o.seed());
        assertThat(fixed.failure()).isNull();
    }

    /** Simulations on several host threads at once share nothing: the same failures, with the same decisions, as one at a time. */
    @Test
    void aParallelCampaignFindsWhatASerialOneFinds() {
        Explorer e = explorer("park", f -> f.parkWithoutWakeFlag = true);
        Explorer.Campaign serial = e.explore(Explorer.Strategy.RANDOM, 1, 40, 0, null, 1);
        Explorer.Campaign parallel = e.explore(Explorer.Strategy.RANDOM, 1, 40, 0, null, 3);
        assertThat(serial.failures()).isNotEmpty();
        assertThat(parallel.schedules()).isEqualTo(40);
        assertThat(parallel.failures()).hasSameSizeAs(serial.failures());
        for (int i = 0; i < serial.failures().size(); i++) {
            Outcome a = serial.failures().get(i);
            Outcome b = parallel.failures().get(i);
            assertThat(b.seed()).isEqualTo(a.seed());
            assertThat(b.decisions()).isEqualTo(a.decisions());
            assertThat(b.failure()).isEqualTo(a.failure());
        }
        System.out.printf("explore: park without its wake flag failed %d of 40 random schedules (seeds %s)%n", serial.failures().size(),
                serial.failures().stream().map(Outcome::seed).toList());
    }

    /**
     * A campaign split by seed range (as over several machines) adds up to the whole: seeds 10..15
     * and 16..21 fail on the same seeds, with the same decisions and oracles, as 10..21 in one go
     * (a range where every strategy fails at least once).
     */
    @Test
    void twoSeedRangesFindWhatTheirUnionFinds() {
        Explorer e = explorer("note", f -> f.noteClearedAtWait = true);
        for (Explorer.Strategy st : Explorer.Strategy.values()) {
            Explorer.Campaign whole = e.explore(st, 10, 12, 0, null);
            Explorer.Campaign first = e.explore(st, 10, 6, 0, null);
            Explorer.Campaign second = e.explore(st, 16, 6, 0, null);
            List<Outcome> union = new java.util.ArrayList<>(first.failures());
            union.addAll(second.failures());
            assertThat(first.schedules() + second.schedules()).isEqualTo(whole.schedules());
            assertThat(whole.failures()).as("%s failures", st.flag()).isNotEmpty();
            assertThat(union.stream().map(Outcome::seed).toList()).isEqualTo(whole.failures().stream().map(Outcome::seed).toList());
            for (int i = 0; i < union.size(); i++) {
                assertThat(union.get(i).decisions()).isEqualTo(whole.failures().get(i).decisions());
                assertThat(union.get(i).failure()).isEqualTo(whole.failures().get(i).failure());
            }
        }
    }

    @Test
    void posRedrawsThePriorityOfTheThreadThatRan() {
        PosChooser c = new PosChooser(7);
        int[] two = {3, 5};
        int first = c.choose(two, 2);
        // over many decisions both threads run (a fixed priority would pick the same one for ever)
        java.util.Set<Integer> ran = new java.util.HashSet<>();
        ran.add(two[first]);
        for (int i = 0; i < 50; i++) {
            ran.add(two[c.choose(two, 2)]);
        }
        assertThat(ran).containsExactlyInAnyOrder(3, 5);
        // the same seed, the same choices
        PosChooser a = new PosChooser(11);
        PosChooser b = new PosChooser(11);
        int[] three = {0, 1, 2};
        for (int i = 0; i < 100; i++) {
            assertThat(a.choose(three, 3)).isEqualTo(b.choose(three, 3));
        }
    }

    /**
     * POS's starvation bound: among five always-runnable threads (spin-waiters), none is passed
     * over more than {@link PosChooser#STARVATION_BOUND} decisions in a row, whatever its priority;
     * without the bound a waiter whose priority fell low waits until every other thread has drawn
     * below it, which over these seeds runs past the bound.
     */
    @Test
    void posPassesARunnableThreadOverAtMostItsBound() {
        int[] five = {0, 1, 2, 3, 4};
        int worst = 0;
        for (long seed = 1; seed <= 50; seed++) {
            PosChooser c = new PosChooser(seed);
            int[] waited = new int[5];
            for (int d = 0; d < 20_000; d++) {
                int chosen = c.choose(five, 5);
                for (int i = 0; i < 5; i++) {
                    waited[i] = i == chosen ? 0 : waited[i] + 1;
                    worst = Math.max(worst, waited[i]);
                }
            }
        }
        assertThat(worst).as("the longest run of decisions a runnable thread was passed over").isEqualTo(PosChooser.STARVATION_BOUND);
    }

    @Test
    void decisionListsRoundTripRunLengthEncoded() {
        int[] d = {0, 0, 0, 1, 2, 2, 0, 17, 17};
        assertThat(Replay.encode(d)).isEqualTo("0*3 1 2*2 0 17*2");
        assertThat(Replay.decode(Replay.encode(d))).isEqualTo(d);
        assertThat(Replay.decode("")).isEmpty();
    }

    static CycleRecord.Completion done(long at, long resumed) {
        return new CycleRecord.Completion(CompleterKind.DEDICATED, at, resumed, 0, 0, Enqueued.NONE);
    }

    static CycleRecord cycle(int n, CycleRecord.Completion m1, CycleRecord.Completion m2) {
        return new CycleRecord(n, false, "park", false, 4, 10, 100, 0, 0, 0, 0, 0, 0, m1, m2, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void theProtocolOracleHoldsForPhasesInOrderAndFailsOtherwise() {
        assertThat(Explorer.checkProtocol(List.of(cycle(1, done(20, 30), done(40, 50))), 1)).isNull();
        assertThat(Explorer.checkProtocol(List.of(cycle(1, done(20, 30), null)), 1).message()).contains("lacks the completion of mark 2");
        assertThat(Explorer.checkProtocol(List.of(cycle(1, done(20, 45), done(40, 50))), 1).message())
                .contains("mark 2 done at 40 ns before mark 1 transition at 45 ns");
        assertThat(Explorer.checkProtocol(List.of(cycle(1, done(20, 30), done(40, 50))), 2).message()).contains("1 cycle records for 2 cycles");
        assertThat(Explorer.checkProtocol(List.of(cycle(2, done(20, 30), done(40, 50))), 1).message()).contains("record 0 is of cycle 2");
        assertThat(Explorer.checkProtocol(null, null).oracle()).isEqualTo(Outcome.Oracle.PROTOCOL);
    }
}
