package gort.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The timer heap (Go 1.5's 4-ary heap of time.go) under random adds, deletions (of timers in the
 * heap, already removed, or never added), removals of the earliest and periodic re-arms: after
 * every operation each slot's timer knows its slot and no timer is earlier than its parent, the heap
 * holds exactly the timers a plain set says it should, and draining it yields them in deadline order.
 */
class TimerHeapProperties {
    private static final Timer.Func NOP = (arg, seq) -> {};

    /** One operation: what, which timer (an index into the timers made so far), and a deadline. */
    record Op(int kind, int which, long when) {}

    @Provide
    Arbitrary<Op> ops() {
        // small deadlines, so that ties are common
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1000),
                Arbitraries.longs().between(0, 50)).as(Op::new);
    }

    @Property(tries = 300)
    void theHeapOrderHoldsAfterEveryOperationAndDrainsInDeadlineOrder(@ForAll @Size(max = 300) List<@From("ops") Op> ops) {
        TimerHeap h = new TimerHeap();
        List<Timer> made = new ArrayList<>();
        Set<Timer> in = new LinkedHashSet<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case 0, 1 -> { // add a new timer (twice as often as the rest)
                    Timer t = new Timer(op.when(), NOP, null);
                    made.add(t);
                    int slot = h.add(t);
                    in.add(t);
                    assertThat(slot == 0).as("add says whether the new timer is strictly the earliest (a tie stays below)")
                            .isEqualTo(in.stream().allMatch(x -> x == t || x.when > t.when));
                }
                case 2 -> { // delete any timer ever made: true exactly if it is in the heap
                    if (made.isEmpty()) {
                        continue;
                    }
                    Timer t = made.get(op.which() % made.size());
                    assertThat(h.remove(t)).as("remove of %s", t).isEqualTo(in.remove(t));
                    assertThat(t.i).isEqualTo(-1);
                }
                case 3 -> { // the timer goroutine removes the earliest one-shot timer
                    Timer top = h.top();
                    if (top == null) {
                        assertThat(in).isEmpty();
                        continue;
                    }
                    assertThat(in).allMatch(x -> x.when >= top.when);
                    assertThat(h.removeTop()).isSameAs(top);
                    in.remove(top);
                    assertThat(top.i).isEqualTo(-1);
                }
                default -> { // the earliest is periodic: it fired and moves later
                    Timer top = h.top();
                    if (top == null) {
                        continue;
                    }
                    top.when += 1 + op.when();
                    h.fixTop();
                }
            }
            assertThat(h.check()).as("after %s", op).isNull();
            assertThat(h.size()).isEqualTo(in.size());
            assertThat(in).allMatch(h::contains);
            assertThat(made).filteredOn(t -> !in.contains(t)).noneMatch(h::contains);
        }
        long last = Long.MIN_VALUE;
        int n = in.size();
        for (int k = 0; k < n; k++) {
            Timer t = h.removeTop();
            assertThat(t.when).as("drained in deadline order").isGreaterThanOrEqualTo(last);
            assertThat(in.remove(t)).as("%s was in the heap once", t).isTrue();
            last = t.when;
            assertThat(h.check()).isNull();
        }
        assertThat(h.size()).isZero();
        assertThat(h.top()).isNull();
    }

    @Test
    void aPeriodicTimerSkipsThePeriodsThatAlreadyPassed() {
        // Go's timerproc: when += period * (1 + -delta/period), delta = when - now <= 0
        assertThat(Timers.rearm(100, 10, 0)).as("on time: the next period").isEqualTo(110);
        assertThat(Timers.rearm(100, 10, -9)).as("9 late: still the next period").isEqualTo(110);
        assertThat(Timers.rearm(100, 10, -10)).as("one period late: that one is skipped").isEqualTo(120);
        assertThat(Timers.rearm(100, 10, -35)).as("three and a half periods late").isEqualTo(140);
        assertThat(Timers.rearm(Long.MAX_VALUE - 5, 10, 0)).as("past the clock's end: never").isEqualTo(Long.MAX_VALUE);
    }
}
