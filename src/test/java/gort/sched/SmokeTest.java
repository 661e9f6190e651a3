package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Runtime;
import gort.platform.RealPlatform;
import gort.workloads.PingPong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void pingpongRuns() {
        AtomicLong ns = new AtomicLong();
        Runtime.run(Config.defaults().withGomaxprocs(1), () -> {
            for (int r = 0; r < 5; r++) {
                long el = PingPong.run(1_000_000, RealPlatform.INSTANCE);
                System.out.printf("pingpong procs=1: %.1f ns/rt%n", el / 1e6);
                ns.set(el);
            }
        });
        assertThat(ns.get()).isPositive();
    }
}
