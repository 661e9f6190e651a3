package gort.explore;

import gort.api.Config;
import gort.platform.SimPlatform;
import java.util.Map;

/**
 * Test support: another scenario under a name of its own, whose main goes on after the other's
 * with {@code after} (a deliberate violation for an oracle to see, or a count a test reads). The
 * configuration and CPU count are the base's.
 */
public record ThenScenario(Scenario base, String name, String description, Runnable after) implements Scenario {
    @Override
    public Config config(SimPlatform p, Map<String, String> godebug) {
        return base.config(p, godebug);
    }

    @Override
    public int procs() {
        return base.procs();
    }

    @Override
    public void main() {
        base.main();
        after.run();
    }
}
