package gort.sched;

/**
 * A program ended itself with a non-zero status (Go's {@code os.Exit(code)}): the runtime's entry
 * point throws it to its caller, which exits with {@link #code()} (the CLI) and prints nothing: the
 * program said what it had to say before it exited.
 */
public final class ExitStatus extends RuntimeException {
    private final int code;

    public ExitStatus(int code) {
        super("exit status " + code, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
