package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import gort.platform.RealPlatform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The local run queue of a P (proc1.go: runqput, runqget, runqgrab, runqsteal) against a plain
 * model: a runnext slot, a FIFO deque of at most 256 Gs, and the global queue as a list. Single
 * threaded: two Ps created directly and a Sched that is never started.
 */
class RunqProperties {

    // ---------------------------------------------------------------------------------------
    // operations
    // ---------------------------------------------------------------------------------------

    sealed interface Op permits Put, Get, Steal, Drain {}

    /** count runqputs of fresh Gs on P p. */
    record Put(int p, boolean next, int count) implements Op {}

    record Get(int p) implements Op {}

    /** runqsteal: thief P {@code to} steals from P {@code from}. */
    record Steal(int from, int to, boolean stealRunnext) implements Op {}

    /** drainTo: empties P p into the head of the global queue (as procresize does for a destroyed P). */
    record Drain(int p) implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> pid = Arbitraries.integers().between(0, 1);
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 20)),
                Tuple.of(1, Arbitraries.integers().between(100, 300)));
        Arbitrary<Op> put = Combinators.combine(pid, Arbitraries.of(true, false), count).as(Put::new);
        Arbitrary<Op> get = pid.map(Get::new);
        Arbitrary<Op> steal = Combinators.combine(pid, Arbitraries.of(true, false))
                .as((from, rn) -> new Steal(from, 1 - from, rn));
        Arbitrary<Op> drain = pid.map(Drain::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(5, put), Tuple.of(4, get), Tuple.of(3, steal), Tuple.of(1, drain));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    // ---------------------------------------------------------------------------------------
    // the model
    // ---------------------------------------------------------------------------------------

    static final class ModelP {
        G runnext;
        final ArrayDeque<G> ring = new ArrayDeque<>();

        int size() {
            return ring.size() + (runnext != null ? 1 : 0);
        }
    }

    /** Real Ps and the model side by side; every step is checked against the model. */
    static final class Harness {
        final Sched sched = new Sched(RealPlatform.INSTANCE, 1, 0, System.err);
        final P[] ps = {new P(0), new P(1)};
        final ModelP[] model = {new ModelP(), new ModelP()};
        final List<G> global = new ArrayList<>();
        final List<G> created = new ArrayList<>();
        final List<G> taken = new ArrayList<>();
        final boolean[] inherit = new boolean[1];
        long nextGoid = 1;

        G newG() {
            G g = new G(sched);
            g.goid = nextGoid++;
            created.add(g);
            return g;
        }

        void put(int pi, G g, boolean next) {
            ModelP m = model[pi];
            if (next) {
                G old = m.runnext;
                m.runnext = g;
                if (old == null) {
                    ps[pi].runqput(g, true, sched);
                    return;
                }
                ps[pi].runqput(g, true, sched);
                g = old; // the displaced runnext is kicked to the tail
            } else {
                ps[pi].runqput(g, false, sched);
            }
            if (m.ring.size() < P.RUNQ_SIZE) {
                m.ring.addLast(g);
            } else {
                // overflow: the older half of the ring, then g, go to the global queue
                for (int i = 0; i < P.RUNQ_SIZE / 2; i++) {
                    global.add(m.ring.pollFirst());
                }
                global.add(g);
            }
        }

        void get(int pi) {
            ModelP m = model[pi];
            G want;
            boolean wantInherit;
            if (m.runnext != null) {
                want = m.runnext;
                m.runnext = null;
                wantInherit = true;
            } else {
                want = m.ring.pollFirst();
                wantInherit = false;
            }
            inherit[0] = !wantInherit; // make sure runqget writes it
            G got = ps[pi].runqget(inherit);
            assertThat(got).as("runqget on P%d", pi).isSameAs(want);
            if (want != null) {
                assertThat(inherit[0]).as("inherit time slice for %s", got).isEqualTo(wantInherit);
                taken.add(got);
            }
        }

        void steal(int from, int to, boolean stealRunnext) {
            ModelP victim = model[from];
            ModelP thief = model[to];
            int n = victim.ring.size();
            int k = n - n / 2;
            if (thief.ring.size() + k >= P.RUNQ_SIZE) {
                return; // Go steals only into a P with room (in practice: an empty one)
            }
            int thiefRingBefore = thief.ring.size();
            G want;
            if (k == 0) {
                if (stealRunnext && victim.runnext != null) {
                    want = victim.runnext;
                    victim.runnext = null;
                } else {
                    want = null;
                }
            } else {
                List<G> grabbed = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    grabbed.add(victim.ring.pollFirst());
                }
                want = grabbed.removeLast();
                thief.ring.addAll(grabbed);
            }
            G got = ps[to].runqsteal(ps[from], stealRunnext, sched);
            assertThat(got).as("runqsteal P%d <- P%d (victim ring %d)", to, from, n).isSameAs(want);
            if (got != null) {
                taken.add(got);
            }
            // about half: the thief took ceil(n/2) (one returned, the rest in its ring)
            assertThat(thief.ring.size() - thiefRingBefore).isEqualTo(Math.max(k - 1, 0));
        }

        void drain(int pi) {
            ModelP m = model[pi];
            List<G> moved = new ArrayList<>(); // to the head of the global queue, runnext first
            if (m.runnext != null) {
                moved.add(m.runnext);
                m.runnext = null;
            }
            moved.addAll(m.ring);
            m.ring.clear();
            global.addAll(0, moved);
            ps[pi].drainTo(sched);
        }

        void apply(Op op) {
            switch (op) {
                case Put(int p, boolean next, int count) -> {
                    for (int i = 0; i < count; i++) {
                        put(p, newG(), next);
                        check();
                    }
                }
                case Get(int p) -> get(p);
                case Steal(int from, int to, boolean rn) -> steal(from, to, rn);
                case Drain(int p) -> drain(p);
            }
            check();
        }

        /** Cheap checks after every step: sizes, runnext, global queue length. */
        void check() {
            for (int i = 0; i < 2; i++) {
                assertThat(ps[i].runqsize()).as("P%d runqsize", i).isEqualTo(model[i].size());
                assertThat(ps[i].runnextForTest()).as("P%d runnext", i).isSameAs(model[i].runnext);
                assertThat(ps[i].runqempty()).isEqualTo(model[i].size() == 0);
                assertThat(model[i].ring.size()).isLessThanOrEqualTo(P.RUNQ_SIZE);
            }
            assertThat(sched.globalRunqSize()).as("global runq size").isEqualTo(global.size());
        }

        /** The global queue's links, from its first G, hold exactly the model's list in order. */
        void checkGlobalChain() {
            if (global.isEmpty()) {
                return;
            }
            G g = global.getFirst();
            for (int i = 0; i < global.size(); i++) {
                assertThat(g).as("global queue element %d", i).isSameAs(global.get(i));
                g = g.schedlink;
            }
            assertThat(g).as("global queue ends").isNull();
        }

        /** Drains both Ps in model order and checks that every G is in exactly one place. */
        void finish() {
            checkGlobalChain();
            for (int i = 0; i < 2; i++) {
                while (model[i].size() > 0) {
                    get(i);
                }
                assertThat(ps[i].runqget(inherit)).isNull();
            }
            check();
            Map<G, Integer> where = new IdentityHashMap<>();
            for (G g : taken) {
                where.merge(g, 1, Integer::sum);
            }
            for (G g : global) {
                where.merge(g, 1, Integer::sum);
            }
            assertThat(where).as("no G lost").hasSize(created.size());
            assertThat(where.values()).as("no G duplicated").allMatch(c -> c == 1);
            for (G g : created) {
                assertThat(where).containsKey(g);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // properties
    // ---------------------------------------------------------------------------------------

    @Property(tries = 300)
    void runQueuesMatchTheModel(@ForAll("ops") List<Op> ops) {
        Harness h = new Harness();
        for (Op op : ops) {
            h.apply(op);
        }
        h.finish();
    }

    // ---------------------------------------------------------------------------------------
    // examples pinning the rules down
    // ---------------------------------------------------------------------------------------

    @Example
    void runnextComesFirstAndInheritsTheTimeSlice() {
        Harness h = new Harness();
        G a = h.newG();
        G b = h.newG();
        G c = h.newG();
        P p = h.ps[0];
        p.runqput(a, false, h.sched);
        p.runqput(b, true, h.sched);
        p.runqput(c, true, h.sched); // c displaces b, which goes to the tail behind a
        assertThat(p.runnextForTest()).isSameAs(c);
        boolean[] inh = new boolean[1];
        assertThat(p.runqget(inh)).isSameAs(c);
        assertThat(inh[0]).isTrue();
        assertThat(p.runqget(inh)).isSameAs(a);
        assertThat(inh[0]).isFalse();
        assertThat(p.runqget(inh)).isSameAs(b);
        assertThat(inh[0]).isFalse();
        assertThat(p.runqget(inh)).isNull();
        assertThat(p.runqempty()).isTrue();
    }

    @Example
    void ringIsFifo() {
        Harness h = new Harness();
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < P.RUNQ_SIZE; i++) {
            G g = h.newG();
            gs.add(g);
            h.ps[0].runqput(g, false, h.sched);
        }
        assertThat(h.sched.globalRunqSize()).isZero();
        assertThat(h.ps[0].runqsize()).isEqualTo(P.RUNQ_SIZE);
        boolean[] inh = new boolean[1];
        for (G g : gs) {
            assertThat(h.ps[0].runqget(inh)).isSameAs(g);
        }
    }

    @Example
    void overflowMovesHalfTheRingAndTheNewGToTheGlobalQueue() {
        Harness h = new Harness();
        for (int i = 0; i < P.RUNQ_SIZE; i++) {
            h.apply(new Put(0, false, 1));
        }
        assertThat(h.sched.globalRunqSize()).isZero();
        h.apply(new Put(0, false, 1)); // the 257th
        assertThat(h.sched.globalRunqSize()).isEqualTo(P.RUNQ_SIZE / 2 + 1);
        assertThat(h.ps[0].runqsize()).isEqualTo(P.RUNQ_SIZE / 2);
        // the oldest half went, in order, followed by the G being put
        assertThat(h.global.subList(0, P.RUNQ_SIZE / 2)).containsExactlyElementsOf(h.created.subList(0, P.RUNQ_SIZE / 2));
        assertThat(h.global.getLast()).isSameAs(h.created.getLast());
        h.checkGlobalChain();
        h.finish();
    }

    @Example
    void overflowThroughRunnextKicksTheOldRunnextToTheGlobalQueue() {
        Harness h = new Harness();
        h.apply(new Put(0, true, 1)); // runnext = g1
        h.apply(new Put(0, false, P.RUNQ_SIZE)); // ring full
        G oldNext = h.ps[0].runnextForTest();
        h.apply(new Put(0, true, 1)); // displaces g1 into a full ring: overflow
        assertThat(h.sched.globalRunqSize()).isEqualTo(P.RUNQ_SIZE / 2 + 1);
        assertThat(h.global.getLast()).isSameAs(oldNext);
        assertThat(h.ps[0].runnextForTest()).isSameAs(h.created.getLast());
        h.finish();
    }

    @Example
    void stealTakesHalfRoundedUpAndReturnsTheLastOfThem() {
        Harness h = new Harness();
        h.apply(new Put(0, false, 5));
        List<G> g = List.copyOf(h.created);
        G got = h.ps[1].runqsteal(h.ps[0], false, h.sched);
        assertThat(got).isSameAs(g.get(2)); // grabbed g0,g1,g2 (5 - 5/2 = 3); returns the last
        assertThat(h.ps[1].runqsize()).isEqualTo(2);
        assertThat(h.ps[0].runqsize()).isEqualTo(2);
        boolean[] inh = new boolean[1];
        assertThat(h.ps[1].runqget(inh)).isSameAs(g.get(0));
        assertThat(h.ps[1].runqget(inh)).isSameAs(g.get(1));
        assertThat(h.ps[0].runqget(inh)).isSameAs(g.get(3));
        assertThat(h.ps[0].runqget(inh)).isSameAs(g.get(4));
    }

    @Example
    void runnextIsStolenOnlyWhenAskedAndTheRingIsEmpty() {
        Harness h = new Harness();
        h.apply(new Put(0, true, 1));
        G next = h.ps[0].runnextForTest();
        assertThat(h.ps[1].runqsteal(h.ps[0], false, h.sched)).isNull();
        assertThat(h.ps[0].runnextForTest()).isSameAs(next);
        h.apply(new Put(0, false, 1));
        // the ring has one G: that one is stolen, not runnext
        assertThat(h.ps[1].runqsteal(h.ps[0], true, h.sched)).isSameAs(h.created.getLast());
        assertThat(h.ps[0].runnextForTest()).isSameAs(next);
        assertThat(h.ps[1].runqsteal(h.ps[0], true, h.sched)).isSameAs(next);
        assertThat(h.ps[0].runqempty()).isTrue();
        assertThat(h.ps[1].runqsteal(h.ps[0], true, h.sched)).isNull();
    }

    @Example
    void stealFromEmptyPTakesNothing() {
        Harness h = new Harness();
        assertThat(h.ps[1].runqsteal(h.ps[0], true, h.sched)).isNull();
        assertThat(h.ps[1].runqempty()).isTrue();
    }
}
