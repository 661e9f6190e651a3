package gort.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory of {@code --report DIR}: checked when the command starts, filled when its work
 * is done. Invariants: DIR is created (with its parents) only when the run is over and its
 * report is written, and removed again when the report cannot be put in place or the command is
 * stopped first, so a rejected, failed or interrupted command leaves nothing behind; the report
 * is written into a fresh hidden directory inside DIR first, then each file is put in place as
 * an {@link OutputFile} (renamed over a regular file, written into anything else), so a reader
 * sees whole files. A DIR that holds an earlier report is overwritten as every output is: the
 * files gort wrote there before (its {@link DirManifest}) that the new report does not have are
 * removed, and files of DIR that gort did not write are left alone. A report that cannot be put
 * in place is written into a fresh directory {@code gort-kept-NAME} beside DIR, else in the
 * working directory, else in the system's temporary directory, and the one-line error says
 * where.
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
            refuseKernelFiles(what, dir);
            if (!Files.isWritable(dir)) {
                throw new IllegalArgumentException(what + ": directory is not writable");
            }
            for (String name : fileNames) {
                OutputFile.check(flag, dir.resolve(name));
            }
            OutputFile.probe(what, dir);
            return new ReportDir(flag, dir);
        }
        Path a = dir.toAbsolutePath().getParent();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        if (a == null || !Files.isDirectory(a)) {
            throw new IllegalArgumentException(what + ": cannot be created: " + a + " is not a directory");
        }
        refuseKernelFiles(what, a);
        if (!Files.isWritable(a)) {
            throw new IllegalArgumentException(what + ": cannot be created: directory " + a + " is not writable");
        }
        OutputFile.probe(what + ": cannot be created", a);
        return new ReportDir(flag, dir);
    }

    private static void refuseKernelFiles(String what, Path p) {
        String fs = OutputFile.kernelFileSystem(p);
        if (fs != null) {
            throw new IllegalArgumentException(what + ": is on the kernel's " + fs + " file system, where no report can be written;"
                    + " name a directory elsewhere");
        }
    }

    /** What writes the report's files into a directory. */
    @FunctionalInterface
    interface Writer {
        /** Writes the report's files into dir; returns the main page's path. */
        Path write(Path dir) throws IOException;
    }

    /**
     * Writes the report; returns the path of its main page inside DIR.
     *
     * @throws OutputFile.WriteFailed when it cannot be put in place, saying where it was written instead
     */
    Path write(Writer w) {
        Path top = null; // the outermost directory this creates: temporary until the report is in place
        Path staging = null;
        try {
            top = FileLedger.createDirectories(dir);
            staging = FileLedger.createTempDirectory(dir, ".report-");
            Path main = w.write(staging);
            List<Path> files = new ArrayList<>();
            try (Stream<Path> st = Files.list(staging)) {
                st.sorted().forEach(files::add);
            }
            Set<String> names = new LinkedHashSet<>();
            for (Path f : files) {
                names.add(f.getFileName().toString());
            }
            Set<String> before = DirManifest.read(dir);
            Set<String> all = new LinkedHashSet<>(before);
            all.addAll(names);
            DirManifest.write(dir, all); // first: a stop halfway leaves every file gort wrote listed
            if (top == null) {
                FileLedger.writing(flag, dir); // a stop now leaves DIR with some new files and some old
            }
            for (Path f : files) {
                OutputFile.check(flag, dir.resolve(f.getFileName().toString())).install(f);
            }
            before.removeAll(names);
            DirManifest.remove(dir, before);
            DirManifest.write(dir, names);
            FileLedger.keep(top);
            FileLedger.written(flag, dir);
            return dir.resolve(main.getFileName().toString());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            FileLedger.delete(top); // (with the staging directory in it)
            String why = e instanceof IOException io ? OutputFile.reason(io)
                    : e instanceof UncheckedIOException u ? OutputFile.reason(u.getCause()) : e.getMessage();
            Path kept = keep(w);
            FileLedger.failed(flag, dir, kept);
            throw new OutputFile.WriteFailed(flag + " " + dir + ": cannot write the report: " + why
                    + (kept != null ? "; it is in " + kept + " instead" : "; could not write it anywhere else either"), e);
        } catch (RuntimeException e) {
            FileLedger.delete(top);
            throw e;
        } finally {
            FileLedger.delete(staging); // (gone already when the report is in place)
        }
    }

    /** Writes the report into a fresh gort-kept-NAME beside DIR, else in the working or the temporary directory; null if none would do. */
    private Path keep(Writer w) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        String name = OutputFile.keptName(abs);
        for (Path d : OutputFile.fallbackDirs(parent != null && Files.isDirectory(parent) ? List.of(parent) : List.of())) {
            for (int i = 1; i < 100; i++) {
                Path p = d.resolve(i == 1 ? name : name.replaceFirst("^gort-kept-", "gort-kept-" + i + "-"));
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    FileLedger.createDirectory(p);
                    try {
                        w.write(p);
                        FileLedger.keep(p);
                        return p;
                    } catch (IOException | RuntimeException e) {
                        FileLedger.delete(p);
                    }
                } catch (IOException e) {
                    // cannot make it here
                }
                break; // this directory will not do: the next one
            }
        }
        return null;
    }
}
