import gort.api.*;

/**
 * Port of main.go (timeouts: waiting for an answer with select and a timer) to gort: a service
 * answers on a channel of one after some delay, or never; a call takes whichever comes first, the
 * answer or its timer (time.After, time.NewTimer and Stop). The same goroutines, channels, selects
 * and timers as main.go; Go's fmt %v of a duration is written out by {@link #duration}.
 *
 * <p>Usage: timeouts [N [CLIENTS]] (CLIENTS defaults to 32). Test size: N=2000 (the default);
 * benchmark size: N=300000.
 */
public class Main {
    /** A service that sends answer on the returned channel after delay, or never when delay is negative. */
    static Chan<Integer> serve(int answer, long delay) {
        Chan<Integer> reply = Go.makeChan(Integer.class, 1);
        if (delay < 0) {
            return reply;
        }
        Go.go(() -> {
            if (delay > 0) {
                Time.sleep(delay);
            }
            reply.send(answer);
        });
        return reply;
    }

    record Answer(int v, boolean ok) {}

    /** Waits for the service's answer or for timeout, whichever comes first. */
    static Answer call(Chan<Integer> reply, long timeout) {
        Select.Selected s = Select.select(Select.recv(reply), Select.recv(Time.after(timeout)));
        return s.index() == 0 ? new Answer(s.value(), true) : new Answer(0, false);
    }

    record Demo(String name, int answer, long delay, long timeout) {}

    /** Asks three replicas with the same answer, one of which never answers, and takes the first answer. */
    static Answer firstOf(int answer, long timeout) {
        Chan<Integer> replies = Go.makeChan(Integer.class, 3);
        long[] delays = {-1, 0, Time.MILLISECOND};
        for (long d : delays) {
            Go.go(() -> {
                Answer a = call(serve(answer, d), Time.HOUR);
                if (a.ok()) {
                    replies.send(a.v());
                }
            });
        }
        return call(replies, timeout);
    }

    /** Asks n services (the last never answers) and collects what arrives before the deadline: {answered, sum}. */
    static int[] gather(int n, long deadline) {
        Chan<Integer> replies = Go.makeChan(Integer.class, n);
        for (int i = 0; i < n; i++) {
            long d = i == n - 1 ? -1 : Time.MILLISECOND;
            int k = i;
            Go.go(() -> {
                Answer a = call(serve(10 * (k + 1), d), Time.HOUR);
                if (a.ok()) {
                    replies.send(a.v());
                }
            });
        }
        int got = 0;
        int sum = 0;
        Chan<Long> timeout = Time.after(deadline);
        while (got < n) {
            Select.Selected s = Select.select(Select.recv(replies), Select.recv(timeout));
            if (s.index() == 1) {
                return new int[] {got, sum};
            }
            got++;
            sum += s.<Integer>value();
        }
        return new int[] {got, sum};
    }

    static void demos() {
        Demo[] calls = {
            new Demo("at once", 1, 0, 200 * Time.MILLISECOND),
            new Demo("after 1ms", 2, Time.MILLISECOND, 200 * Time.MILLISECOND),
            new Demo("after 1ms, short timeout", 3, Time.MILLISECOND, 100 * Time.MILLISECOND),
            new Demo("never", 4, -1, 200 * Time.MILLISECOND),
            new Demo("after 300ms", 5, 300 * Time.MILLISECOND, 100 * Time.MILLISECOND),
        };
        String[] lines = new String[calls.length + 2];
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < calls.length; i++) {
            wg.add(1);
            int k = i;
            Demo c = calls[i];
            Go.go(() -> {
                Answer a = call(serve(c.answer(), c.delay()), c.timeout());
                lines[k] = a.ok() ? c.name() + ": answer " + a.v() : c.name() + ": timed out after " + duration(c.timeout());
                wg.done();
            });
        }
        wg.add(2);
        Go.go(() -> {
            Answer a = firstOf(6, 200 * Time.MILLISECOND);
            lines[calls.length] = a.ok() ? "first of three replicas: answer " + a.v() : "first of three replicas: timed out";
            wg.done();
        });
        Go.go(() -> {
            int[] g = gather(4, 200 * Time.MILLISECOND);
            lines[calls.length + 1] = "gather from 4 before a 200ms deadline: " + g[0] + " answers, sum " + g[1];
            wg.done();
        });
        wg.await();
        for (String l : lines) {
            System.out.println(l);
        }
    }

    /** Go's %v of a time.Duration, for the whole milliseconds this program prints. */
    static String duration(long d) {
        if (d % Time.MILLISECOND != 0 || d >= Time.SECOND) {
            throw new IllegalArgumentException("duration " + d + " ns: only whole milliseconds under a second are written");
        }
        return d / Time.MILLISECOND + "ms";
    }

    record Tally(int answered, int timedOut, long sum) {}

    /** Makes the calls i = first, first+step, ... below n, with a timer it stops when the answer wins. */
    static void client(int first, int step, int n, Chan<Tally> out) {
        int answered = 0;
        int timedOut = 0;
        long sum = 0;
        int k = first;
        for (int i = first; i < n; i += step) {
            long delay = 0;
            long timeout = 500 * Time.MILLISECOND;
            switch (k % 64) {
                case 31 -> delay = Time.MILLISECOND;
                case 63 -> {
                    delay = -1;
                    timeout = 2 * Time.MILLISECOND;
                }
                default -> {}
            }
            k++;
            Chan<Integer> reply = serve(i % 1000, delay);
            Time.Timer timer = Time.newTimer(timeout);
            Select.Selected s = Select.select(Select.recv(reply), Select.recv(timer.c()));
            if (s.index() == 0) {
                timer.stop();
                answered++;
                sum += s.<Integer>value();
            } else {
                timedOut++;
            }
        }
        out.send(new Tally(answered, timedOut, sum));
    }

    static int arg(String[] args, int i, int def, String name) {
        if (args.length <= i) {
            return def;
        }
        int v;
        try {
            v = Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            v = 0;
        }
        if (v < 1) {
            System.err.println("timeouts: " + name + " must be a positive integer");
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int n = arg(args, 0, 2000, "N");
        int clients = arg(args, 1, 32, "CLIENTS");

        demos();

        Chan<Tally> out = Go.makeChan(Tally.class, 0);
        for (int c = 0; c < clients; c++) {
            int first = c;
            Go.go(() -> client(first, clients, n, out));
        }
        int answered = 0;
        int timedOut = 0;
        long sum = 0;
        for (int c = 0; c < clients; c++) {
            Tally t = out.recv();
            answered += t.answered();
            timedOut += t.timedOut();
            sum += t.sum();
        }
        System.out.printf("load: %d calls from %d clients: %d answered, %d timed out, answers sum to %d%n", n, clients, answered,
                timedOut, sum);
    }
}
