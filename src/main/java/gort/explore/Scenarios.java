package gort.explore;

import java.util.List;

/** The registry of the explorer's built-in scenarios, by name. */
public final class Scenarios {
    private Scenarios() {}

    public static final List<Scenario> ALL = List.of(new MarkTermScenario(), new MarkTermScenario("markdone", 6),
            new MarkTermScenario("assist", 0, 64, 512, true, false),
            new MarkTermScenario("markidle", 6, 64, 0, false, true), new ParallelScenario());

    /** The scenario of that name, or null. */
    public static Scenario byName(String name) {
        for (Scenario s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(Scenario::name).toList());
    }
}
