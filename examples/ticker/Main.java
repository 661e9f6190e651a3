import gort.api.*;

/**
 * Port of main.go (ticker: a producer paced by a time.Ticker) to gort: each tick lets the producer
 * send one item on an unbuffered channel; a consumer counts the items and adds them up; after N
 * items the producer stops the ticker and closes the channel. The same goroutines, channels,
 * ticker and selects as main.go; Go's item struct (two ints, no pointers) is a Java record sent by
 * value.
 *
 * <p>Usage: ticker [N [PERIOD_US]] (the tick period in microseconds, default 1000). Test size: N=50
 * (the default); benchmark size: N=1000.
 */
public class Main {
    record Item(int seq, int value) {}

    /** Sends n items, one per tick, then stops the ticker and closes out. */
    static void produce(int n, long period, Chan<Item> out, Chan<Boolean> stopped) {
        Time.Ticker t = Time.newTicker(period);
        for (int i = 1; i <= n; i++) {
            t.c().recv();
            out.send(new Item(i, i * i));
        }
        t.stop();
        out.close();
        // A tick may still arrive: one that came while the last item was being sent waits in the
        // ticker's channel (it holds one), and one whose sending had begun when Stop was called
        // lands just after it. Give that 20 ms, take it, and then the stopped ticker must send
        // nothing more: watch for three periods.
        Time.sleep(20 * Time.MILLISECOND);
        Select.select(Select.recv(t.c()), Select.defaultCase());
        Select.Selected s = Select.select(Select.recv(t.c()), Select.recv(Time.after(3 * period)));
        stopped.send(s.index() == 1);
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
            System.err.println("ticker: " + name + " must be a positive integer");
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int n = arg(args, 0, 50, "N");
        long period = arg(args, 1, 1000, "PERIOD_US") * Time.MICROSECOND;

        Chan<Item> items = Go.makeChan(Item.class, 0);
        Chan<Boolean> stopped = Go.makeChan(Boolean.class, 0);
        Go.go(() -> produce(n, period, items, stopped));

        int count = 0;
        int inOrder = 0;
        long sum = 0;
        for (Item it : items) {
            count++;
            if (it.seq() == count) {
                inOrder++;
            }
            sum += it.value();
        }
        System.out.printf("items received: %d of %d%n", count, n);
        System.out.printf("in order: %d%n", inOrder);
        System.out.printf("sum of squares: %d%n", sum);
        if (stopped.recv()) {
            System.out.println("ticker stopped: no tick after Stop");
        } else {
            System.out.println("ticker stopped: a tick came after Stop");
        }
    }
}
