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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each way concurrent marking can complete: by a dedicated, fractional or
 * idle background worker, or by an assist, under each wakeup strategy, and completion before the
 * coordinator waits. Test knobs switch the other workers (or all of them) off so that the one
 * under test must do the marking, and leave it nobody to race: in the worker tests the workers
 * start only once mark 1 is armed (so the work it has cannot run out during the stack scan), and
 * the scheduler's own completion check (Go's, in findRunnableGCWorker), which would race the
 * worker for the completion CAS, is off during mark 1; it is back on for mark 2, which has little
 * or no work, so that the scheduler may be the one to find it complete (its liveness role in Go
 * 1.5.1). So every mark 1 is the path's, on however loaded a host, in one run. Nobody completes a
 * phase where it was armed. Every run has the watchdog, checkmark on, and must finish its cycles:
 * a lost wakeup fails by the watchdog instead of hanging the suite. Each path runs under every design and the ablations that matter
 * ({@link gort.testing.Designs}), which between them take every wakeup strategy, pacer (which
 * shares the workers and the assist ratio out) and marking; an assist alone cannot mark under Go
 * 1.6's marking, whose assists take no root jobs.
 */
class CompletionPathTest {
    static final Type NODE = Type.struct("cpt.node", "ptr,ptr,scalar");
    static final int LIVE = 20_000;
    static final int CYCLES = 4;

    static Collector collector() {
        return ((gort.api.Runtime) Sched.current().env).collector();
    }

    static Config config(int procs, String setup) {
        return gort.testing.Designs.apply(Config.defaults().withGomaxprocs(procs).withGodebug(Map.of("gccheckmark", "1"))
                .withDebugHeap(true), setup);
    }

    /** Every design, and the ablations that matter ({@link gort.testing.Designs}). */
    static Stream<String> designs() {
        return gort.testing.Designs.SETUPS.stream();
    }

    /** As {@link #designs}, for the set-ups that have a coordinator (all but none's). */
    static Stream<String> coordinatedDesigns() {
        return designs().filter(d -> config(1, d).wakeup().hasCoordinator());
    }

    /**
     * As {@link #designs}, for the set-ups whose assists can do all the marking: Go 1.6's assists
     * take no root jobs (its gcDrainN drains only the heap), so with no background worker its
     * marking never starts. AssistQueueTest covers its assists.
     */
    static Stream<String> designsWhereAssistsCanMarkAlone() {
        return designs().filter(d -> config(1, d).marking() == MarkingKind.GO15);
    }

    /** A list of n nodes hung from a new global (marking has ~n objects of work). */
    static int buildList(Heap h, int n) {
        int g = Raw.newGlobal();
        for (int i = 0; i < n; i++) {
            long node = h.alloc(NODE);
            h.storePtr(node, 0, Raw.global(g));
            h.storeInt(node, 2, i);
            Raw.setGlobal(g, node);
        }
        return g;
    }

    static long listLength(Heap h, long head) {
        long n = 0;
        for (long p = head; p != 0; p = h.loadPtr(p, 0)) {
            n++;
        }
        return n;
    }

    /**
     * Runs CYCLES forced-trigger concurrent cycles over a live list. While a cycle runs, main
     * waits by gosched, or (allocateWhileWaiting) by allocating garbage so that it assists, but
     * only while a mark phase is armed and not yet complete: an assist during the stack scan or
     * between the phases (as in Go 1.5) may drain the work before the phase is armed, and then
     * only the scheduler's check would find it complete. {@code busy} extra goroutines keep their
     * Ps running mutator code. Returns the cycles' records.
     */
    static List<CycleRecord> run(Config cfg, Consumer<Collector> knobs, int busy, boolean allocateWhileWaiting) {
        return run(cfg, knobs, busy, allocateWhileWaiting, false);
    }

