// bintrees on gort: a port of examples/bintrees/main.go, binary-trees. First a stretch tree one
// level deeper than the deepest, built, checked and dropped; then a long-lived tree of the maximum
// depth that stays reachable to the end; then, for each depth d from 4 up to the maximum in steps
// of 2, one goroutine builds 2^(max-d+4) trees of depth d one after another, checking and dropping
// each. main prints their lines in depth order once all are done.
//
// Usage: bintrees [MAXDEPTH]   (default 10; from 6 to 30)
//
// As in Go: the same goroutines, WaitGroup, trees and output (Go's int is a long where it counts
// nodes). The nodes (two pointers, 16 bytes) live on the managed heap, as do the lines the
// goroutines leave for main (a []string: an array of pointers to string objects). What Go's stack
// frames do implicitly is a Scope per tree here: the stretch tree and each tree of the loops are
// built and checked inside one, so that their handles (a few per node: a tree's nodes are alive
// until it is checked anyway) die when Go's tree does, and the long-lived tree's root escapes from
// one, so that one handle keeps it alive.
import gort.api.*;
import gort.heap.Type;

public class Main {
    static final int MIN_DEPTH = 4;

    /** Go's node: left, right *node. */
    static final Type NODE = Type.struct("main.node", "ptr,ptr");
    static final int LEFT = 0, RIGHT = 1;

    /** build returns a complete tree of the given depth (a single node has depth 0). */
    static Ptr build(int depth) {
        if (depth == 0) {
            return Go.alloc(NODE);
        }
        Ptr left = build(depth - 1); // Go's composite literal: the subtrees first, then the node
        Ptr right = build(depth - 1);
        Ptr n = Go.alloc(NODE);
        n.setPtr(LEFT, left);
        n.setPtr(RIGHT, right);
        return n;
    }

    /** check counts the tree's nodes. */
    static long check(Ptr n) {
        Ptr left = n.ptr(LEFT);
        if (left == null) {
            return 1;
        }
        return 1 + check(left) + check(n.ptr(RIGHT));
    }

    public static void main(String[] args) {
        int maxDepth = 10;
        if (args.length > 0) {
            int v = 0;
            try {
                v = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                // v stays 0: refused below
            }
            if (v < MIN_DEPTH + 2 || v > 30) {
                System.err.printf("bintrees: MAXDEPTH must be an integer from %d to 30\n", MIN_DEPTH + 2);
                Go.exit(2);
            }
            maxDepth = v;
        }

        int stretch = maxDepth + 1;
        try (Scope s = Go.scope()) {
            System.out.printf("stretch tree, depth %d: check %d\n", stretch, check(build(stretch)));
        }

        Ptr longLived;
        try (Scope s = Go.scope()) {
            longLived = s.escape(build(maxDepth));
        }

        Ptr lines = Go.allocArray(Type.PTR, (maxDepth - MIN_DEPTH) / 2 + 1);
        WaitGroup wg = new WaitGroup();
        int max = maxDepth;
        for (int d = MIN_DEPTH; d <= maxDepth; d += 2) {
            wg.add(1);
            int depth = d;
            Go.go(() -> {
                try {
                    int iterations = 1 << (max - depth + MIN_DEPTH);
                    long sum = 0;
                    for (int i = 0; i < iterations; i++) {
                        try (Scope s = Go.scope()) {
                            sum += check(build(depth));
                        }
                    }
                    lines.setPtr((depth - MIN_DEPTH) / 2,
                            Go.string(String.format("%d trees, depth %d: check %d", iterations, depth, sum)));
                } finally {
                    wg.done();
                }
            });
        }
        wg.await();
        for (int i = 0; i < lines.len(); i++) {
            try (Scope s = Go.scope()) {
                System.out.println(lines.ptr(i).string());
            }
        }

        System.out.printf("long-lived tree, depth %d: check %d\n", maxDepth, check(longLived));
    }
}
