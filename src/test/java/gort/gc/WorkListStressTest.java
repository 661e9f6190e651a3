package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import gort.platform.RealPlatform;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The global work lists under contention: threads take full buffers and put them back (and swap
 * through the empty list) as markers do; no buffer, and so no grey object, may be lost or handed
 * to two owners. Bounded by an iteration count; a version-less CAS stack can fail this (ABA).
 */
class WorkListStressTest {
    @Test
    void buffersAreNeitherLostNorDuplicatedUnderContention() throws Exception {
        Work work = new Work(RealPlatform.INSTANCE, () -> false);
        final int buffers = 64;
        for (int i = 0; i < buffers; i++) {
            WorkBuf b = work.getempty();
            b.obj[0] = i + 1;
            b.nobj = 1;
            work.putfull(b);
        }
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int k = 0; k < 200_000; k++) {
                        WorkBuf b = work.trygetfull();
                        if (b == null) {
                            continue;
                        }
                        long id = b.obj[0];
                        if (b.nobj != 1 || id < 1 || id > buffers) {
                            throw new AssertionError("a buffer in two owners' hands: nobj=" + b.nobj + " id=" + id);
                        }
                        b.nobj = 0; // "drain" it, then queue the same object again in a fresh buffer
                        work.putempty(b);
                        WorkBuf c = work.getempty();
                        c.obj[0] = id;
                        c.nobj = 1;
                        work.putfull(c);
                    }
                } catch (Throwable e) {
                    err.compareAndSet(null, e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(120_000);
        }
        assertThat(err.get()).isNull();
        Set<Long> ids = new HashSet<>();
        for (WorkBuf b; (b = work.trygetfull()) != null; ) {
            assertThat(b.nobj).isEqualTo(1);
            assertThat(ids.add(b.obj[0])).as("buffer id %d seen twice", b.obj[0]).isTrue();
        }
        assertThat(ids).as("every grey object is still queued").hasSize(buffers);
    }
}
