package gort.sched;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The system monitor (Go 1.5's sysmon and retake in proc1.go): a loop on an M of its own, with no
 * P, that preempts a goroutine which ran too long on one P, retakes a P that sat in a syscall,
 * prints the schedtrace line, and sleeps on a note while the world is stopped or every P is idle.
 *
 * <p>Owns: sysmon's sleep (its note and the flag that says it sleeps there) and the count of Ps it
 * retook. Invariants, as in Go: {@code sysmonwait} is set and cleared under the scheduler's lock,
 * and whoever changes what sysmon's sleep depends on (the world restarting, a P taken from the
 * idle list, a G entering a syscall, the runtime exiting) wakes it with {@link #wakeLocked}; sysmon
 * holds no P, so it never runs Go code and a stop-the-world does not wait for it. Its ticks are
 * platform sleeps ({@code usleep}) on the platform's clock.
 */
final class Sysmon {
    /** sysmon preempts a G that has run this long on one P (Go's forcePreemptNS). */
    static final long FORCE_PREEMPT_NS = 10_000_000L;
    /** The longest sysmon sleeps on its note while nothing runs (Go's maxsleep: half of forcegcperiod). */
    static final long SYSMON_MAX_SLEEP_NS = 60_000_000_000L;

    private final Sched sched;
    private final int schedtraceMs;
    /** 1 while sysmon sleeps on {@link #sysmonnote} (Go's sched.sysmonwait); under the scheduler's lock. */
    private volatile int sysmonwait;
    private final Note sysmonnote;
    private final AtomicLong nretaken = new AtomicLong();

    Sysmon(Sched sched, int schedtraceMs) {
        this.sched = sched;
        this.schedtraceMs = schedtraceMs;
        this.sysmonnote = new Note(sched.platform);
    }

    /** Whether sysmon sleeps on its note (a racy read: callers check again under the lock). */
    boolean waiting() {
        return sysmonwait != 0;
    }

    /** Wakes sysmon if it sleeps on its note; under the scheduler's lock. */
    void wakeLocked() {
        if (sysmonwait != 0) {
            sysmonwait = 0;
            sysmonnote.wakeup();
        }
    }

    /** sysmon's loop, on its own M (no P): runs until the runtime exits. */
    void run() {
        int idle = 0;
        long delay = 0;
        long lasttrace = 0;
        while (!sched.exiting) {
            if (idle == 0) {
                delay = 20; // start with a 20 µs sleep
            } else if (idle > 50) {
                delay *= 2; // double after 1 ms of idleness
            }
            if (delay > 10_000) {
                delay = 10_000; // up to 10 ms
            }
            sched.platform.usleep(delay);
            if (schedtraceMs <= 0 && (sched.gcwaiting != 0 || sched.npidle.get() == sched.gomaxprocs)) {
                sched.lock.lock();
                if (!sched.exiting && (sched.gcwaiting != 0 || sched.npidle.get() == sched.gomaxprocs)) {
                    sysmonwait = 1;
                    sched.lock.unlock();
                    sysmonnote.tsleep(SYSMON_MAX_SLEEP_NS);
                    sched.lock.lock();
                    sysmonwait = 0;
                    sysmonnote.clear();
                    idle = 0;
                    delay = 20;
                }
                sched.lock.unlock();
            }
            long now = sched.platform.nanotime();
            if (retake(now) != 0) {
                idle = 0;
            } else {
                idle++;
            }
            if (schedtraceMs > 0 && lasttrace + schedtraceMs * 1_000_000L <= now) {
                lasttrace = now;
                schedtrace();
            }
        }
    }

    private int retake(long now) {
        int n = 0;
        int procs = sched.gomaxprocs;
        for (int i = 0; i < procs; i++) {
            P p = sched.allp[i];
            if (p == null) {
                continue;
            }
            int s = p.status();
            if (s == P.SYSCALL) {
                // Retake a P from a syscall if it has been there for more than one sysmon tick.
                int t = p.syscalltick;
                if (p.sysmonSyscalltick != t) {
                    p.sysmonSyscalltick = t;
                    p.sysmonSyscallwhen = now;
                    continue;
                }
                // Don't retake if there is no other work, unless it has been 10 ms.
                if (p.runqempty() && sched.nmspinning.get() + sched.npidle.get() > 0
                        && p.sysmonSyscallwhen + 10_000_000L > now) {
                    continue;
                }
                if (p.casStatus(s, P.IDLE)) {
                    if (sched.trace != null) sched.trace.goSysBlockProcStop(p);
                    n++;
                    nretaken.incrementAndGet();
                    p.syscalltick++;
                    sched.handoffp(p);
                }
            } else if (s == P.RUNNING) {
                // Preempt the G if it has been running too long.
                int t = p.schedtick;
                if (p.sysmonSchedtick != t) {
                    p.sysmonSchedtick = t;
                    p.sysmonSchedwhen = now;
                    continue;
                }
                if (p.sysmonSchedwhen + FORCE_PREEMPT_NS > now) {
                    continue;
                }
                sched.preemptone(p);
            }
        }
        return n;
    }

    /** Go's schedtrace line. */
    String schedtraceLine() {
        long ms = (sched.platform.nanotime() - sched.starttime) / 1_000_000L;
        StringBuilder sb = new StringBuilder();
        sched.lock.lock();
        try {
            sb.append("SCHED ").append(ms).append("ms: gomaxprocs=").append(sched.gomaxprocs)
                    .append(" idleprocs=").append(sched.npidle.get())
                    .append(" threads=").append(sched.mcount)
                    .append(" spinningthreads=").append(sched.nmspinning.get())
                    .append(" idlethreads=").append(sched.nmidle)
                    .append(" runqueue=").append(sched.runqsize)
                    .append(" [");
            for (int i = 0; i < sched.gomaxprocs; i++) {
                P p = sched.allp[i];
                sb.append(p == null ? 0 : p.runqsize());
                if (i != sched.gomaxprocs - 1) {
                    sb.append(' ');
                }
            }
            sb.append(']');
        } finally {
            sched.lock.unlock();
        }
        return sb.toString();
    }

    private void schedtrace() {
        sched.out.println(schedtraceLine());
    }

    long retakes() {
        return nretaken.get();
    }
}
