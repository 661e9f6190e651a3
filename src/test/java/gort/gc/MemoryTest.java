package gort.gc;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.HeapExhaustedError;
import gort.heap.SizeClasses;
import gort.heap.Type;
import gort.sched.FatalError;
import gort.sched.Sched;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heap gives memory back and fails cleanly (a steady loop with a fixed live set keeps HeapSys
 * flat after warm-up; a live set that grows past the cap ends in the out-of-memory fatal error),
 * GOGC=off, the MemStats a collection records, the gctrace line, and objects surviving collections
 * triggered by goroutines allocating on two Ps. No test asserts a wall time.
 */
class MemoryTest {
    /** A ring entry: its payload, its sequence number, a check word. */
    static final Type ITEM = Type.struct("mem.item", "ptr,scalar,scalar");
    /** A list cell of the growing live set. */
    static final Type CELL = Type.struct("mem.cell", "ptr,ptr");
    /** A tree node: left, right, a value. */
    static final Type TNODE = Type.struct("mem.tnode", "ptr,ptr,scalar");

    static Collector collector() {
        return ((gort.api.Runtime) Sched.current().env).collector();
    }

    static long sizeOf(Type t, int len) {
        return SizeClasses.roundUpSize(8L * t.objectWords(len));
    }

    // =====================================================================================
    // (a) memory comes back
    // =====================================================================================

