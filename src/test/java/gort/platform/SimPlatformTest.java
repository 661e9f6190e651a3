package gort.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated platform alone, without a runtime: one thread at a time, choices from the seed
 * only, futex semantics, virtual time and deadlock reports. The timeouts guard against a hang of
 * the simulator itself; no assertion reads the host's clock.
 */
@Timeout(60)
class SimPlatformTest {

    /** What a simulated run left behind: its decisions, its end time and the program's own log. */
    record Outcome(List<Integer> decisions, long endNs, List<String> log) {}

    /**
     * Runs {@code body} as the attached main thread of a fresh simulation and returns its outcome;
     * the calling thread leaves the simulation at the end even if the body throws.
     */
    static Outcome simulate(SimPlatform p, Consumer<SimPlatform> body) {
        p.attach("main");
        try {
            body.accept(p);
            // let threads that signalled their end finish ending, so the end time is the run's
            for (int i = 0; i < 10_000 && p.liveThreads() > 1; i++) {
                p.osyield();
            }
        } finally {
            p.detach();
        }
        List<Integer> d = new ArrayList<>();
        for (int id : p.decisions()) {
            d.add(id);
        }
        return new Outcome(d, p.now(), List.of());
    }

    /** Starts {@code n} threads running {@code body(i)} and waits (on a futex) until every one has ended. */
    static void forkJoin(SimPlatform p, int n, java.util.function.IntConsumer body) {
        Futex done = new Futex();
        for (int i = 0; i < n; i++) {
            int k = i;
            p.newosproc("worker-" + i, null, () -> {
                body.accept(k);
                done.xadd(1);
                p.futexwakeup(done, 1);
            });
        }
        int v;
        while ((v = done.load()) < n) {
            p.futexsleep(done, v, -1);
        }
    }

    /** Three threads take turns under a runtime mutex; the order they got it in is the program's log. */
    static Outcome contended(long seed) {
        SimPlatform p = new SimPlatform(seed, 4);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Outcome o = simulate(p, sim -> {
            RuntimeMutex mu = new RuntimeMutex(sim);
            forkJoin(sim, 3, i -> {
                for (int j = 0; j < 5; j++) {
                    mu.lock();
                    log.add(i + ":" + j + "@" + sim.nanotime());
                    mu.unlock();
                    sim.osyield();
                }
            });
        });
        return new Outcome(o.decisions(), o.endNs(), List.copyOf(log));
    }

    @Test
    void theSameSeedGivesTheSameDecisionsEndTimeAndInterleaving() {
        Outcome a = contended(42);
        Outcome b = contended(42);
        assertThat(a.decisions()).hasSizeGreaterThan(30);
        assertThat(b.decisions()).isEqualTo(a.decisions());
        assertThat(b.endNs()).isEqualTo(a.endNs());
        assertThat(b.log()).isEqualTo(a.log());
        assertThat(a.log()).hasSize(15);
    }

