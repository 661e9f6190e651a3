package gort.workloads.json;

import gort.api.Go;

/**
 * Extra CPU work per JSON node, the json workload's {@code --node-work N} knob: N rounds of an
 * xorshift step at every node decoded and every node encoded, allocating nothing and polling for
 * preemption every 256 rounds (as Go code has a preemption point at every call). It slows the
 * mutator without touching any runtime mechanism, so that gort's json can allocate at another
 * runtime's rate (Go 1.5's reflection-based encoding/json is several times slower per op): what
 * depends on the allocation rate (the heap at mark termination) can then be compared at the same
 * rate. Not Go: a measurement knob. Owns nothing but a sink that keeps the JIT from removing the
 * loop.
 */
final class NodeWork {
    /** The loops' results end here, so the work cannot be optimized away (racy by design). */
    static long sink;

    private NodeWork() {}

    /** Spins n rounds (nothing when n is 0). */
    static void spin(int n) {
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
