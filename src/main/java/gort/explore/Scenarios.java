package gort.explore;

import java.util.List;

/**
 * The registry of the explorer's built-in scenarios, by name: {@code markterm} (the small
 * mark-termination program), its variants {@code assist} (longer lists, garbage that makes rounds refill and assist, a first cycle so
 * that the explored one has an assist ratio), {@code assistblock} (more garbage, so that assists
 * run out of work and, with gcassistblock=1, sleep; main waits in one sleep) and {@code markidle}
 * (few rounds, main waiting in one sleep, so that nothing but the collector wakes a P), and the
 * scheduler's {@code parallel} ({@link ParallelScenario}).
 */
public final class Scenarios {
    private Scenarios() {}

    public static final List<Scenario> ALL = List.of(new MarkTermScenario(), new MarkTermScenario("assist", 0, 64, 512, true, false),
            new MarkTermScenario("assistblock", 0, 64, 4096, true, true), new MarkTermScenario("markidle", 6, 64, 0, false, true),
            new ParallelScenario());

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
