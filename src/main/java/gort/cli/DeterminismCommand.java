package gort.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code gort determinism [--seeds A..B] [--only NAME,...]}: the simulated platform's determinism
 * matrix. For each target of {@link #TARGETS} (the json, bintree, alloc and pingpong workloads
 * and the {@code ticker} and {@code timeouts} examples, which use select and timers, all at small
 * sizes on 4 simulated CPUs) and each seed, runs {@code gort run TARGET --platform sim --seed N
 * --json F --trace T.json} in this JVM, one after the other, and prints one line: the target, the
 * seed and a hash of the trace and the records with every host-dependent field left out
 * ({@link #isHostField}). Two launches of the JVM (or launches under {@code -Xint} or another host
 * collector) print the same lines when a run is a function of its seed alone; bench/determinism.sh
 * compares them.
 *
 * <p>What is host-dependent, and so left out of the hash: the environment record's host (CPUs,
 * load), JVM, gort build, start time and warnings (its settings are kept: they name the platform
 * and seed), each run's {@code jvm_gc} (the host JVM's own collections and the host time of the
 * window they were counted in), and in the trace the same fields of its metadata ({@code host.*},
 * {@code jvm}, {@code gort.*}, {@code started}, {@code warning*}). Every other figure of a
 * simulated run — cycle records, wakeup delays, pauses, ops per second, the run's seconds — is
 * virtual time or a count, and kept. The seed is left out as well (the run's input, named on the
 * line), so that the hashes of two seeds differ only where their runs did. The program's own output is
 * not hashed (the records and the trace are).
 *
 * <p>Invariant: a run that fails (exit status not 0) prints its line with {@code FAILED} instead of
 * a hash, and the command's status is then 1.
 */
@Command(name = "determinism", mixinStandardHelpOptions = true,
        description = "Run each target of the simulated platform's determinism matrix under each seed and print a hash of its trace and "
                + "records (host-dependent fields left out), one line per target and seed.")
final class DeterminismCommand implements Callable<Integer> {
    /** A target of the matrix: a name and the arguments of its {@code gort run} (without the platform, seed and outputs). */
    record Target(String name, List<String> args) {}

    /** The matrix's targets, at sizes that keep one run to a few seconds of host time (examples/ relative to the working directory). */
    static final List<Target> TARGETS = List.of(
            new Target("json", List.of("json", "--ops", "2")),
            new Target("bintree", List.of("bintree", "--depth", "10")),
            new Target("alloc", List.of("alloc", "--ops", "200000")),
            new Target("pingpong", List.of("pingpong", "--ops", "200")),
            new Target("ticker", List.of("examples/ticker/Main.java", "20", "200")),
            new Target("timeouts", List.of("examples/timeouts/Main.java", "100")));

    /** The environment record's fields that describe the host, not the run. */
    static final List<String> HOST_FIELDS = List.of("host", "jvm", "gort", "started", "warnings");

    @Option(names = "--seeds", paramLabel = "A..B", description = "run each seed from A to B (default 1..20)")
    String seeds = "1..20";

    @Option(names = "--only", paramLabel = "NAME,...", split = ",", description = "only these targets (default all: json, bintree, alloc, "
            + "pingpong, ticker, timeouts)")
    List<String> only;