    @Test
    void anotherSeedGivesOtherDecisions() {
        Outcome a = contended(42);
        // a single other seed could coincide by chance; among five, at least one must differ
        List<List<Integer>> others = new ArrayList<>();
        for (long s = 1; s <= 5; s++) {
            others.add(contended(s).decisions());
        }
        assertThat(others).anyMatch(d -> !d.equals(a.decisions()));
        // and the program's interleaving is the seed's: not every seed gives the same log
        assertThat(java.util.stream.LongStream.rangeClosed(1, 5).mapToObj(s -> contended(s).log()).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void aRecordedRunReplaysExactly() {
        Outcome a = contended(7);
        int[] rec = a.decisions().stream().mapToInt(Integer::intValue).toArray();
        SimPlatform p = SimPlatform.replay(7, 4, rec);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        simulate(p, sim -> {
            RuntimeMutex mu = new RuntimeMutex(sim);
            forkJoin(sim, 3, i -> {
                for (int j = 0; j < 5; j++) {
                    mu.lock();
                    log.add(i + ":" + j + "@" + sim.nanotime());
                    mu.unlock();
                    sim.osyield();
                }
            });
        });
        assertThat(log).isEqualTo(a.log());
        assertThat(p.decisions()).containsExactly(rec);
        assertThat(p.now()).isEqualTo(a.endNs());
    }

    /**
     * The threads newosproc makes are continuations on one host thread, the driver: their bodies
     * all run on the same host thread, which is none of them and not the attached one, none of
     * them is ever started as a host thread, and the driver answers for each with that thread's
     * owner while it runs it.
     */
    @Test
    void newosprocThreadsAreContinuationsOnOneHostThread() {
        SimPlatform p = new SimPlatform(11, 4);
        List<Thread> hosts = Collections.synchronizedList(new ArrayList<>());
        List<String> owners = Collections.synchronizedList(new ArrayList<>());
        List<OsThread> made = new ArrayList<>();
        Thread attached = Thread.currentThread();
        simulate(p, sim -> {
            Futex done = new Futex();
            for (int i = 0; i < 3; i++) {
                String owner = "m" + i;
                made.add(sim.newosproc("worker-" + i, owner, () -> {
                    for (int j = 0; j < 4; j++) {
                        hosts.add(Thread.currentThread());
                        owners.add(owner + "=" + sim.currentOwner());
                        sim.osyield();
                    }
                    done.xadd(1);
                    sim.futexwakeup(done, 1);
                }));
            }
            int v;
            while ((v = done.load()) < 3) {
                sim.futexsleep(done, v, -1);
            }
        });
        assertThat(hosts).hasSize(12);
        assertThat(hosts.stream().distinct().count()).isEqualTo(1);
        assertThat(hosts.get(0)).isNotSameAs(attached).isInstanceOf(OsThread.class).isNotIn(made.toArray());
        assertThat(made).allMatch(t -> t.getState() == Thread.State.NEW);
        assertThat(owners).allMatch(s -> s.startsWith("m") && s.substring(0, 2).equals(s.substring(3)));
    }

    @Test
    void oneThreadRunsAtATime() {
        SimPlatform p = new SimPlatform(3, 8);
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        simulate(p, sim -> forkJoin(sim, 6, i -> {
            for (int j = 0; j < 20; j++) {
                int now = inside.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                for (int k = 0; k < 1000; k++) {
                    Thread.onSpinWait(); // host time in which another host thread could run, if it were let
                }
                inside.decrementAndGet();
                sim.osyield();
            }
        }));
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void aWakeupAfterTheStoreIsNeverLost() {
        // the waiter reads the word, then sleeps on the value it read; the waker stores, then wakes;
        // under every interleaving these seeds pick, the waiter must end (a lost wakeup is a
        // reported deadlock)
        for (long seed = 1; seed <= 200; seed++) {
            SimPlatform p = new SimPlatform(seed, 2);
            Futex f = new Futex();
            simulate(p, sim -> {
                Futex done = new Futex();
                sim.newosproc("waiter", null, () -> {
                    int v;
                    while ((v = f.load()) == 0) {
                        sim.osyield(); // the store and the wakeup may come between the check and the sleep
                        sim.futexsleep(f, v, -1);
                    }
                    done.store(1);
                    sim.futexwakeup(done, 1);
                });
                sim.newosproc("waker", null, () -> {
                    sim.osyield();
                    f.store(1);
                    sim.futexwakeup(f, 1);
                });
                while (done.load() == 0) {
                    sim.futexsleep(done, 0, -1);
                }
            });
            assertThat(p.failure()).as("seed %d", seed).isNull();
        }
    }

    @Test
    void sleepingOnAChangedWordReturnsAtOnce() {
        SimPlatform p = new SimPlatform(1, 1);
        Futex f = new Futex();
        f.store(1);
        simulate(p, sim -> {
            long t0 = sim.now();
            sim.futexsleep(f, 0, -1); // the only thread: had it slept, this would be a deadlock
            assertThat(sim.now() - t0).isEqualTo(SimCost.PLATFORM_CALL_NS);
        });
        assertThat(p.failure()).isNull();
    }

    @Test
    void aWakeupWakesAtMostCntSleepersLongestSleepingFirst() {
        SimPlatform p = new SimPlatform(5, 4);
        List<String> woke = Collections.synchronizedList(new ArrayList<>());
        simulate(p, sim -> {
            Futex f = new Futex();
            for (int i = 0; i < 3; i++) {
                int k = i;
                sim.newosproc("sleeper-" + i, null, () -> {
                    sim.futexsleep(f, 0, -1);
                    woke.add("sleeper-" + k);
                });
                // let each go to sleep before the next starts, so the sleep order is 0, 1, 2
                while (sim.sleepers(f) <= i) {
                    sim.osyield();
                }
            }
            sim.futexwakeup(f, 2);
            for (int j = 0; j < 50; j++) {
                sim.osyield(); // plenty of decision points for the woken ones to run
            }
            assertThat(woke).containsExactlyInAnyOrder("sleeper-0", "sleeper-1");
            assertThat(sim.sleepers(f)).isEqualTo(1);
            sim.futexwakeup(f, 5);
            for (int j = 0; j < 50; j++) {
                sim.osyield();
            }
            assertThat(woke).hasSize(3);
        });
    }

    @Test
    void aTimeoutAdvancesVirtualTimeExactly() {
        SimPlatform p = new SimPlatform(1, 1);
        simulate(p, sim -> {
            Futex f = new Futex();
            long t0 = sim.now();
            sim.futexsleep(f, 0, 5_000_000);
            assertThat(sim.now() - t0).isEqualTo(SimCost.PLATFORM_CALL_NS + 5_000_000);
            long t1 = sim.now();
            sim.usleep(7);
            assertThat(sim.now() - t1).isEqualTo(SimCost.PLATFORM_CALL_NS + 7_000);
            long t2 = sim.now();
            long read = sim.nanotime();
            assertThat(read).isEqualTo(t2 + SimCost.PLATFORM_CALL_NS);
        });
    }

    @Test
    void aSleeperWakesWhenOthersWorkPastItsDeadline() {
        SimPlatform p = new SimPlatform(9, 2);
        List<Long> at = new ArrayList<>();
        simulate(p, sim -> {
            Futex stop = new Futex();
            sim.newosproc("spinner", null, () -> {
                while (stop.load() == 0) {
                    sim.osyield(); // each call costs virtual time
                }
            });
            long t0 = sim.nanotime();
            sim.usleep(50);
            at.add(sim.now() - t0);
            stop.store(1);
        });
        // woken at its deadline (50 µs after the call's cost), not later than one more call's cost
        assertThat(at.get(0)).isBetween(SimCost.PLATFORM_CALL_NS + 50_000, 2 * SimCost.PLATFORM_CALL_NS + 50_000);
    }

    @Test
    void aDeadlockNamesTheBlockedThreadsAndWhatTheyWaitOn() {
        SimPlatform p = new SimPlatform(1, 2);
        Futex a = new Futex();
        RuntimeMutex b = new RuntimeMutex(p);
        assertThatThrownBy(() -> simulate(p, sim -> {
            sim.newosproc("first", null, () -> sim.futexsleep(a, 0, -1));
            sim.newosproc("second", null, () -> sim.futexsleep(b, 0, -1));
            Futex never = new Futex();
            sim.futexsleep(never, 0, -1);
        })).isInstanceOf(SimDeadlock.class)
                .hasMessageContaining("every thread is blocked")
                .hasMessageContaining("main (thread 0): futex Futex#")
                .hasMessageContaining("first (thread 1): futex Futex#")
                .hasMessageContaining("second (thread 2): futex RuntimeMutex#");
        assertThat(p.failure()).contains("first", "second", "main");
    }

    @Test
    void aRunThatOnlySleepsEndsAtItsTimeLimit() {
        SimPlatform p = new SimPlatform(1, 2).limitTime(50_000_000);
        assertThatThrownBy(() -> simulate(p, sim -> {
            sim.newosproc("poller", null, () -> {
                for (;;) {
                    sim.usleep(10_000); // as sysmon polls a P that never changes
                }
            });
            sim.futexsleep(new Futex(), 0, -1);
        })).isInstanceOf(SimDeadlock.class).hasMessageContaining("virtual time limit of 50000000 ns")
                .hasMessageContaining("poller (thread 1): blocked until");
        assertThat(p.now()).isLessThanOrEqualTo(50_000_000);
    }

    /** Two threads that spin through platform calls never let the clock jump: the limit ends them at a call. */
    @Test
    void aRunThatSpinsEndsAtItsTimeLimit() {
        SimPlatform p = new SimPlatform(1, 2).limitTime(5_000_000);
        assertThatThrownBy(() -> simulate(p, sim -> {
            sim.newosproc("spinner", null, () -> {
                for (;;) {
                    sim.osyield();
                }
            });
            for (;;) {
                sim.procyield(1);
            }
        })).isInstanceOf(SimDeadlock.class).hasMessageContaining("virtual time limit of 5000000 ns while threads ran");
        assertThat(p.now()).isLessThanOrEqualTo(5_000_000 + gort.platform.SimCost.PLATFORM_CALL_NS);
        assertThat(p.decisionCount()).isLessThanOrEqualTo((int) (5_000_000 / gort.platform.SimCost.PLATFORM_CALL_NS) + 1);
    }

    @Test
    void ncpuIsAParameterNotTheHosts() {
        assertThat(new SimPlatform(1, 256).ncpu()).isEqualTo(256);
        assertThatThrownBy(() -> new SimPlatform(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fastrandSeedsComeFromTheSeed() {
        SimPlatform a = new SimPlatform(1, 1);
        SimPlatform b = new SimPlatform(2, 1);
        assertThat(a.fastrandSeed(3)).isEqualTo(new SimPlatform(1, 1).fastrandSeed(3)).isNotEqualTo(b.fastrandSeed(3));
        assertThat(a.fastrandSeed(3) & 1).isEqualTo(1);
    }

    @Test
    void aThreadOutsideTheSimulationMayNotBlockInIt() {
        SimPlatform p = new SimPlatform(1, 1);
        assertThatThrownBy(() -> p.futexsleep(new Futex(), 0, -1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a thread of the simulation");
        assertThat(p.nanotime()).isEqualTo(0); // reading virtual time is no decision point
    }
}
