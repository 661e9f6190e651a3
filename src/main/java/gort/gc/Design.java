package gort.gc;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of designs named after Go releases ({@code --design}, {@code GODEBUG=gcdesign}):
 * each sets every switchable axis of the collector — the cycle driver ({@link WakeupStrategy}),
 * whether assists block, the pacer, the write barrier and the marking machinery — to what that
 * release did, and declares the constraints the rest of the collector must meet
 * ({@link Constraints}, checked by {@link #check} when a runtime starts, as MMTk's plans declare
 * their PlanConstraints). An axis set explicitly on top of a design is an ablation; settings that
 * match no design are labelled so ({@link #label}) in tables, records and reports.
 *
 * <p>Adding a design is one value here. Which Go 1.5 is which: golang/go CL 9291 (park/ready for
 * the coordinator) and CL 12670 (the assist's yield, which "prepared" blocking assists) both
 * landed during Go 1.5's development; Go 1.5.1's source, which gort reads, has both and blocking
 * assists. Whether Go 1.5.0 already had everything Go 1.5.1 has here is not something gort's
 * sources show, so no design is called {@code go1.5}: the development tree as CL 9291 found it is
 * {@code go1.5-dev}, and the release gort can vouch for is {@code go1.5.1}.
 */
public enum Design implements Choice {
    GO1_5_DEV("go1.5-dev", "Go 1.5's development tree before golang/go CL 9291: the coordinator waits on a note, assists never "
            + "block (their debt carries over), Go 1.5's pacer and marking, the Dijkstra barrier",
            new Axes(WakeupStrategy.NOTE, false, PacerKind.GO15, BarrierKind.DIJKSTRA, MarkingKind.GO15), Constraints.GO15),
    GO1_5_1("go1.5.1", "Go 1.5.1 as released: park/ready (CL 9291) and the assist's yield (CL 12670), assists that sleep 100 µs "
            + "and retry when they cannot pay, Go 1.5's pacer and marking, the Dijkstra barrier",
            new Axes(WakeupStrategy.PARK_YIELD, true, PacerKind.GO15, BarrierKind.DIJKSTRA, MarkingKind.GO15), Constraints.GO15),
    GO1_6("go1.6", "Go 1.6: no coordinator (whoever finds a phase complete takes the transition), root jobs shared by the "
            + "workers, workers that give their P back when there is no work, assists charged per allocation that park until "
            + "background credit pays them, Go 1.6's pacer, the Dijkstra barrier",
            new Axes(WakeupStrategy.NONE, false, PacerKind.GO16, BarrierKind.DIJKSTRA, MarkingKind.GO16), Constraints.GO15);

    /**
     * Every switchable axis of the collector. {@code assistBlock} has no effect under the go16
     * marking (its assists park instead), so it does not count there when settings are matched.
     */
    public record Axes(WakeupStrategy wakeup, boolean assistBlock, PacerKind pacer, BarrierKind barrier, MarkingKind marking) {
        /** The axes on which this and o differ, as GODEBUG would set o's values ("gcwakeup=park"). */
        List<String> differences(Axes o) {
            List<String> d = new ArrayList<>();
            if (wakeup != o.wakeup) d.add("gcwakeup=" + o.wakeup.flag());
            if (assistBlock != o.assistBlock && marking == MarkingKind.GO15 && o.marking == MarkingKind.GO15) {
                d.add("gcassistblock=" + (o.assistBlock ? 1 : 0));
            }
            if (pacer != o.pacer) d.add("gcpacer=" + o.pacer.flag());
            if (barrier != o.barrier) d.add("gcbarrier=" + o.barrier.flag());
            if (marking != o.marking) d.add("gcmarking=" + o.marking.flag());
            return d;
        }
    }

    /**
     * What a design needs of the rest of the collector: whether its barrier needs the overwritten
     * value (a deletion or hybrid barrier does; Dijkstra's does not), whether it allocates black
     * (and from which phase), whether mark termination rescans every stack (it must when stack
     * writes take no barrier).
     */
    public record Constraints(boolean barrierNeedsOldValue, GcPhase allocatesBlackFrom, boolean rescansStacks) {
        /** Go 1.5's and Go 1.6's: an insertion barrier, black allocation from mark 2, every stack rescanned at termination. */
        static final Constraints GO15 = new Constraints(false, GcPhase.MARK2, true);
    }

    private final String flag;
    private final String description;
    private final Axes axes;
    private final Constraints constraints;

    Design(String flag, String description, Axes axes, Constraints constraints) {
        this.flag = flag;
        this.description = description;
        this.axes = axes;
        this.constraints = constraints;
    }

    @Override
    public String flag() {
        return flag;
    }

    @Override
    public String description() {
        return description;
    }

    public Axes axes() {
        return axes;
    }

    public Constraints constraints() {
        return constraints;
    }

    /** Parses a name; the error names the allowed values. */
    public static Design parse(String s) {
        return Choice.parse(Design.class, "design", s);
    }

    /** The design whose axes these are, or null when they are no release's. */
    public static Design of(Axes a) {
        for (Design d : values()) {
            if (d.axes.differences(a).isEmpty()) {
                return d;
            }
        }
        return null;
    }

    /**
     * How tables, records and reports name these axes: a design's name ("go1.5.1"), or, when they
     * are no release's, the nearest design and what differs ("go1.5-dev + gcwakeup=park (no
     * release)").
     */
    public static String label(Axes a) {
        return label(null, a);
    }

    /**
     * As {@link #label(Axes)}, with what differs counted from {@code named} when it is not null: the
     * design the settings named, whose axes an explicit setting changed ("go1.5.1 +
     * gcassistblock=0 (no release)", though go1.5-dev is as near).
     */
    public static String label(Design named, Axes a) {
        Design d = named != null ? named : nearest(a);
        List<String> diff = d.axes.differences(a);
        return diff.isEmpty() ? d.flag : d.flag + " + " + String.join(", ", diff) + " (no release)";
    }

    /**
     * Checks, as a runtime starts, that the collector these axes make meets the constraints of
     * their design (or of the nearest design, for an ablation): gort's heap passes a barrier only
     * the new pointer; a barrier that leaves stack writes unshaded needs a design that rescans
     * stacks; the phases allocate black from the phase the design says.
     */
    public static void check(Axes a, WriteBarrier barrier) {
        Design d = nearest(a);
        check(d.flag, d.constraints, a, barrier);
    }

    /** {@link #check(Axes, WriteBarrier)} against the constraints k of the design called name. */
    static void check(String name, Constraints k, Axes a, WriteBarrier barrier) {
        if (k.barrierNeedsOldValue()) {
            throw new IllegalArgumentException("design " + name + " needs a barrier given the overwritten pointer, which gort's "
                    + "heap does not pass");
        }
        if (barrier.rescanStacks() && !k.rescansStacks()) {
            throw new IllegalArgumentException("the " + a.barrier.flag() + " barrier needs every stack rescanned at mark "
                    + "termination, which design " + name + " does not do");
        }
        for (GcPhase p : GcPhase.values()) {
            boolean black = p != GcPhase.OFF && p.ordinal() >= k.allocatesBlackFrom().ordinal();
            if (p.allocBlack != black) {
                throw new IllegalStateException("design " + name + " allocates black from " + k.allocatesBlackFrom()
                        + ", but phase " + p + (p.allocBlack ? " does" : " does not"));
            }
        }
    }

    /** The design with the fewest axes different from a (the first such in the registry). */
    static Design nearest(Axes a) {
        Design best = values()[0];
        int n = Integer.MAX_VALUE;
        for (Design d : values()) {
            int x = d.axes.differences(a).size();
            if (x < n) {
                best = d;
                n = x;
            }
        }
        return best;
    }
}
