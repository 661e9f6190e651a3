package gort.trace;

import gort.gc.CycleRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's raw trace into a file a viewer opens: the file name's extension chooses the
 * format ({@code .json}: Chrome Trace Event JSON shaped as Go 1.5.1's {@code go tool trace};
 * {@code .pftrace}: Perfetto's protobuf). Streams from the raw trace to the file (written beside
 * it and moved into place, so a reader never sees half a trace). Owns nothing between calls.
 */
public final class TraceExport {
    private TraceExport() {}

    /** The formats, by extension. */
    public enum Format {
        JSON(".json"),
        PERFETTO(".pftrace");

        public final String extension;

        Format(String ext) {
            this.extension = ext;
        }

        /** The format a file name asks for; the error names the allowed extensions. */
        public static Format of(Path file) {
            String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (n.endsWith(f.extension) && n.length() > f.extension.length()) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--trace " + file + ": the file name must end in .json (Chrome Trace Event JSON, "
                    + "as Go's go tool trace) or .pftrace (Perfetto protobuf)");
        }
    }

    /** What the export wrote. */
    public record Written(Path file, long bytes, TraceModel.Window window, String warning) {}

    /**
     * What an export into a stream wrote: the window in trace time, and why it shows nothing the
     * run measured ({@link TraceWindow#warning}), or null.
     */
    public record Exported(TraceModel.Window window, String warning) {}

    /**
     * Writes {@code out} from the raw trace, limited to window; {@code records} (may be empty) go
     * in as one "record" instant per cycle; {@code about} goes into the JSON's otherData.
     */
    public static Written write(Path rawFile, Path out, TraceWindow window, List<CycleRecord> records, Map<String, Object> about)
            throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Exported e;
        try {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                e = write(rawFile, os, Format.of(out), window, records, about);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Written(out, Files.size(out), e.window(), e.warning());
    }

    /**
     * As above, into a stream the caller owns (it is not closed), in format f; returns the window
     * written and, when it shows nothing the run measured, why (also in the trace's metadata, as
     * {@code warning}).
     */
    public static Exported write(Path rawFile, OutputStream os, Format f, TraceWindow window, List<CycleRecord> records,
            Map<String, Object> about) throws IOException {
        RawTrace raw = RawTrace.open(rawFile);
        TraceModel.Window w = window.resolve(raw);
        String warning = window.warning(raw, records);
        if (warning != null) {
            about = new java.util.LinkedHashMap<>(about);
            about.put("warning", window + " " + warning);
        }
        OutputStream shield = new java.io.FilterOutputStream(os) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the sink's close ends the file; the stream stays the caller's
            }
        };
        try (TraceSink sink = f == Format.JSON ? new ChromeTraceSink(shield, about) : new PerfettoTraceSink(shield)) {
            TraceModel.replay(raw, sink, w, records, about);
        }
        return new Exported(w, warning);
    }

    /** The file for one strategy of a compare: {@code x.json} → {@code x-park.json}. */
    public static Path perStrategy(Path out, String strategy) {
        Format f = Format.of(out);
        String n = out.getFileName().toString();
        String base = n.substring(0, n.length() - f.extension.length());
        return out.resolveSibling(base + "-" + strategy + n.substring(n.length() - f.extension.length()));
    }
}
