package gort.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a helper of gort's makes a temporary directory, and how it says what became of it: the
 * environment passed in, as time and storage are. The command line passes one that records each
 * directory from the moment it exists, so that a command stopped by a signal removes it
 * ({@code gort.cli.FileLedger}); {@link #PLAIN} records nothing.
 *
 * <p>Contract: {@link #create} makes a fresh directory in parent; its maker then ends it exactly once,
 * with {@link #publish} (it becomes permanent, typically renamed into place by the action) or
 * {@link #delete}.
 */
public interface TempDirs {
    /** Makes a fresh directory in parent whose name starts with prefix. */
    Path create(Path parent, String prefix) throws IOException;

    /**
     * Runs action, which makes dir permanent (a rename into place), so that dir is never removed
     * halfway through it; dir is no longer temporary afterwards.
     */
    void publish(Path dir, IoAction action) throws IOException;

    /** Removes dir and everything in it, as far as it can; dir is no longer temporary. */
    void delete(Path dir);

    /** A file-system step that may fail. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** Records nothing: for callers outside the command line. */
    TempDirs PLAIN = new TempDirs() {
        @Override
        public Path create(Path parent, String prefix) throws IOException {
            return Files.createTempDirectory(parent, prefix);
        }

        @Override
        public void publish(Path dir, IoAction action) throws IOException {
            action.run();
        }

        @Override
        public void delete(Path dir) {
            ProgramCompiler.deleteTree(dir);
        }
    };
}
