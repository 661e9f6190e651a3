package gort.cli;

import gort.trace.GcLog;
import gort.workloads.json.Document;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether {@code gort fidelity --anchor BINARY} names Go 1.5.1's benchmark anchor, the binary
 * {@code anchors/go15/build.sh} makes: asked before fidelity calibrates, runs or writes anything,
 * so that a wrong binary costs one line and exit 2, not minutes of runs and a stack trace.
 *
 * <p>The check runs the binary once as fidelity will (its json workload, a {@link #TRIAL_BYTES}
 * document, {@code GODEBUG=gctrace=1}, {@code GCWAKEUP=park}) with {@code GOGC=1}, so that even
 * this small input makes the collector run several cycles (at GOGC=1 Go 1.5's first goal is 1%
 * of its 4 MB heap minimum). It reads the output with fidelity's own parser ({@link GcLog}) and
 * asks for the three things fidelity reads: the benchmark's result line ({@code json bytes=...
 * ms_per_op=...}, for this document), gctrace lines of Go 1.5's form (five clock phases: Go 1.6
 * and later print three), and the {@code gcwakeup} lines of gort's runtime patch.
 *
 * <p>Owns the trial's scratch directory (the document and the output, in the system's temporary
 * directory, registered with {@link FileLedger} and removed before {@link #check} returns or
 * throws) and the trial process (registered, stopped if gort is, and after {@link #TIMEOUT_S}
 * seconds). Invariant: nothing the check makes outlives it.
 */
final class AnchorCheck {
    /** The trial document's size: a few milliseconds of work for the anchor. */
    static final int TRIAL_BYTES = 64 << 10;
    /** How long the trial may take: it needs well under a second; a binary that waits is not the anchor. */
    static final int TIMEOUT_S = 60;

    private AnchorCheck() {}

    /** Throws IllegalArgumentException (one line: gort prints it and exits 2) unless anchor is the anchor. */
    static void check(Path anchor) throws IOException, InterruptedException {
        String hint = " (anchors/go15/build.sh builds the anchor and prints its path)";
        if (!Files.isRegularFile(anchor) || !Files.isExecutable(anchor)) {
            throw new IllegalArgumentException("--anchor " + anchor + ": not an executable file" + hint);
        }
        Path scratch = FileLedger.createTempDirectory(null, "gort-anchor-check");
        try {
            byte[] doc = Document.generate(Document.SEED, TRIAL_BYTES);
            Path input = scratch.resolve("doc.json");
            Files.write(input, doc);
            Path output = scratch.resolve("out.log");
            ProcessBuilder pb = new ProcessBuilder(anchor.toAbsolutePath().toString(), "json", "-n", "2", "-input", input.toString());
            Map<String, String> env = pb.environment();
            env.put("GOMAXPROCS", "2");
            env.put("GOGC", "1");
            env.put("GODEBUG", "gctrace=1");
            env.put("GCWAKEUP", "park");
            env.put("GCASSISTBLOCK", "0");
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectErrorStream(true);
            pb.redirectOutput(output.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalArgumentException("--anchor " + anchor + ": could not be started (" + e.getMessage() + ")" + hint);
            }
            FileLedger.started(p);
            boolean finished;
            try {
                finished = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
                if (!finished) {
                    p.destroyForcibly().waitFor();
                }
            } finally {
                FileLedger.ended(p);
            }
            String why = finished
                    ? verdict(p.exitValue(), Files.readAllLines(output, StandardCharsets.ISO_8859_1), doc.length)
                    : "a trial run on a " + (TRIAL_BYTES >> 10) + " KiB document did not end within " + TIMEOUT_S + " s";
            if (why != null) {
                throw new IllegalArgumentException("--anchor " + anchor + " is not Go 1.5.1's benchmark anchor: " + why + hint);
            }
        } finally {
            FileLedger.delete(scratch);
        }
    }

    /**
     * Why a trial run's output is not the anchor's (null: it is): exit status, output lines, the
     * trial document's size in bytes.
     */
    static String verdict(int exit, List<String> lines, int docBytes) {
        if (exit != 0) {
            String last = lines.isEmpty() ? "no output" : "its last line: " + shorten(lines.getLast());
            return "a trial run on a small document exited " + exit + " (" + last + ")";
        }
        String result = "json bytes=" + docBytes + " ";
        GcLog log = GcLog.parse(lines);
        if (lines.stream().noneMatch(l -> l.startsWith(result)) || Double.isNaN(log.msPerOp())) {
            return "a trial run on a small document printed no result line '" + result + "... ms_per_op=...'";
        }
        if (log.cycles().isEmpty()) {
            return "a trial run printed no gctrace line of Go 1.5's form (a runtime other than Go 1.5.1?)";
        }
        if (log.cycles().stream().allMatch(c -> c.wakeups().isEmpty())) {
            return "its runtime printed no gcwakeup lines (Go 1.5.1 without gort's runtime patch?)";
        }
        return null;
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }
}
