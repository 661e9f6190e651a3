package gort.sched;

import gort.platform.OsThread;
import java.util.ArrayList;
import java.util.List;

/**
 * A runtime's life: its start, its exit, the wait for its end, and the deadlock check that ends it
 * (after Go 1.5's schedinit and the creation of main's goroutine, proc.go's main returning into
 * exit, the fatal paths of panic and throw, and proc1.go's checkdead).
 *
 * <p>Owns: the main goroutine, the fatal error the runtime died of, and the note the host waits
 * on. The exiting flag itself is the scheduler's ({@link Sched#exiting}: its loop reads it at
 * every turn). Invariants: the runtime exits once (exit and fatalLocked set {@code exiting} under
 * the scheduler's lock; a second exit does nothing); once exiting, no M is started and every
 * goroutine is flagged to stop at its next safepoint, so every M ends unless its goroutine never
 * reaches one; the host's wait for the Ms goes through the platform ({@code awaitThreadEnd}), on
 * the platform's clock.
 *
 * <p>Adds to Go: a runtime shares its JVM with its host, so exit cannot end the process; it wakes
 * every M so that each thread ends, and {@link #awaitExit} waits for them (with a grace for a
 * goroutine that reaches no safepoint) and marks the goroutines left behind dead.
 */
final class Lifecycle {
    /** How long {@link #awaitExit} waits for the Ms to end (a G that reaches no safepoint keeps its M). */
    static final long EXIT_GRACE_NS = 5_000_000_000L;

    private final Sched sched;
    private volatile Throwable fatal;
    private final Note exitnote;
    private G maing;

    Lifecycle(Sched sched) {
        this.sched = sched;
        this.exitnote = new Note(sched.platform);
    }

    /**
     * Starts the runtime: creates the Ps, the main goroutine on P0, M0 to run it, and sysmon.
     * Returns at once; {@link #awaitExit} waits for main to return.
     */
    public void start(Runnable mainFn) {
        sched.lock.lock();
        for (int i = 0; i < sched.gomaxprocs; i++) {
            P p = new P(i);
            sched.allp[i] = p;
            sched.hooks.pInit(p);
        }
        for (int i = sched.gomaxprocs - 1; i >= 1; i--) {
            sched.pidleput(sched.allp[i]);
        }
        sched.lock.unlock();
        sched.world.worldsema = new Sema(sched, 1);
        maing = sched.newG(mainFn, "main.main", null);
        maing.casgstatus(G.DEAD, G.RUNNABLE);
        if (sched.trace != null) sched.trace.start(sched.gomaxprocs, maing);
        sched.allp[0].runqput(maing, true, sched);
        // sysmon first, so that it is counted before main can block (checkdead subtracts it)
        sched.newm(sched.sysmon::run, null, true);
        sched.newm(null, sched.allp[0], false);
    }

    /**
     * Waits for main to return or the runtime to die, then for every M to end (each stops at its
     * goroutine's next safepoint, or at once if idle; see {@link #exit}); throws the fatal error if
     * the runtime died. When every M ended, every goroutine that had not finished is marked dead:
     * nothing can run it any more. An M whose goroutine reaches no safepoint within
     * {@link #EXIT_GRACE_NS} keeps running (as a Go loop without safepoints cannot be preempted).
     */
    public void awaitExit() {
        exitnote.sleep();
        sched.lock.lock();
        List<M> ms = List.copyOf(sched.allm); // final: newm starts no M once exiting is set
        sched.lock.unlock();
        long start = sched.platform.nanotime();
        long deadline = start + EXIT_GRACE_NS;
        boolean ended = awaitMs(ms, Math.min(deadline, start + SafepointWait.REPORT_AFTER_NS));
        if (!ended) {
            // name the goroutines that keep their Ms, once, then wait out the grace
            boolean named = new SafepointWait(sched, "the runtime's exit", start).report(goroutinesOn(ms));
            ended = awaitMs(ms, deadline);
            if (!ended && named) {
                sched.diagnostic("gort: " + sched.name() + ": gave up waiting after " + EXIT_GRACE_NS / 1_000_000_000L
                        + " s; the goroutines named above keep running on their threads");
            }
        }
        if (ended) {
            abandonGoroutines();
        }
        Throwable f = fatal;
        if (f instanceof FatalError fe) {
            throw fe;
        }
        if (f instanceof ExitStatus es) {
            throw es;
        }
        if (f != null) {
            throw new FatalError("fatal error: " + f, f);
        }
    }

    /** Waits until every M of ms has ended or the platform's clock passes deadline; true if all ended. */
    private boolean awaitMs(List<M> ms, long deadline) {
        for (M mp : ms) {
            OsThread t;
            while ((t = mp.thread) == null && sched.platform.nanotime() < deadline) {
                sched.platform.osyield(); // newm publishes the thread right after starting it
            }
            if (t == null || !sched.platform.awaitThreadEnd(t, deadline)) {
                return false;
            }
        }
        return true;
    }

    /** The goroutines mounted on those of ms whose thread has not ended. */
    private List<G> goroutinesOn(List<M> ms) {
        List<G> gs = new ArrayList<>();
        for (M mp : ms) {
            OsThread t = mp.thread;
            G gp = mp.curg;
            if (t != null && !sched.platform.threadEnded(t) && gp != null) {
                gs.add(gp);
            }
        }
        return gs;
    }

    /** Ms of this runtime whose thread has not ended (0 once {@link #awaitExit} saw them all end). */
    public int liveMs() {
        sched.lock.lock();
        try {
            int n = 0;
            for (M mp : sched.allm) {
                OsThread t = mp.thread;
                if (t == null || !sched.platform.threadEnded(t)) {
                    n++;
                }
            }
            return n;
        } finally {
            sched.lock.unlock();
        }
    }

