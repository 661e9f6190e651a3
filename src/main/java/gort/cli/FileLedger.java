package gort.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * What one gort command has on disk while it runs, so that a command stopped by a signal leaves
 * nothing behind and says what it wrote. Owns: the temporary files and directories a command makes
 * (raw traces, files staged beside their targets, a report's staging directory and a directory
 * created for it, scratch directories, a program's compile directory in the cache), the outputs it
 * was asked for and what became of each (not yet written, being written in place, written, or kept
 * elsewhere after a failed write), what else it keeps for the user (a program's output directory,
 * which is not temporary), the child processes it started, and the process's SIGINT, SIGTERM and
 * SIGHUP.
 *
 * <p>On one of those signals (handled once {@link #handleSignals} ran, which only the real process
 * calls): removes every temporary file and directory, stops the children, prints one line on
 * stderr saying which outputs were written and which were not (and where what it keeps is), and ends the process with 128 + the
 * signal's number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP), the status a shell reports for
 * a process a signal ended. A signal the process inherited as ignored (nohup, a background job of a
 * shell without job control) stays ignored, as the JVM leaves it.
 *
 * <p>Invariants: a temporary file or directory is created through the ledger and registered in the
 * same step, and stays registered until its maker deletes it or publishes it (renames it into
 * place); a publication runs under the ledger's lock ({@link #publish}). The signal handler takes
 * that lock and never lets go of it (it ends the JVM while holding it), so an output renamed into
 * place is whole and a temporary file is never published or made after the sweep. Nothing that can
 * block is done under the lock (only creating, renaming and bookkeeping), so a signal is handled
 * at once. Outputs written in place (a FIFO, a device, gort's own stdout) cannot be taken back: one
 * being written when the signal comes is reported as partly written.
 *
 * <p>The state is the process's, as signals are: {@link #reset} starts a command afresh (the tests
 * run commands one after another in one JVM, without the handlers).
 */
final class FileLedger {
    private FileLedger() {}

    private static final Object LOCK = new Object();
    /** Set under LOCK when a signal is being handled; read without it by {@link Progress}, which then stops drawing. */
    private static volatile boolean stopping;
    /** Temporary files and directories (a directory with what is in it), in creation order. Guarded by LOCK. */
    private static final Set<Path> temporary = new LinkedHashSet<>();
    /** The outputs the command was asked for, by flag and path, in the order they were named. Guarded by LOCK. */
    private static final Map<String, Output> outputs = new LinkedHashMap<>();
    /** Child processes still running. Guarded by LOCK. */
    private static final Set<Process> children = new LinkedHashSet<>();
    /** What else the command keeps on disk for the user, said after the outputs (a program's output directory). Guarded by LOCK. */
    private static final List<String> keptForTheUser = new ArrayList<>();

    private enum State {
        PENDING, WRITING, WRITTEN, FAILED
    }

    /** An output and what became of it; its fields are guarded by LOCK. */
    private static final class Output {
        final String name;
        State state = State.PENDING;
        Path keptAt;

        Output(String name) {
            this.name = name;
        }
    }

    /** A file-system step done under the lock. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** Forgets the previous command's outputs and children (its temporary files are gone: their makers ended them). */
    static void reset() {
        synchronized (LOCK) {
            outputs.clear();
            children.clear();
            keptForTheUser.clear();
        }
    }

    static boolean stopping() {
        return stopping;
    }

    // ------------------------------------------------------------------------------------------
    // outputs
    // ------------------------------------------------------------------------------------------

    private static String key(String flag, Path path) {
        return flag + " " + path;
    }

    /** An output the command will write (flag as the user gave it, e.g. "--json"). */
    static void expect(String flag, Path path) {
        synchronized (LOCK) {
            outputs.putIfAbsent(key(flag, path), new Output(key(flag, path)));
        }
    }

    private static void set(String flag, Path path, State s, Path keptAt) {
        synchronized (LOCK) {
            Output o = outputs.get(key(flag, path));
            if (o != null) { // (a report's single files are written under --report DIR, which is what the ledger knows)
                o.state = s;
                o.keptAt = keptAt;
            }
        }
    }

    /** The output is being written in place: a signal now leaves it partly written. */
    static void writing(String flag, Path path) {
        set(flag, path, State.WRITING, null);
    }

    static void written(String flag, Path path) {
        set(flag, path, State.WRITTEN, null);
    }

    /** Writing the output failed; its content is at keptAt instead (null: nowhere). */
    static void failed(String flag, Path path, Path keptAt) {
        set(flag, path, State.FAILED, keptAt);
    }

    /** Something the command keeps on disk that is not an output flag's, said in the line a signal prints ("the program's output is in D"). */
    static void keeping(String what) {
        synchronized (LOCK) {
            keptForTheUser.add(what);
        }
    }

    // ------------------------------------------------------------------------------------------
    // temporary files and directories
    // ------------------------------------------------------------------------------------------

    /** A new empty file in dir (null: the system's temporary directory), mode 0600, registered. */
    static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        synchronized (LOCK) {
            Path p = dir == null ? Files.createTempFile(prefix, suffix) : Files.createTempFile(dir, prefix, suffix);
            temporary.add(p);
            return p;
        }
    }

    /**
     * A new empty file in dir named prefix + random + suffix, with the mode a new file of any tool
     * gets (0666 less the umask), registered: a file staged beside its target.
     */
    static Path createStagingFile(Path dir, String prefix, String suffix) throws IOException {
        for (int tries = 0;; tries++) {
            Path t = dir.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong()) + suffix);
            synchronized (LOCK) {
                try {
                    Files.createFile(t);
                    temporary.add(t);
                    return t;
                } catch (FileAlreadyExistsException e) {
                    if (tries == 10) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A new directory in dir (null: the system's temporary directory), registered. */
    static Path createTempDirectory(Path dir, String prefix) throws IOException {
        synchronized (LOCK) {
            Path p = dir == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(dir, prefix);
            temporary.add(p);
            return p;
        }
    }

    /** Creates the directory p (its parent exists), registered. */
    static Path createDirectory(Path p) throws IOException {
        synchronized (LOCK) {
            Files.createDirectory(p);
            temporary.add(p);
            return p;
        }
    }

    /**
     * Creates dir and its missing parents; the outermost one it created (returned; null when dir
     * existed) is registered as temporary until {@link #keep}.
     */
    static Path createDirectories(Path dir) throws IOException {
        synchronized (LOCK) {
            Path top = null;
            for (Path a = dir.toAbsolutePath(); a != null && !Files.exists(a, LinkOption.NOFOLLOW_LINKS); a = a.getParent()) {
                top = a;
            }
            if (top != null) {
                temporary.add(top);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                if (top != null) { // what it made of the chain before it failed (a few empty directories)
                    deleteTree(top);
                    temporary.remove(top);
                }
                throw e;
            }
            return top;
        }
    }

    /** p is no longer temporary: it is an output now (null: nothing to do). */
    static void keep(Path p) {
        if (p != null) {
            synchronized (LOCK) {
                temporary.remove(p);
            }
        }
    }

    /**
     * Runs action (which renames temp into place) under the lock, so that a signal sees temp either
     * whole where it was or published; temp is then no longer temporary.
     */
    static void publish(Path temp, IoAction action) throws IOException {
        synchronized (LOCK) {
            action.run();
            temporary.remove(temp);
        }
    }

    /** Removes p (a file, or a directory with what is in it) as far as it can; p and what was in it are no longer temporary. */
    static void delete(Path p) {
        if (p == null) {
            return;
        }
        deleteTree(p);
        synchronized (LOCK) {
            temporary.removeIf(t -> t.startsWith(p));
        }
    }

    /** The temporary files and directories registered now: none between commands. */
    static List<Path> temporaries() {
        synchronized (LOCK) {
            return List.copyOf(temporary);
        }
    }

    /** The ledger's view for {@link gort.workloads.TempDirs}: a program's compile directory. */
    static final gort.workloads.TempDirs TEMP_DIRS = new gort.workloads.TempDirs() {
        @Override
        public Path create(Path parent, String prefix) throws IOException {
            return createTempDirectory(parent, prefix);
        }

        @Override
        public void publish(Path dir, IoAction action) throws IOException {
            FileLedger.publish(dir, action::run);
        }

        @Override
        public void delete(Path dir) {
            FileLedger.delete(dir);
        }
    };

    // ------------------------------------------------------------------------------------------
    // child processes
    // ------------------------------------------------------------------------------------------

    /** A child process the command started: stopped if the command is. */
    static void started(Process p) {
        synchronized (LOCK) {
            children.add(p);
        }
    }

    static void ended(Process p) {
        synchronized (LOCK) {
            children.remove(p);
        }
    }

    // ------------------------------------------------------------------------------------------
    // signals
    // ------------------------------------------------------------------------------------------

    /**
     * Handles SIGINT, SIGTERM and SIGHUP as the class comment says (for the real process only).
     * Through sun.misc.Signal, the one way a Java program has to handle a signal itself (JEP 260
     * keeps it open for that; a shutdown hook cannot tell a signal from an exit, nor which).
     */
    static void handleSignals() {
        for (String name : List.of("INT", "TERM", "HUP")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop("SIG" + s.getName(), 128 + s.getNumber()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps this signal (-Xrs, or a platform without it): its default stays
            }
        }
    }

    private static void stop(String signal, int status) {
        synchronized (LOCK) { // never released: the process ends in here
            stopping = true;
            List<String> left = new ArrayList<>();
            List<Path> all = new ArrayList<>(temporary);
            java.util.Collections.reverse(all); // what is inside a directory made later goes first
            for (Path p : all) {
                deleteTree(p);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    left.add(p.toString());
                }
            }
            for (Process c : children) {
                c.descendants().forEach(ProcessHandle::destroy);
                c.destroy();
            }
            String line = interruptedLine(signal, left);
            System.out.flush();
            System.err.flush();
            // on a terminal, a progress line or the echoed ^C may stand on the current line
            boolean terminal = System.console() != null && System.console().isTerminal();
            byte[] text = ((terminal ? "\n" : "") + line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                // gort's own stderr, whatever System.err is now (compare and bench point it at a program's output file)
                new java.io.FileOutputStream(java.io.FileDescriptor.err).write(text);
            } catch (IOException e) {
                // stderr is gone: the exit status still says it
            }
            // exit, not halt: the JVM's own shutdown hooks still run (JFR's removes its repository from the
            // temporary directory); this thread waits in here, the lock held, until the JVM is gone
            System.exit(status);
        }
    }

    /**
     * "gort: interrupted by SIGINT; wrote --json a.json; not written: --trace t.pftrace; no temporary
     * file left". Called with the lock held.
     */
    static String interruptedLine(String signal, List<String> notRemoved) {
        List<String> written = new ArrayList<>();
        List<String> partly = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (Output o : outputs.values()) {
            switch (o.state) {
                case WRITTEN -> written.add(o.name);
                case WRITING -> partly.add(o.name);
                case PENDING -> not.add(o.name);
                case FAILED -> not.add(o.name + (o.keptAt == null ? "" : " (its content is in " + o.keptAt + ")"));
            }
        }
        StringBuilder sb = new StringBuilder("gort: interrupted by ").append(signal);
        if (outputs.isEmpty()) {
            sb.append("; no output file was asked for");
        }
        if (!written.isEmpty()) {
            sb.append("; wrote ").append(String.join(", ", written));
        }
        if (!partly.isEmpty()) {
            sb.append("; partly written (in place): ").append(String.join(", ", partly));
        }
        if (!not.isEmpty()) {
            sb.append("; not written: ").append(String.join(", ", not));
        }
        for (String k : keptForTheUser) {
            sb.append("; ").append(k);
        }
        sb.append(notRemoved.isEmpty() ? "; no temporary file left" : "; could not remove " + String.join(", ", notRemoved));
        return sb.toString();
    }

    /** Deletes p and, for a directory, what is in it; a few passes, for files another thread was still adding. */
    static void deleteTree(Path p) {
        for (int pass = 0; pass < 3 && Files.exists(p, LinkOption.NOFOLLOW_LINKS); pass++) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // reported by the caller when it matters
                }
                continue;
            }
            try (Stream<Path> st = Files.walk(p)) {
                for (Path x : st.sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.deleteIfExists(x);
                    } catch (IOException e) {
                        // the next pass, or the caller, sees what is left
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // best effort, as above
            }
        }
    }
}
