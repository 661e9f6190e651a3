package gort.sched;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.heap.Type;
import gort.testing.Rt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code M.mcache} (Go's m.mcache, the allocator's shortcut to its cache) must name the cache of
 * the P the M holds whenever a goroutine runs, through everything that moves a goroutine or a P:
 * preemption and yields, short and blocking system calls (the P retaken or handed off), GOMAXPROCS
 * changes (Ps created and destroyed under a stopped world) and collections. A stale shortcut would
 * let two Ms allocate from one cache; this test would see it as a mismatch.
 */
class MCacheOwnershipTest {
    static final Type NODE = Type.struct("mcacheNode", "ptr,scalar");

    /** The invariant at this point of a running goroutine; a description of the breach, or null. */
    static String check(String where) {
        M m = Sched.currentM();
        P p = m.p;
        if (p == null) {
            return where + ": a running goroutine's M holds no P";
        }
        if (m.mcache != p.mcache || m.mcache == null) {
            return where + ": M" + m.id + " caches " + m.mcache + " but holds P" + p.id + " whose cache is " + p.mcache;
        }
        return null;
    }

    @Test
    void theShortcutFollowsThePThroughSyscallsResizesAndCollections() {
        ConcurrentLinkedQueue<String> breaches = new ConcurrentLinkedQueue<>();
        AtomicLong checks = new AtomicLong();
        int workers = 6;
        int rounds = 300;
        Rt.run(Config.defaults().withGomaxprocs(4).withGogc(5), () -> {
            Heap h = Raw.heap();
            var done = Go.makeChan(Integer.class, workers);
            for (int w = 0; w < workers; w++) {
                int id = w;
                Go.go("alloc-" + w, () -> {
                    Sched sched = Sched.current();
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < 50; k++) {
                            long o = h.alloc(NODE); // a safepoint: the goroutine may move here
                            h.storeInt(o, 1, k);
                            String b = check("after an allocation");
                            checks.incrementAndGet();
                            if (b != null) {
                                breaches.add(b);
                            }
                        }
                        if (r % 7 == id % 7) {
                            sched.entersyscall();
                            if (r % 3 == 0) {
                                // long enough for sysmon to retake the P (two of its ticks), so
                                // exitsyscall's fast path must take another P or give up
                                LockSupport.parkNanos(200_000);
                            }
                            sched.exitsyscall();
                            String b = check("after a short syscall");
                            if (b != null) {
                                breaches.add(b);
                            }
                        }
                        if (r % 11 == id % 11) {
                            sched.entersyscallblock();
                            sched.exitsyscall();
                            String b = check("after a blocking syscall");
                            if (b != null) {
                                breaches.add(b);
                            }
                        }
                        Go.gosched();
                    }
                    done.send(id);
                });
            }
            for (int i = 0; i < 20; i++) {
                Go.gomaxprocs(i % 2 == 0 ? 2 : 4); // destroys and creates Ps with the world stopped
                String b = check("after GOMAXPROCS");
                if (b != null) {
                    breaches.add(b);
                }
                if (i % 5 == 0) {
                    Go.gc();
                }
                Go.gosched();
            }
            for (int w = 0; w < workers; w++) {
                done.recv();
            }
        });
        assertThat(breaches).isEmpty();
        assertThat(checks.get()).isEqualTo((long) workers * rounds * 50);
    }

    @Test
    void allocatingInsideASystemCallIsAFatalErrorNamingIt() {
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> message = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2), () -> {
            Sched sched = Sched.current();
            sched.entersyscall();
            try {
                Raw.heap().alloc(NODE);
            } catch (IllegalStateException e) {
                failures.incrementAndGet();
                message.set(e.getMessage());
            } finally {
                sched.exitsyscall();
            }
        });
        assertThat(failures.get()).isEqualTo(1);
        assertThat(message.get()).startsWith("fatal error: malloc on ").contains("holds no P");
    }
}
