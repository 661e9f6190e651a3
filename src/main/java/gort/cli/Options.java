package gort.cli;

import gort.api.Config;
import gort.sched.Sched;
import picocli.CommandLine.Option;

/**
 * Options shared by run and bench: GOMAXPROCS, GOGC and GODEBUG as flags that override the
 * environment. Invariant: {@link #config()} validates every value and names the bad one.
 */
final class Options {
    @Option(names = "--procs", paramLabel = "N", description = "GOMAXPROCS (1.." + Sched.MAX_GOMAXPROCS + "); default: $GOMAXPROCS or the number of CPUs")
    Integer procs;

    @Option(names = "--gogc", paramLabel = "PERCENT|off", description = "GOGC; default: $GOGC or 100")
    String gogc;

    @Option(names = "--godebug", paramLabel = "k=v,...", description = "GODEBUG settings, added to $GODEBUG (e.g. schedtrace=1000)")
    String godebug;

    Config config() {
        Config c = Config.fromEnv();
        if (procs != null) {
            c = c.withGomaxprocs(procs);
        }
        if (gogc != null) {
            c = c.withGogc(Config.parseGogc(gogc));
        }
        if (godebug != null) {
            c = c.withGodebug(Config.parseGodebug(godebug));
        }
        return c;
    }
}
