package gort.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file the command writes (a {@code --json}, {@code --out} or report file), checked when the
 * command starts and written when its work is done.
 *
 * <p>Invariants: nothing that is not a regular file is ever replaced. A regular file (or a new one)
 * is written beside itself under a fresh temporary name, flushed to disk and renamed over the old
 * one, so a reader sees the old or the new content, never half; a replaced file keeps its
 * permissions, a new one gets the umask's (as any tool's). A FIFO or a device is opened and written
 * in place, as a shell redirection would. A symbolic link is followed: its target is what is
 * written (the link stays a link). {@link #check} rejects, before any work, what cannot be written
 * (an empty name, a directory, a socket, a missing or unwritable directory or a file where a
 * directory should be, an existing file without permission to replace it), with one line naming the flag and the path; a failure while
 * writing removes the temporary file and is reported the same way. Both are
 * IllegalArgumentExceptions: the CLI prints them as one line and exits 2.
 */
final class OutputFile {
    /** How the target is written. */
    private enum Kind {
        /** A new or existing regular file: temporary file, then an atomic rename. */
        REPLACE,
        /** A FIFO or a device: opened and written in place. */
        IN_PLACE
    }

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

    /**
     * Checks that {@code path} can be written as the output of {@code flag}.
     *
     * @param mayReplace whether an existing regular file may be replaced ({@code gen} refuses
     *     without {@code --force})
     * @throws IllegalArgumentException naming flag, path and what is wrong
     */
    static OutputFile check(String flag, Path path, boolean mayReplace) {
        if (path == null || path.toString().isEmpty()) {
            throw new IllegalArgumentException(flag + " \"\": an empty file name; name a file");
        }
        String what = flag + " " + path;
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(what + ": is a directory; name a file");
        }
        Path target = path;
        if (Files.exists(path)) { // (following links)
            String type = fileType(path);
            if (type.equals("socket")) {
                throw new IllegalArgumentException(what + ": is a socket; name a file, a FIFO or a device");
            }
            if (!Files.isWritable(path)) {
                throw new IllegalArgumentException(what + ": is not writable");
            }
            if (!type.equals("regular file")) {
                // a FIFO or a device, perhaps through a link (/dev/stdout): opened where it is
                return new OutputFile(flag, path, path, Kind.IN_PLACE);
            }
            if (!mayReplace) {
                throw new IllegalArgumentException(what + ": file exists; pass --force to overwrite it");
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
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(what + ": directory " + dir + " is not writable");
        }
        return new OutputFile(flag, path, target, Kind.REPLACE);
    }

    /** path with every symbolic link followed (a dangling link: the file it would create). */
    private static Path resolveLinks(String what, Path path) {
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

    /** Writes the file: body gets a stream it must not close. */
    void write(Body body) {
        try {
            if (kind == Kind.IN_PLACE) {
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.WRITE), 1 << 16)) {
                    body.write(os);
                }
            } else {
                replace(body);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + named + ": cannot write it: " + reason(e), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) { // wrapped by the writer (Jackson, UncheckedIOException)
                throw new IllegalArgumentException(flag + " " + named + ": cannot write it: " + reason(io), e);
            }
            throw e;
        }
    }

    private void replace(Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        for (int tries = 0; tmp == null; tries++) {
            Path t = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.createFile(t); // mode 0666 less the umask, as a new file of any tool
                tmp = t;
            } catch (FileAlreadyExistsException e) {
                if (tries == 10) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                keepPermissions(target, tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(os);
                os.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Puts the finished file {@code staged} (a regular file in the target's directory, which this
     * consumes) in place: renamed over a regular target, copied into a FIFO or device.
     */
    void install(Path staged) {
        try {
            if (kind == Kind.IN_PLACE) {
                try (OutputStream os = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                    Files.copy(staged, os);
                }
                Files.delete(staged);
            } else if (!staged.toAbsolutePath().getParent().equals(target.toAbsolutePath().getParent())) {
                replace(os -> Files.copy(staged, os)); // a link to another directory: written beside its target
                Files.delete(staged);
            } else {
                if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    keepPermissions(target, staged);
                }
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + named + ": cannot write it: " + reason(e), e);
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

    /** What writes the file's content. */
    @FunctionalInterface
    interface Body {
        void write(OutputStream os) throws IOException;
    }
}
