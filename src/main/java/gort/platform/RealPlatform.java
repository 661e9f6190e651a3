package gort.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform on real JVM threads: Ms are platform threads, futex waiters park with
 * {@link LockSupport}.
 *
 * <p>Heap memory ({@link #sysReserve}) is an anonymous private mapping made with the C library's
 * {@code mmap} through the JDK's foreign-function linker, reserved without swap accounting
 * ({@code MAP_NORESERVE} on Linux), so pages cost memory only once touched, as Go's arena; it is
 * unmapped when the segment's automatic arena is collected. On an operating system without those
 * constants the memory is allocated, zeroed, by the JDK instead (all of it committed at once). The
 * linker is a restricted JDK feature: run with {@code --enable-native-access=ALL-UNNAMED} (the
 * {@code gort} launcher and the test runner do), else the JDK prints a warning on first use.
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
    public long cputicks() {
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
        OsThread t = new OsThread(this, name, owner, body);
        t.start();
        return t;
    }

    /** {@link Thread#join} up to the deadline (an interrupt ends the wait early, and is kept). */
    @Override
    public boolean awaitThreadEnd(OsThread t, long deadlineNanos) {
        long nanos = deadlineNanos - System.nanoTime();
        if (nanos <= 0) {
            return !t.isAlive();
        }
        try {
            return t.join(java.time.Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !t.isAlive();
        }
    }

    @Override
    public boolean threadEnded(OsThread t) {
        return !t.isAlive();
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

    /** mmap constants of the operating systems whose values are known here, or null. */
    private record MmapFlags(int prot, int flags) {}

    private static MmapFlags mmapFlags() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        int prot = 0x1 | 0x2; // PROT_READ | PROT_WRITE (Linux and the BSDs alike)
        if (os.contains("linux")) {
            return new MmapFlags(prot, 0x02 | 0x20 | 0x4000); // MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return new MmapFlags(prot, 0x0002 | 0x1000); // MAP_PRIVATE | MAP_ANON
        }
        return null;
    }

    private static final class Mmap {
        static final MmapFlags FLAGS = mmapFlags();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle MMAP;
        static final MethodHandle MUNMAP;

        static {
            Linker linker = Linker.nativeLinker();
            MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.captureCallState("errno"));
            MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        }
    }

    @Override
    public MemorySegment sysReserve(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("sysReserve of " + bytes + " bytes");
        }
        if (mmapFlags() == null) {
            return Arena.ofAuto().allocate(bytes, 8);
        }
        MemorySegment p;
        int errno;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Mmap.CAPTURE);
            p = (MemorySegment) Mmap.MMAP.invokeExact(state, MemorySegment.NULL, bytes, Mmap.FLAGS.prot(), Mmap.FLAGS.flags(), -1, 0L);
            errno = (int) Mmap.ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed: " + t, t);
        }
        if (p.address() == -1L || p.address() == 0L) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed (errno " + errno + ")");
        }
        long addr = p.address();
        return p.reinterpret(bytes, Arena.ofAuto(), s -> munmap(addr, bytes));
    }

    private static void munmap(long addr, long bytes) {
        try {
            int rc = (int) Mmap.MUNMAP.invokeExact(MemorySegment.ofAddress(addr), bytes);
            if (rc != 0) {
                System.err.println("gort: munmap of " + bytes + " bytes at 0x" + Long.toHexString(addr) + " failed");
            }
        } catch (Throwable t) {
            System.err.println("gort: munmap failed: " + t);
        }
    }

    /**
     * The CPUs the process may use, read once (Go's osinit reads ncpu once at start-up): asking the
     * JVM each time is a sched_getaffinity system call, and Mutex's spin check asks on every spin.
     */
    private final int ncpu = java.lang.Runtime.getRuntime().availableProcessors();

    @Override
    public int ncpu() {
        return ncpu;
    }
}
