// workerpool on gort: a port of examples/workerpool/main.go. A fixed pool of worker goroutines
// takes jobs from one buffered channel and puts results on another; a feeder goroutine sends the
// jobs and closes the jobs channel; a closer goroutine waits for the workers (a WaitGroup) and
// closes the results channel; main collects the results by job number. A job is the length of the
// Collatz sequence from 1000000+job down to 1.
//
// Usage: workerpool [JOBS [WORKERS]]   (JOBS defaults to 2000, WORKERS to 8)
//
// As in Go: the same goroutines, channels (both buffered, 16), close, WaitGroup and output.
// Go's range over a channel is Java's for-each over it. Differences: the result struct,
// which Go sends by value, is a Java record sent on a channel of Java values (it holds no pointer,
// so nothing lives on the managed heap); Go's int is an int (JOBS and WORKERS must fit in one).
import gort.api.*;

public class Main {
    static final int BASE = 1000000;

    record Result(int job, int steps) {}

    /** collatz returns the number of steps from n down to 1. */
    static int collatz(long n) {
        int steps = 0;
        while (n != 1) {
            if (n % 2 == 0) {
                n /= 2;
            } else {
                n = 3 * n + 1;
            }
            steps++;
        }
        return steps;
    }

    static void worker(Chan<Integer> jobs, Chan<Result> results, WaitGroup wg) {
        try {
            for (int j : jobs) {
                results.send(new Result(j, collatz(BASE + j)));
            }
        } finally {
            wg.done();
        }
    }

    static int arg(String[] args, int i, int def, String name) {
        if (args.length <= i) {
            return def;
        }
        int v = 0;
        try {
            v = Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            // v stays 0: refused below
        }
        if (v < 1) {
            System.err.printf("workerpool: %s must be a positive integer\n", name);
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int njobs = arg(args, 0, 2000, "JOBS");
        int nworkers = arg(args, 1, 8, "WORKERS");

        Chan<Integer> jobs = Go.makeChan(Integer.class, 16);
        Chan<Result> results = Go.makeChan(Result.class, 16);
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < nworkers; w++) {
            wg.add(1);
            Go.go(() -> worker(jobs, results, wg));
        }
        Go.go(() -> {
            for (int j = 0; j < njobs; j++) {
                jobs.send(j);
            }
            jobs.close();
        });
        Go.go(() -> {
            wg.await();
            results.close();
        });

        // Every figure below is an order-independent fold of the results (sums, counts, and a
        // maximum whose ties go to the smaller job), so the order they arrive in does not matter.
        long total = 0;
        int received = 0, longest = -1, longestSteps = -1;
        int[] first = new int[8];
        int[] buckets = new int[20]; // step counts in buckets of 50, the last one also holding any above
        for (Result r : results) {
            received++;
            total += r.steps();
            if (r.steps() > longestSteps || (r.steps() == longestSteps && r.job() < longest)) {
                longest = r.job();
                longestSteps = r.steps();
            }
            if (r.job() < first.length) {
                first[r.job()] = r.steps();
            }
            int b = r.steps() / 50;
            if (b >= buckets.length) {
                b = buckets.length - 1;
            }
            buckets[b]++;
        }

        System.out.printf("%d jobs, %d workers, %d results\n", njobs, nworkers, received);
        System.out.printf("total steps: %d\n", total);
        System.out.printf("longest: %d takes %d steps\n", BASE + longest, longestSteps);
        System.out.print("first jobs:");
        for (int j = 0; j < njobs && j < first.length; j++) {
            System.out.printf(" %d", first[j]);
        }
        System.out.println();
        for (int b = 0; b < buckets.length; b++) {
            int c = buckets[b];
            if (c > 0 && b < buckets.length - 1) {
                System.out.printf("steps %3d-%3d: %d jobs\n", b * 50, b * 50 + 49, c);
            } else if (c > 0) {
                System.out.printf("steps %3d and more: %d jobs\n", b * 50, c);
            }
        }
    }
}
