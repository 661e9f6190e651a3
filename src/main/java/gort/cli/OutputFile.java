package gort.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file the command writes (a {@code --json}, {@code --trace}, {@code --out} or report file),
 * checked when the command starts and written when its work is done.
 *
 * <p>Invariants: an output is overwritten without asking, as a compiler's is, by every command;
 * nothing that is not a regular file is ever replaced. A regular file (or a new one) is written
 * beside itself under a fresh temporary name (made through the {@link FileLedger}, so a signal
 * removes it), flushed to disk and renamed over the old one, so a reader sees the old or the new
 * content, never half; a replaced file keeps its permissions, a new one gets the umask's (as any
 * tool's). A FIFO or a device is opened and written in place, as a shell redirection would; gort's
 * own stdout or stderr ({@code /dev/stdout}, {@code /dev/fd/2}, {@code /proc/self/fd/1}) is written
 * through the descriptor gort holds, at its position, so a shell's {@code >>} appends. A symbolic
 * link is followed: its target is what is written (the link stays a link).
 *
 * <p>{@link #check} rejects, before any work, what cannot be written, in one line naming the flag
 * and the path: an empty name, a directory, a socket, a file of the kernel's /proc or /sys, an
 * unwritable file, a device that does not open for writing, a missing directory, a file where a
 * directory should be, or a directory in which
 * no file can be made (tried: a file is made there and removed). A write that fails all the same (a
 * full disk, /dev/full) removes its temporary file, keeps the content in a fresh file
 * {@code gort-kept-NAME} beside the target (for a regular file), else in the working directory,
 * else in the system's temporary directory, and says where ({@link WriteFailed}). Both are
 * IllegalArgumentExceptions: the CLI prints them as one line and exits 2.
 */
final class OutputFile {
    /** How the target is written. */
    private enum Kind {
        /** A new or existing regular file: temporary file, then an atomic rename. */
        REPLACE,
        /** A FIFO or a device: opened and written in place. */
        IN_PLACE,
        /** gort's own stdout: written through its descriptor. */
        STDOUT,
        /** gort's own stderr: written through its descriptor. */
        STDERR
    }

    /** A write that failed after the check; the message says where the content was kept, if anywhere. */
    static final class WriteFailed extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        WriteFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Names under which a path is one of this process's descriptors: /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N. */
    private static final Pattern DESCRIPTOR = Pattern.compile("/(?:dev/fd|proc/(self|thread-self|\\d+)/fd)/(\\d{1,9})");

    private final String flag;
    private final Path named;
    private final Path target;
    private final Kind kind;

    private OutputFile(String flag, Path named, Path target, Kind kind) {
        this.flag = flag;
        this.named = named;
        this.target = target;
        this.kind = kind;
    }

    /** The path as the user named it. */
    Path path() {
        return named;
    }

    /** Whether this output is gort's own stdout (a command's lines for the user then go to stderr). */
    boolean isStdout() {
        return kind == Kind.STDOUT;
    }

    /**
     * Checks that {@code path} can be written as the output of {@code flag}.
     *
     * @throws IllegalArgumentException naming flag, path and what is wrong
     */
    static OutputFile check(String flag, Path path) {
        if (path == null || path.toString().isEmpty()) {
            throw new IllegalArgumentException(flag + " \"\": an empty file name; name a file");
        }
        String what = flag + " " + path;
        int fd = descriptor(path);
        if (fd >= 0) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException(what + ": descriptor " + fd + " is not open");
            }
            return new OutputFile(flag, path, path, fd == 1 ? Kind.STDOUT : fd == 2 ? Kind.STDERR : Kind.IN_PLACE);
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(what + ": is a directory; name a file");
        }
        Path target = path;
        if (Files.exists(path)) { // (following links)
            String type = fileType(path);
            if (type.equals("socket")) {
                throw new IllegalArgumentException(what + ": is a socket; name a file, a FIFO or a device");
            }
            String fs = kernelFileSystem(path);
            if (fs != null) {
                throw new IllegalArgumentException(what + ": is a file of the kernel's " + fs + " file system, not one to write results"
                        + " to; name a regular file, a FIFO or a device");
            }
            if (!Files.isWritable(path)) {
                throw new IllegalArgumentException(what + ": is not writable");
            }
            if (type.endsWith("device")) {
                try {
                    Files.newOutputStream(path, StandardOpenOption.WRITE).close(); // opened and closed: nothing written
                } catch (IOException e) {
                    throw new IllegalArgumentException(what + ": the " + type + " does not open for writing: " + reason(e));
                }
            }
            if (!type.equals("regular file")) {
                // a FIFO or a device, perhaps through a link: opened where it is (a FIFO is not opened now: that waits for a reader)
                return new OutputFile(flag, path, path, Kind.IN_PLACE);
            }
            try {
                target = path.toRealPath(); // a link's target is replaced, the link stays
            } catch (IOException e) {
                throw new IllegalArgumentException(what + ": cannot resolve it: " + reason(e));
            }
        } else if (Files.isSymbolicLink(path)) {
            target = resolveLinks(what, path); // a dangling link: create the file it names
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            // the nearest ancestor that exists says what is wrong: it is a file, or the directory is missing
            Path a = dir;
            while (a != null && !Files.exists(a)) {
                a = a.getParent();
            }
            if (a != null && !Files.isDirectory(a)) {
                throw new IllegalArgumentException(what + ": " + a + " is a " + fileType(a) + ", not a directory");
            }
            throw new IllegalArgumentException(what + ": directory " + dir + " does not exist");
        }
        String fs = kernelFileSystem(dir);
        if (fs != null) {
            throw new IllegalArgumentException(what + ": directory " + dir + " is on the kernel's " + fs + " file system, where no"
                    + " file can be made; name a regular file elsewhere");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(what + ": directory " + dir + " is not writable");
        }
        probe(what, dir);
        return new OutputFile(flag, path, target, Kind.REPLACE);
    }

    /** Makes a file in dir and removes it: what the permissions say is not all (a read-only mount, a quota, root's rights). */
    static void probe(String what, Path dir) {
        try {
            FileLedger.delete(FileLedger.createStagingFile(dir, ".gort-probe.", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot make a file in directory " + dir + ": " + reason(e));
        }
    }

    /** "proc" or "sysfs" when p is on one of those, else null. */
    static String kernelFileSystem(Path p) {
        try {
            String type = Files.getFileStore(p).type();
            return type.equals("proc") || type.equals("sysfs") ? type : null;
        } catch (IOException | RuntimeException e) {
            return null; // not known here: the probe and the write say what is wrong
        }
    }

    /**
     * The descriptor number when path names one of this process's open descriptors
     * ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/fd/N}, also through links), else -1.
     */
    static int descriptor(Path path) {
        Path p = path.toAbsolutePath();
        for (int hops = 0; hops < 40; hops++) {
            String s = p.normalize().toString();
            switch (s) {
                case "/dev/stdin" -> {
                    return 0;
                }
                case "/dev/stdout" -> {
                    return 1;
                }
                case "/dev/stderr" -> {
                    return 2;
                }
                default -> {
                }
            }
            Matcher m = DESCRIPTOR.matcher(s);
            if (m.matches() && (m.group(1) == null || !Character.isDigit(m.group(1).charAt(0))
                    || Long.parseLong(m.group(1)) == ProcessHandle.current().pid())) {
                return Integer.parseInt(m.group(2));
            }
            if (!Files.isSymbolicLink(p)) {
                return -1;
            }
            try {
                Path to = Files.readSymbolicLink(p);
                Path parent = p.getParent();
                p = parent == null ? to : parent.resolve(to);
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    /** path with every symbolic link followed (a dangling link: the file it would create). */
    static Path resolveLinks(String what, Path path) {
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IllegalArgumentException(what + ": too many levels of symbolic links");
            }
            try {
                Path to = Files.readSymbolicLink(p);
                Path parent = p.toAbsolutePath().getParent();
                p = parent == null ? to : parent.resolve(to);
            } catch (IOException e) {
                throw new IllegalArgumentException(what + ": cannot read the symbolic link: " + reason(e));
            }
        }
        return p;
    }

    /** "regular file", "directory", "FIFO", "character device", "block device", "socket" or "other". */
    static String fileType(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            if (mode instanceof Integer m) {
                return switch (m & 0170000) {
                    case 0100000 -> "regular file";
                    case 0040000 -> "directory";
                    case 0010000 -> "FIFO";
                    case 0020000 -> "character device";
                    case 0060000 -> "block device";
                    case 0140000 -> "socket";
                    default -> "other";
                };
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // no unix view: fall back to the basic attributes
        }
        return Files.isRegularFile(p) ? "regular file" : Files.isDirectory(p) ? "directory" : "other";
    }

    /**
     * Writes the file: body gets a stream it must not close, and may be called again (to keep the
     * content elsewhere when the write fails).
     *
     * @throws WriteFailed when it cannot be written, saying where the content was kept
     */
    void write(Body body) {
        try {
            switch (kind) {
                case REPLACE -> replace(target, body, true);
                case IN_PLACE -> {
                    FileLedger.writing(flag, named);
                    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.WRITE), 1 << 16)) {
                        body.write(os);
                    }
                }
                case STDOUT, STDERR -> {
                    FileLedger.writing(flag, named);
                    System.out.flush();
                    System.err.flush();
                    // never closed: the descriptor stays gort's
                    OutputStream os = new BufferedOutputStream(new FileOutputStream(kind == Kind.STDOUT ? FileDescriptor.out : FileDescriptor.err),
                            1 << 16);
                    body.write(os);
                    os.flush();
                }
            }
            FileLedger.written(flag, named);
        } catch (IOException e) {
            throw failed(body, e);
        } catch (WriteFailed e) {
            throw e;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) { // wrapped by the writer (Jackson, UncheckedIOException)
                throw failed(body, io);
            }
            throw e;
        }
    }

    /** Keeps the content elsewhere, tells the ledger, and makes the one-line error. */
    private WriteFailed failed(Body body, IOException e) {
        List<Path> dirs = new ArrayList<>();
        if (kind == Kind.REPLACE) {
            dirs.add(target.toAbsolutePath().getParent());
        }
        Path kept = keep(dirs, keptName(named), body);
        FileLedger.failed(flag, named, kept);
        return new WriteFailed(flag + " " + named + ": cannot write it: " + reason(e)
                + (kept != null ? "; its content is in " + kept + " instead" : "; could not keep its content anywhere else either"), e);
    }

    /** "gort-kept-" + the output's own name (its last element: /dev/stdout gives "stdout"). */
    static String keptName(Path named) {
        Path f = named.getFileName();
        return "gort-kept-" + (f == null ? "output" : f.toString());
    }

    /**
     * Writes body to a fresh file named name (or name with a number: gort-kept-2-x) in the first
     * of dirs, the working directory and the system's temporary directory where that works; returns
     * it, or null when none did.
     */
    static Path keep(List<Path> dirs, String name, Body body) {
        for (Path dir : fallbackDirs(dirs)) {
            for (int i = 1; i < 100; i++) {
                Path p = dir.resolve(i == 1 ? name : name.replaceFirst("^gort-kept-", "gort-kept-" + i + "-"));
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // an earlier failure's content: never replaced
                }
                try {
                    replace(p, body, false);
                    return p;
                } catch (IOException | RuntimeException e) {
                    break; // this directory will not do: the next one
                }
            }
        }
        return null;
    }

    /** dirs, then the working directory and the system's temporary directory, each once. */
    static List<Path> fallbackDirs(List<Path> dirs) {
        java.util.LinkedHashSet<Path> all = new java.util.LinkedHashSet<>();
        for (Path d : dirs) {
            if (d != null) {
                all.add(d.toAbsolutePath().normalize());
            }
        }
        all.add(Path.of("").toAbsolutePath());
        all.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
        return new ArrayList<>(all);
    }

    /** Writes target whole: staged beside it, flushed to disk, renamed over it (keepMode: with the old file's permissions). */
    static void replace(Path target, Body body, boolean keepMode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = FileLedger.createStagingFile(dir, "." + target.getFileName() + ".", ".tmp"); // mode 0666 less the umask
        try {
            if (keepMode && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                keepPermissions(target, tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(os);
                os.flush();
                ch.force(true);
            }
            FileLedger.publish(tmp, () -> Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE));
        } finally {
            FileLedger.delete(tmp); // (published: nothing there any more)
        }
    }

    /**
     * Puts the finished file {@code staged} (a regular file in the target's directory, which this
     * consumes) in place: renamed over a regular target, copied into a FIFO or device.
     */
    void install(Path staged) throws IOException {
        if (kind != Kind.REPLACE) {
            write(os -> Files.copy(staged, os));
            Files.delete(staged);
        } else if (!staged.toAbsolutePath().getParent().equals(target.toAbsolutePath().getParent())) {
            replace(target, os -> Files.copy(staged, os), true); // a link to another directory: written beside its target
            Files.delete(staged);
        } else {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                keepPermissions(target, staged);
            }
            FileLedger.publish(staged, () -> Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE));
        }
    }

    private static void keepPermissions(Path from, Path to) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the new file keeps the default mode
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Runs write, one output's; when it fails, says so on err in one line (where its content was
     * kept) and returns false, so that the command goes on with its other outputs.
     */
    static boolean attempt(java.io.PrintWriter err, Runnable write) {
        try {
            write.run();
            return true;
        } catch (WriteFailed e) {
            err.println("gort: " + e.getMessage());
            err.flush();
            return false;
        }
    }

    /** What writes the file's content. */
    @FunctionalInterface
    interface Body {
        void write(OutputStream os) throws IOException;
    }
}
