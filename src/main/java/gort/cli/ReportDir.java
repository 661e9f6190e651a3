package gort.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory of {@code --report DIR}: checked when the command starts, filled when its work is
 * done. Invariants: DIR is created (with its parents) only once the report exists, so a rejected or
 * failed command leaves nothing behind; the report is written into a fresh hidden directory inside
 * DIR first, then each file is put in place as an {@link OutputFile} (renamed over a regular file,
 * written into anything else), so a reader sees whole files; files of DIR the report does not name
 * are left alone.
 */
final class ReportDir {
    private final String flag;
    private final Path dir;

    private ReportDir(String flag, Path dir) {
        this.flag = flag;
        this.dir = dir;
    }

    /**
     * Checks that dir is, or can be created as, a writable directory.
     *
     * @throws IllegalArgumentException naming the flag, the path and what is wrong
     */
    static ReportDir check(String flag, Path dir, List<String> fileNames) {
        if (dir == null || dir.toString().isEmpty()) {
            throw new IllegalArgumentException(flag + " \"\": an empty directory name; name a directory for the report");
        }
        String what = flag + " " + dir;
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(what + ": is a " + OutputFile.fileType(dir)
                        + ", not a directory (the report is a directory: index.html and its plots)");
            }
            if (!Files.isWritable(dir)) {
                throw new IllegalArgumentException(what + ": directory is not writable");
            }
            for (String name : fileNames) {
                OutputFile.check(flag, dir.resolve(name), true);
            }
            return new ReportDir(flag, dir);
        }
        Path a = dir.toAbsolutePath().getParent();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        if (a == null || !Files.isDirectory(a)) {
            throw new IllegalArgumentException(what + ": cannot be created: " + a + " is not a directory");
        }
        if (!Files.isWritable(a)) {
            throw new IllegalArgumentException(what + ": cannot be created: directory " + a + " is not writable");
        }
        return new ReportDir(flag, dir);
    }

    /** What writes the report's files into a directory. */
    @FunctionalInterface
    interface Writer {
        /** Writes the report's files into dir; returns the main page's path. */
        Path write(Path dir) throws IOException;
    }

    /** Writes the report; returns the path of its main page inside DIR. */
    Path write(Writer w) {
        Path top = null; // the outermost directory this creates, removed again on failure
        for (Path a = dir.toAbsolutePath(); a != null && !Files.exists(a); a = a.getParent()) {
            top = a;
        }
        boolean created = top != null;
        Path staging = null;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(dir, ".report-");
            Path main = w.write(staging);
            List<Path> files = new ArrayList<>();
            try (Stream<Path> st = Files.list(staging)) {
                st.sorted().forEach(files::add);
            }
            for (Path f : files) {
                OutputFile.check(flag, dir.resolve(f.getFileName().toString()), true).install(f);
            }
            return dir.resolve(main.getFileName().toString());
        } catch (IOException e) {
            if (created) {
                deleteTree(top);
                staging = null;
            }
            throw new IllegalArgumentException(flag + " " + dir + ": cannot write the report: " + OutputFile.reason(e), e);
        } catch (RuntimeException e) {
            if (created) {
                deleteTree(top);
                staging = null;
            }
            throw e;
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> st = Files.walk(p)) {
            st.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // best effort: what is left is named in the error the caller reports
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
