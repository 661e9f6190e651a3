package gort.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stopping and starting the world, and the ragged barrier that stops no one (Go 1.5's
 * stopTheWorldWithSema, startTheWorldWithSema, forEachP, runSafePointFn, gcstopm, procresize and
 * helpgc, in proc1.go).
 *
 * <p>Owns: the world semaphore (whoever holds it alone may stop the world), GOMAXPROCS's pending
 * change, and forEachP's function, count and note. The stop itself is the scheduler's state
 * ({@code gcwaiting}, {@code stopwait}, {@code stopnote} in {@link Sched}): its loop and its
 * syscall paths read and count it. Invariants, as in Go:
 * <ul>
 *   <li>a stop-the-world sets {@code gcwaiting}, then counts every P down in {@code stopwait} as it
 *       stops (the caller's at once; idle Ps and Ps in a syscall by the caller, under the lock;
 *       running Ps by their own Ms, asked to preempt, in gcstopm); it proceeds only when every P is
 *       GCSTOP, and asks again every 100 µs in case a request raced with a goroutine's safepoint;
 *   <li>forEachP runs its function once on every P, each at a safe point: the caller's P and idle
 *       Ps by the caller, Ps in a syscall as they are handed off, running Ps by their own M when it
 *       next enters the scheduler; {@code safePointWait} counts those still owing it;
 *   <li>procresize runs with the world stopped, so no P changes hands meanwhile.
 * </ul>
 */
final class World {
    private final Sched sched;
    /** Held by whoever may stop the world (Go's worldsema); made by {@link Lifecycle#start}. */
    Sema worldsema;
    /** GOMAXPROCS from the next start of the world, or 0 (Go's newprocs); under the scheduler's lock. */
    private int newprocs;
    private Consumer<P> safePointFn; // under lock while set
    private int safePointWait; // under lock
    private final Note safePointNote;

    World(Sched sched) {
        this.sched = sched;
        this.safePointNote = new Note(sched.platform);
    }

    /**
     * Runs {@code task} on {@code n} Ms other than the caller's, with the world stopped (Go's
     * helpgc): idle Ms are woken for it, new ones started when there are too few. The Ms hold no
     * P; each goes back to the idle list when the task returns. The caller waits for the tasks
     * itself (the collector's work-buffer termination protocol does).
     */
    void helpgc(int n, Runnable task) {
        if (sched.gcwaiting == 0) {
            throw new IllegalStateException("fatal error: helpgc with the world running");
        }
        for (int i = 0; i < n; i++) {
            sched.lock.lock();
            M mp = sched.mget();
            sched.lock.unlock();
            if (mp == null) {
                sched.newm(task, null); // runs task first (mstartfn), then goes idle
                continue;
            }
            mp.helpgc = task;
            mp.park.wakeup();
        }
    }

    /** Stops every P at a safepoint; the caller (a goroutine) keeps running on its own P. */
    void stopTheWorld(String reason) {
        semacquireWorld();
        stopTheWorldWithSema(reason);
    }

    /** Restarts everything stopped by {@link #stopTheWorld}. */
    void startTheWorld() {
        startTheWorldWithSema();
        semreleaseWorld();
    }

    /**
     * Takes the world semaphore (Go's semacquire(&worldsema)): whoever holds it alone may stop
     * the world. The concurrent collector holds it for a whole cycle, so that a forced collection
     * or a GOMAXPROCS change waits for the cycle to end, as in Go 1.5.
     */
    void semacquireWorld() {
        worldsema.acquire();
    }

    void semreleaseWorld() {
        worldsema.release();
    }

    /** Stops the world; the caller must hold the world semaphore. */
    void stopTheWorldWithSema(String reason) {
        M m = Sched.currentM();
        m.preemptoff = reason;
        if (sched.trace != null) sched.trace.stwStart(m, reason);
        stopTheWorldWithSema(m);
    }

    /** Restarts the world stopped by {@link #stopTheWorldWithSema(String)}; keeps the semaphore. */
    void startTheWorldWithSema() {
        M m = Sched.currentM();
        startTheWorldWithSema(m);
        if (sched.trace != null) sched.trace.stwDone(m);
        m.preemptoff = null;
    }

