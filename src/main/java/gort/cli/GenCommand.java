package gort.cli;

import gort.workloads.json.Document;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gort gen json --out FILE}: writes a workload's built-in input document, so the Go anchor
 * (and anything else) can read the very document gort measures. Invariants: an existing file is
 * never overwritten without {@code --force}; a failed write leaves no partial file.
 */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Write a workload's built-in input document to a file (gzip if FILE ends in .gz).")
final class GenCommand implements java.util.concurrent.Callable<Integer> {
    static final String[] GENERATORS = {"json"};

    @Parameters(index = "0", paramLabel = "WHAT", description = "what to write: json (the json workload's embedded document)")
    String what;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "file to write; gzip-compressed if it ends in .gz")
    Path out;

    @Option(names = "--force", description = "overwrite FILE if it exists")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!what.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown document \"" + what + "\": one of " + String.join(", ", GENERATORS));
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a directory; name a file");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + out + ": directory " + dir + " does not exist");
        }
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException("--out " + out + ": file exists; pass --force to overwrite it");
        }
        byte[] doc = Document.embedded();
        Document.write(out, doc);
        PrintWriter pw = spec.commandLine().getOut();
        Document.Shape s = Document.shape(Document.SEED, Document.EMBEDDED_BYTES);
        pw.println("wrote " + out + ": " + doc.length + " bytes of JSON" + (out.toString().endsWith(".gz") ? " (gzipped: " + Files.size(out) + " bytes)" : "")
                + ", " + s.nodes() + " nodes (" + s.leaves() + " leaves), depth " + s.maxDepth());
        pw.flush();
        return 0;
    }
}
