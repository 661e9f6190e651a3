package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.api.Raw;
import gort.heap.Type;
import gort.sched.G;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Go 1.6's assist queue (go16 marking): an assist that can neither steal credit nor find work
 * parks on it, and background workers' flushed scan work pays the parked assists, in order,
 * before any is left for the credit pool (gcFlushBgCredit). Each test holds marking open with no
 * background worker allowed, so the queue is driven only by what the test does.
 */
class AssistQueueTest {
    static final Type NODE = Type.struct("aq.node", "ptr,ptr,scalar");
    /** Far above what the controller asks on these small heaps, so the queue converts with exactly this. */
    static final double RATIO = 1000;

    static Config go16(int procs) {
        return Config.defaults().withGomaxprocs(procs).withDesign(Design.GO1_6).withGodebug(Map.of("gccheckmark", "1"));
    }

    /**
     * Yields until cond holds; fails naming what never happened after a bound far beyond what a
     * loaded host needs (a hang guard, not a timing assertion).
     */
    static void await(BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Go.gosched();
        }
    }

    static boolean parkedOnQueue(Collector gc, G g) {
        return g != null && gc.assistQueue.queued(g) && g.status() == G.WAITING && g.waitReason().equals("GC assist wait");
    }

    @Test
    void aFlushPaysParkedAssistsInOrderMovesAPartlyPaidOneBackAndCreditsTheRest() {
        AtomicReference<String> failure = new AtomicReference<>();
        Rt.run(go16(2), () -> {
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            CompletionPathTest.buildList(h, 2_000);
            int modes = gc.faults.workerModes;
            gc.faults.workerModes = 0; // nobody marks or flushes credit: the test does
            gc.faults.assistsDisabled = true;
            gc.faults.minAssistRatio = RATIO;
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle();
            Pacer pacer = (Pacer) gc.controller();
            assertThat(gc.assistQueue.assistRatio()).isEqualTo(RATIO);
            long[] debts = {100, 1000, 50};
            G[] gs = new G[3];
            AtomicInteger resumed = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                int k = i;
                Go.go("debtor", () -> {
                    G self = Sched.getg();
                    self.gcAssistBytes = -debts[k];
                    gs[k] = self;
                    if (!gc.assistQueue.park(self)) {
                        failure.set("debtor " + k + " found credit and did not park");
                    }
                    resumed.incrementAndGet();
                });
                await(() -> parkedOnQueue(gc, gs[k]), "debtor " + k + " parked");
            }
            long parks = gc.assistQueue.parks.get();
            assertThat(gc.assistQueue.queuedInOrder()).containsExactly(gs[0], gs[1], gs[2]);
            long credit0 = pacer.bgScanCredit();
            long work0 = pacer.scanWorkDone();

            // 150 bytes' worth: the first (100) is paid and readied, the second (1000) gets the other 50 and goes to the back
            gc.assistQueue.flush((long) (150 * RATIO));
            assertThat(gs[0].status()).as("the assist paid in full is readied").isNotEqualTo(G.WAITING);
            assertThat(gs[0].gcAssistBytes).isZero();
            assertThat(gs[1].gcAssistBytes).as("the partly paid assist's debt").isEqualTo(-950);
            assertThat(gs[2].gcAssistBytes).isEqualTo(-50);
            assertThat(gc.assistQueue.queuedInOrder()).as("the partly paid assist moved to the back").containsExactly(gs[2], gs[1]);
            assertThat(gc.assistQueue.paidByCredit.get()).isEqualTo(1);
            assertThat(pacer.bgScanCredit()).as("nothing left over for the pool").isEqualTo(credit0);
            assertThat(pacer.scanWorkDone() - work0).as("scan work that paid assists still counts as done").isEqualTo((long) (150 * RATIO));

            // 2000 bytes' worth: both are paid (50, then 950) and 1000 bytes' worth goes to the pool
            gc.assistQueue.flush((long) (2000 * RATIO));
            assertThat(gc.assistQueue.queuedInOrder()).isEmpty();
            assertThat(gs[1].gcAssistBytes).isZero();
            assertThat(gs[2].gcAssistBytes).isZero();
            assertThat(gc.assistQueue.paidByCredit.get()).isEqualTo(3);
            assertThat(pacer.bgScanCredit() - credit0).as("the leftover, as scan work").isEqualTo((long) (1000 * RATIO));
            assertThat(pacer.scanWorkDone() - work0).isEqualTo((long) (2150 * RATIO));
            await(() -> resumed.get() == 3, "every paid assist ran again");
            assertThat(gc.assistQueue.parks.get()).isEqualTo(parks);
            assertThat(gc.numGC()).as("all of it during the cycle").isEqualTo(n0);

            gc.faults.workerModes = modes;
            await(() -> gc.numGC() > n0, "the cycle ended once workers could mark");
        });
        assertThat(failure.get()).isNull();
    }

    @Test
    void anAssistThatCannotPayParksOnTheQueueAndBackgroundCreditReadiesItDuringMarking() {
        AtomicReference<long[]> out = new AtomicReference<>();
        Rt.run(go16(2), () -> {
            Heap h = Raw.heap();
            Collector gc = AssistTest.collector();
            CompletionPathTest.buildList(h, 20_000);
            int modes = gc.faults.workerModes;
            gc.faults.workerModes = 0; // no worker yet: the roots stay unscanned jobs, so an assist finds no work
            gc.faults.minAssistRatio = 64;
            int n0 = gc.numGC();
            gc.triggerConcurrentCycle();
            AtomicReference<G> debtor = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            Go.go("debtor", () -> {
                debtor.set(Sched.getg());
                Raw.heap().alloc(NODE); // its first allocation of the cycle puts it in debt
                done.set(true);
            });
            await(() -> parkedOnQueue(gc, debtor.get()), "the debtor parked on the assist queue");
            long[] r = new long[4];
            r[0] = gc.assistQueue.parks.get();
            r[1] = gc.assistQueue.paidByCredit.get();
            r[2] = debtor.get().gcAssistBytes;
            gc.faults.workerModes = modes; // workers take the root jobs, drain, and flush their credit
            await(done::get, "the debtor ran again");
            r[3] = gc.assistQueue.paidByCredit.get();
            await(() -> gc.numGC() > n0, "the cycle ended");
            out.set(r);
        });
        long[] r = out.get();
        assertThat(r[0]).as("assists parked").isEqualTo(1);
        assertThat(r[1]).as("paid before any worker ran").isZero();
        assertThat(r[2]).as("the parked assist's account").isNegative();
        assertThat(r[3]).as("assists readied by background credit").isEqualTo(1);
        // (whether the debtor then ran before the cycle ended is the host's schedule: readied by
        // credit, not by the end of marking, is what paidByCredit says)
    }
}