    @Option(names = "--procs", paramLabel = "N", description = "simulated CPUs and GOMAXPROCS (default 4)")
    int procs = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long[] range = parseSeeds(spec.commandLine(), seeds);
        List<Target> targets = new ArrayList<>();
        for (Target t : TARGETS) {
            if (only == null || only.contains(t.name())) {
                targets.add(t);
            }
        }
        if (only != null) {
            for (String n : only) {
                if (TARGETS.stream().noneMatch(t -> t.name().equals(n))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--only " + n + " is invalid: must be one of "
                            + String.join(", ", TARGETS.stream().map(Target::name).toList()));
                }
            }
        }
        if (procs < 1 || procs > gort.sched.Sched.MAX_GOMAXPROCS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--procs " + procs + " is invalid: must be from 1 to "
                    + gort.sched.Sched.MAX_GOMAXPROCS);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("# target seed sha256(trace, records; host fields left out), procs=" + procs);
        out.flush();
        Path dir = FileLedger.createTempDirectory(null, "gort-determinism-");
        boolean ok = true;
        try {
            for (Target t : targets) {
                for (long s = range[0]; s <= range[1]; s++) {
                    long t0 = System.nanoTime();
                    String h = hashOf(t, s, procs, dir, err);
                    ok &= h != null;
                    out.println(t.name() + " " + s + " " + (h == null ? "FAILED" : h));
                    out.flush();
                    err.printf(java.util.Locale.ROOT, "%s %d: %.1f s of host time%n", t.name(), s, (System.nanoTime() - t0) / 1e9);
                    err.flush();
                }
            }
        } finally {
            FileLedger.delete(dir);
        }
        return ok ? 0 : 1;
    }

    static long[] parseSeeds(CommandLine cl, String v) {
        String[] p = v.split("\\.\\.", -1);
        try {
            long a = Long.parseLong(p[0].trim());
            long b = p.length == 1 ? a : Long.parseLong(p[1].trim());
            if (p.length <= 2 && a <= b && b - a < 1_000_000) {
                return new long[] {a, b};
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new CommandLine.ParameterException(cl, "--seeds " + v + " is invalid: must be A..B, integers with A <= B (or one seed)");
    }

    /**
     * Runs one target under one seed in this JVM (its program's stdout discarded) and hashes its
     * trace and records; null when the run failed (its stderr then said on err).
     */
    static String hashOf(Target t, long seed, int procs, Path dir, PrintWriter err) throws IOException {
        Path json = dir.resolve(t.name() + "-" + seed + ".json");
        Path trace = dir.resolve(t.name() + "-" + seed + ".trace.json");
        List<String> args = new ArrayList<>();
        args.add("run");
        args.add(t.args().get(0));
        args.addAll(List.of("--platform", "sim", "--seed", Long.toString(seed), "--procs", Integer.toString(procs), "--json",
                json.toString(), "--trace", trace.toString()));
        args.addAll(t.args().subList(1, t.args().size()));
        CommandLine cl = Main.commandLine();
        StringWriter runErr = new StringWriter();
        cl.setOut(new PrintWriter(OutputStream.nullOutputStream(), true));
        cl.setErr(new PrintWriter(runErr, true));
        PrintStream stdout = System.out;
        int code;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // (a program prints to System.out)
        try {
            code = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        try {
            if (code != 0) {
                err.println("gort: " + t.name() + " seed " + seed + " failed (exit " + code + "): " + runErr.toString().strip());
                err.flush();
                return null;
            }
            return hash(trace, json);
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(trace);
        }
    }

    /** SHA-256 (hex) over the trace's and the records' JSON tokens, each without its host-dependent fields. */
    static String hash(Path trace, Path records) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            digest(trace, d);
            d.update((byte) 0);
            digest(records, d);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds every token of the JSON file f to d (its kind and text), skipping each host-dependent property with its value. */
    static void digest(Path f, MessageDigest d) throws IOException {
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f));
                JsonParser p = new JsonFactory().createParser(in)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME && isHostField(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                d.update((byte) t.ordinal());
                if (t == JsonToken.PROPERTY_NAME || t.isScalarValue()) {
                    d.update(p.getString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    d.update((byte) 0);
                }
            }
        }
    }

    /**
     * A property that describes the host, not the run, wherever it appears: the environment
     * record's {@code host}, {@code jvm}, {@code gort}, {@code started}, {@code warnings}; a run's
     * {@code jvm_gc}; a trace's flattened metadata ({@code host.*}, {@code gort.*}, {@code warning*}).
     * The seed itself ({@code seed}, {@code settings.seed}) is left out too, though it is no host's:
     * it is the run's input, so that another seed's hash differs only where the run did.
     */
    static boolean isHostField(String name) {
        return HOST_FIELDS.contains(name) || name.equals("jvm_gc") || name.equals("seed") || name.equals("settings.seed") || name.startsWith("host.") || name.startsWith("gort.")
                || name.startsWith("warning");
    }
}
