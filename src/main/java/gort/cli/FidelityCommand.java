package gort.cli;

import gort.trace.FidelityTable;
import gort.trace.GcLog;
import gort.workloads.json.Document;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gort fidelity}: the real Go 1.5.1 runtime (the patched anchor that
 * {@code anchors/go15/build.sh} builds) and gort side by side on the same json
 * document, under each wakeup strategy and each assist mode, rounds interleaved, one table.
 *
 * <p>Each run is its own process (a fresh JVM for gort, as a fresh process for Go), with
 * {@code GODEBUG=gctrace=1,gcpacertrace=1}; both runtimes' logs are read by the same parser
 * ({@link GcLog}), so every figure has one definition. gort runs twice per configuration: at full
 * speed, and at Go 1.5.1's allocation rate in bytes per second: each such run follows the
 * anchor's run of the same configuration in the same round, takes that run's rate (read from its
 * gctrace and pacer lines, {@link GcLog#allocRate}) as its target, and holds it with the json
 * workload's {@code --alloc-rate} (a feedback controller on the extra work per node, gort's own
 * measurement knob), starting from the work the previous such run of the configuration ended
 * near. Owns the child processes (stopped with gort: {@link FileLedger}) and the run directory
 * with every log. The directory is overwritten as every output is: an earlier fidelity run's files
 * there (its {@link DirManifest}) that this run did not rewrite are removed once this run's
 * fidelity.json is in place (written beside and renamed), so a run that fails or is stopped keeps
 * the earlier results; a user's files are left alone.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = "Run the real Go 1.5.1 runtime and gort side by side on the json workload under each wakeup strategy and "
                + "assist mode, interleaved over rounds, and print one table (bench/anchors.sh fidelity builds the anchor).")