    /**
     * Runs fn(p) for every P at a GC safe point (Go's forEachP): fn runs for the caller's P now,
     * for idle Ps and Ps in a syscall by the caller, and for each running P by its own M when it
     * next enters the scheduler (the running goroutines are asked to yield at their next
     * safepoint). Returns when every P has run fn. The caller must be a goroutine holding the
     * world semaphore (so that no stop-the-world or procresize races with it). A goroutine in a
     * loop without safepoints delays this, as it delays a stop-the-world.
     */
    void forEachP(Consumer<P> fn) {
        M m = Sched.currentM();
        P mp = m.p;
        m.locks++;
        sched.lock.lock();
        if (safePointWait != 0) {
            sched.lock.unlock();
            throw new IllegalStateException("fatal error: forEachP: sched.safePointWait != 0");
        }
        int procs = sched.gomaxprocs;
        safePointWait = procs - 1;
        safePointFn = fn;
        for (int i = 0; i < procs; i++) {
            P p = sched.allp[i];
            if (p != mp) {
                p.runSafePointFn = 1;
            }
        }
        sched.preemptall();
        // idle Ps run fn here, by us
        for (P p = sched.pidle; p != null; p = p.link) {
            if (p.casRunSafePointFn(1, 0)) {
                fn.accept(p);
                safePointWait--;
            }
        }
        boolean wait = safePointWait > 0;
        sched.lock.unlock();
        fn.accept(mp);
        // Ps in a syscall are forced idle and handed off: handoffp runs fn
        for (int i = 0; i < procs; i++) {
            P p = sched.allp[i];
            int s = p.status();
            if (s == P.SYSCALL && p.runSafePointFn == 1 && p.casStatus(s, P.IDLE)) {
                if (sched.trace != null) sched.trace.goSysBlockProcStop(p);
                p.syscalltick++;
                sched.handoffp(p);
            }
        }
        if (wait) {
            SafepointWait sw = new SafepointWait(sched, "forEachP");
            for (;;) {
                // wait 100 µs, then preempt again in case of races
                if (safePointNote.tsleep(100_000)) {
                    safePointNote.clear();
                    break;
                }
                if (sched.exiting) {
                    m.locks--;
                    throw new ExitUnwind();
                }
                sched.preemptall();
                sw.poll(this::safePointHolders);
            }
        }
        sched.lock.lock();
        if (safePointWait != 0) {
            sched.lock.unlock();
            throw new IllegalStateException("fatal error: forEachP: not done (safePointWait=" + safePointWait + ")");
        }
        for (int i = 0; i < procs; i++) {
            if (sched.allp[i].runSafePointFn != 0) {
                sched.lock.unlock();
                throw new IllegalStateException("fatal error: forEachP: P did not run fn: " + sched.allp[i]);
            }
        }
        safePointFn = null;
        sched.lock.unlock();
        m.locks--;
    }

    /**
     * handoffp's part of forEachP, with {@code sched.lock} held (as Go's handoffp runs
     * sched.safePointFn): if p still owes the pending function, runs it and counts it done.
     */
    void runSafePointFnLocked(P p) {
        if (p.runSafePointFn == 0 || !p.casRunSafePointFn(1, 0)) {
            return;
        }
        safePointFn.accept(p);
        safePointDoneLocked();
    }

    /** Runs the pending forEachP function for p, if p still owes it (Go's runSafePointFn). */
    void runSafePointFn(P p) {
        if (!p.casRunSafePointFn(1, 0)) {
            return;
        }
        Consumer<P> fn;
        sched.lock.lock();
        fn = safePointFn;
        sched.lock.unlock();
        fn.accept(p);
        sched.lock.lock();
        try {
            safePointDoneLocked();
        } finally {
            sched.lock.unlock();
        }
    }

    /** One P has run forEachP's function: counts it, and wakes forEachP after the last. Under sched.lock. */
    private void safePointDoneLocked() {
        if (--safePointWait < 0) {
            throw new IllegalStateException("fatal error: runSafePointFn: safePointWait < 0");
        }
        if (safePointWait == 0) {
            safePointNote.wakeup();
        }
    }

    private void stopTheWorldWithSema(M m) {
        sched.lock.lock();
        sched.stopwait = sched.gomaxprocs;
        sched.gcwaiting = 1;
        sched.preemptall();
        // stop the current P
        m.p.setStatus(P.GCSTOP);
        sched.stopwait--;
        // try to retake all Ps in syscall
        for (int i = 0; i < sched.gomaxprocs; i++) {
            P p = sched.allp[i];
            int s = p.status();
            if (s == P.SYSCALL && p.casStatus(s, P.GCSTOP)) {
                if (sched.trace != null) sched.trace.goSysBlockProcStop(p);
                p.syscalltick++;
                sched.stopwait--;
            }
        }
        // stop idle Ps
        for (;;) {
            P p = sched.pidleget();
            if (p == null) {
                break;
            }
            p.setStatus(P.GCSTOP);
            sched.stopwait--;
        }
        boolean wait = sched.stopwait > 0;
        sched.lock.unlock();
        // wait for the remaining Ps to stop voluntarily
        if (wait) {
            SafepointWait sw = new SafepointWait(sched, "stop-the-world \"" + m.preemptoff + "\"");
            for (;;) {
                // wait 100 µs, then preempt again in case of races
                if (sched.stopnote.tsleep(100_000)) {
                    sched.stopnote.clear();
                    break;
                }
                if (sched.exiting) {
                    throw new ExitUnwind();
                }
                sched.preemptall();
                sw.poll(() -> runningGoroutines(P.GCSTOP));
            }
        }
        if (sched.stopwait != 0) {
            throw new IllegalStateException("fatal error: stopTheWorld: not stopped (stopwait=" + sched.stopwait + ")");
        }
        for (int i = 0; i < sched.gomaxprocs; i++) {
            if (sched.allp[i].status() != P.GCSTOP) {
                throw new IllegalStateException("fatal error: stopTheWorld: not stopped: " + sched.allp[i]);
            }
        }
    }

