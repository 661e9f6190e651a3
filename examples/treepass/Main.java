// treepass on gort: a port of examples/treepass/main.go, trees handed from goroutine to goroutine
// for the garbage collector. Producers build small binary trees and send pointers to their roots,
// alternately over a buffered and an unbuffered channel; consumers take them from either channel
// with select, walk and check each one, keep the last few they received (so some trees live a
// while) and drop the rest. When every producer is done a closer goroutine closes both channels;
// a consumer sets a closed channel to nil in its select and returns when both are closed.
//
// Node i of tree t (heap order: the root is 1, the children of i are 2i and 2i+1) holds
// (31t + i) mod 1000, the root holds t itself; the output is the number of trees and nodes
// checked, how many nodes held something else (0), and the sum of every node's value.
//
// Usage: treepass [TREES [DEPTH]]   (TREES per producer, default 2000; DEPTH defaults to 6)
//
// As in Go: the same goroutines, channels (a buffered one of 16 and an unbuffered one, both
// carrying pointers: Chan<Ptr>), select with nil channels, closes, WaitGroup and output. The nodes
// (24 bytes: two pointers and an int64) and each consumer's kept slice ([]*node, an array of
// pointers) live on the managed heap. A producer and a consumer open a Scope per tree, so the
// handles build and walk make (one per node) die with the tree's turn, as Go's stack frames do;
// what keeps a tree alive after that is the channel, then a consumer's kept slice. Differences:
// walk's three results are added into a small accumulator instead of being returned; the tally
// struct, which Go sends by value, is a Java record on a channel of Java values.
import gort.api.*;
import gort.heap.Type;

public class Main {
    static final int PRODUCERS = 4;
    static final int CONSUMERS = 3;
    static final int KEEP = 32; // trees each consumer keeps alive, the newest ones

    /** Go's node: left, right *node; val int64. */
    static final Type NODE = Type.struct("main.node", "ptr,ptr,scalar");
    static final int LEFT = 0, RIGHT = 1, VAL = 2;

    /** build returns tree t's subtree rooted at heap position pos, depth levels below it. */
    static Ptr build(long t, long pos, int depth) {
        Ptr n = Go.alloc(NODE);
        n.set(VAL, (31 * t + pos) % 1000);
        if (depth > 0) {
            n.setPtr(LEFT, build(t, 2 * pos, depth - 1));
            n.setPtr(RIGHT, build(t, 2 * pos + 1, depth - 1));
        }
        return n;
    }

    /** What walk counts: Go's walk returns these three. */
    static final class Counts {
        long count, bad, sum;
    }

    /**
     * walk adds to c the number of nodes below n (n included), how many of them do not hold what
     * tree t's node at their position must hold, and the sum of their values.
     */
    static void walk(Ptr n, long t, long pos, Counts c) {
        long val = n.get(VAL);
        c.count++;
        c.sum += val;
        if (val != (31 * t + pos) % 1000) {
            c.bad++;
        }
        if (!n.isNil(LEFT)) {
            walk(n.ptr(LEFT), t, 2 * pos, c);
        }
        if (!n.isNil(RIGHT)) {
            walk(n.ptr(RIGHT), t, 2 * pos + 1, c);
        }
    }

    record Tally(long trees, long nodes, long bad, long sum) {}

    static void producer(int p, int trees, int depth, Chan<Ptr> buffered, Chan<Ptr> unbuffered, WaitGroup wg) {
        try {
            for (int i = 0; i < trees; i++) {
                try (Scope s = Go.scope()) {
                    long t = (long) p * trees + i;
                    Ptr root = build(t, 1, depth);
                    root.set(VAL, t);
                    if (i % 2 == 0) {
                        buffered.send(root);
                    } else {
                        unbuffered.send(root);
                    }
                }
            }
        } finally {
            wg.done();
        }
    }

    static void consumer(Chan<Ptr> buffered, Chan<Ptr> unbuffered, Chan<Tally> out) {
        long trees = 0, nodes = 0, bad = 0, sum = 0;
        Ptr kept = Go.allocArray(Type.PTR, KEEP);
        for (int k = 0; buffered != null || unbuffered != null; k++) {
            try (Scope s = Go.scope()) {
                Select.Selected r = Select.select(Select.recv(buffered), Select.recv(unbuffered));
                if (!r.ok()) {
                    if (r.index() == 0) {
                        buffered = null;
                    } else {
                        unbuffered = null;
                    }
                    continue;
                }
                Ptr root = r.value();
                long t = root.get(VAL);
                Counts c = new Counts(); // the root holds the tree's number
                c.count = 1;
                c.sum = t;
                if (!root.isNil(LEFT)) {
                    walk(root.ptr(LEFT), t, 2, c);
                    walk(root.ptr(RIGHT), t, 3, c);
                }
                trees++;
                nodes += c.count;
                bad += c.bad;
                sum += c.sum;
                kept.setPtr(k % KEEP, root);
            }
        }
        out.send(new Tally(trees, nodes, bad, sum));
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
            System.err.printf("treepass: %s must be an integer from 1 to %d\n", name, max);
            Go.exit(2);
        }
        return v;
    }

    public static void main(String[] args) {
        int trees = arg(args, 0, 2000, 1 << 30, "TREES");
        int depth = arg(args, 1, 6, 20, "DEPTH");

        Chan<Ptr> buffered = Go.makeChan(Ptr.class, 16);
        Chan<Ptr> unbuffered = Go.makeChan(Ptr.class, 0);
        WaitGroup wg = new WaitGroup();
        for (int p = 0; p < PRODUCERS; p++) {
            wg.add(1);
            int id = p;
            Go.go(() -> producer(id, trees, depth, buffered, unbuffered, wg));
        }
        Go.go(() -> {
            wg.await();
            buffered.close();
            unbuffered.close();
        });

        Chan<Tally> out = Go.makeChan(Tally.class, 0);
        for (int c = 0; c < CONSUMERS; c++) {
            Go.go(() -> consumer(buffered, unbuffered, out));
        }
        long allTrees = 0, allNodes = 0, allBad = 0, allSum = 0;
        for (int c = 0; c < CONSUMERS; c++) {
            Tally tl = out.recv();
            allTrees += tl.trees();
            allNodes += tl.nodes();
            allBad += tl.bad();
            allSum += tl.sum();
        }
        System.out.printf("%d producers, %d consumers, %d trees each of depth %d\n", PRODUCERS, CONSUMERS, trees, depth);
        System.out.printf("trees checked: %d\n", allTrees);
        System.out.printf("nodes checked: %d\n", allNodes);
        System.out.printf("nodes holding the wrong value: %d\n", allBad);
        System.out.printf("checksum: %d\n", allSum);
    }
}
