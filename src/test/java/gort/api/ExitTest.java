package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.sched.ExitStatus;
import gort.testing.Rt;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Go.exit is Go's os.Exit: the runtime ends at once; a non-zero status reaches the caller of Runtime.run. */
class ExitTest {
    @Test
    void exitEndsTheRuntimeWithItsStatus() {
        List<String> ran = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> Rt.run(2, () -> {
            Go.go(() -> {
                Chan<Integer> never = Go.makeChan(Integer.class, 0);
                never.recv();
                ran.add("woke");
            });
            Go.exit(3);
            ran.add("after exit");
        })).isInstanceOf(ExitStatus.class).satisfies(e -> assertThat(((ExitStatus) e).code()).isEqualTo(3));
        assertThat(ran).isEmpty();
    }

    @Test
    void exitZeroIsANormalEndFromAnyGoroutine() {
        List<String> ran = new CopyOnWriteArrayList<>();
        Rt.run(2, () -> {
            Chan<Integer> never = Go.makeChan(Integer.class, 0);
            Go.go(() -> Go.exit(0));
            never.recv(); // main blocks; the other goroutine's exit ends the runtime
            ran.add("main woke");
        });
        assertThat(ran).isEmpty();
    }
}
