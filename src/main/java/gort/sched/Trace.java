package gort.sched;

import gort.platform.RuntimeMutex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The execution tracer of one runtime: Go 1.5's runtime/trace.go (traceEvent, traceFlush, the
 * per-P traceBuf, the global buffer for an M without a P, StopTrace), with Go 1.5's event kinds
 * (same numbers) and gort's additions for how the coordinator learns that marking is done
 * (mark-done with its completer, the coordinator's wait and resumption, stop-the-world with its
 * reason, mark workers by mode, assists, run-queue lengths).
 *
 * <p>Owns: the string table (goroutine names, wait and stop reasons), the global buffer and its
 * lock, the writer, and the clock origin. Every timestamp is nanoseconds since {@link #origin()},
 * the runtime's start (the scheduler's creation): the origin of the collector's CycleRecords too,
 * so a trace and the records name the same instants with the same numbers. Events carrying a time
 * the collector recorded (mark done, coordinator resumed) carry exactly that value.
 *
 * <p>Invariants: a P's buffer ({@code P.tracebuf}) is written only by the M that owns the P
 * ({@code p.m == m}), or by whoever took the P out of a system call (sysmon's retake,
 * stop-the-world, forEachP), before it hands the P on, as Go's traceProcStop(pp) does; every other
 * writer (an M in a syscall or without a P, a thread outside the runtime) takes the global buffer
 * under its lock. Within one buffer timestamps are in emission order. The runtime emits nothing
 * when tracing is off: each emission site reads the scheduler's final {@code trace} field and
 * branches on null. Simplifications of Go: no stack traces (events name the goroutine and a
 * reason instead), no sequence numbers (readers order events by timestamp, the monotonic
 * platform clock, ties broken by kind so that what makes a goroutine runnable sorts before its
 * start), and the trace covers the whole run (from the runtime's start, so no GoWaiting or
 * GoInSyscall start-of-trace events are needed).
 */
public final class Trace {
    // ---- Go 1.5's event kinds (runtime/trace.go numbers) ----
    public static final int EV_BATCH = 1;
    public static final int EV_GOMAXPROCS = 4;
    public static final int EV_PROC_START = 5;
    public static final int EV_PROC_STOP = 6;
    public static final int EV_GC_START = 7;
    public static final int EV_GC_DONE = 8;
    public static final int EV_GC_SCAN_START = 9;
    public static final int EV_GC_SCAN_DONE = 10;
    public static final int EV_GC_SWEEP_START = 11;
    public static final int EV_GC_SWEEP_DONE = 12;
    public static final int EV_GO_CREATE = 13;
    public static final int EV_GO_START = 14;
    public static final int EV_GO_END = 15;
    public static final int EV_GO_STOP = 16;
    public static final int EV_GO_SCHED = 17;
    public static final int EV_GO_PREEMPT = 18;
    /** The running goroutine parks in a sleep on a timer (Go's traceEvGoSleep: time.Sleep). */
    public static final int EV_GO_SLEEP = 19;
    public static final int EV_GO_BLOCK = 20;
    public static final int EV_GO_UNBLOCK = 21;
    public static final int EV_GO_BLOCK_SEND = 22;
    public static final int EV_GO_BLOCK_RECV = 23;
    /** The running goroutine parks in a select (Go's traceEvGoBlockSelect). */
    public static final int EV_GO_BLOCK_SELECT = 24;
    public static final int EV_GO_BLOCK_SYNC = 25;
    public static final int EV_GO_SYSCALL = 28;
    public static final int EV_GO_SYSEXIT = 29;
    public static final int EV_GO_SYSBLOCK = 30;
    public static final int EV_HEAP_ALLOC = 33;
    public static final int EV_NEXT_GC = 34;
    /** Names the timer goroutine [goid] (Go's traceEvTimerGoroutine): the unblocks it emits are the timers'. */
    public static final int EV_TIMER_GOROUTINE = 35;
    // ---- gort's additions ----
    /** A string table entry [id, length, UTF-8 bytes]; no timestamp. */
    public static final int EV_STRING = 64;
    /** A phase of concurrent marking is done [phase 1|2, completer kind]; ts = the winning CAS. */
    public static final int EV_GC_MARK_DONE = 65;
    /** The coordinator starts waiting for a phase [phase, wakeup strategy]. */
    public static final int EV_GC_WAIT = 66;
    /** The coordinator runs again after its wait [phase]; ts = the collector's resumed time. */
    public static final int EV_GC_RESUME = 67;
    /** Stop-the-world begins [reason]. */
    public static final int EV_STW_START = 68;
    /** The world is started again. */
    public static final int EV_STW_DONE = 69;
    /** A background mark worker starts draining [mode]. */
    public static final int EV_MARK_WORKER_START = 70;
    /** A background mark worker stops draining [mode]. */
    public static final int EV_MARK_WORKER_STOP = 71;
    /** A mutator assist starts scanning. */
    public static final int EV_ASSIST_START = 72;
    /** A mutator assist is done scanning. */
    public static final int EV_ASSIST_DONE = 73;
    /** The emitting P's run queue, sampled when it schedules [ring length, runnext occupied 0|1]. */
    public static final int EV_RUNQ = 74;
    /** The global run queue's length changed [length]. */
    public static final int EV_GLOBRUNQ = 75;
    /** A goroutine waiting in the emitting P's runnext was kicked to the tail of its ring by a newer one [goid]. */
    public static final int EV_GO_KICKED = 76;
    public static final int EV_COUNT = 77;

