package gort.cli;

import gort.explore.Explorer;
import gort.explore.Outcome;
import gort.explore.Replay;
import gort.explore.Scenario;
import gort.explore.Scenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gort explore SCENARIO --strategy random|pct --schedules N --seed S [--jobs J] [--godebug ...] [--replay
 * FILE]}: runs a scenario of {@link Scenarios} on the simulated platform once per schedule (seeds
 * S .. S+N-1) and checks each with the explorer's oracles ({@link Explorer}); prints each failure
 * with its seed and its replay (the decision list, run-length encoded) on stdout, progress on
 * stderr every few seconds, and a summary line: schedules run, failures, schedules per second of
 * host time. {@code --replay FILE} runs the one schedule a replay describes and says whether it
 * failed as recorded.
 *
 * <p>Invariants: bad input (an unknown scenario or strategy, a count below 1, a seed that is no
 * integer, a --jobs outside 1..256, an unreadable or malformed replay) is refused in one line before anything runs; the
 * exit status is 0 when every schedule passed, 1 when one failed (a replay: when it failed), 2 on
 * bad input. The collector's planted bugs ({@link gort.gc.GcFaults}) are test-only and have no
 * flag here.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Run a scenario on the simulated platform under many schedules, checking the runtime's invariants in each.")
final class ExploreCommand implements Callable<Integer> {
    /** A failure's full replay is printed for at most this many failures; the rest are counted. */
    static final int PRINTED_FAILURES = 3;
    static final long PROGRESS_EVERY_NS = 5_000_000_000L;
    static final int MAX_JOBS = 256;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the program to explore: one of ${COMPLETION-CANDIDATES}",
            completionCandidates = ScenarioNames.class)
    String scenario;

    @Option(names = "--strategy", paramLabel = "random|pct", description = "how each seed chooses the next thread: random (uniform at "
            + "every decision point; default) or pct (PCT: random thread priorities, the highest runnable runs, depth "
            + Explorer.PCT_DEPTH + ", priority change points among the first " + Explorer.PCT_STEPS + " decisions)")
    String strategy = "random";

    @Option(names = "--schedules", paramLabel = "N", description = "how many schedules to run (default 100)")
    int schedules = 100;

    @Option(names = "--seed", paramLabel = "S", description = "the first schedule's seed; the others are S+1, S+2, ... (default 1)")
    String seed = "1";

    @Option(names = "--godebug", paramLabel = "k=v,...", description = "GODEBUG settings for every schedule's runtime (e.g. gcwakeup=park)")
    String godebug;

    @Option(names = "--jobs", paramLabel = "J", description = "run J schedules at a time, each on its own host thread (default 1); "
            + "a schedule's outcome does not depend on J")
    int jobs = 1;

    @Option(names = "--replay", paramLabel = "FILE", description = "run the one schedule FILE describes (a failure's replay, as explore "
            + "prints it) and report its outcome")
    Path replay;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Scenarios.ALL.stream().map(Scenario::name).iterator();
        }
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        Scenario sc = Scenarios.byName(scenario);
        if (sc == null) {
            throw new CommandLine.ParameterException(cl, "unknown scenario \"" + scenario + "\": one of " + Scenarios.names());
        }
        Map<String, String> gd = Map.of();
        if (godebug != null) {
            try {
                gd = gort.api.Config.parseGodebug(godebug);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--godebug " + godebug + ": " + e.getMessage());
            }
        }
        if (replay != null) {
            return replay(cl, sc, out);
        }
        Explorer.Strategy st = Explorer.Strategy.parse(strategy);
        if (st == null) {
            throw new CommandLine.ParameterException(cl, "--strategy " + strategy + " is invalid: must be one of "
                    + String.join(", ", java.util.Arrays.stream(Explorer.Strategy.values()).map(Explorer.Strategy::flag).toList()));
        }
        if (schedules < 1) {
            throw new CommandLine.ParameterException(cl, "--schedules " + schedules + " is invalid: must be at least 1");
        }
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new CommandLine.ParameterException(cl, "--jobs " + jobs + " is invalid: must be from 1 to " + MAX_JOBS);
        }
        long s0 = parseSeed(cl);
        Explorer ex = new Explorer(sc, gd, null);
        long[] lastDraw = {System.nanoTime()};
        long t0 = System.nanoTime();
        int[] failed = {0};
        Explorer.Campaign c = ex.explore(st, s0, schedules, 0, (i, o) -> {
            if (o.failed()) {
                failed[0]++;
                out.println("FAIL seed " + o.seed() + ": " + o.failure().oracle() + ": " + o.failure().headline());
                if (failed[0] <= PRINTED_FAILURES) {
                    out.print(Replay.of(ex, o).format());
                    out.println();
                }
                out.flush();
            }
            long now = System.nanoTime();
            if (now - lastDraw[0] >= PROGRESS_EVERY_NS) {
                lastDraw[0] = now;
                err.printf("explore: %d/%d schedules, %d failed, %.1f schedules/s%n", i + 1, schedules, failed[0], (i + 1) * 1e9 / (now - t0));
                err.flush();
            }
        }, jobs);
        if (c.failures().size() > PRINTED_FAILURES) {
            out.println("(replays printed for the first " + PRINTED_FAILURES + " failures only)");
        }
        out.printf("explore %s: %d schedules (%s, seeds %d..%d%s), %d failed, %.1f schedules/s%n", sc.name(), c.schedules(), st.flag(), s0,
                s0 + c.schedules() - 1, jobs > 1 ? ", " + jobs + " jobs" : "", c.failures().size(), c.schedulesPerSecond());
        return c.failures().isEmpty() ? 0 : 1;
    }

    private long parseSeed(CommandLine cl) {
        try {
            return Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--seed " + seed + " is invalid: must be an integer from " + Long.MIN_VALUE
                    + " to " + Long.MAX_VALUE);
        }
    }

    private int replay(CommandLine cl, Scenario sc, PrintWriter out) {
        String text;
        try {
            text = Files.readString(replay);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CommandLine.ParameterException(cl, "--replay " + replay + ": cannot read it (" + e.getMessage() + ")");
        }
        Replay r;
        try {
            r = Replay.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--replay " + replay + ": " + e.getMessage());
        }
        if (!r.scenario().equals(sc.name())) {
            throw new CommandLine.ParameterException(cl, "--replay " + replay + " is a replay of scenario " + r.scenario() + ", not " + sc.name());
        }
        if (godebug != null) {
            throw new CommandLine.ParameterException(cl, "--godebug with --replay: the replay's own GODEBUG (" + r.godebug() + ") is used");
        }
        Explorer ex = new Explorer(sc, r.godebug(), null);
        Outcome o = ex.replay(r.seed(), r.decisions());
        out.println("replay of seed " + r.seed() + " (" + r.decisions().length + " decisions): "
                + (o.failed() ? o.failure().oracle() + ": " + o.failure().headline() : "passed"));
        out.println("recorded: " + r.failure());
        return o.failed() ? 1 : 0;
    }
}
