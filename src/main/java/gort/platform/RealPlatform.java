package gort.platform;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform on real JVM threads: Ms are platform threads, futex waiters park with
 * {@link LockSupport}.
 *
 * <p>Invariant for futexsleep: a sleeper enqueues itself <em>before</em> re-reading the word, and a
 * waker stores the word <em>before</em> scanning the queue; both are volatile, so either the sleeper
 * sees the new value or the waker sees the sleeper (and an unpark before park is kept as a permit).
 */
public final class RealPlatform implements Platform {
    public static final RealPlatform INSTANCE = new RealPlatform();

    private RealPlatform() {}

    @Override
    public long nanotime() {
        return System.nanoTime();
    }

    @Override
    public void osyield() {
        Thread.yield();
    }

    @Override
    public void usleep(long micros) {
        long deadline = System.nanoTime() + micros * 1000L;
        long left = micros * 1000L;
        while (left > 0) {
            LockSupport.parkNanos(left);
            left = deadline - System.nanoTime();
        }
    }

    @Override
    public OsThread newosproc(String name, Object owner, Runnable body) {
        OsThread t = new OsThread(name, owner, body);
        t.start();
        return t;
    }

    @Override
    public Object currentOwner() {
        return OsThread.currentOwner();
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentLinkedQueue<Thread> waiters(Futex f) {
        Object w = f.waiters;
        if (w == null) {
            synchronized (f) {
                w = f.waiters;
                if (w == null) {
                    w = new ConcurrentLinkedQueue<Thread>();
                    f.waiters = w;
                }
            }
        }
        return (ConcurrentLinkedQueue<Thread>) w;
    }

    @Override
    public void futexsleep(Futex f, int val, long ns) {
        if (f.load() != val) {
            return;
        }
        ConcurrentLinkedQueue<Thread> q = waiters(f);
        Thread self = OsThread.current(); // not Thread.currentThread(): see OsThread.current()
        q.add(self);
        try {
            if (f.load() != val) {
                return;
            }
            if (ns < 0) {
                LockSupport.park(f);
            } else if (ns > 0) {
                LockSupport.parkNanos(f, ns);
            }
        } finally {
            q.remove(self);
        }
    }

    @Override
    public void futexwakeup(Futex f, int cnt) {
        Object w = f.waiters;
        if (w == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        ConcurrentLinkedQueue<Thread> q = (ConcurrentLinkedQueue<Thread>) w;
        for (Thread t : q) {
            LockSupport.unpark(t);
            if (--cnt <= 0) {
                return;
            }
        }
    }

    @Override
    public int ncpu() {
        return java.lang.Runtime.getRuntime().availableProcessors();
    }
}
