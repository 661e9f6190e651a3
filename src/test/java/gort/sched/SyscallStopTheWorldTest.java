package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.api.WaitGroup;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Stop-the-world with a goroutine inside a system call that kept its P (Go 1.5's entersyscall,
 * stopTheWorldWithSema and exitsyscall): the stop takes the P from the call (SYSCALL to GCSTOP) and
 * so stops the world without the goroutine; a goroutine whose call returns while the world is
 * stopped finds neither its P nor an idle one, goes to the global run queue, and runs again only
 * after start-the-world.
 *
 * <p>sysmon may retake the P first (a P sits in a syscall at most 10 ms while another is idle):
 * then the stop found it idle, not in the call, and the round is tried again.
 */
class SyscallStopTheWorldTest {
    static final int ROUNDS = 50;

    /** What one round saw. */
    record Round(boolean retakenBySysmon, int pStatus, int gStatus, boolean leftCallDuringStop,
            boolean ranDuringStop, int globalRunq, boolean returnedAfterStart, Enqueued queued) {}

    @Test
    void theWorldStopsWithoutAGoroutineInASyscallWhichRunsAgainOnlyAfterStartTheWorld() {
        AtomicReference<Round> result = new AtomicReference<>();
        Rt.run(gort.api.Config.defaults().withGomaxprocs(3), 120, () -> {
            Sched s = Sched.current();
            for (int i = 0; i < ROUNDS; i++) {
                Round r = round(s);
                result.set(r);
                if (!r.retakenBySysmon()) {
                    break;
                }
            }
        });
        Round r = result.get();
        assertThat(r.retakenBySysmon()).as("in %d rounds sysmon always retook the P before the stop", ROUNDS).isFalse();
        assertThat(r.pStatus()).as("the call's P, taken by the stop").isEqualTo(P.GCSTOP);
        assertThat(r.gStatus()).as("the goroutine, once the world had stopped: still in its call").isEqualTo(G.SYSCALL);
        assertThat(r.leftCallDuringStop()).as("its call returned while the world was stopped").isTrue();
        assertThat(r.ranDuringStop()).as("it ran before start-the-world").isFalse();
        assertThat(r.globalRunq()).as("it waited on the global run queue").isEqualTo(1);
        assertThat(r.returnedAfterStart()).isTrue();
        assertThat(r.queued()).isEqualTo(Enqueued.GLOBAL_SYSCALL);
    }

    /** One goroutine enters a call that keeps its P; the world is stopped, the call returns, the world starts. */
    static Round round(Sched s) {
        AtomicReference<G> caller = new AtomicReference<>();
        AtomicReference<P> callP = new AtomicReference<>();
        AtomicBoolean inCall = new AtomicBoolean();
        AtomicBoolean worldStopped = new AtomicBoolean();
        AtomicBoolean leave = new AtomicBoolean();
        AtomicBoolean leftWhileStopped = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicReference<Enqueued> queued = new AtomicReference<>();
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        Go.go("in-syscall", () -> {
            G me = Sched.getg();
            caller.set(me);
            s.entersyscall();
            callP.set(Sched.currentM().p); // the P stays with the call, in SYSCALL
            inCall.set(true);
            // the call: no safepoint until told to leave; the bound only ends a stop that waits for us
            Rt.spinUntil(leave::get, 30_000);
            leftWhileStopped.set(worldStopped.get());
            s.exitsyscall();
            returned.set(true);
            queued.set(me.enqueued());
            wg.done();
        });
        while (!inCall.get()) {
            Go.gosched(); // the caller runs on our P's runnext; we come back through another P
        }
        P p = callP.get();
        long retakes = s.retakes();
        s.stopTheWorld("test: a goroutine in a syscall");
        worldStopped.set(true);
        boolean retaken = s.retakes() != retakes; // sysmon cannot retake while the world is stopped
        int pStatus = p.status();
        int gStatus = caller.get().status();
        leave.set(true);
        // its call returns now: it must end up runnable on the global queue, not running
        Rt.spinUntil(() -> returned.get() || (caller.get().status() == G.RUNNABLE && s.globalRunqSize() > 0), 30_000);
        boolean ran = returned.get();
        int global = s.globalRunqSize();
        s.startTheWorld();
        wg.await();
        return new Round(retaken, pStatus, gStatus, leftWhileStopped.get(), ran, global, returned.get(), queued.get());
    }
}
