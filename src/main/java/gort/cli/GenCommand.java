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
 * (and anything else) can read the very document gort measures. Invariants: the file is written as
 * every command's output, by {@link OutputFile} (an existing file overwritten whole, no partial
 * file; a FIFO or device written in place; gort's own stdout through its descriptor; the umask's
 * permissions for a new file); {@code --force}, from when gen alone asked before overwriting, is
 * still accepted and changes nothing; the line saying what was written goes to stdout, or to stderr
 * when the document does.
 */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Write a workload's built-in input document to a file (gzip if FILE ends in .gz).")
final class GenCommand implements java.util.concurrent.Callable<Integer> {
    static final String[] GENERATORS = {"json"};

    @Parameters(index = "0", paramLabel = "WHAT", description = "what to write: json (the json workload's embedded document)")
    String what;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "file to write; gzip-compressed if it ends in .gz")
    Path out;

    /** Accepted, so that scripts written when gen refused to overwrite without it still run; outputs are always overwritten. */
    @Option(names = "--force", hidden = true, description = "accepted and ignored: FILE is overwritten, as every command's output is")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!what.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown document \"" + what + "\": one of " + String.join(", ", GENERATORS));
        }
        OutputFile file = OutputFile.check("--out", out);
        new CommandPaths().writes("--out", out).check();
        byte[] doc = Document.embedded();
        boolean gzip = out.toString().endsWith(".gz");
        long[] written = new long[1];
        file.write(os -> {
            written[0] = 0; // (a second call keeps the document elsewhere after a failed write)
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
        PrintWriter pw = file.isStdout() ? spec.commandLine().getErr() : spec.commandLine().getOut();
        Document.Shape s = Document.shape(Document.SEED, Document.EMBEDDED_BYTES);
        pw.println("wrote " + out + ": " + doc.length + " bytes of JSON" + (gzip ? " (gzipped: " + written[0] + " bytes)" : "")
                + ", " + s.nodes() + " nodes (" + s.leaves() + " leaves), depth " + s.maxDepth());
        pw.flush();
        return 0;
    }
}
