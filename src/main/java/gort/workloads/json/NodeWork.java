package gort.workloads.json;

import gort.api.Go;

/**
 * Extra CPU work per JSON node, the json workload's {@code --node-work N} knob: N rounds of an
 * xorshift step at every node decoded and every node encoded, allocating nothing and polling for
 * preemption every 256 rounds (as Go code has a preemption point at every call). It slows the
 * mutator without touching any runtime mechanism, so that gort's json can allocate at another
 * runtime's rate (Go 1.5's reflection-based encoding/json is several times slower per op): what
 * depends on the allocation rate (the heap at mark termination) can then be compared at the same
 * rate. Not Go: a measurement knob.
 *
 * <p>Owns the current number of rounds, shared by every decoder and encoder of one run: fixed
 * ({@code --node-work N}), or moved during the run by an {@link AllocRateController}
 * ({@code --alloc-rate}). Invariant: {@code 0 <= rounds <= MAX_NODE_WORK}; a change is seen by
 * each node after it (a volatile read per node), never in the middle of one.
 */
final class NodeWork {
    /** The loops' results end here, so the work cannot be optimized away (racy by design). */
    static long sink;

    /** No extra work. */
    static final NodeWork NONE = new NodeWork(0);

    /** Rounds per node; written by whoever controls the rate, read at every node. */
    private volatile int rounds;

    NodeWork(int rounds) {
        set(rounds);
    }

    int rounds() {
        return rounds;
    }

    /** Sets the rounds per node, clamped to 0..MAX_NODE_WORK. */
    void set(int n) {
        rounds = Math.max(0, Math.min(gort.workloads.Workload.Params.MAX_NODE_WORK, n));
    }

    /** Spins the current number of rounds (nothing when it is 0). */
    void spin() {
        int n = rounds;
        if (n == 0) {
            return;
        }
        long x = 0x9E3779B97F4A7C15L ^ n;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if ((i & 255) == 255) {
                Go.poll();
            }
        }
        sink += x;
    }
}
