package gort.platform;

import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Runtime;
import gort.api.Chan;
import gort.api.WaitGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Without the launcher's dontinline flag, the thread lookup falls back to a method handle; the
 * runtime must stay correct there too. This runs goroutines that migrate between Ms in a JVM
 * started without the flag (the test JVM itself has it).
 */
class LookupFallbackTest {

    /** Entry point of the child JVM. */
    public static void main(String[] args) {
        if (OsThread.FAST_LOOKUP) {
            System.out.println("unexpected: fast lookup on");
            System.exit(3);
        }
        AtomicLong sum = new AtomicLong();
        Runtime.run(Config.defaults().withGomaxprocs(2), () -> {
            int n = 8;
            int rounds = 20_000;
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            @SuppressWarnings("unchecked")
            Chan<Long>[] ring = new Chan[n];
            for (int i = 0; i < n; i++) {
                ring[i] = Go.makeChan(Long.class, 0);
            }
            Chan<Long> back = Go.makeChan(Long.class, 0);
            for (int i = 0; i < n; i++) {
                Chan<Long> in = ring[i];
                Chan<Long> out = ring[(i + 1) % n];
                boolean lastInRing = i == n - 1;
                Go.go(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long v = in.recv();
                        sum.incrementAndGet();
                        (lastInRing && r == rounds - 1 ? back : out).send(v + 1);
                    }
                    wg.done();
                });
            }
            ring[0].send(0L); // inject the token
            long last = back.recv(); // and take it back after n x rounds hops
            if (last != (long) n * rounds) {
                throw new IllegalStateException("token went " + last + " hops");
            }
            wg.await();
        });
        System.out.println("ok " + sum.get());
    }

    @Test
    void channelRingIsExactWithTheMethodHandleLookup() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LookupFallbackTest.class.getName()))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("child finished: %s", out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ok " + (8L * 20_000));
    }
}
