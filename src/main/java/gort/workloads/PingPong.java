package gort.workloads;

import gort.api.Config;
import gort.api.Go;
import gort.api.Runtime;
import gort.api.Chan;
import gort.sched.Sched;
import java.util.Map;

/**
 * The round trip between two goroutines over two unbuffered channels, as the Go anchor's
 * pingpong: main sends on {@code a}, the echo goroutine receives and sends back on {@code b}.
 */
public final class PingPong implements Workload {
    @Override
    public String name() {
        return "pingpong";
    }

    @Override
    public String opName() {
        return "round trip";
    }

    @Override
    public long defaultOps() {
        return 2_000_000;
    }

    @Override
    public Result run(Config config, Params p) {
        long ops = p.ops();
        int reps = p.reps();
        double[] ns = new double[reps];
        long[] preempt = new long[1];
        // warm-up: long enough for the JIT's top tier; on the simulated platform, whose figures are virtual time that the host's
        // JIT does not move, as long as the measured repetitions (two million simulated round trips take minutes of host time)
        long warm = config.platform() instanceof gort.platform.SimPlatform ? ops : Math.max(ops, 1_000_000);
        Runtime.run(config, () -> {
            p.listener().warmup();
            roundTrips(warm);
            roundTrips(warm);
            for (int r = 0; r < reps; r++) {
                p.listener().measuring(r, reps);
                ns[r] = (double) roundTrips(ops) / ops;
                p.listener().measured(r, reps);
            }
            preempt[0] = Sched.current().preemptions();
        });
        return new Result(name(), opName(), config.gomaxprocs(), ops, ns, Map.of("preemptions", preempt[0]));
    }

    /** Runs n round trips from the calling goroutine; returns the elapsed nanoseconds. */
    public static long roundTrips(long n) {
        Chan<Integer> a = Go.makeChan(Integer.class, 0);
        Chan<Integer> b = Go.makeChan(Integer.class, 0);
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
        var platform = Sched.current().platform();
        long t0 = platform.nanotime();
        for (long i = 0; i < n; i++) {
            a.send(token);
            token = b.recv();
        }
        long el = platform.nanotime() - t0;
        a.close();
        return el;
    }
}