    private void startTheWorldWithSema(M m) {
        m.locks++;
        sched.lock.lock();
        int procs = sched.gomaxprocs;
        if (newprocs != 0) {
            procs = newprocs;
            newprocs = 0;
        }
        P p1 = procresize(m, procs);
        sched.gcwaiting = 0;
        sched.sysmon.wakeLocked();
        sched.lock.unlock();
        while (p1 != null) {
            P p = p1;
            p1 = p1.link;
            p.link = null;
            if (p.m != null) {
                M mp = p.m;
                p.m = null;
                if (mp.nextp != null) {
                    throw new IllegalStateException("fatal error: startTheWorld: inconsistent mp->nextp");
                }
                mp.nextp = p;
                mp.park.wakeup();
            } else {
                sched.newm(null, p);
            }
        }
        // Wake an additional proc in case there are excess runnable goroutines.
        if (sched.npidle.get() != 0 && sched.nmspinning.get() == 0) {
            sched.wakep();
        }
        m.locks--;
    }

    /** The goroutines running on Ps not yet in status stopped: what a stop-the-world waits for. */
    private List<G> runningGoroutines(int stopped) {
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < sched.gomaxprocs; i++) {
            P p = sched.allp[i];
            M mp = p.m;
            G gp = mp == null ? null : mp.curg;
            if (p.status() != stopped && gp != null && gp.status() == G.RUNNING) {
                gs.add(gp);
            }
        }
        return gs;
    }

    /** The goroutines running on Ps that still owe forEachP's function. */
    private List<G> safePointHolders() {
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < sched.gomaxprocs; i++) {
            P p = sched.allp[i];
            M mp = p.m;
            G gp = mp == null ? null : mp.curg;
            if (p.runSafePointFn != 0 && gp != null && gp.status() == G.RUNNING) {
                gs.add(gp);
            }
        }
        return gs;
    }

    /** An M whose G stopped at a safepoint during stop-the-world gives its P up and sleeps. */
    void gcstopm(M m) {
        if (sched.gcwaiting == 0) {
            throw new IllegalStateException("fatal error: gcstopm: not waiting for gc");
        }
        if (m.spinning) {
            m.spinning = false;
            sched.nmspinning.decrementAndGet();
        }
        P p = sched.releasep(m);
        sched.lock.lock();
        p.setStatus(P.GCSTOP);
        if (--sched.stopwait == 0) {
            sched.stopnote.wakeup();
        }
        sched.lock.unlock();
        sched.stopm(m);
    }

    /**
     * Changes the number of Ps, with the world stopped (under lock). Returns the Ps that have local
     * work, each with an idle M to run it in p.m (or none). Go's procresize.
     */
    private P procresize(M m, int nprocs) {
        int old = sched.gomaxprocs;
        for (int i = 0; i < nprocs; i++) {
            if (sched.allp[i] == null) {
                P p = new P(i);
                p.setStatus(P.GCSTOP);
                sched.allp[i] = p;
                sched.hooks.pInit(p);
            }
        }
        for (int i = nprocs; i < old; i++) {
            P p = sched.allp[i];
            p.drainTo(sched);
            while (p.gfree != null) {
                G g = p.gfree;
                p.gfree = g.schedlink;
                p.gfreecnt--;
                sched.gflock.lock();
                g.schedlink = sched.gfree;
                sched.gfree = g;
                sched.ngfree++;
                sched.gflock.unlock();
            }
            sched.hooks.pDestroy(p);
            if (sched.trace != null) sched.trace.procFree(p);
            p.setStatus(P.DEAD);
            sched.allp[i] = null;
        }
        if (m.p != null && m.p.id < nprocs) {
            m.p.setStatus(P.RUNNING);
        } else {
            if (m.p != null) {
                m.p.m = null;
            }
            m.p = null;
            m.mcache = null;
            P p = sched.allp[0];
            p.m = null;
            p.setStatus(P.IDLE);
            sched.acquirep(m, p);
        }
        P runnablePs = null;
        for (int i = nprocs - 1; i >= 0; i--) {
            P p = sched.allp[i];
            if (m.p == p) {
                continue;
            }
            p.setStatus(P.IDLE);
            if (p.runqempty()) {
                sched.pidleput(p);
            } else {
                p.m = sched.mget();
                p.link = runnablePs;
                runnablePs = p;
            }
        }
        sched.gomaxprocs = nprocs;
        return runnablePs;
    }

    /** Changes GOMAXPROCS at run time (stops and restarts the world); returns the old value. */
    int setGomaxprocs(int n) {
        if (n < 1 || n > Sched.MAX_GOMAXPROCS) {
            throw new IllegalArgumentException("GOMAXPROCS must be between 1 and " + Sched.MAX_GOMAXPROCS + ", got " + n);
        }
        int prev = sched.gomaxprocs;
        stopTheWorld("GOMAXPROCS");
        newprocs = n;
        startTheWorld();
        return prev;
    }
}
