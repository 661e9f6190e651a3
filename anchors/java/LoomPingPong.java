import java.util.concurrent.locks.LockSupport;

/**
 * The JDK's virtual threads as an anchor for gort's pingpong: two virtual threads hand a turn back
 * and forth with park/unpark, the JDK scheduler's cheapest handoff. Three repetitions in one JVM,
 * each printing "loom pingpong parallelism=P roundtrips=N ns_per_roundtrip=X" (bench/anchors.sh
 * takes their median). Run with -Djdk.virtualThreadScheduler.parallelism=1 for one carrier thread,
 * as gort's pingpong runs with GOMAXPROCS=1.
 *
 * <p>Usage: java LoomPingPong.java [ROUNDTRIPS] (default 1000000).
 */
public class LoomPingPong {
    /** Whose turn it is: 0 the first thread's, 1 the second's. */
    static volatile int turn;

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism", "default");
        for (int rep = 0; rep < 3; rep++) {
            turn = 0;
            Thread[] pair = new Thread[2];
            for (int me = 0; me < 2; me++) {
                int self = me;
                pair[me] = Thread.ofVirtual().unstarted(() -> {
                    for (int i = 0; i < n; i++) {
                        while (turn != self) {
                            LockSupport.park();
                        }
                        turn = 1 - self;
                        LockSupport.unpark(pair[1 - self]);
                    }
                });
            }
            long t0 = System.nanoTime();
            pair[0].start();
            pair[1].start();
            pair[0].join();
            pair[1].join();
            double ns = (System.nanoTime() - t0) / (double) n;
            System.out.printf("loom pingpong parallelism=%s roundtrips=%d ns_per_roundtrip=%.1f%n", parallelism, n, ns);
        }
    }
}