    /** The pid of the global buffer's batches (Go's traceGlobProc). */
    public static final int GLOBAL_PID = -1;
    /** GoSysExit's second argument: the goroutine runs at once on a P its M acquired. */
    public static final int SYSEXIT_RUNNING = 0;
    /** GoSysExit's second argument: no P was free, the goroutine went to the global run queue. */
    public static final int SYSEXIT_GLOBAL = 1;

    private static final int[] ARGS = new int[EV_COUNT];
    private static final String[] NAMES = new String[EV_COUNT];

    static {
        java.util.Arrays.fill(ARGS, -1);
        kind(EV_GOMAXPROCS, "GoMaxProcs", 1);
        kind(EV_PROC_START, "ProcStart", 1);
        kind(EV_PROC_STOP, "ProcStop", 0);
        kind(EV_GC_START, "GCStart", 2);
        kind(EV_GC_DONE, "GCDone", 0);
        kind(EV_GC_SCAN_START, "GCScanStart", 0);
        kind(EV_GC_SCAN_DONE, "GCScanDone", 0);
        kind(EV_GC_SWEEP_START, "GCSweepStart", 0);
        kind(EV_GC_SWEEP_DONE, "GCSweepDone", 0);
        kind(EV_GO_CREATE, "GoCreate", 2);
        kind(EV_GO_START, "GoStart", 1);
        kind(EV_GO_END, "GoEnd", 0);
        kind(EV_GO_STOP, "GoStop", 1);
        kind(EV_GO_SCHED, "GoSched", 0);
        kind(EV_GO_PREEMPT, "GoPreempt", 0);
        kind(EV_GO_SLEEP, "GoSleep", 1);
        kind(EV_GO_BLOCK, "GoBlock", 1);
        kind(EV_GO_UNBLOCK, "GoUnblock", 1);
        kind(EV_GO_BLOCK_SEND, "GoBlockSend", 1);
        kind(EV_GO_BLOCK_RECV, "GoBlockRecv", 1);
        kind(EV_GO_BLOCK_SELECT, "GoBlockSelect", 1);
        kind(EV_GO_BLOCK_SYNC, "GoBlockSync", 1);
        kind(EV_GO_SYSCALL, "GoSysCall", 0);
        kind(EV_GO_SYSEXIT, "GoSysExit", 2);
        kind(EV_GO_SYSBLOCK, "GoSysBlock", 0);
        kind(EV_HEAP_ALLOC, "HeapAlloc", 1);
        kind(EV_NEXT_GC, "NextGC", 1);
        kind(EV_TIMER_GOROUTINE, "TimerGoroutine", 1);
        kind(EV_GC_MARK_DONE, "GCMarkDone", 2);
        kind(EV_GC_WAIT, "GCWait", 2);
        kind(EV_GC_RESUME, "GCResume", 1);
        kind(EV_STW_START, "STWStart", 1);
        kind(EV_STW_DONE, "STWDone", 0);
        kind(EV_MARK_WORKER_START, "MarkWorkerStart", 1);
        kind(EV_MARK_WORKER_STOP, "MarkWorkerStop", 1);
        kind(EV_ASSIST_START, "AssistStart", 0);
        kind(EV_ASSIST_DONE, "AssistDone", 0);
        kind(EV_RUNQ, "RunQueue", 2);
        kind(EV_GLOBRUNQ, "GlobalRunQueue", 1);
        kind(EV_GO_KICKED, "GoKickedFromRunnext", 1);
    }