    /** After every M ended: the goroutines left runnable, waiting or in a syscall are dead. */
    private void abandonGoroutines() {
        sched.allglock.lock();
        try {
            for (G gp : sched.allgs) {
                if (gp.status() != G.DEAD) {
                    gp.setStatus(G.DEAD);
                    gp.cont = null;
                    gp.schedlink = null;
                }
            }
        } finally {
            sched.allglock.unlock();
        }
        sched.runqhead = null;
        sched.runqtail = null;
        sched.runqsize = 0;
    }

    /** Ends the runtime: main returned (fatal == null) or something died. Idempotent. */
    void exit(Throwable why) {
        sched.lock.lock();
        if (sched.exiting) {
            sched.lock.unlock();
            return;
        }
        fatal = why;
        sched.exiting = true;
        // wake every idle M so its thread can end
        for (M mp = sched.midle; mp != null; mp = mp.schedlink) {
            mp.park.wakeup();
        }
        sched.midle = null;
        sched.sysmon.wakeLocked();
        // every goroutine stops at its next safepoint: the flag of each (not only of those running
        // now; execute() re-checks exiting after clearing a G's flag, so a G picked at this very
        // moment is flagged too); an M sleeping in notetsleepg is woken
        for (G gp : sched.allgs()) {
            gp.preempt = true;
        }
        for (M mp : sched.allm) {
            Note n = mp.waitnote;
            if (n != null) {
                n.abandon();
            }
        }
        sched.lock.unlock();
        exitnote.wakeup();
    }

    /**
     * Ends the runtime from outside its goroutines, as if it had died with the fatal error
     * {@code message}: what {@link #exit} does for a dying goroutine (each goroutine stops at its next
     * safepoint, idle Ms and sleepers wake, {@link #awaitExit} returns and throws the error), for a
     * host that must end a runtime it started and go on (a test's watchdog). Go has no such call: a
     * process ends a Go program, which dies with it; a gort runtime shares its JVM. Idempotent, and
     * does nothing to a runtime that is already exiting. Any thread may call it.
     */
    public void abort(String message) {
        exit(new FatalError(message));
    }

    /**
     * Go's os.Exit(code), called on a goroutine: the runtime ends now, as when main returns (no
     * other goroutine runs on; deferred work is not run, as Go runs no deferred functions), and its
     * entry point returns normally for 0, or throws {@link ExitStatus} with the code. Does not
     * return.
     */
    public void exitProcess(int code) {
        exit(code == 0 ? null : new ExitStatus(code));
        throw new ExitUnwind();
    }

    /** The body every goroutine's continuation runs. */
    void goBody(G gp, Runnable fn) {
        try {
            fn.run();
        } catch (Throwable t) {
            if (t instanceof ExitUnwind) {
                return;
            }
            String msg = t.getMessage();
            if (msg != null && msg.startsWith("fatal error:")) { // a runtime throw, not a panic
                exit(new FatalError(msg + "\n\ngoroutine " + gp.goid + " [running]:\n\t" + gp.startName, t));
            } else {
                exit(new FatalError(panicReport(gp, t), t));
            }
            return;
        }
        if (gp == maing) {
            exit(null);
        }
    }

    private String panicReport(G gp, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        String head = t instanceof GoPanic ? "panic: " + t.getMessage() : "panic: " + t;
        return head + "\n\ngoroutine " + gp.goid + " [running]:\n" + sw;
    }

    /**
     * Called (under lock) whenever an M goes idle: if no M is running and every goroutine waits,
     * nothing can ever wake one, and the runtime dies with Go's message and dump.
     */
    void checkdead() {
        if (sched.exiting) {
            return;
        }
        int run = sched.mcount - sched.nmidle - 1; // -1 for sysmon
        if (run > 0) {
            return;
        }
        if (run < 0) {
            fatalLocked("fatal error: checkdead: inconsistent counts: mcount=" + sched.mcount + " nmidle=" + sched.nmidle);
            return;
        }
        int waiting = 0;
        sched.allglock.lock();
        StringBuilder dump = new StringBuilder();
        try {
            for (G gp : sched.allgs) {
                if (gp.system) {
                    continue;
                }
                int s = gp.status();
                switch (s) {
                    case G.WAITING -> {
                        waiting++;
                        dump.append("\ngoroutine ").append(gp.goid).append(" [").append(gp.waitreason)
                                .append("]:\n\t").append(gp.startName).append('\n');
                        // where it blocked, as Go's traceback prints the file:line under the function; walked
                        // only now (every M is idle, so every goroutine's continuation is unmounted)
                        String at = Traceback.programFrame(gp);
                        if (at != null) {
                            dump.append("\t\t").append(at).append('\n');
                        }
                    }
                    case G.RUNNABLE, G.RUNNING, G.SYSCALL -> {
                        fatalLocked("fatal error: checkdead: runnable g " + gp.goid + " (" + G.statusName(s) + ")");
                        return;
                    }
                    default -> {}
                }
            }
        } finally {
            sched.allglock.unlock();
        }
        if (waiting == 0) {
            fatalLocked("fatal error: no goroutines (main called runtime.Goexit) - deadlock!");
            return;
        }
        fatalLocked("fatal error: all goroutines are asleep - deadlock!\n" + dump);
    }

    /** Dies from inside a section that holds lock: exit() takes the lock itself, so finish there. */
    private void fatalLocked(String msg) {
        FatalError f = new FatalError(msg);
        fatal = f;
        sched.exiting = true;
        for (M mp = sched.midle; mp != null; mp = mp.schedlink) {
            if (!mp.park.isSet()) {
                mp.park.wakeup();
            }
        }
        sched.midle = null;
        sched.sysmon.wakeLocked();
        exitnote.wakeup();
    }
}
