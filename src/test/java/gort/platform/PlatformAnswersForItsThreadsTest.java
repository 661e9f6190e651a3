package gort.platform;

import static org.assertj.core.api.Assertions.assertThat;

import gort.sched.M;
import gort.sched.Sched;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Who runs a thread, and whether it has ended, are the platform's answers, not the host's: the
 * static thread-to-M lookup asks the platform that started the thread, and a runtime's exit waits
 * for its Ms through its platform. A platform that runs Ms its own way (a simulated one) relies on
 * both.
 */
class PlatformAnswersForItsThreadsTest {

    /** The real platform's behaviour, with its threads started as this platform's own. */
    private static class Delegating implements Platform {
        final RealPlatform real = RealPlatform.INSTANCE;
        final AtomicInteger awaitThreadEnds = new AtomicInteger();
        final AtomicInteger threadEndeds = new AtomicInteger();

        @Override
        public long nanotime() {
            return real.nanotime();
        }

        @Override
        public void osyield() {
            real.osyield();
        }

        @Override
        public void usleep(long micros) {
            real.usleep(micros);
        }

        @Override
        public OsThread newosproc(String name, Object owner, Runnable body) {
            OsThread t = new OsThread(this, name, owner, body);
            t.start();
            return t;
        }

        @Override
        public Object currentOwner() {
            return OsThread.currentOwner();
        }

        @Override
        public boolean awaitThreadEnd(OsThread t, long deadlineNanos) {
            awaitThreadEnds.incrementAndGet();
            return real.awaitThreadEnd(t, deadlineNanos);
        }

        @Override
        public boolean threadEnded(OsThread t) {
            threadEndeds.incrementAndGet();
            return real.threadEnded(t);
        }

        @Override
        public void futexsleep(Futex f, int val, long ns) {
            real.futexsleep(f, val, ns);
        }

        @Override
        public void futexwakeup(Futex f, int cnt) {
            real.futexwakeup(f, cnt);
        }

        @Override
        public int ncpu() {
            return real.ncpu();
        }

        @Override
        public MemorySegment sysReserve(long bytes) {
            return real.sysReserve(bytes);
        }
    }

    @Test
    void theStaticLookupAsksThePlatformThatStartedTheThread() throws InterruptedException {
        Object switchedTo = new Object();
        Delegating p = new Delegating() {
            @Override
            public Object ownerOf(OsThread t) {
                return switchedTo; // as a platform that switched the host thread to another M
            }
        };
        AtomicReference<Object> seen = new AtomicReference<>();
        OsThread t = p.newosproc("lookup", "the owner given at start", () -> seen.set(OsThread.currentOwner()));
        t.join();
        assertThat(seen.get()).isSameAs(switchedTo);
        assertThat(t.platform()).isSameAs(p);
    }

    @Test
    void aThreadNoPlatformStartedHasNoOwner() {
        assertThat(OsThread.currentOwner()).isNull();
        assertThat(Sched.currentMOrNull()).isNull();
    }

    @Test
    void aRuntimesExitWaitsForItsMsThroughItsPlatform() {
        Delegating p = new Delegating();
        Sched s = new Sched(p, 2, 0, System.err);
        AtomicReference<M> mainM = new AtomicReference<>();
        s.start(() -> mainM.set(Sched.currentM()));
        s.awaitExit();
        assertThat(mainM.get()).isNotNull();
        assertThat(mainM.get().sched()).isSameAs(s);
        // M0 and sysmon at least, each waited for through the platform, not joined behind its back
        assertThat(p.awaitThreadEnds.get()).isGreaterThanOrEqualTo(2);
        assertThat(s.liveMs()).isZero();
        assertThat(p.threadEndeds.get()).isGreaterThanOrEqualTo(2);
    }
}
