package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import gort.api.Config;
import gort.api.Go;
import gort.testing.Rt;
import gort.testing.Spinner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A wait for a goroutine that reaches no safepoint names it, once, on the runtime's diagnostic
 * stream: its goid, function, status and the program's file and line where it loops. The spinning
 * goroutine stops only once it has been named, so each test ends only through the report.
 */
class SafepointWaitTest {
    /** The runtime's diagnostic stream, readable while the runtime runs. */
    private static final class Captured {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        boolean said() {
            return text().contains("to reach a safepoint");
        }
    }

    @Test
    void aStopTheWorldNamesTheGoroutineThatHoldsItUp() {
        // the report comes after a second of the loop's time, and the simulated platform charges a
        // loop without safepoints nothing but its spin turns' platform calls (some 10^7 of them)
        assumeFalse(Rt.onSim(), "a second of computation without safepoints is not what the simulated platform's cost model charges");
        Captured c = new Captured();
        AtomicBoolean spinning = new AtomicBoolean();
        AtomicLong goid = new AtomicLong();
        Rt.run(Config.defaults().withGomaxprocs(2).withTraceOut(c.out), 30, () -> {
            Go.go("main.spin", () -> {
                goid.set(Sched.getg().goid());
                spinning.set(true);
                Spinner.spinUntil(c::said);
            });
            while (!spinning.get()) {
                Go.gosched();
            }
            Go.gc(); // stops the world: waits for the spinner's P
        });
        String said = c.text();
        assertThat(said).containsOnlyOnce("to reach a safepoint")
                .containsPattern("gort: runtime \\d+: [^\\n]* has waited \\d+\\.\\d s for a goroutine to reach a safepoint: goroutine "
                        + goid.get() + " \\(main\\.spin\\) \\[running\\] at Spinner\\.java:\\d+ \\(Spinner\\.spinUntil\\)\\. ")
                .contains("call Go.poll() in it");
    }

    @Test
    void theRuntimesExitNamesTheGoroutineThatKeepsItsThread() {
        // the report comes after a second of the loop's time, and the simulated platform charges a
        // loop without safepoints nothing but its spin turns' platform calls (some 10^7 of them)
        assumeFalse(Rt.onSim(), "a second of computation without safepoints is not what the simulated platform's cost model charges");
        Captured c = new Captured();
        AtomicBoolean spinning = new AtomicBoolean();
        Rt.run(Config.defaults().withGomaxprocs(2).withTraceOut(c.out), 30, () -> {
            Go.go("main.spin", () -> {
                spinning.set(true);
                Spinner.spinUntil(c::said);
            });
            while (!spinning.get()) {
                Go.gosched();
            }
            // main returns: the runtime exits once the spinner reaches a safepoint
        });
        assertThat(c.text()).containsOnlyOnce("to reach a safepoint")
                .containsPattern("gort: runtime \\d+: the runtime's exit has waited \\d+\\.\\d s for a goroutine to reach a safepoint: "
                        + "goroutine \\d+ \\(main\\.spin\\) \\[running\\] at Spinner\\.java:\\d+ \\(Spinner\\.spinUntil\\)\\. ")
                .doesNotContain("gave up");
    }

    @Test
    void theProgramsFrameIsTheInnermostOutsideTheRuntime() {
        StackTraceElement[] st = {
            new StackTraceElement("gort.sched.Sched", "gopark", "Sched.java", 600),
            new StackTraceElement("gort.api.Chan", "recv", "Chan.java", 40),
            new StackTraceElement("java.util.ArrayList", "forEach", "ArrayList.java", 1604),
            new StackTraceElement("demo.Lists", "lambda$main$0", "Lists.java", 17),
            new StackTraceElement("demo.Lists", "main", "Lists.java", 12),
        };
        assertThat(Traceback.programFrame(st)).isEqualTo("Lists.java:17 (Lists.lambda$main$0)");
        assertThat(Traceback.programFrame(new StackTraceElement[] {st[0], st[1]})).isNull();
    }
}
