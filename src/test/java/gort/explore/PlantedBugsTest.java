package gort.explore;

import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.GcFaults;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The planted bugs beyond the two lost wakeups of {@link ExplorerTest}, each on the scenario that
 * exposes it: the explorer finds it from a fixed starting schedule within a small bound (how many
 * schedules it took is printed), and the unmodified runtime passes the very schedules that were
 * run to find it, so the failure is the bug's. Also Go 1.5.1's hang under note and blocking
 * assists, which gort's scenario does not show although its assists do sleep.
 */
class PlantedBugsTest {
    /** Far above what each bug takes from the start used (1 to 4 schedules when measured), so that a changed runtime has room. */
    static final int BOUND = 200;

    static Explorer explorer(String scenario, Map<String, String> godebug, Consumer<GcFaults> fault) {
        return new Explorer(Scenarios.byName(scenario), godebug, fault == null ? null : () -> {
            GcFaults g = new GcFaults();
            fault.accept(g);
            return g;
        });
    }

    /**
     * Explores scenario from seed 1 under the fault until the first failure, asserts it is found
     * with that oracle and message, then runs the same schedules on the unmodified runtime and
     * asserts that each passes.
     */
    static Outcome findsAndCleanPasses(String bug, String scenario, Map<String, String> godebug, Explorer.Strategy st,
            Consumer<GcFaults> fault, Outcome.Oracle oracle, String message) {
        Explorer.Campaign c = explorer(scenario, godebug, fault).explore(st, 1, BOUND, 1, null);
        assertThat(c.failures()).as("%s on %s under %s within %d schedules", bug, scenario, st.flag(), BOUND).hasSize(1);
        Outcome o = c.failures().get(0);
        System.out.printf("explore: %s found on %s %s by %s after %d schedules (seed %d): %s%n", bug, scenario, godebug, st.flag(),
                c.schedules(), o.seed(), o.failure().headline());
        assertThat(o.failure().oracle()).isEqualTo(oracle);
        assertThat(o.failure().message()).contains(message);
        Explorer.Campaign clean = explorer(scenario, godebug, null).explore(st, 1, c.schedules(), 0, null);
        assertThat(clean.schedules()).isEqualTo(c.schedules());
        assertThat(clean.failures()).as("the unmodified runtime on the same schedules").isEmpty();
        return o;
    }

    /** Mark 1's transition keeps its ragged barrier but not the caches' flush: mark 2 is declared complete with greys in a P's cache. */
    @Test
    void completionWithGreyObjectsInAPsCacheIsFound() {
        findsAndCleanPasses("mark 1's transition without the caches' flush", "assist", Map.of("gcwakeup", "park"),
                Explorer.Strategy.RANDOM, f -> f.markDoneWithoutFlush = true, Outcome.Oracle.FATAL, "declared complete with work left");
    }

    /** A root job counted done when claimed: a phase is declared complete while a stack scan runs (Go's "scan missed a g"). */
    @Test
    void aRootJobCountedDoneWhenClaimedIsFound() {
        findsAndCleanPasses("a root job counted done when claimed", "markterm", Map.of("gcdesign", "go1.6"), Explorer.Strategy.RANDOM,
                f -> f.rootJobDoneAtClaim = true, Outcome.Oracle.FATAL, "scan missed a g");
    }

    /** Background credit pays a parked assist, takes it off the queue, and loses its ready: its goroutine never runs again. */
    @Test
    void aPaidAssistWhoseReadyIsLostIsFound() {
        findsAndCleanPasses("a paid assist's lost ready", "assist", Map.of("gcdesign", "go1.6"), Explorer.Strategy.RANDOM,
                f -> f.assistReadyLost = true, Outcome.Oracle.FATAL, "deadlock");
    }

    /** A spinning M that stops without looking at the run queues again strands a goroutine behind a busy-waiter. */
    @Test
    void aSpinningMThatStopsWithoutRecheckingIsFound() {
        findsAndCleanPasses("a spinning M stopping without the re-check", "parallel", Map.of(), Explorer.Strategy.RANDOM,
                f -> f.sched.stopWithoutRecheck = true, Outcome.Oracle.HANG, "a runnable goroutine waited while a P was idle");
    }

    /**
     * Go 1.5.1 could stall under note with its blocking assists; gort's assistblock scenario under
     * note and gcassistblock=1 makes assists sleep in its schedules (counted here) and none hangs:
     * an assist that wakes from its sleep and finds no work counts itself out and signals the
     * completion point itself, and a P handed off while a phase is armed is started for the GC's
     * checks (docs/ARCHITECTURE.md, simplifications).
     */
    @Test
    void noteWithBlockingAssistsSleepsButDoesNotHang() {
        Scenario base = Scenarios.byName("assistblock");
        AtomicLong sleeps = new AtomicLong();
        AtomicLong sleptIn = new AtomicLong();
        Scenario counting = new ThenScenario(base, base.name(), base.description(), () -> {
            long n = ((gort.api.Runtime) gort.sched.Sched.current().env).collector().assistBlocks()[0];
            sleeps.addAndGet(n);
            sleptIn.addAndGet(n > 0 ? 1 : 0);
        });
        Explorer e = new Explorer(counting, Map.of("gcwakeup", "note", "gcassistblock", "1"), null);
        Explorer.Campaign c = e.explore(Explorer.Strategy.RANDOM, 1, 12, 0, null);
        System.out.printf("explore: assistblock under note, gcassistblock=1: %d schedules, %d failed, %d assist sleeps in %d of them%n",
                c.schedules(), c.failures().size(), sleeps.get(), sleptIn.get());
        assertThat(c.failures()).isEmpty();
        assertThat(sleptIn.get()).as("schedules in which an assist slept").isGreaterThanOrEqualTo(c.schedules() / 2);
    }
}
