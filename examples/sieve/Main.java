// sieve on gort: a port of examples/sieve/main.go, the concurrent prime sieve. One goroutine counts
// up from 2; every prime found adds a filter goroutine to a chain of unbuffered channels, which
// passes on only the numbers its prime does not divide.
//
// Usage: sieve [N]    prints the first N primes, ten to a line (default 100).
//
// As in Go: the same goroutines, unbuffered channels and output. Differences: Go's int is an
// int here (the numbers stay far below 2^31; an N that does not fit in an int is refused as not
// an integer), and nothing lives on the managed heap (the numbers are values on channels).
import gort.api.*;

public class Main {
    /** count sends 2, 3, 4, ... on out, forever. */
    static void count(Chan<Integer> out) {
        for (int n = 2; ; n++) {
            out.send(n);
        }
    }

    /** filter passes on from in to out every number that prime does not divide. */
    static void filter(int prime, Chan<Integer> in, Chan<Integer> out) {
        for (;;) {
            int n = in.recv();
            if (n % prime != 0) {
                out.send(n);
            }
        }
    }

    public static void main(String[] args) {
        int n = 100;
        if (args.length > 0) {
            int v = 0;
            try {
                v = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                // v stays 0: refused below
            }
            if (v < 1) {
                System.err.println("sieve: N must be a positive integer");
                Go.exit(2);
            }
            n = v;
        }

        Chan<Integer> head = Go.makeChan(Integer.class, 0);
        Chan<Integer> first = head;
        Go.go(() -> count(first));
        StringBuilder line = new StringBuilder();
        int last = 0;
        for (int i = 1; i <= n; i++) {
            int p = head.recv();
            last = p;
            line.append(' ').append(p);
            if (i % 10 == 0 || i == n) {
                System.out.println(line.substring(1));
                line.setLength(0);
            }
            Chan<Integer> in = head;
            Chan<Integer> next = Go.makeChan(Integer.class, 0);
            Go.go(() -> filter(p, in, next));
            head = next;
        }
        System.out.printf("%d primes, the last %d\n", n, last);
    }
}
