// bank on gort: a port of examples/bank/main.go. Tellers move money between accounts at once; each
// account has its own Mutex, and a transfer locks the two accounts it touches, the lower-numbered
// first. An auditor locks every account (in the same order) about once a millisecond and checks
// that no money was made or lost. Every teller draws its transfers from its own xorshift
// generator, seeded by its number, so the final balances do not depend on the schedule.
//
// Usage: bank [TRANSFERS [TELLERS]]   (TRANSFERS per teller, default 5000; TELLERS defaults to 8)
//
// As in Go: the same goroutines, mutexes, lock order, WaitGroup, channels, select with
// time.After, and output. Differences:
// - Go's bank struct holds each account's sync.Mutex beside its balance. A Mutex is a Java object
//   here, so the bank is split: the balances are one managed struct (main.bank, 16 int64 fields)
//   that every teller reaches through the same Ptr, as Go's tellers share *bank, and the mutexes
//   are a Java array beside it. Go's moved slice, which tellers write through &moved[t], is a
//   managed []int64 that each teller writes at its own index (gort has no interior pointers).
// - Go's uint64 arithmetic is Java's long with unsigned shifts and remainders; Go's int is int.
import gort.api.*;
import gort.heap.Type;

public class Main {
    static final int ACCOUNTS = 16;
    static final long OPENING = 1000;

    /** Go's bank: the balances of the accounts (field i is account i's), no pointers. */
    static final Type BANK = Type.struct("main.bank", new boolean[ACCOUNTS]);

    /** transfer moves amount from one account to another (from != to). */
    static void transfer(Ptr b, Mutex[] mu, int from, int to, long amount) {
        int first = from, second = to;
        if (second < first) {
            first = to;
            second = from;
        }
        mu[first].lock();
        mu[second].lock();
        b.set(from, b.get(from) - amount);
        b.set(to, b.get(to) + amount);
        mu[second].unlock();
        mu[first].unlock();
    }

    /** audit locks every account and returns the sum of the balances. */
    static long audit(Ptr b, Mutex[] mu) {
        for (int i = 0; i < ACCOUNTS; i++) {
            mu[i].lock();
        }
        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            total += b.get(i);
        }
        for (int i = ACCOUNTS - 1; i >= 0; i--) {
            mu[i].unlock();
        }
        return total;
    }

    /** xorshift is Marsaglia's 64-bit xorshift generator (shifts 13, 7, 17). */
    static final class Xorshift {
        long s;

        Xorshift(long s) {
            this.s = s;
        }

        long next() {
            long v = s;
            v ^= v << 13;
            v ^= v >>> 7;
            v ^= v << 17;
            s = v;
            return v;
        }
    }

    /** teller makes n transfers drawn from its own generator and stores the sum it moved at moved[id]. */
    static void teller(Ptr b, Mutex[] mu, int id, int n, Ptr moved, WaitGroup wg) {
        try {
            Xorshift r = new Xorshift((id + 1) * 0x9E3779B97F4A7C15L);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                int from = (int) Long.remainderUnsigned(r.next(), ACCOUNTS);
                int to = (int) Long.remainderUnsigned(r.next(), ACCOUNTS - 1);
                if (to >= from) {
                    to++;
                }
                long amount = 1 + Long.remainderUnsigned(r.next(), 100);
                transfer(b, mu, from, to, amount);
                sum += amount;
            }
            moved.set(id, sum);
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
            System.err.printf("bank: %s must be a positive integer\n", name);
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int n = arg(args, 0, 5000, "TRANSFERS");
        int tellers = arg(args, 1, 8, "TELLERS");

        Ptr b = Go.alloc(BANK);
        Mutex[] mu = new Mutex[ACCOUNTS]; // account i's mutex guards field i of b
        for (int i = 0; i < ACCOUNTS; i++) {
            mu[i] = new Mutex();
            b.set(i, OPENING);
        }
        final long want = ACCOUNTS * OPENING;

        Chan<Void> done = Go.makeChan(Void.class, 0);
        Chan<Integer> unbalanced = Go.makeChan(Integer.class, 0);
        Go.go(() -> {
            int bad = 0;
            for (;;) {
                Select.Selected s = Select.select(Select.recv(done), Select.recv(Time.after(Time.MILLISECOND)));
                if (s.index() == 0) {
                    unbalanced.send(bad);
                    return;
                }
                if (audit(b, mu) != want) {
                    bad++;
                }
            }
        });

        Ptr moved = Go.allocArray(Type.SCALAR, tellers);
        WaitGroup wg = new WaitGroup();
        for (int t = 0; t < tellers; t++) {
            wg.add(1);
            int id = t;
            Go.go(() -> teller(b, mu, id, n, moved, wg));
        }
        wg.await();
        done.close();
        int bad = unbalanced.recv();

        long all = 0;
        for (int t = 0; t < moved.len(); t++) {
            all += moved.get(t);
        }
        System.out.printf("%d accounts, %d tellers, %d transfers each, %d moved in all\n", ACCOUNTS, tellers, n, all);
        System.out.printf("total: %d (opened with %d)\n", audit(b, mu), want);
        System.out.printf("unbalanced audits: %d\n", bad);
        for (int i = 0; i < ACCOUNTS; i++) {
            System.out.printf("account %2d: %d\n", i, b.get(i));
        }
    }
}
