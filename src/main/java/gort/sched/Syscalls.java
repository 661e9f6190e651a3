package gort.sched;

/**
 * System calls and sleeps on a note from a goroutine (Go 1.5's entersyscall, entersyscallblock,
 * exitsyscall with exitsyscallfast and exitsyscall0, in proc1.go; notetsleepg in lock_futex.go).
 *
 * <p>Owns no state of its own: it moves a G and its P between RUNNING and SYSCALL under the
 * scheduler's rules. Invariants, as in Go: a G in a syscall keeps no P it can run Go code on (its
 * P is SYSCALL, and sysmon may retake it; or it was handed off at once); the M's mcache is dropped
 * for the call; a returning G runs on only with a P (its old one, an idle one, or, through the
 * global run queue, whichever M schedules it next); a stop-the-world that finds a P in a syscall
 * stops it there, so the call's return waits for the world to restart.
 */
final class Syscalls {
    private final Sched sched;

    Syscalls(Sched sched) {
        this.sched = sched;
    }

    /** The current G enters a short blocking call: its P stays attached but can be retaken. */
    void entersyscall() {
        M m = Sched.currentM();
        G gp = m.curg;
        P p = m.p;
        m.locks++;
        if (sched.trace != null) sched.trace.goSysCall(m);
        gp.casgstatus(G.RUNNING, G.SYSCALL);
        if (sched.sysmon.waiting()) {
            sched.lock.lock();
            sched.sysmon.wakeLocked();
            sched.lock.unlock();
        }
        m.syscalltick = p.syscalltick;
        if (p.runSafePointFn != 0) {
            sched.world.runSafePointFn(p);
        }
        p.m = null;
        m.mcache = null; // as Go: the P may be retaken during the call, and a syscall never allocates
        p.setStatus(P.SYSCALL);
        if (sched.gcwaiting != 0) {
            sched.lock.lock();
            if (sched.stopwait > 0 && p.casStatus(P.SYSCALL, P.GCSTOP)) {
                if (sched.trace != null) sched.trace.goSysBlockProcStop(p);
                p.syscalltick++;
                if (--sched.stopwait == 0) {
                    sched.stopnote.wakeup();
                }
            }
            sched.lock.unlock();
        }
        m.locks--;
    }

    /** The current G enters a call known to block: its P is handed off at once. */
    void entersyscallblock() {
        M m = Sched.currentM();
        G gp = m.curg;
        P p = m.p;
        m.locks++;
        m.syscalltick = p.syscalltick;
        p.syscalltick++;
        gp.casgstatus(G.RUNNING, G.SYSCALL);
        if (sched.trace != null) sched.trace.goSysCallBlock(m);
        sched.handoffp(sched.releasep(m));
        m.locks--;
    }

    /**
     * The current G returns from a syscall: runs on at once if its old P (or an idle one) is free;
     * otherwise it goes to the global run queue and its M stops.
     */
    void exitsyscall() {
        M m = Sched.currentM();
        G gp = m.curg;
        m.locks++;
        if (exitsyscallfast(m)) {
            gp.enqueued = Enqueued.SYSCALL_WITH_P;
            m.p.syscalltick++;
            gp.casgstatus(G.SYSCALL, G.RUNNING);
            m.locks--;
            return;
        }
        m.locks--;
        Sched.mcall(m, M.MCALL_EXITSYSCALL);
        // the scheduler ran us again, with a P
        Sched.currentM().p.syscalltick++;
    }

    private boolean exitsyscallfast(M m) {
        P oldp = m.p;
        if (oldp != null && oldp.status() == P.SYSCALL && oldp.casStatus(P.SYSCALL, P.RUNNING)) {
            oldp.m = m;
            m.mcache = oldp.mcache;
            return true;
        }
        m.p = null;
        m.mcache = null;
        if (sched.npidle.get() != 0) {
            sched.lock.lock();
            P p = sched.pidleget();
            if (p != null) {
                sched.sysmon.wakeLocked();
            }
            sched.lock.unlock();
            if (p != null) {
                sched.acquirep(m, p);
                if (sched.trace != null) sched.trace.goSysExitStart(m, m.curg);
                return true;
            }
        }
        return false;
    }

    /** exitsyscall0, on the M: no P was free, so gp goes to the global queue and the M stops. */
    G exitsyscall0(M m, G gp) {
        gp.casgstatus(G.SYSCALL, G.RUNNABLE);
        Sched.dropg(m);
        sched.lock.lock();
        P p = sched.pidleget();
        if (sched.trace != null) sched.trace.goSysExit(m, gp, p == null);
        if (p == null) {
            gp.enqueued = Enqueued.GLOBAL_SYSCALL;
            sched.globrunqput(gp);
        } else {
            sched.sysmon.wakeLocked();
        }
        sched.lock.unlock();
        if (p != null) {
            gp.enqueued = Enqueued.SYSCALL_WITH_P;
            sched.acquirep(m, p);
            m.inheritTime[0] = false;
            return gp;
        }
        sched.stopm(m);
        return null;
    }

    /**
     * Sleeps on a note from a goroutine (Go's notetsleepg): the P is handed off for the sleep, and
     * on waking the G needs a P again (the global run queue if none is idle). True if woken.
     */
    boolean notetsleepg(Note n, long ns) {
        if (Sched.getg() == null) {
            throw new IllegalStateException("fatal error: notetsleepg on the scheduler stack");
        }
        entersyscallblock();
        // exit() abandons the note this M sleeps on (set before exiting is read: either exit sees
        // it, or this sees exiting), so a runtime that ends never leaves an M asleep here
        M m = Sched.currentM();
        m.waitnote = n;
        boolean ok = !sched.exiting && n.tsleep(ns);
        m.waitnote = null;
        exitsyscall();
        if (sched.exiting) {
            throw new ExitUnwind();
        }
        return ok;
    }

    /**
     * Sleeps the calling M on a note while it keeps its P (Go's notesleep, as gcMark waits for its
     * helpers with the world stopped), or unwinds the calling goroutine ({@link ExitUnwind}) if the
     * runtime ends meanwhile: an M woken to help that finds the runtime ending stops instead of
     * helping, so the wakeup this waits for may never come. exit() abandons the note as it does
     * notetsleepg's (published before exiting is read: either exit sees it, or this sees exiting).
     */
    void notesleepUnlessExiting(Note n) {
        M m = Sched.currentM();
        m.waitnote = n;
        if (!sched.exiting) {
            n.sleep();
        }
        m.waitnote = null;
        if (sched.exiting) {
            throw new ExitUnwind();
        }
    }
}
