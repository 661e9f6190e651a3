package gort.cli;

import gort.explore.Explorer;
import gort.explore.Outcome;
import gort.explore.Replay;
import gort.explore.Scenario;
import gort.explore.Scenarios;
import gort.explore.Shrinker;
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
 * {@code gort explore SCENARIO --strategy random|pct|pos --schedules N --seed S [--jobs J] [--godebug ...]
 * [--replay FILE] [--shrink] [--replay-dir DIR]}: runs a scenario of {@link Scenarios} on the
 * simulated platform once per schedule (seeds S .. S+N-1) and checks each with the explorer's
 * oracles ({@link Explorer}); prints one line per failure (seed, oracle, the message's first line)
 * and writes its replay (the decision list, run-length encoded) to a file in DIR, whose path it
 * prints; progress goes to stderr every few seconds; the summary names the seed range run, the
 * failures and the failing seeds, so that campaigns over disjoint ranges (on other machines) add
 * up to one. {@code --replay FILE} runs the one schedule a replay describes and says whether it
 * failed as recorded. {@code --shrink} reduces a failure ({@link Shrinker}: the first of the
 * campaign, or the replay's) toward the default schedule and writes the shrunk replay.
 *
 * <p>Invariants: bad input (an unknown scenario or strategy, a count below 1, a seed that is no
 * integer, a --jobs outside 1..256, an unreadable or malformed replay, a replay directory that
 * cannot be made) is refused in one line before anything runs; the exit status is 0 when every
 * schedule passed, 1 when one failed (a replay: when it failed), 2 on bad input. The collector's
 * planted bugs ({@link gort.gc.GcFaults}) are test-only and have no flag here.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Run a scenario on the simulated platform under many schedules, checking the runtime's invariants in each.")
final class ExploreCommand implements Callable<Integer> {
    /** A replay file is written for at most this many failures of a campaign; the rest are listed by seed. */
    static final int REPLAY_FILES = 10;
    /** The failing seeds the summary lists at most. */
    static final int LISTED_SEEDS = 100;
    static final long PROGRESS_EVERY_NS = 5_000_000_000L;
    static final int MAX_JOBS = 256;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the program to explore: one of ${COMPLETION-CANDIDATES}",
            completionCandidates = ScenarioNames.class)
    String scenario;

    @Option(names = "--strategy", paramLabel = "random|pct|pos", description = "how each seed chooses the next thread: random (uniform at "
            + "every decision point; default), pct (PCT: random thread priorities, the highest runnable runs, depth "
            + Explorer.PCT_DEPTH + ", priority change points among the first " + Explorer.PCT_STEPS + " decisions) or pos (partial-order "
            + "sampling: a random priority per thread's next event, re-drawn when the thread runs)")
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

    @Option(names = "--shrink", description = "reduce the first failure (or the --replay schedule) toward the default schedule "
            + "(the first runnable thread at every decision) while the same oracle fails, and write the shrunk replay")
    boolean shrink;

    @Option(names = "--shrink-runs", paramLabel = "R", description = "the runs a shrink may spend (default " + Shrinker.DEFAULT_BUDGET + ")")
    int shrinkRuns = Shrinker.DEFAULT_BUDGET;

    @Option(names = "--replay-dir", paramLabel = "DIR", description = "where failures' replay files go (default explore-replays)")
    Path replayDir = Path.of("explore-replays");

    /**
     * The collector's planted bugs for every schedule: null (none) unless a test in this package
     * sets it on the command object; no option reaches it.
     */
    java.util.function.Supplier<gort.gc.GcFaults> faults;

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
        if (s0 > Long.MAX_VALUE - (schedules - 1)) {
            throw new CommandLine.ParameterException(cl, "--seed " + s0 + " with --schedules " + schedules + " runs past the largest seed");
        }
        checkShrinkRuns(cl);
        makeReplayDir(cl);
        Explorer ex = new Explorer(sc, gd, faults);
        long[] lastDraw = {System.nanoTime()};
        long t0 = System.nanoTime();
        int[] failed = {0};
        Explorer.Campaign c = ex.explore(st, s0, schedules, 0, (i, o) -> {
            if (o.failed()) {
                failed[0]++;
                out.println("FAIL seed " + o.seed() + ": " + o.failure().oracle() + ": " + o.failure().headline());
                if (failed[0] <= REPLAY_FILES) {
                    Path f = write(cl, sc.name() + "-" + st.flag() + "-seed" + o.seed() + ".replay", Replay.of(ex, o));
                    out.println("  replay (" + o.decisions().length + " decisions): " + f);
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
        if (c.failures().size() > REPLAY_FILES) {
            out.println("(replay files written for the first " + REPLAY_FILES + " failures only; rerun a seed with --seed S --schedules 1)");
        }
        out.printf("explore %s: %d schedules (%s, seeds %d..%d%s), %d failed, %.1f schedules/s%n", sc.name(), c.schedules(), st.flag(), s0,
                s0 + c.schedules() - 1, jobs > 1 ? ", " + jobs + " jobs" : "", c.failures().size(), c.schedulesPerSecond());
        if (!c.failures().isEmpty()) {
            java.util.List<Long> seeds = c.failures().stream().map(Outcome::seed).toList();
            out.println("failing seeds: " + String.join(" ", seeds.stream().limit(LISTED_SEEDS).map(String::valueOf).toList())
                    + (seeds.size() > LISTED_SEEDS ? " ... (" + (seeds.size() - LISTED_SEEDS) + " more)" : ""));
            if (shrink) {
                Outcome first = c.failures().get(0);
                shrink(cl, out, ex, first, sc.name() + "-" + st.flag() + "-seed" + first.seed() + "-shrunk.replay");
            }
        } else if (shrink) {
            out.println("shrink: no failure to shrink");
        }
        return c.failures().isEmpty() ? 0 : 1;
    }

    private void checkShrinkRuns(CommandLine cl) {
        if (shrinkRuns < 1) {
            throw new CommandLine.ParameterException(cl, "--shrink-runs " + shrinkRuns + " is invalid: must be at least 1");
        }
    }

    /**
     * Refuses a replay directory that cannot be made before anything runs; the directory itself is
     * made when the first file goes into it (a campaign without failures leaves none behind).
     */
    private void makeReplayDir(CommandLine cl) {
        Path d = replayDir.toAbsolutePath();
        Path existing = d;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new CommandLine.ParameterException(cl, "--replay-dir " + replayDir + ": cannot make it ("
                    + (existing == null ? "no such root" : existing + (Files.isDirectory(existing) ? " is not writable" : " is not a directory")) + ")");
        }
    }

    /** Writes a replay file into the replay directory; returns its path. */
    private Path write(CommandLine cl, String name, Replay r) {
        Path f = replayDir.resolve(name);
        try {
            Files.createDirectories(replayDir);
            Files.writeString(f, r.format());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the replay " + f, e);
        }
        return f;
    }

    private void shrink(CommandLine cl, PrintWriter out, Explorer ex, Outcome failing, String name) {
        Shrinker.Result r;
        try {
            r = new Shrinker(ex, shrinkRuns).shrink(failing);
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("shrink of seed " + failing.seed() + " failed: " + e.getMessage());
            return;
        }
        Path f = write(cl, name, Replay.of(ex, r.after()));
        out.println("shrink of seed " + failing.seed() + ": " + r.nonDefaultBefore() + " non-default decisions before, " + r.nonDefaultAfter()
                + " after (" + r.runs() + " runs; " + r.before().decisions().length + " -> " + r.after().decisions().length + " decisions), "
                + r.after().failure().oracle() + ": " + r.after().failure().headline());
        out.println("  shrunk replay: " + f);
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
        if (shrink) {
            checkShrinkRuns(cl);
            makeReplayDir(cl);
        }
        Explorer ex = new Explorer(sc, r.godebug(), faults);
        Outcome o = ex.replay(r.seed(), r.decisions());
        out.println("replay of seed " + r.seed() + " (" + r.decisions().length + " decisions): "
                + (o.failed() ? o.failure().oracle() + ": " + o.failure().headline() : "passed"));
        out.println("recorded: " + r.failure());
        if (shrink) {
            if (!o.failed() || o.failure().oracle() == Outcome.Oracle.DIVERGED) {
                out.println("shrink: the replay did not fail as a schedule of this runtime; nothing to shrink");
            } else {
                String base = replay.getFileName().toString().replaceFirst("\\.replay$", "");
                shrink(cl, out, ex, o, base + "-shrunk.replay");
            }
        }
        return o.failed() ? 1 : 0;
    }
}
