package gort.explore;

import gort.api.Config;
import gort.platform.SimPlatform;

/**
 * A target the explorer runs once per schedule: a runtime configuration on a given simulated
 * platform and the main goroutine to run in it. A scenario must be a function of its schedule: it
 * keeps no state between runs and draws no randomness of its own (the platform's choices are the
 * only nondeterminism), so that a schedule's decision list reproduces it.
 *
 * <p>A scenario reports a failure of its own (a list damaged by a lost mark, a collection that did
 * not end within its virtual-time bound) by throwing from main: the runtime turns it into a
 * {@link gort.sched.FatalError}, which the explorer's oracles count as a failure.
 */
public interface Scenario {
    /** The name {@code gort explore} takes. */
    String name();

    /** One line: what runs and what it checks. */
    String description();

    /** The runtime's configuration on platform {@code p}, with {@code godebug} (GODEBUG settings) added. */
    Config config(SimPlatform p, java.util.Map<String, String> godebug);

    /** The CPU count of the simulated platform (and so GOMAXPROCS). */
    int procs();

    /** The program's main goroutine. */
    void main();
}