    private static void kind(int k, String name, int nargs) {
        ARGS[k] = nargs;
        NAMES[k] = name;
    }

    /** How many numbers follow an event of kind k's timestamp; -1 for kinds that are not events. */
    public static int argCount(int k) {
        return k >= 0 && k < EV_COUNT ? ARGS[k] : -1;
    }

    /** Go's name of an event kind (gort's for its additions), or null. */
    public static String kindName(int k) {
        return k >= 0 && k < EV_COUNT ? NAMES[k] : null;
    }

    /** Where a trace goes and how the run ends it. */
    public record Settings(Path rawFile) {}

    private final Sched sched;
    private final long origin;
    private final TraceWriter writer;
    private final RuntimeMutex globalLock;
    private TraceBuf global; // under globalLock
    private final ConcurrentHashMap<String, Integer> strings = new ConcurrentHashMap<>();
    private final AtomicInteger nextString = new AtomicInteger(1);
    private volatile boolean stopped;

    Trace(Sched sched, long origin, Settings s) throws IOException {
        this.sched = sched;
        this.origin = origin;
        this.writer = new TraceWriter(sched.platform, s.rawFile());
        // not a scheduling point: on a platform that runs one thread at a time nobody holds it across a platform call, so
        // it is never contended there, and a decision point here would make the traced run's schedule another
        this.globalLock = new RuntimeMutex(sched.platform, false);
        this.global = writer.take(GLOBAL_PID);
    }

    /** The clock origin (platform nanotime): the runtime's start. */
    public long origin() {
        return origin;
    }

    /** Trace time now: the platform's tracer clock ({@link gort.platform.Platform#cputicks}, never a decision point) since the origin. */
    public long now() {
        return sched.platform.cputicks() - origin;
    }

    // =====================================================================================
    // Writing (traceEvent, traceFlush)
    // =====================================================================================

    private M currentMOrNull() {
        return sched.platform.currentOwner() instanceof M m ? m : null;
    }

    /** The buffer m may write without a lock, or null when it must use the global one. */
    private TraceBuf ownBuf(M m) {
        P p = m == null ? null : m.p;
        if (p == null || p.m != m) {
            return null;
        }
        TraceBuf b = p.tracebuf;
        if (b == null) {
            b = writer.take(p.id);
            p.tracebuf = b;
        }
        return b;
    }

    private void emit(M m, int kind, long ts, int n, long a, long b) {
        if (stopped) {
            return;
        }
        TraceBuf buf = ownBuf(m);
        if (buf != null) {
            P p = m.p;
            p.tracebuf = write(buf, kind, ts < 0 ? now() : ts, n, a, b);
            return;
        }
        globalLock.lock();
        try {
            if (!stopped) {
                global = write(global, kind, ts < 0 ? now() : ts, n, a, b);
            }
        } finally {
            globalLock.unlock();
        }
    }

    /** Writes into p's buffer for a caller that took p out of a syscall (and owns it until it hands it on). */
    private void emitFor(P p, int kind, int n, long a) {
        append(p, kind, now(), n, a, 0);
    }

    /**
     * Appends an event with timestamp ts (trace time) to p's buffer, or to the global buffer when p
     * is null; the caller owns p. What every emission comes down to; tests call it directly.
     */
    void append(P p, int kind, long ts, int n, long a, long b) {
        if (stopped) {
            return;
        }
        if (p == null) {
            globalLock.lock();
            try {
                if (!stopped) {
                    global = write(global, kind, ts, n, a, b);
                }
            } finally {
                globalLock.unlock();
            }
            return;
        }
        TraceBuf buf = p.tracebuf;
        if (buf == null) {
            buf = writer.take(p.id);
        }
        p.tracebuf = write(buf, kind, ts, n, a, b);
    }

