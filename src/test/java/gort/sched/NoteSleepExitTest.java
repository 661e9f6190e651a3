package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Runtime;
import gort.testing.Rt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Sched#notesleepUnlessExiting}: an M that sleeps on a note while keeping its P (mark
 * termination waiting for its helpers) is released when the runtime ends, even though nothing will
 * ever wake the note. Without it the sleeping M outlives its runtime (its thread runs on after
 * {@link Runtime#run} returned), which is what the test asserts against.
 */
class NoteSleepExitTest {
    @Test
    void aRuntimeThatEndsReleasesAnMSleepingOnANoteNobodyWakes() {
        AtomicReference<Runtime> rt = new AtomicReference<>();
        AtomicBoolean asleep = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        Rt.run(Config.defaults().withGomaxprocs(2), 60, () -> {
            Sched sched = Sched.current();
            rt.set((Runtime) sched.env);
            Note never = sched.newNote();
            Go.go("sleeper", () -> {
                asleep.set(true);
                sched.notesleepUnlessExiting(never);
                returned.set(true); // not reached: the sleep ends only by the runtime's exit
            });
            while (!asleep.get()) {
                Go.poll();
            }
            // main returns now: the sleeper may be asleep already or about to sleep; either way the
            // exit must release its M
        });
        assertThat(returned).isFalse();
        assertThat(rt.get().sched().liveMs()).as("Ms whose thread runs on after the runtime ended").isZero();
    }

    @Test
    void aNoteWokenBeforeTheRuntimeEndsReturnsNormally() {
        AtomicBoolean returned = new AtomicBoolean();
        Rt.run(Config.defaults().withGomaxprocs(2), 60, () -> {
            Sched sched = Sched.current();
            Note n = sched.newNote();
            var done = Go.makeChan(Object.class, 0);
            Go.go("sleeper", () -> {
                sched.notesleepUnlessExiting(n);
                returned.set(true);
                done.send(Boolean.TRUE);
            });
            n.wakeup();
            done.recv();
        });
        assertThat(returned).isTrue();
    }
}