    /**
     * A fixed live set and much garbage, in both modes (stop-the-world and concurrent): what
     * survives does not grow (the bytes a forced collection marks at the end are within a quarter
     * of those it marks halfway), the final forced collection's sweep frees every object it did not
     * mark (HeapAlloc after it is what it marked), and the pages freed are reused (HeapSys, a
     * high-water mark as Go's, stays within 2× of the largest heap any cycle reached at mark
     * termination, instead of growing with the bytes allocated). Retained garbage fails the
     * marked-bytes bound, an unswept heap the HeapAlloc check, pages never reused the HeapSys bound.
     * None of these depends on the host's speed: how far the heap grows while a cycle marks
     * (concurrent) or while the background sweeper holds a span (both modes) does, so HeapSys is
     * bounded by the heap the cycles reached, not by its value after a warm-up.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSteadyLoopWithAFixedLiveSetKeepsHeapSysFlat(boolean stopTheWorld) {
        final int ring = 10_000;
        final long total = stopTheWorld ? 200L << 20 : 600L << 20;
        final long warmup = stopTheWorld ? 30L << 20 : 100L << 20;
        AtomicLong warmSys = new AtomicLong();
        AtomicLong maxSys = new AtomicLong();
        AtomicLong midMarked = new AtomicLong();
        AtomicLong endMarked = new AtomicLong();
        AtomicLong gcsAfterWarmup = new AtomicLong();
        AtomicLong endAlloc = new AtomicLong();
        AtomicLong maxAtTermination = new AtomicLong();
        AtomicLong iterations = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Config cfg = Config.defaults().withGomaxprocs(2).withGogc(100);
        if (stopTheWorld) {
            cfg = cfg.withGodebug(java.util.Map.of("gcstoptheworld", "1"));
        }
        Rt.run(cfg, 120, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int g = Raw.newGlobal();
            Raw.setGlobal(g, h.allocArray(Type.PTR, ring));
            int f = st.push(1);
            long[] seqOf = new long[ring];
            java.util.Arrays.fill(seqOf, -1);
            SplittableRandom rnd = new SplittableRandom(42);
            long allocated = 0;
            int gc0 = 0;
            long i = 0;
            for (; allocated < total; i++) {
                int n = 1 + rnd.nextInt(63); // payload of 2..64 words: many size classes
                long payload = h.allocArray(Type.SCALAR, n + 1);
                h.storeInt(payload, 0, i);
                h.storeInt(payload, n, ~i);
                st.set(f, 0, payload);
                long item = h.alloc(ITEM); // a safepoint: payload is reloaded from the frame
                h.storePtr(item, 0, st.get(f, 0));
                h.storeInt(item, 1, i);
                h.storeInt(item, 2, i * 31 + n);
                int slot = rnd.nextInt(ring);
                h.storePtr(Raw.global(g), slot, item);
                seqOf[slot] = i;
                allocated += sizeOf(Type.SCALAR_ARRAY, n + 1) + sizeOf(ITEM, 0);
                if (warmSys.get() == 0 && allocated >= warmup) {
                    MemStats ms = Go.readMemStats();
                    warmSys.set(ms.heapSys());
                    maxSys.set(ms.heapSys());
                    gc0 = ms.numGC();
                } else if (warmSys.get() != 0 && (i & 1023) == 0) {
                    maxSys.accumulateAndGet(collector().heap().heapSys(), Math::max);
                    if (midMarked.get() == 0 && allocated >= (warmup + total) / 2) {
                        midMarked.set(markedByAForcedCollection()); // what is retained halfway
                    }
                }
            }
            MemStats end = Go.readMemStats();
            maxSys.accumulateAndGet(end.heapSys(), Math::max);
            gcsAfterWarmup.set(end.numGC() - gc0);
            endMarked.set(markedByAForcedCollection());
            MemStats swept = Go.readMemStats();
            endAlloc.set(swept.heapAlloc());
            maxSys.accumulateAndGet(swept.heapSys(), Math::max);
            maxAtTermination.set(collector().cycleRecords().stream().mapToLong(CycleRecord::heapAtTermination).max().orElse(0));
            iterations.set(i);
            // the live set is intact
            long arr = Raw.global(g);
            for (int s = 0; s < ring; s++) {
                long item = h.loadPtr(arr, s);
                if (seqOf[s] < 0) {
                    if (item != 0) {
                        errors.add("slot " + s + " was never set but holds 0x" + Long.toHexString(item));
                    }
                    continue;
                }
                long seq = h.loadInt(item, 1);
                long payload = h.loadPtr(item, 0);
                int n = h.len(payload) - 1;
                if (seq != seqOf[s] || h.loadInt(item, 2) != seq * 31 + n || h.loadInt(payload, 0) != seq
                        || h.loadInt(payload, n) != ~seq) {
                    errors.add("slot " + s + ": item " + seq + " (expected " + seqOf[s] + ") is damaged");
                }
            }
        });
        assertThat(errors).isEmpty();
        assertThat(warmSys.get()).isPositive();
        // what survives a collection does not grow, the forced collection's sweep leaves only what
        // it marked, and the high-water mark follows the heap the cycles reached
        assertThat(midMarked.get()).isPositive();
        assertThat(endMarked.get()).as("marked by a forced collection: halfway %d B, at the end", midMarked.get())
                .isLessThanOrEqualTo(midMarked.get() * 5 / 4);
        assertThat(endAlloc.get()).as("HeapAlloc after the final forced collection").isEqualTo(endMarked.get());
        assertThat(maxAtTermination.get()).isPositive();
        assertThat(maxSys.get()).as("HeapSys against the largest heap at mark termination (%d B); %d iterations",
                        maxAtTermination.get(), iterations.get())
                .isLessThanOrEqualTo(maxAtTermination.get() * 2);
        // the allocation after warm-up is many times the goal: collections keep coming
        assertThat(gcsAfterWarmup.get()).isGreaterThanOrEqualTo(20);
    }

    /** Runs runtime.GC() and returns the bytes it marked: the heap that is still reachable. */
    static long markedByAForcedCollection() {
        Go.gc();
        List<CycleRecord> records = collector().cycleRecords();
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).forced()) {
                return records.get(i).heapMarked();
            }
        }
        throw new AssertionError("runtime.GC() left no record");
    }

    // =====================================================================================
    // (b) a live set growing past the cap
    // =====================================================================================

    /**
     * The heap grows past its cap while everything stays live: the runtime dies with Go's out of
     * memory naming the cap (not the JVM's OutOfMemoryError), after it had started collecting on
     * the way (the pacer's trigger armed a cycle's marking) and well into the cap. That a cycle
     * also finished before the cap is not asserted: the first cycle has no assist ratio, so its
     * marking waits for a background worker's thread, which a loaded host may not run in time.
     */
    @Test
    void aLiveSetGrowingPastTheCapIsAFatalOutOfMemory() {
        final long cap = 32L << 20;
        AtomicLong liveBytes = new AtomicLong();
        AtomicLong armed = new AtomicLong();
        Throwable t = catchFatal(Config.defaults().withGomaxprocs(2).withGogc(100).withHeapCap(cap), () -> {
            collector().faults.onPhaseArmed = sig -> armed.incrementAndGet();
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int head = Raw.newGlobal();
            int f = st.push(1);
            for (long i = 0;; i++) {
                st.set(f, 0, h.allocArray(Type.SCALAR, 60)); // 488 B: the 512 B class
                long cell = h.alloc(CELL);
                h.storePtr(cell, 1, st.get(f, 0));
                h.storePtr(cell, 0, Raw.global(head));
                Raw.setGlobal(head, cell);
                liveBytes.addAndGet(sizeOf(Type.SCALAR_ARRAY, 60) + sizeOf(CELL, 0));
            }
        });
        assertThat(t).isInstanceOf(FatalError.class).hasMessageStartingWith("fatal error: out of memory");
        assertThat(t.getMessage()).contains("cap of " + cap + " bytes");
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(c).isNotInstanceOf(OutOfMemoryError.class);
        }
        assertThat(t.getCause()).isInstanceOf(HeapExhaustedError.class);
        assertThat(armed.get()).as("phases of marking armed before the cap").isPositive();
        assertThat(liveBytes.get()).isGreaterThan(cap / 4);
    }

    @Test
    void oneObjectLargerThanTheCapIsAFatalOutOfMemory() {
        Throwable t = catchFatal(Config.defaults().withGomaxprocs(1).withHeapCap(8L << 20), () -> {
            Raw.heap().allocArray(Type.SCALAR, 2 << 20); // 16 MiB
        });
        assertThat(t).isInstanceOf(FatalError.class).hasMessageStartingWith("fatal error: out of memory");
    }

    /** Runs main; returns what Rt.run threw (the watchdog's AssertionError fails the test). */
    static Throwable catchFatal(Config cfg, Runnable main) {
        try {
            Rt.run(cfg, 60, main);
        } catch (FatalError e) {
            return e;
        }
        throw new AssertionError("the runtime did not die");
    }

    // =====================================================================================
    // (c) GOGC=off
    // =====================================================================================

    @Test
    void gogcOffRunsNoCycle() {
        AtomicReference<MemStats> end = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withGogc(Config.GOGC_OFF).withHeapCap(256L << 20), 60, () -> {
            Heap h = Raw.heap();
            long allocated = 0;
            for (int i = 0; allocated < (20L << 20); i++) {
                long a = h.allocArray(Type.SCALAR, 1 + i % 100);
                h.storeInt(a, 0, i);
                allocated += sizeOf(Type.SCALAR_ARRAY, 1 + i % 100);
            }
            end.set(Go.readMemStats());
        });
        MemStats ms = end.get();
        assertThat(ms.numGC()).isZero();
        assertThat(ms.nextGC()).as("NextGC is 0 when GOGC=off").isZero();
        assertThat(ms.heapSys()).isGreaterThanOrEqualTo(20L << 20); // nothing was reclaimed
        assertThat(ms.heapAlloc()).isGreaterThanOrEqualTo(20L << 20);
        assertThat(ms.frees()).isZero();
    }

    @Test
    void gogcOffStillCollectsWhenAsked() {
        AtomicReference<MemStats> end = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(1).withGogc(Config.GOGC_OFF), 60, () -> {
            Raw.heap().allocArray(Type.SCALAR, 1000);
            Go.gc();
            end.set(Go.readMemStats());
        });
        assertThat(end.get().numGC()).isEqualTo(1);
        assertThat(end.get().nextGC()).isZero();
    }

    // =====================================================================================
    // (d) what Go.gc() records
    // =====================================================================================

    @Test
    void goGcRecordsACycleAPauseAndTheGoal() {
        AtomicReference<MemStats> before = new AtomicReference<>();
        AtomicReference<MemStats> after = new AtomicReference<>();
        AtomicReference<MemStats> wrapped = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2), 60, () -> {
            Raw.heap().allocArray(Type.SCALAR, 1000);
            before.set(Go.readMemStats());
            Go.gc();
            after.set(Go.readMemStats());
            for (int i = 0; i < Collector.PAUSE_RING + 5; i++) {
                Go.gc();
            }
            wrapped.set(Go.readMemStats());
        });
        MemStats b = before.get();
        MemStats a = after.get();
        assertThat(b.numGC()).isZero();
        assertThat(a.numGC()).isEqualTo(1);
        assertThat(a.pauseNs()).hasSize(Collector.PAUSE_RING);
        assertThat(a.pauseNs()[(a.numGC() + 255) % 256]).as("the latest pause").isPositive();
        assertThat(a.pauseNs()[1]).as("no second cycle yet").isZero();
        assertThat(a.pauseTotalNs()).isEqualTo(a.pauseNs()[0]);
        assertThat(a.nextGC()).isGreaterThanOrEqualTo(Pacer.heapMinimum(100));
        assertThat(a.lastGCNanos()).isGreaterThan(b.lastGCNanos());
        MemStats w = wrapped.get();
        assertThat(w.numGC()).isEqualTo(Collector.PAUSE_RING + 6);
        long sum = 0;
        for (long p : w.pauseNs()) {
            assertThat(p).isPositive();
            sum += p;
        }
        assertThat(w.pauseTotalNs()).isGreaterThanOrEqualTo(sum); // the ring keeps the last 256 only
        assertThat(w.nextGC()).isEqualTo(Pacer.heapMinimum(100));
    }

    /** After two collections every dead object is swept: HeapObjects and HeapAlloc are the live set. */
    @Test
    void heapObjectsAndHeapAllocReturnToTheLiveSet() {
        final int live = 1000;
        AtomicReference<MemStats> dirty = new AtomicReference<>();
        AtomicReference<MemStats> clean = new AtomicReference<>();
        AtomicLong heapLive = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withDebugHeap(true), 60, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, h.allocArray(Type.PTR, live));
            for (int i = 0; i < 50 * live; i++) {
                long x = h.alloc(TNODE);
                if (i % 50 == 0) {
                    h.storePtr(st.get(f, 0), i / 50, x);
                }
            }
            dirty.set(Go.readMemStats());
            Go.gc();
            Go.gc();
            clean.set(Go.readMemStats());
            heapLive.set(collector().heap().heapLive());
            // everything rooted is intact
            for (int i = 0; i < live; i++) {
                if (h.typeOf(h.loadPtr(st.get(f, 0), i)) != TNODE) {
                    errors.add("element " + i + " is damaged");
                }
            }
        });
        assertThat(errors).isEmpty();
        long liveBytes = live * sizeOf(TNODE, 0) + sizeOf(Type.PTR_ARRAY, live);
        assertThat(dirty.get().heapObjects()).isGreaterThanOrEqualTo(50L * live);
        assertThat(clean.get().heapObjects()).isEqualTo(live + 1);
        assertThat(clean.get().heapAlloc()).isEqualTo(liveBytes);
        assertThat(heapLive.get()).isEqualTo(liveBytes);
        assertThat(clean.get().frees()).isGreaterThanOrEqualTo(49L * live);
        assertThat(clean.get().mallocs() - clean.get().frees()).isEqualTo(live + 1);
    }

    // =====================================================================================
    // (e) gctrace
    // =====================================================================================

    static final Pattern GCTRACE = Pattern.compile(
            "gc (\\d+) @\\d+\\.\\d{3}s \\d+%: [0-9.]+(?:\\+[0-9.]+){4} ms clock, [0-9.]+(?:\\+[0-9.]+){3}/[0-9.]+/[0-9.]+\\+[0-9.]+ ms cpu, \\d+->\\d+->\\d+ MB, \\d+ MB goal, (\\d+) P( \\(forced\\))?");

    static List<String> gctraceLines(int procs) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Config cfg = Config.defaults().withGomaxprocs(procs).withGodebug(Config.parseGodebug("gctrace=1")).withTraceOut(ps);
        Rt.run(cfg, 60, () -> {
            Heap h = Raw.heap();
            for (int i = 0; i < 12000; i++) {
                // ~ 140 MB of garbage: several paced cycles (written, as a program writes what it
                // allocates: fresh pages cost nothing until touched)
                long a = h.allocArray(Type.SCALAR, 1000 + i % 1000);
                for (int w = 0; w < 1000; w += 64) {
                    h.storeInt(a, w, i);
                }
            }
            Go.gc();
        });
        ps.flush();
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The line the patched Go 1.5.1 anchor prints after each of the coordinator's waits, and gort's detail. */
    static final Pattern GCWAKEUP = Pattern.compile(
            "gcwakeup phase=[12] by=[1-4] delay_ns=\\d+ completer=[a-z]+ waited=\"[a-z ,]+\" strategy=[a-z-]+ assistblock=[01]");

    @Test
    void gctracePrintsOneLineInGosShapePerCycle() {
        List<String> all = gctraceLines(2);
        List<String> wake = all.stream().filter(l -> l.startsWith("gcwakeup ")).toList();
        List<String> lines = all.stream().filter(l -> !l.startsWith("gcwakeup ")).toList();
        assertThat(wake).allMatch(l -> GCWAKEUP.matcher(l).matches());
        assertThat(wake).as("two waits per concurrent cycle").hasSize(2 * (lines.size() - 1));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        int n = 0;
        for (String line : lines) {
            Matcher m = GCTRACE.matcher(line);
            assertThat(m.matches()).as("gctrace line: %s", line).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as("cycle numbers count up from 1").isEqualTo(++n);
            assertThat(m.group(2)).isEqualTo("2");
        }
        // Paced cycles are concurrent; runtime.GC()'s stop-the-world cycle is "forced" in Go 1.5's
        // terms (gc(gcForceBlockMode)), and its line says so.
        assertThat(lines.getLast()).endsWith(" (forced)");
        assertThat(lines.subList(0, lines.size() - 1)).isNotEmpty().noneMatch(l -> l.endsWith(" (forced)"));
    }

    /** Go prints "@0.012s" whatever the locale; so must gort (a comma breaks gctrace parsers). */
    @Test
    void gctraceDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            for (String line : gctraceLines(1).stream().filter(l -> l.startsWith("gc ")).toList()) {
                assertThat(GCTRACE.matcher(line).matches()).as("gctrace line under a German locale: %s", line).isTrue();
                assertThat(line).doesNotContain(",0").doesNotContain(",1").doesNotContain(",2");
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    // =====================================================================================
    // (f) survival under concurrent allocation
    // =====================================================================================

    /** A tree of depth d whose node values encode (owner, position); subtrees wait in a frame. */
    static long build(Heap h, Stack st, int d, long value) {
        if (d == 0) {
            long n = h.alloc(TNODE);
            h.storeInt(n, 2, value);
            return n;
        }
        int f = st.push(2);
        st.set(f, 0, build(h, st, d - 1, value * 2));
        st.set(f, 1, build(h, st, d - 1, value * 2 + 1));
        long n = h.alloc(TNODE);
        h.storePtr(n, 0, st.get(f, 0));
        h.storePtr(n, 1, st.get(f, 1));
        h.storeInt(n, 2, value);
        st.pop(f);
        return n;
    }

    /** Checks shape and values (no safepoint); returns the node count. */
    static long check(Heap h, long n, int d, long value) {
        if (h.loadInt(n, 2) != value) {
            throw new AssertionError("node at 0x" + Long.toHexString(n) + " holds " + h.loadInt(n, 2) + ", expected " + value);
        }
        long l = h.loadPtr(n, 0);
        long r = h.loadPtr(n, 1);
        if (d == 0) {
            if (l != 0 || r != 0) {
                throw new AssertionError("leaf at 0x" + Long.toHexString(n) + " has children");
            }
            return 1;
        }
        return 1 + check(h, l, d - 1, value * 2) + check(h, r, d - 1, value * 2 + 1);
    }

    @Test
    void treesSurviveCollectionsWhileFourGoroutinesAllocateOnTwoPs() {
        final int workers = 4;
        final int depth = 12;
        final int iters = 30;
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong cycles = new AtomicLong();
        Rt.run(Config.defaults().withGomaxprocs(2).withGogc(50).withDebugHeap(true), 120, () -> {
            Heap h = Raw.heap();
            int[] globals = new int[workers];
            for (int w = 0; w < workers; w++) {
                globals[w] = Raw.newGlobal();
            }
            WaitGroup wg = new WaitGroup();
            for (int w = 0; w < workers; w++) {
                int id = w;
                wg.add(1);
                Go.go("tree-builder-" + w, () -> {
                    Stack st = Raw.stack();
                    int f = st.push(2);
                    long base = (id + 1L) << 40;
                    st.set(f, 0, build(h, st, depth, base)); // long-lived
                    for (int i = 0; i < iters; i++) {
                        long tv = base + ((i + 1L) << 20);
                        st.set(f, 1, build(h, st, depth, tv));
                        long c1 = check(h, st.get(f, 1), depth, tv);
                        long c0 = check(h, st.get(f, 0), depth, base);
                        if (c0 != c1 || c0 != (2L << depth) - 1) {
                            errors.add("worker " + id + " iteration " + i + ": counts " + c0 + ", " + c1);
                        }
                        if (i % 10 == 9) {
                            Go.gosched();
                        }
                    }
                    Raw.setGlobal(globals[id], st.get(f, 0)); // hand the long-lived tree to main
                    st.pop(f);
                    wg.done();
                });
            }
            wg.await();
            Go.gc();
            for (int w = 0; w < workers; w++) {
                long c = check(h, Raw.global(globals[w]), depth, (w + 1L) << 40);
                if (c != (2L << depth) - 1) {
                    errors.add("main: tree of worker " + w + " has " + c + " nodes");
                }
            }
            // after the collection, only the handed-over trees are live
            long expected = workers * ((2L << depth) - 1) * sizeOf(TNODE, 0);
            if (collector().heap().heapLive() != expected) {
                errors.add("heap_live " + collector().heap().heapLive() + " != " + expected);
            }
            cycles.set(collector().numGC());
        });
        assertThat(errors).isEmpty();
        assertThat(cycles.get()).as("collections happened while the trees were built").isGreaterThanOrEqualTo(5);
    }
}
