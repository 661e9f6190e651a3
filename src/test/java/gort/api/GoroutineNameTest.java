package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.sched.FatalError;
import gort.testing.Rt;
import org.junit.jupiter.api.Test;

/** A goroutine started without a name is named as Go names its function, never by a lambda's class. */
class GoroutineNameTest {
    static final class Blocker implements Runnable {
        @Override
        public void run() {
            Go.makeChan(Object.class, 0).recv();
        }
    }

    static void startTwo() {
        Go.go(() -> Go.makeChan(Object.class, 0).recv());
        Go.go(() -> Go.makeChan(Object.class, 0).recv());
    }

    @Test
    void theDeadlockDumpNamesFunctionsAsGoDoes() {
        assertThatThrownBy(() -> Rt.run(1, () -> {
            startTwo();
            Go.go(new Blocker());
            Go.makeChan(Object.class, 0).recv();
        })).isInstanceOf(FatalError.class)
                .hasMessageContaining("all goroutines are asleep - deadlock!")
                .hasMessageContaining("\tGoroutineNameTest.startTwo.func1\n")
                .hasMessageContaining("\tGoroutineNameTest.startTwo.func2\n")
                .hasMessageContaining("\tGoroutineNameTest.Blocker.run\n")
                .hasMessageNotContaining("$$Lambda")
                .hasMessageNotContaining("0x");
    }

    @Test
    void javacLambdaMethodsReadAsGoClosures() {
        assertThat(Go.goFuncName("lambda$main$0")).isEqualTo("main.func1");
        assertThat(Go.goFuncName("lambda$start$3")).isEqualTo("start.func4");
        assertThat(Go.goFuncName("worker")).isEqualTo("worker");
    }
}