    /**
     * As above; with {@code holdWorkers}, the background workers the knobs allow start only once
     * mark 1 is armed (none during the stack scan), so that the phase's work is left for them (an
     * idle or fractional worker could drain it all during the scan, and then only the scheduler's
     * check would be left to find the phase complete), and the scheduler's check is off during mark
     * 1 (else it races the worker for the completion CAS: between the worker's nwait increment and
     * its CAS, a P passing through schedule() sees the same completion point) and back on for mark 2.
     */
    static List<CycleRecord> run(Config cfg, Consumer<Collector> knobs, int busy, boolean allocateWhileWaiting, boolean holdWorkers) {
        AtomicReference<List<CycleRecord>> out = new AtomicReference<>();
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            int g = buildList(h, LIVE);
            knobs.accept(gc);
            AtomicReference<MarkDoneSignal> armed = new AtomicReference<>();
            int modes = gc.faults.workerModes;
            boolean schedulerCompletes = gc.faults.schedulerCompletes;
            gc.faults.onPhaseArmed = sig -> {
                armed.set(sig);
                gc.faults.workerModes = modes;
                if (holdWorkers) {
                    gc.faults.schedulerCompletes = schedulerCompletes && sig != gc.mark1;
                }
            };
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger running = new AtomicInteger();
            for (int i = 0; i < busy; i++) {
                running.incrementAndGet();
                Go.go("busy", () -> {
                    while (!stop.get()) {
                        for (int k = 0; k < 1000; k++) {
                            Go.poll(); // safepoints: sysmon's preemption sends this P through the scheduler
                        }
                    }
                    running.decrementAndGet();
                });
            }
            for (int c = 0; c < CYCLES; c++) {
                int n0 = gc.numGC();
                if (holdWorkers) {
                    gc.faults.workerModes = 0;
                }
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    MarkDoneSignal phase = armed.get();
                    if (allocateWhileWaiting && phase != null && !phase.isDone()) {
                        h.alloc(NODE); // garbage; each new span is an assist point
                    } else {
                        Go.gosched();
                    }
                }
                if (listLength(h, Raw.global(g)) != LIVE) {
                    throw new AssertionError("the live list was damaged by cycle " + gc.numGC());
                }
            }
            stop.set(true);
            while (running.get() > 0) {
                Go.gosched();
            }
            List<CycleRecord> recs = new ArrayList<>();
            for (CycleRecord r : gc.cycleRecords()) {
                if (!r.forced()) {
                    recs.add(r);
                }
            }
            out.set(recs);
        });
        return out.get();
    }

    static int modes(CompleterKind... ks) {
        int m = 0;
        for (CompleterKind k : ks) {
            m |= 1 << k.ordinal();
        }
        return m;
    }

    /**
     * Every mark 1 is completed by {@code kind}, and every mark 2 by {@code kind} or by the
     * scheduler's check (mark 2 may have no work for the path to find), never where the phase was
     * armed, but for none's starter when its scan left it nothing (then mark 1 has no work for
     * anyone: ArmingTest); at least one by kind.
     */
    static void assertCompletedBy(List<CycleRecord> recs, CompleterKind kind) {
        assertThat(recs).hasSizeGreaterThanOrEqualTo(CYCLES);
        List<CompleterKind> mark1 = new ArrayList<>();
        List<CompleterKind> mark2 = new ArrayList<>();
        for (CycleRecord r : recs) {
            for (CycleRecord.Completion c : List.of(r.mark1(), r.mark2())) {
                if (c.completer() == CompleterKind.COORDINATOR && r.strategy().equals(WakeupStrategy.NONE.flag())) {
                    continue; // none's starter checks a mark 1 whose scan greyed nothing into its cache (ArmingTest)
                }
                (c == r.mark1() ? mark1 : mark2).add(c.completer());
                assertThat(c.resumedNs()).as("the coordinator resumes after the completion").isGreaterThanOrEqualTo(c.doneNs());
            }
        }
        assertThat(mark1).as("mark 1 completers").containsOnly(kind);
        assertThat(mark2).as("mark 2 completers").allMatch(k -> k == kind || k == CompleterKind.SCHEDULER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aDedicatedWorkerCompletesMarking(String setup) {
        // GOMAXPROCS=4: one dedicated worker, no fractional share
        List<CycleRecord> recs = run(config(4, setup), gc -> {
            gc.faults.workerModes = modes(CompleterKind.DEDICATED);
            gc.faults.assistsDisabled = true;
        }, 2, false, true);
        assertCompletedBy(recs, CompleterKind.DEDICATED);
        assertThat(recs).allMatch(r -> r.dedicatedNs() > 0 && r.assistNs() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void aFractionalWorkerCompletesMarking(String setup) {
        // GOMAXPROCS=2: no dedicated worker, a fractional share of 0.5; busy goroutines on every P
        List<CycleRecord> recs = run(config(2, setup), gc -> {
            gc.faults.workerModes = modes(CompleterKind.FRACTIONAL);
            gc.faults.assistsDisabled = true;
        }, 2, false, true);
        assertCompletedBy(recs, CompleterKind.FRACTIONAL);
        assertThat(recs).allMatch(r -> r.fractionalNs() > 0 && r.dedicatedNs() == 0 && r.assistNs() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void anIdleWorkerCompletesMarking(String setup) {
        // GOMAXPROCS=2 with only main running: the other P is idle and marks
        List<CycleRecord> recs = run(config(2, setup), gc -> {
            gc.faults.workerModes = modes(CompleterKind.IDLE);
            gc.faults.assistsDisabled = true;
        }, 0, false, true);
        assertCompletedBy(recs, CompleterKind.IDLE);
        assertThat(recs).allMatch(r -> r.idleNs() > 0 && r.assistNs() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designsWhereAssistsCanMarkAlone")
    void anAssistCompletesMarking(String setup) {
        // no background workers at all: main's allocations pay for the whole mark
        List<CycleRecord> recs = run(config(2, setup), gc -> {
            gc.faults.workerModes = 0;
            gc.faults.minAssistRatio = 64;
            gc.faults.schedulerCompletes = false;
        }, 0, true);
        assertCompletedBy(recs, CompleterKind.ASSIST);
        assertThat(recs).allMatch(r -> r.assistNs() > 0 && r.dedicatedNs() + r.fractionalNs() + r.idleNs() == 0);
    }

    @ParameterizedTest(name = "{0}") // a coordinator's wait: none has no coordinator (its arming goroutine checks the phase at once instead)
    @MethodSource("coordinatedDesigns")
    void completionBeforeTheCoordinatorWaitsIsNotLost(String setup) {
        // the coordinator holds off its wait until an assist has completed the phase
        AtomicInteger earlyCompletions = new AtomicInteger();
        List<CycleRecord> recs = run(config(2, setup), gc -> {
            gc.faults.workerModes = 0;
            gc.faults.minAssistRatio = 64;
            gc.faults.schedulerCompletes = false;
            gc.faults.beforeMarkWait = sig -> {
                // no time bound: a completion that never comes ends by the watchdog, which stops the runtime
                while (!sig.isDone() && !gc.sched.exiting()) {
                    Thread.onSpinWait();
                }
                if (sig.isDone()) {
                    earlyCompletions.incrementAndGet();
                }
            };
        }, 0, true);
        assertThat(earlyCompletions.get()).as("completions that came before the wait").isEqualTo(2 * recs.size());
        assertCompletedBy(recs, CompleterKind.ASSIST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designs")
    void withEveryPathOnCyclesCompleteAndTheRecordsAddUp(String setup) {
        List<CycleRecord> recs = run(config(2, setup), gc -> {}, 1, true);
        assertThat(recs).hasSizeGreaterThanOrEqualTo(CYCLES);
        for (CycleRecord r : recs) {
            assertThat(r.strategy()).isEqualTo(config(2, setup).wakeup().flag());
            assertThat(r.mark1().doneNs()).isLessThanOrEqualTo(r.mark1().resumedNs());
            assertThat(r.mark1().resumedNs()).isLessThanOrEqualTo(r.mark2().doneNs());
            assertThat(r.mark2().resumedNs()).isLessThanOrEqualTo(r.endNs());
            assertThat(r.sweepTermPauseNs()).isPositive();
            assertThat(r.markTermPauseNs()).isPositive();
            assertThat(r.heapMarked()).isGreaterThanOrEqualTo(LIVE * 32L); // the list, at least
        }
    }

    /** Without the write barrier, goroutines moving pointers during marking lose objects: checkmark must say so. */
    @org.junit.jupiter.api.Test
    void checkmarkCatchesWhatTheConcurrentMarkLosesWithoutTheWriteBarrier() {
        assertThatThrownBy(() -> Rt.run(config(2, "gcdesign=go1.5.1").withGcFaults(new GcFaults(true)), 60, () -> {
            Heap h = Raw.heap();
            Collector gc = collector();
            gc.faults.workerModes = modes(CompleterKind.IDLE);
            int holders = Raw.newGlobal();
            Raw.setGlobal(holders, h.allocArray(Type.PTR, 64));
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            for (int i = 0; i < 64; i++) {
                h.storePtr(Raw.global(holders), i, h.alloc(NODE));
            }
            for (int round = 0; round < 2_000; round++) {
                int n0 = gc.numGC();
                gc.triggerConcurrentCycle();
                while (gc.numGC() == n0) {
                    // move objects between holders: hide a white object behind a scanned one
                    int a = rnd.nextInt(64);
                    int b = rnd.nextInt(64);
                    long arr = Raw.global(holders);
                    long x = h.loadPtr(h.loadPtr(arr, a), 0);
                    long fresh = h.alloc(NODE); // a safepoint: x is reloaded below
                    arr = Raw.global(holders);
                    x = h.loadPtr(h.loadPtr(arr, a), 0);
                    h.storePtr(fresh, 0, x);
                    h.storePtr(h.loadPtr(arr, a), 0, 0);
                    h.storePtr(h.loadPtr(arr, b), 1, fresh);
                    h.storePtr(arr, a, fresh);
                }
            }
        }))
                .isInstanceOf(FatalError.class)
                .hasMessageContaining("checkmark found unmarked object");
    }
}