    /** Appends one event; returns the buffer to go on with (a fresh one if this one was full). */
    private TraceBuf write(TraceBuf b, int kind, long ts, int n, long a, long c) {
        if (!b.hasRoom(TraceBuf.MAX_EVENT + 2 * 10)) {
            int pid = b.pid;
            writer.submit(b);
            b = writer.take(pid);
        }
        if (b.pos == 0) {
            b.putByte(EV_BATCH);
            b.putVarint(b.pid);
            b.putUvarint(ts);
            b.lastTs = ts;
        }
        b.putByte(kind);
        b.putVarint(ts - b.lastTs);
        b.lastTs = ts;
        if (n > 0) {
            b.putUvarint(a);
            if (n > 1) {
                b.putUvarint(c);
            }
        }
        return b;
    }

    /** The id of s in the trace's string table, defining it in m's buffer the first time. */
    private int intern(M m, String s) {
        if (stopped) {
            return 0;
        }
        Integer id = strings.get(s);
        if (id != null) {
            return id;
        }
        int nid = nextString.getAndIncrement();
        Integer prev = strings.putIfAbsent(s, nid);
        if (prev != null) {
            return prev;
        }
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(u.length, 512);
        TraceBuf buf = ownBuf(m);
        if (buf != null) {
            m.p.tracebuf = defineString(buf, nid, u, len);
        } else {
            globalLock.lock();
            try {
                if (global != null) {
                    global = defineString(global, nid, u, len);
                }
            } finally {
                globalLock.unlock();
            }
        }
        return nid;
    }

    private TraceBuf defineString(TraceBuf b, int id, byte[] u, int len) {
        if (!b.hasRoom(1 + 10 + 10 + len)) {
            int pid = b.pid;
            writer.submit(b);
            b = writer.take(pid);
        }
        // a string definition may open a batch: give the batch a header first
        if (b.pos == 0) {
            long ts = now();
            b.putByte(EV_BATCH);
            b.putVarint(b.pid);
            b.putUvarint(ts);
            b.lastTs = ts;
        }
        b.putByte(EV_STRING);
        b.putUvarint(id);
        b.putUvarint(len);
        System.arraycopy(u, 0, b.arr, b.pos, len);
        b.pos += len;
        return b;
    }

    // =====================================================================================
    // Emission points of the scheduler (m is the caller's M)
    // =====================================================================================

    /** The runtime starts: GOMAXPROCS and the main goroutine's creation (called off the runtime's threads). */
    void start(int procs, G maing) {
        emit(null, EV_GOMAXPROCS, -1, 1, procs, 0);
        emit(null, EV_GO_CREATE, -1, 2, maing.goid, intern(null, maing.startName));
    }

    void goCreate(M m, G newg) {
        emit(m, EV_GO_CREATE, -1, 2, newg.goid, intern(m, newg.startName));
    }

    /** gp starts running on m's P; also samples the P's run queue when it changed. */
    void goStart(M m, G gp) {
        emit(m, EV_GO_START, -1, 1, gp.goid, 0);
        P p = m.p;
        if (p != null) {
            int ring = p.runqRingSize();
            int next = p.runnextForTest() != null ? 1 : 0;
            int packed = ring << 1 | next;
            if (packed != p.traceRunq) {
                p.traceRunq = packed;
                emit(m, EV_RUNQ, -1, 2, ring, next);
            }
        }
    }

    void goEnd(M m) {
        emit(m, EV_GO_END, -1, 0, 0, 0);
    }

    /** The running G goes to the global queue: by Gosched, or preempted. */
    void goSched(M m, boolean preempted) {
        emit(m, preempted ? EV_GO_PREEMPT : EV_GO_SCHED, -1, 0, 0, 0);
    }

    /**
     * The running G parks for reason (Go's traceGoPark): the event carries the reason, and its kind
     * is the one Go 1.5's gopark call for that reason passes ({@link #blockKind}).
     */
    void goPark(M m, String reason) {
        emit(m, blockKind(reason), -1, 1, intern(m, reason), 0);
    }