final class FidelityCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--anchor", paramLabel = "BINARY", required = true,
            description = "the patched Go 1.5.1 anchors15 binary (anchors/go15/build.sh prints its path)")
    Path anchor;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--procs", paramLabel = "N", defaultValue = "4", description = "GOMAXPROCS for both (default ${DEFAULT-VALUE})")
    int procs;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "12", description = "gort's measured window per run (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--go-iters", paramLabel = "N", defaultValue = "8",
            description = "the anchor's -n: ops per goroutine (4 x GOMAXPROCS goroutines; default ${DEFAULT-VALUE}, about 12 s here)")
    int goIters;

    @Option(names = "--configs", paramLabel = "LIST", split = ",",
            defaultValue = "note,park,park-yield,park:block,park-yield:block",
            description = "strategy[:block] list (block: Go 1.5.1's blocking assists; note is only run without; default ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--node-work", paramLabel = "auto|off|N", defaultValue = "auto",
            description = "gort's matched-rate runs: auto holds each at the allocation rate (bytes/s) of the anchor's run just before it,"
                    + " off skips them, N runs them with a fixed --node-work N instead")
    String nodeWork;

    @Option(names = "--out", paramLabel = "DIR", description = "where logs and fidelity.json go (default bench/results/fidelity-DATE)")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The run directory (--out, else a fresh one under bench/results), once checked. */
    private Path dir;
    /** The files this run made in it, listed in the directory's {@link DirManifest} before each is made. */
    private final java.util.Set<String> files = new java.util.LinkedHashSet<>();
    /** The files this run made (the rest of {@link #files} are an earlier run's, removed at the end). */
    private final java.util.Set<String> made = new java.util.LinkedHashSet<>();

    /** A configuration: a wakeup strategy and whether assists block. */
    record Config(String strategy, boolean block) {
        String label() {
            return strategy + (block ? ":block" : "");
        }

        static Config parse(String s) {
            String[] p = s.trim().split(":", -1);
            String st = p[0];
            if (!List.of("note", "park", "park-yield").contains(st) || p.length > 2 || (p.length == 2 && !p[1].equals("block"))) {
                throw new IllegalArgumentException("--configs: \"" + s + "\" is invalid: must be note, park or park-yield, "
                        + "optionally followed by :block");
            }
            if (st.equals("note") && p.length == 2) {
                throw new IllegalArgumentException("--configs: note:block is not offered: Go never shipped note with blocking "
                        + "assists (the anchor was seen to hang with it)");
            }
            return new Config(st, p.length == 2);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("--rounds=" + rounds + " is invalid: must be from 1 to 50");
        }
        if (procs < 1 || procs > 256) {
            throw new IllegalArgumentException("--procs=" + procs + " is invalid: must be from 1 to 256");
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new IllegalArgumentException("--seconds=" + seconds + " is invalid: must be more than 0 and at most 3600");
        }
        if (goIters < 1 || goIters > 10_000) {
            throw new IllegalArgumentException("--go-iters=" + goIters + " is invalid: must be from 1 to 10000");
        }
        List<Config> cs = new ArrayList<>();
        for (String c : configs) {
            cs.add(Config.parse(c));
        }
        Integer fixedWork = null;
        if (!nodeWork.equals("auto") && !nodeWork.equals("off")) {
            try {
                fixedWork = Integer.parseInt(nodeWork);
            } catch (NumberFormatException e) {
                fixedWork = -1;
            }
            if (fixedWork < 0 || fixedWork > gort.workloads.Workload.Params.MAX_NODE_WORK) {
                throw new IllegalArgumentException("--node-work=" + nodeWork + " is invalid: must be auto, off or an integer from 0 to "
                        + gort.workloads.Workload.Params.MAX_NODE_WORK);
            }
        }
        dir = out != null ? out : Path.of("bench", "results",
                "fidelity-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + ": is a " + OutputFile.fileType(dir) + ", not a directory (fidelity"
                    + " writes its logs and fidelity.json into a directory)");
        }
        new CommandPaths().reads("--anchor", anchor).writesInto("--out", dir, List.of()).check();
        AnchorCheck.check(anchor); // one trial run: a wrong binary is one line before anything is made
        Files.createDirectories(dir);
        // a directory an earlier gort wrote into is overwritten as every output is: its files go, the
        // user's stay; they go once this run's results are written, so a run that fails or is
        // stopped loses none of the earlier results (the list names both meanwhile)
        java.util.Set<String> earlier = DirManifest.read(dir);
        files.addAll(earlier);
        files.removeIf(n -> !DirManifest.plain(n));
        gort.trace.RunEnvironment env = environment();
        env.warn(spec.commandLine().getErr());
        Path doc = file("doc.json");
        Document.write(doc, Document.embedded());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();

        boolean matched = !nodeWork.equals("off");
        boolean held = nodeWork.equals("auto");
        List<String> runtimes = new ArrayList<>(List.of(FidelityTable.GO, FidelityTable.GORT));
        if (matched) {
            runtimes.add(FidelityTable.GORT_MATCHED);
        }
        Map<String, Map<String, List<GcLog.Figures>>> results = new LinkedHashMap<>();
        int total = rounds * cs.size() * runtimes.size();
        int k = 0;
        Map<String, Integer> startWork = new java.util.HashMap<>(); // per configuration, where its next held run starts
        for (int r = 1; r <= rounds; r++) {
            for (int i = 0; i < cs.size(); i++) {
                Config c = cs.get((i + r - 1) % cs.size()); // rotate the order round by round
                List<String> order = order(runtimes, r);
                double goRate = Double.NaN;
                for (String rt : order) {
                    k++;
                    Path log = file("r" + r + "-" + c.label().replace(':', '-') + "-" + rt + ".log");
                    String what = String.format(Locale.ROOT, "[%d/%d] round %d %s %s", k, total, r, c.label(), rt);
                    err.println(what + " ...");
                    err.flush();
                    long t0 = System.nanoTime();
                    GcLog g;
                    String target = "";
                    if (rt.equals(FidelityTable.GO)) {
                        g = runGo(c, doc, goIters, log);
                        goRate = g.allocRate();
                    } else if (rt.equals(FidelityTable.GORT)) {
                        g = runGort(c, 0, 0, seconds, log);
                    } else if (held) {
                        if (!(goRate > 0)) {
                            throw new IllegalStateException("fidelity: the anchor's run " + dir.resolve("r" + r + "-"
                                    + c.label().replace(':', '-') + "-" + FidelityTable.GO + ".log") + " has too few cycles with"
                                    + " pacer lines to read its allocation rate; give --go-iters more than " + goIters);
                        }
                        g = runGort(c, startWork.getOrDefault(c.label(), 0), goRate, seconds, log);
                        target = String.format(Locale.ROOT, " (target %.1f, node work %d)", goRate / 1e6, g.nodeWorkMean());
                        if (g.nodeWorkMean() >= 0) {
                            startWork.put(c.label(), g.nodeWorkMean());
                        }
                    } else {
                        g = runGort(c, fixedWork, 0, seconds, log);
                    }
                    GcLog.Figures f = g.figures();
                    err.println(String.format(Locale.ROOT, "%s: %.1f s, %d cycles, mark 1 p50 %s, %.1f ms/op, %.1f MB/s allocated%s", what,
                            (System.nanoTime() - t0) / 1e9, f.cycles(), gort.trace.CompareTable.dur(f.mark1().p50()), g.msPerOp(),
                            f.allocBytesPerSec() / 1e6, target));
                    err.flush();
                    results.computeIfAbsent(c.label(), x -> new LinkedHashMap<>()).computeIfAbsent(rt, x -> new ArrayList<>()).add(f);
                }
            }
        }
        FidelityTable table = new FidelityTable(results, held ? FidelityTable.HELD : fixedWork == null ? 0 : fixedWork);
        outw.println();
        outw.print(table.render());
        Path json = file("fidelity.json");
        Path staged = FileLedger.createTempFile(dir, ".fidelity.json.", ".tmp");
        table.writeJson(staged, env, procs, rounds, anchor.toString());
        Files.move(staged, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        FileLedger.delete(staged); // (gone: moved; drops its registration)
        java.util.Set<String> stale = new java.util.LinkedHashSet<>(earlier);
        stale.removeAll(made);
        DirManifest.remove(dir, stale);
        files.removeAll(stale);
        DirManifest.write(dir, files);
        FileLedger.written("--out", dir);
        outw.println("logs and " + json.getFileName() + " in " + dir);
        outw.flush();
        return 0;
    }

    /** This host and build, and every setting of the command (fidelity.json records them; --node-work auto as given). */
    private gort.trace.RunEnvironment environment() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("command", "fidelity");
        settings.put("GOMAXPROCS", Integer.toString(procs));
        settings.put("rounds", Integer.toString(rounds));
        settings.put("seconds", Double.toString(seconds));
        settings.put("go_iters", Integer.toString(goIters));
        settings.put("configs", String.join(",", configs));
        settings.put("node_work", nodeWork);
        settings.put("anchor", anchor.toString());
        return gort.trace.RunEnvironment.capture(settings, procs);
    }

    /**
     * The runtimes of one configuration in round r (from 1): the matched run right after the
     * anchor's, whose allocation rate it takes; full-speed gort after them in odd rounds, before
     * them in even ones.
     */
    static List<String> order(List<String> runtimes, int r) {
        List<String> order = new ArrayList<>(runtimes);
        order.remove(FidelityTable.GORT);
        if (r % 2 == 0) {
            order.addFirst(FidelityTable.GORT);
        } else {
            order.add(FidelityTable.GORT);
        }
        return order;
    }

    /** dir/name, listed in the directory's list of gort's files before it is made. */
    private Path file(String name) throws IOException {
        made.add(name);
        if (files.add(name)) {
            DirManifest.write(dir, files);
        }
        FileLedger.writing("--out", dir);
        return dir.resolve(name);
    }

    private GcLog runGo(Config c, Path doc, int iters, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(anchor.toString(), "json", "-n", Integer.toString(iters), "-input", doc.toString());
        Map<String, String> env = pb.environment();
        env.put("GOMAXPROCS", Integer.toString(procs));
        env.put("GODEBUG", "gctrace=1,gcpacertrace=1");
        env.put("GCWAKEUP", c.strategy());
        if (c.block()) {
            env.remove("GCASSISTBLOCK"); // 1.5.1 as released
        } else {
            env.put("GCASSISTBLOCK", "0");
        }
        // Go 1.5.1 itself can hang (seen under note: every goroutine parked, no cycle finishing):
        // a run far past its expected time is stopped and run once more, and the log says so
        long limitSec = 60 + 15L * iters;
        GcLog g = run(pb, log, "the Go 1.5.1 anchor", limitSec);
        if (g == null) {
            Path hung = log.resolveSibling(log.getFileName() + ".hung");
            Files.move(log, hung, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            made.add(hung.getFileName().toString());
            if (files.add(hung.getFileName().toString())) {
                DirManifest.write(dir, files);
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("  the anchor did not exit within " + limitSec + " s (Go 1.5.1 hung; its log is " + hung + "): running it again");
            err.flush();
            g = run(pb, log, "the Go 1.5.1 anchor", limitSec);
            if (g == null) {
                throw new IllegalStateException("fidelity: the Go 1.5.1 anchor hung twice (no exit within " + limitSec + " s); see "
                        + hung + " and " + log);
            }
        }
        return g;
    }

    /** gort's json run: with work rounds of extra work per node, held at rate bytes/s from there if rate is more than 0. */
    private GcLog runGort(Config c, int work, double rate, double secs, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("run", "json", "--procs", Integer.toString(procs), "--wakeup", c.strategy(), "--seconds",
                Double.toString(secs), "--godebug", "gctrace=1,gcpacertrace=1,gcassistblock=" + (c.block() ? 1 : 0)));
        if (work > 0) {
            cmd.addAll(List.of("--node-work", Integer.toString(work)));
        }
        if (rate > 0) {
            cmd.addAll(List.of("--alloc-rate", String.format(Locale.ROOT, "%.3f", rate / 1e6)));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GODEBUG");
        pb.environment().remove("GOMAXPROCS");
        GcLog g = run(pb, log, "gort", 30 * 60);
        if (g == null) {
            throw new IllegalStateException("fidelity: gort ran for more than 30 minutes; see " + log);
        }
        return g;
    }

    /**
     * Runs a child with stdout and stderr into log; null if it ran past limitSec (then stopped);
     * fails with the log's tail if it fails.
     */
    static GcLog run(ProcessBuilder pb, Path log, String who, long limitSec) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        FileLedger.started(p); // stopped if gort is
        try {
            if (!p.waitFor(limitSec, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return null;
            }
        } finally {
            FileLedger.ended(p);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            throw new IllegalStateException("fidelity: " + who + " exited " + p.exitValue() + " (" + log + "):\n  "
                    + String.join("\n  ", tail));
        }
        return GcLog.parse(lines);
    }
}
