package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.HeapStats;
import gort.heap.Type;
import gort.sched.Sched;
import gort.testing.Rt;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Go 1.19's soft memory limit under the go118 pacer, on the whole runtime. A live set of L = 24 MiB
 * (pointer arrays, so that marking has work and assists pace the mutator) with GOGC=100 paces its
 * heap to about 2L; with a limit of 1.5L the pacer's goal becomes the limit less 1 MiB of headroom
 * and the heap at mark termination stays under the limit, while the same workload without the
 * limit ends every cycle over it (so the test fails if the limit is ignored).
 *
 * <p>Assists block on unpaid debt ({@code gcassistblock=1}): Go 1.19 parks an assist that can
 * neither steal credit nor find work, as Go 1.5.1 as released slept on it.
 *
 * <p>What is asserted is what the pacer decided, which does not depend on how much CPU the host
 * gives: every cycle's goal and every trigger it set leave the headroom under the limit, where
 * without the limit every goal is over it. How far over its goal a cycle ends depends on the host
 * — the limit is soft in Go as well: a cycle whose marking runs long (mark 1 ends late when the
 * mutator allocates faster than the assists find work, which a loaded host makes more likely)
 * ends over it, and Go's revise lets such a cycle's goal stretch up to (1 + GOGC/100) × goal; a
 * heap over the limit then leaves more pages mapped, which lowers the next goal (the pacer counts
 * mapped memory: pages of object and manual spans; gort has no scavenger and counts free pages as
 * returned). So of the outcome the test asks only what follows from the pacer's decisions on any
 * host: a cycle of the unlimited run ends no lower than its trigger, over the limit, and the
 * limited run's median cycle ends lower than the unlimited run's. No wall time is read.
 */
class MemoryLimitTest {
    static final long MB = 1 << 20;
    /** The live set: 3072 pointer arrays of 1023 words (8 KiB with the header, a size class of its own). */
    static final int LIVE_ARRAYS = 3072;
    static final int ARRAY_WORDS = 1023;
    static final long ARRAY_BYTES = 8 * 1024;
    static final long LIVE = LIVE_ARRAYS * ARRAY_BYTES; // 24 MiB
    static final long LIMIT = LIVE * 3 / 2; // 36 MiB
    /** What the churn allocates after the live set is built: enough for the cycle counts asserted below. */
    static final long CHURN = 480 * MB;

    record Outcome(List<CycleRecord> cycles, long maxMapped, long heapSys) {
        long overLimit() {
            return cycles.stream().filter(r -> r.heapAtTermination() > LIMIT).count();
        }

        long medianAtTermination() {
            long[] t = cycles.stream().mapToLong(CycleRecord::heapAtTermination).sorted().toArray();
            return t[t.length / 2];
        }

        @Override
        public String toString() {
            return cycles.size() + " cycles, " + overLimit() + " ending over the limit, median heap at termination "
                    + medianAtTermination() + " B, max mapped " + maxMapped + " B, HeapSys " + heapSys + " B (limit " + LIMIT + " B)";
        }
    }

    static Outcome run(long limit) {
        Config cfg = Config.defaults().withGomaxprocs(2).withGogc(100).withPacer(PacerKind.GO118)
                .withGodebug(Config.parseGodebug("gccheckmark=1,gcassistblock=1")).withMemoryLimit(limit);
        AtomicReference<Outcome> out = new AtomicReference<>();
        Rt.run(cfg, 120, () -> {
            Heap h = Raw.heap();
            Collector gc = ((gort.api.Runtime) Sched.current().env).collector();
            int g = Raw.newGlobal();
            Raw.setGlobal(g, h.allocArray(Type.PTR, LIVE_ARRAYS));
            for (int i = 0; i < LIVE_ARRAYS; i++) {
                long a = h.allocArray(Type.PTR, ARRAY_WORDS);
                h.storePtr(a, 0, Raw.global(g));
                h.storePtr(Raw.global(g), i, a);
            }
            Go.gc(); // the live set is built: the cycles from here on are the measured ones
            int warm = gc.numGC();
            SplittableRandom rnd = new SplittableRandom(11);
            long maxMapped = 0;
            for (long allocated = 0, n = 0; allocated < CHURN; n++) {
                long a = h.allocArray(Type.PTR, ARRAY_WORDS);
                allocated += ARRAY_BYTES;
                if ((n & 3) == 0) { // a quarter replaces live arrays; the rest is garbage
                    h.storePtr(a, 0, Raw.global(g));
                    h.storePtr(Raw.global(g), rnd.nextInt(LIVE_ARRAYS), a);
                }
                if ((n & 127) == 0) {
                    HeapStats s = gc.heap().readStats();
                    maxMapped = Math.max(maxMapped, s.heapInuse() + s.manualInuse());
                }
            }
            for (int i = 0; i < LIVE_ARRAYS; i++) {
                if (h.loadPtr(h.loadPtr(Raw.global(g), i), 0) != Raw.global(g)) {
                    throw new AssertionError("live array " + i + " was damaged");
                }
            }
            List<CycleRecord> recs = new ArrayList<>();
            for (CycleRecord r : gc.cycleRecords()) {
                if (!r.forced() && r.cycle() > warm) {
                    recs.add(r);
                }
            }
            out.set(new Outcome(recs, maxMapped, gc.heap().heapSys()));
        });
        return out.get();
    }

    @Test
    void theLimitHoldsTheHeapUnderItWhereGogcAloneGoesOver() {
        Outcome free = run(Config.NO_MEMORY_LIMIT);
        Outcome limited = run(LIMIT);
        // without the limit: GOGC's goal, and the trigger under it, are over 1.5L, so nearly every cycle ends over it
        assertThat(free.cycles()).as("unlimited: %s", free).hasSizeGreaterThanOrEqualTo(8)
                .allMatch(r -> r.heapGoal() > LIMIT, "goal over the limit");
        assertThat(free.overLimit()).as("unlimited: %s", free).isGreaterThanOrEqualTo(free.cycles().size() * 9L / 10);
        assertThat(free.heapSys()).as("unlimited: %s", free).isGreaterThan(LIMIT);
        // with it: every cycle's goal, and every trigger the pacer set, leave the headroom under the limit (no
        // non-heap memory here to take off)
        assertThat(limited.cycles()).as("limited: %s", limited).hasSizeGreaterThanOrEqualTo(20)
                .allMatch(r -> r.heapGoal() <= LIMIT - MB, "goal under the limit less its headroom")
                .allMatch(r -> r.nextGC() <= LIMIT - MB, "trigger under the limit less its headroom");
        // and the heap the mutator reached follows: the typical cycle ends lower than without the limit
        assertThat(limited.medianAtTermination()).as("limited: %s; unlimited: %s", limited, free)
                .isLessThan(free.medianAtTermination());
    }
}
