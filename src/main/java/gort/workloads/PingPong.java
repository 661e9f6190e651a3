package gort.workloads;

import gort.api.Go;
import gort.sched.Chan;

/**
 * The round trip between two goroutines over two unbuffered channels, as the Go anchor's
 * pingpong: main sends on {@code a}, the echo goroutine sends back on {@code b}.
 */
public final class PingPong {
    private PingPong() {}

    /** Runs n round trips from the calling goroutine; returns the elapsed nanoseconds. */
    public static long run(int n, gort.platform.Platform platform) {
        Chan<Integer> a = Go.makeChan(0);
        Chan<Integer> b = Go.makeChan(0);
        Go.go("pingpong.echo", () -> {
            for (;;) {
                Chan.Recv<Integer> r = a.recv2();
                if (!r.ok()) {
                    return;
                }
                b.send(r.value());
            }
        });
        Integer token = 1;
        long t0 = platform.nanotime();
        for (int i = 0; i < n; i++) {
            a.send(token);
            token = b.recv();
        }
        long el = platform.nanotime() - t0;
        a.close();
        return el;
    }
}
