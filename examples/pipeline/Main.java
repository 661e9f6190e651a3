// pipeline on gort: a port of examples/pipeline/main.go, a fan-out/fan-in pipeline that the
// consumer stops early. A generator sends 1, 2, 3, ... without end; several squaring stages take
// numbers from it and send each number with its square; a merge stage forwards every squarer's
// output onto one channel (one forwarding goroutine per squarer, a WaitGroup closing the merged
// channel when they are all done). The consumer reads until it holds the squares of 1..M, then
// closes the done channel; every stage selects on done at each send and receive, so all of them
// return, and each says so as it returns on a channel main counts from.
//
// Usage: pipeline [M [SQUARERS]]   (M defaults to 2000, at most 3000000; SQUARERS to 4)
//
// As in Go: the same goroutines, unbuffered channels, selects, closes, WaitGroup and output.
// Differences: Go's chan struct{} is a Chan<Void> that is only ever closed; the square struct,
// which Go sends by value, is a Java record on a channel of Java values (it holds no pointer, so
// nothing lives on the managed heap); each defer is a finally block (the two of a squarer in one,
// in Go's reverse order).
import gort.api.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class Main {
    record Square(long n, long sq) {}

    /** generate sends 1, 2, 3, ... until done is closed. */
    static Chan<Long> generate(Chan<Void> done, Chan<String> ended) {
        Chan<Long> out = Go.makeChan(Long.class, 0);
        Go.go(() -> {
            try {
                for (long n = 1; ; n++) {
                    Select.Selected s = Select.select(Select.send(out, n), Select.recv(done));
                    if (s.index() == 1) {
                        return;
                    }
                }
            } finally {
                ended.send("generator");
            }
        });
        return out;
    }

    /** squarer sends every number it takes from in together with its square, until done is closed. */
    static Chan<Square> squarer(Chan<Void> done, Chan<Long> in, Chan<String> ended) {
        Chan<Square> out = Go.makeChan(Square.class, 0);
        Go.go(() -> {
            try {
                for (;;) {
                    Select.Selected r = Select.select(Select.recv(in), Select.recv(done));
                    if (r.index() == 1 || !r.ok()) {
                        return;
                    }
                    long n = r.<Long>value();
                    Select.Selected s = Select.select(Select.send(out, new Square(n, n * n)), Select.recv(done));
                    if (s.index() == 1) {
                        return;
                    }
                }
            } finally {
                out.close();           // defer close(out)
                ended.send("squarer"); // defer func() { ended <- "squarer" }(), deferred first, so it runs last
            }
        });
        return out;
    }

    /**
     * merge forwards everything from the inputs onto one channel, which it closes when every
     * forwarder has returned (its inputs closed, or done closed).
     */
    static Chan<Square> merge(Chan<Void> done, List<Chan<Square>> inputs, Chan<String> ended) {
        Chan<Square> out = Go.makeChan(Square.class, 0);
        WaitGroup forwarders = new WaitGroup();
        for (Chan<Square> in : inputs) {
            forwarders.add(1);
            Go.go(() -> {
                try {
                    for (;;) {
                        Select.Selected r = Select.select(Select.recv(in), Select.recv(done));
                        if (r.index() == 1 || !r.ok()) {
                            return;
                        }
                        Select.Selected s = Select.select(Select.send(out, r.<Square>value()), Select.recv(done));
                        if (s.index() == 1) {
                            return;
                        }
                    }
                } finally {
                    forwarders.done();
                    ended.send("forwarder");
                }
            });
        }
        Go.go(() -> {
            try {
                forwarders.await();
                out.close();
            } finally {
                ended.send("closer");
            }
        });
        return out;
    }

    static int arg(String[] args, int i, int def, int max, String name) {
        if (args.length <= i) {
            return def;
        }
        int v = 0;
        try {
            v = Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            // v stays 0: refused below
        }
        if (v < 1 || v > max) {
            System.err.printf("pipeline: %s must be an integer from 1 to %d\n", name, max);
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int m = arg(args, 0, 2000, 3000000, "M");
        int nsq = arg(args, 1, 4, 1000, "SQUARERS");

        Chan<Void> done = Go.makeChan(Void.class, 0);
        int stages = 1 + nsq + nsq + 1; // the generator, the squarers, the forwarders, the closer
        Chan<String> ended = Go.makeChan(String.class, stages);

        Chan<Long> numbers = generate(done, ended);
        List<Chan<Square>> squares = new ArrayList<>();
        for (int i = 0; i < nsq; i++) {
            squares.add(squarer(done, numbers, ended));
        }
        Chan<Square> merged = merge(done, squares, ended);

        boolean[] have = new boolean[m + 1];
        int missing = m;
        long sum = 0;
        int bad = 0;
        while (missing > 0) {
            Chan.Recv<Square> r = merged.recv2();
            if (!r.ok()) {
                System.out.println("the merged channel closed early");
                Go.exit(1);
            }
            Square s = r.value();
            if (s.sq() != s.n() * s.n()) {
                bad++;
            }
            if (s.n() <= m && !have[(int) s.n()]) {
                have[(int) s.n()] = true;
                sum += s.sq();
                missing--;
            }
        }
        done.close();
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < stages; i++) {
            count.merge(ended.recv(), 1, Integer::sum);
        }

        // 1² + ... + m² = m(m+1)(2m+1)/6, divided early enough not to overflow at the largest m.
        long mm = m;
        long t = mm * (mm + 1) / 2;
        long want;
        if (t % 3 == 0) {
            want = t / 3 * (2 * mm + 1);
        } else {
            want = t * ((2 * mm + 1) / 3);
        }
        System.out.printf("squarers: %d, consumed the squares of 1..%d\n", nsq, m);
        System.out.printf("sum of squares: %d (expected %d)\n", sum, want);
        System.out.printf("wrong squares: %d\n", bad);
        System.out.printf("stages ended: generator %d, squarers %d, forwarders %d, closer %d\n",
                count.getOrDefault("generator", 0), count.getOrDefault("squarer", 0),
                count.getOrDefault("forwarder", 0), count.getOrDefault("closer", 0));
    }
}
