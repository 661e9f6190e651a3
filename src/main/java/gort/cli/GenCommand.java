package gort.cli;

import gort.workloads.json.Document;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gort gen json --out FILE}: writes a workload's built-in input document, so the Go anchor
 * (and anything else) can read the very document gort measures. Invariants: an existing file is
 * never overwritten without {@code --force}; the file is written as {@link OutputFile} writes (no
 * partial file; a FIFO or device written in place; the umask's permissions).
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
        OutputFile file = OutputFile.check("--out", out, force);
        byte[] doc = Document.embedded();
        boolean gzip = out.toString().endsWith(".gz");
        long[] written = new long[1];
        file.write(os -> {
            java.io.OutputStream counting = new java.io.FilterOutputStream(os) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written[0] += len;
                }
            };
            Document.writeTo(counting, doc, gzip);
            counting.flush();
        });
        PrintWriter pw = spec.commandLine().getOut();
        Document.Shape s = Document.shape(Document.SEED, Document.EMBEDDED_BYTES);
        pw.println("wrote " + out + ": " + doc.length + " bytes of JSON" + (gzip ? " (gzipped: " + written[0] + " bytes)" : "")
                + ", " + s.nodes() + " nodes (" + s.leaves() + " leaves), depth " + s.maxDepth());
        pw.flush();
        return 0;
    }
}