    /**
     * The event kind of a park for reason, as Go 1.5 passes it to gopark: a sleep is GoSleep
     * (timeSleep), a select GoBlockSelect, channel operations GoBlockSend/GoBlockRecv, a semaphore
     * GoBlockSync; a park that nothing can end (a select with no cases, a nil channel) is GoStop;
     * any other wait (the timer goroutine idle, the collector's goroutines) is GoBlock.
     */
    static int blockKind(String reason) {
        return switch (reason) {
            case "sleep" -> EV_GO_SLEEP;
            case "select" -> EV_GO_BLOCK_SELECT;
            case "chan send" -> EV_GO_BLOCK_SEND;
            case "chan receive" -> EV_GO_BLOCK_RECV;
            case "semacquire" -> EV_GO_BLOCK_SYNC;
            case "select (no cases)", "chan send (nil chan)", "chan receive (nil chan)" -> EV_GO_STOP;
            default -> EV_GO_BLOCK;
        };
    }

    /**
     * gp is the timer goroutine (Go's traceEvTimerGoroutine, which Go writes into the trace's
     * header; gort, tracing from the start, writes it when the timer goroutine is created).
     */
    void timerGoroutine(G gp) {
        emit(currentMOrNull(), EV_TIMER_GOROUTINE, -1, 1, gp.goid, 0);
    }

    /** gp becomes runnable in m's P's runnext (Go's traceGoUnpark). */
    void goUnblock(M m, G gp) {
        emit(m, EV_GO_UNBLOCK, -1, 1, gp.goid, 0);
    }

    /** runqput put a new G in p's runnext and kicked gp, which was there, to the ring (the caller owns p). */
    void goKicked(P p, G gp) {
        append(p, EV_GO_KICKED, now(), 1, gp.goid, 0);
    }

    void goSysCall(M m) {
        emit(m, EV_GO_SYSCALL, -1, 0, 0, 0);
    }

    /** entersyscallblock: the call blocks and the P is handed off at once (ProcStop follows from releasep). */
    void goSysCallBlock(M m) {
        emit(m, EV_GO_SYSCALL, -1, 0, 0, 0);
        emit(m, EV_GO_SYSBLOCK, -1, 0, 0, 0);
    }

    /** p was taken from the syscall its G is in (retake, stop-the-world, forEachP): GoSysBlock and ProcStop for p. */
    void goSysBlockProcStop(P p) {
        emitFor(p, EV_GO_SYSBLOCK, 0, 0);
        emitFor(p, EV_PROC_STOP, 0, 0);
    }

    /** gp returns from a blocked syscall: runs at once (it holds a P now) or goes to the global queue. */
    void goSysExit(M m, G gp, boolean global) {
        emit(m, EV_GO_SYSEXIT, -1, 2, gp.goid, global ? SYSEXIT_GLOBAL : SYSEXIT_RUNNING);
    }

    /** exitsyscall's fast path found an idle P: GoSysExit, then gp runs on it. */
    void goSysExitStart(M m, G gp) {
        goSysExit(m, gp, false);
        goStart(m, gp);
    }

    void procStart(M m) {
        emit(m, EV_PROC_START, -1, 1, m.id, 0);
    }

    void procStop(M m) {
        emit(m, EV_PROC_STOP, -1, 0, 0, 0);
    }

    /** The global run queue's length after a change (the caller holds sched.lock). */
    void globrunq(int len) {
        emit(currentMOrNull(), EV_GLOBRUNQ, -1, 1, len, 0);
    }

    void stwStart(M m, String reason) {
        emit(m, EV_STW_START, -1, 1, intern(m, reason), 0);
    }

    void stwDone(M m) {
        emit(m, EV_STW_DONE, -1, 0, 0, 0);
    }

    /** A P is destroyed by procresize (world stopped): its buffer is handed over. */
    void procFree(P p) {
        TraceBuf b = p.tracebuf;
        p.tracebuf = null;
        if (b != null) {
            writer.submit(b);
        }
    }

    // =====================================================================================
    // Emission points of the layers above (they run on a goroutine or an M holding a P)
    // =====================================================================================

    private void emitHere(int kind, long ts, int n, long a, long b) {
        emit(currentMOrNull(), kind, ts, n, a, b);
    }

    public void gcStart(int cycle, boolean forced) {
        emitHere(EV_GC_START, -1, 2, cycle, forced ? 1 : 0);
    }

