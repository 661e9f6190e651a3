package gort.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Plain Java threads, each with its own MCache, racing on the shared central lists and heap. */
class ConcurrencyStressTest {
    static final Type NODE = Type.struct("node", "ptr,ptr,scalar");
    static final int THREADS = 4;

    /** Runs {@code body(threadIndex)} on THREADS threads started together; rethrows the first failure. */
    static void runThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.accept(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "heap-stress-" + t);
            th.setDaemon(true);
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(th.isAlive()).as("%s finished", th.getName()).isFalse();
        }
        if (failure.get() != null) {
            throw new AssertionError("a stress thread failed", failure.get());
        }
    }

    /** Allocates a random object; returns its size in words. */
    static long allocRandom(MCache c, Random r, long[] addrOut, int i) {
        int k = r.nextInt(1000);
        long a;
        if (k == 0) {
            a = c.alloc(Type.SCALAR_ARRAY, 4096 + r.nextInt(20_000));
        } else if (k < 300) {
            a = c.alloc(Type.SCALAR_ARRAY, 1 + r.nextInt(100)); // at least one data word: the tests stamp word 0
        } else {
            a = c.alloc(NODE);
        }
        addrOut[i] = a;
        return c.heap().typeOf(a).objectWords(c.heap().arrayLen(a));
    }

    static void assertNoOverlap(long[] addrs, long[] words, MHeap h) {
        Integer[] order = new Integer[addrs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(addrs[x], addrs[y]));
        for (int i = 1; i < order.length; i++) {
            long prevEnd = addrs[order[i - 1]] + words[order[i - 1]];
            assertThat(addrs[order[i]]).as("object 0x%x overlaps the one at 0x%x", addrs[order[i]], addrs[order[i - 1]])
                    .isGreaterThanOrEqualTo(prevEnd);
        }
    }

    @Test
    void concurrentAllocatorsNeverShareAnAddress() throws InterruptedException {
        MHeap h = new MHeap(256L << 20);
        int per = 40_000;
        long[] addrs = new long[THREADS * per];
        long[] words = new long[THREADS * per];
        runThreads(THREADS, t -> {
            MCache c = h.newMCache();
            Random r = new Random(t);
            long[] mine = new long[per];
            for (int i = 0; i < per; i++) {
                words[t * per + i] = allocRandom(c, r, mine, i);
                h.store(mine[i], mine[i]); // stamp
            }
            System.arraycopy(mine, 0, addrs, t * per, per);
            c.releaseAll();
        });
        assertNoOverlap(addrs, words, h);
        for (long a : addrs) {
            assertThat(h.load(a)).isEqualTo(a);
        }
        HeapStats st = h.readStats();
        assertThat(st.heapObjects()).isEqualTo(addrs.length);
        assertThat(st.mallocs()).isEqualTo(addrs.length);
        assertThat(st.heapLive()).isEqualTo(st.heapAlloc());
    }

    @Test
    void concurrentAllocationWhileABackgroundSweeperRuns() throws InterruptedException {
        MHeap h = new MHeap(256L << 20, true);
        MCache c0 = h.newMCache();
        Random r0 = new Random(99);
        int n0 = 120_000;
        long[] old = new long[n0];
        long[] oldWords = new long[n0];
        List<Integer> survivors = new ArrayList<>();
        for (int i = 0; i < n0; i++) {
            oldWords[i] = allocRandom(c0, r0, old, i);
            if (r0.nextInt(4) == 0) {
                survivors.add(i);
                h.store(old[i], ~old[i]);
            }
        }
        h.finishSweep();
        for (int i : survivors) {
            h.setMarked(old[i]);
        }
        h.flushAllMCaches();
        h.startSweep(8L << 20);

        int per = 30_000;
        int allocators = THREADS - 1;
        long[] addrs = new long[allocators * per];
        long[] words = new long[allocators * per];
        runThreads(THREADS, t -> {
            if (t == allocators) {
                while (h.sweepone() != -1) {
                    Thread.onSpinWait();
                }
                return;
            }
            MCache c = h.newMCache();
            Random r = new Random(t);
            long[] mine = new long[per];
            for (int i = 0; i < per; i++) {
                words[t * per + i] = allocRandom(c, r, mine, i);
                h.store(mine[i], mine[i]);
            }
            System.arraycopy(mine, 0, addrs, t * per, per);
            c.releaseAll();
        });
        h.finishSweep();
        long[] allAddrs = Arrays.copyOf(addrs, addrs.length + survivors.size());
        long[] allWords = Arrays.copyOf(words, words.length + survivors.size());
        int k = addrs.length;
        for (int i : survivors) {
            assertThat(h.load(old[i])).as("survivor 0x%x intact", old[i]).isEqualTo(~old[i]);
            h.checkLive(old[i]);
            allAddrs[k] = old[i];
            allWords[k++] = oldWords[i];
        }
        assertNoOverlap(allAddrs, allWords, h);
        for (long a : addrs) {
            assertThat(h.load(a)).isEqualTo(a);
        }
        assertThat(h.heapObjects()).isEqualTo(allAddrs.length);
    }

    @Test
    void concurrentMarkingMarksEachObjectNewExactlyOnce() throws InterruptedException {
        MHeap h = new MHeap(128L << 20);
        MCache c = h.newMCache();
        Random r = new Random(7);
        int n = 60_000;
        long[] objs = new long[n];
        long[] words = new long[n];
        for (int i = 0; i < n; i++) {
            words[i] = allocRandom(c, r, objs, i);
        }
        AtomicIntegerArray wins = new AtomicIntegerArray(n);
        runThreads(THREADS, t -> {
            List<Integer> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(t));
            for (int i : order) {
                // interior pointers mark the same object (a one-word object has no interior word)
                long a = objs[i] + Math.min(t % 2, words[i] - 1);
                if (h.spanOf(a).setMarked(a)) {
                    wins.incrementAndGet(i);
                }
            }
        });
        long marked = 0;
        java.util.Set<MSpan> spans = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < n; i++) {
            assertThat(wins.get(i)).as("object %d marked-new count", i).isEqualTo(1);
            assertThat(h.isMarked(objs[i])).isTrue();
            spans.add(h.spanOf(objs[i]));
        }
        for (MSpan s : spans) {
            marked += s.countMarked();
        }
        assertThat(marked).isEqualTo(n);
    }
}
