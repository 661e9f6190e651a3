package gort.workloads.json;

/**
 * A document the json workload cannot decode: malformed JSON (with its line and column), or JSON
 * that does not fit the {@code {"tree": Node, "username": string}} schema (with the JSON path of
 * the first offending value, e.g. {@code $.tree.kids[3].touches}). An IllegalArgumentException, so
 * the CLI reports it as a usage error.
 */
public final class DecodeException extends IllegalArgumentException {
    private final String path;
    private final int line;
    private final int column;

    DecodeException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
        this.line = -1;
        this.column = -1;
    }

    DecodeException(String path, int line, int column, String message, Throwable cause) {
        super("malformed JSON at line " + line + ", column " + column + " (in " + path + "): " + message, cause);
        this.path = path;
        this.line = line;
        this.column = column;
    }

    /** The JSON path of the offending value ({@code $} is the document). */
    public String path() {
        return path;
    }

    /** 1-based line of malformed JSON, or -1 for a schema error. */
    public int line() {
        return line;
    }

    /** 1-based column (in bytes) of malformed JSON, or -1 for a schema error. */
    public int column() {
        return column;
    }

    public boolean malformed() {
        return line >= 0;
    }
}