    public void gcDone() {
        emitHere(EV_GC_DONE, -1, 0, 0, 0);
    }

    public void gcScanStart() {
        emitHere(EV_GC_SCAN_START, -1, 0, 0, 0);
    }

    public void gcScanDone() {
        emitHere(EV_GC_SCAN_DONE, -1, 0, 0, 0);
    }

    public void gcSweepStart() {
        emitHere(EV_GC_SWEEP_START, -1, 0, 0, 0);
    }

    public void gcSweepDone() {
        emitHere(EV_GC_SWEEP_DONE, -1, 0, 0, 0);
    }

    public void heapAlloc(long bytes) {
        emitHere(EV_HEAP_ALLOC, -1, 1, bytes, 0);
    }

    public void nextGC(long bytes) {
        emitHere(EV_NEXT_GC, -1, 1, bytes == Long.MAX_VALUE ? 0 : bytes, 0);
    }

    /**
     * Phase 1 or 2 of concurrent marking is done: {@code completer} is the winner's kind (an
     * ordinal of the collector's CompleterKind), {@code doneNanos} the platform time of its
     * winning CAS, which becomes the event's timestamp.
     */
    public void gcMarkDone(int phase, int completer, long doneNanos) {
        emitHere(EV_GC_MARK_DONE, doneNanos - origin, 2, phase, completer);
    }

    /** The coordinator starts waiting for phase; strategy is an ordinal of the collector's WakeupStrategy. */
    public void gcWait(int phase, int strategy) {
        emitHere(EV_GC_WAIT, -1, 2, phase, strategy);
    }

    /** The coordinator runs again after waiting for phase, at platform time resumedNanos. */
    public void gcResume(int phase, long resumedNanos) {
        emitHere(EV_GC_RESUME, resumedNanos - origin, 1, phase, 0);
    }

    /** mode: an ordinal of the collector's CompleterKind (dedicated, fractional, idle). */
    public void markWorkerStart(int mode) {
        emitHere(EV_MARK_WORKER_START, -1, 1, mode, 0);
    }

    public void markWorkerStop(int mode) {
        emitHere(EV_MARK_WORKER_STOP, -1, 1, mode, 0);
    }

    public void assistStart() {
        emitHere(EV_ASSIST_START, -1, 0, 0, 0);
    }

    public void assistDone() {
        emitHere(EV_ASSIST_DONE, -1, 0, 0, 0);
    }

    // =====================================================================================
    // Stopping (Go's StopTrace)
    // =====================================================================================

    /**
     * Ends the trace from a goroutine (the main one, as it returns): stops the world so that no P
     * is being written, hands every P's buffer and the global one to the writer, and starts the
     * world again. Events after this are dropped. On a platform that runs one thread at a time no
     * other thread can be inside a buffer, and the buffers are handed over without stopping the
     * world (a simplification: such a trace has no final stop-the-world span), so that tracing
     * adds no scheduling point to the run.
     */
    public void stopFromGoroutine() {
        if (sched.platform.runsOneThreadAtATime()) {
            // no other thread runs until this one makes a platform call, so none is inside a buffer: hand them over
            // without stopping the world, which would add decisions after main returns that the untraced run has not
            handOverAll(sched.allp);
            return;
        }
        sched.stopTheWorld("stop tracing");
        stwDone(Sched.currentM()); // the pause itself ends the trace
        handOverAll(sched.allp);
        sched.startTheWorld();
    }

    /** Stops tracing and hands every buffer to the writer: ps' (whose owners must be stopped) and the global one. */
    void handOverAll(P[] ps) {
        globalLock.lock();
        stopped = true;
        TraceBuf g = global;
        global = null;
        globalLock.unlock();
        for (P p : ps) {
            if (p != null && p.tracebuf != null) {
                writer.submit(p.tracebuf);
                p.tracebuf = null;
            }
        }
        if (g != null) {
            writer.submit(g);
        }
    }

    /**
     * Closes the trace file (off the runtime, after it returned or died): waits for the writer.
     * After a clean {@link #stopFromGoroutine} the file is complete; after a runtime that died, it
     * holds what had been handed over.
     */
    public void close() {
        stopped = true;
        writer.close();
    }

    public long bytesWritten() {
        return writer.bytesWritten();
    }
}
