package gort.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Every path one command names — what it reads ({@code --input}, the program, fidelity's
 * {@code --anchor}) and what it writes ({@code --json}, {@code --trace} or compare's trace per run,
 * {@code --report DIR}, gen's and fidelity's {@code --out}) — checked together once each is checked
 * alone, before any work. Invariants: no two of them, one at least written, name the same file —
 * whatever the spelling ({@code ./x}, {@code a/../x}), through symbolic links, or as hard links of
 * one file — unless both are the same character device (a terminal, {@code /dev/null}), which
 * takes what each writes in turn; no other output lies inside a directory the command writes into
 * ({@code --report}, fidelity's {@code --out}) or is a hard link of a file written there; an input
 * may be in such a directory (a program beside its report) but is none of the files gort writes
 * or removes there (its {@link DirManifest}'s). The refusal is one line naming both flags (exit 2). Once the paths pass, the outputs are told to
 * the {@link FileLedger}, which says which of them were written if the command is stopped.
 */
final class CommandPaths {
    private enum Role {
        READ, WRITE, WRITE_DIR
    }

    private record Named(String flag, Path path, Role role, List<String> files) {
        String describe() {
            return flag + " " + path;
        }
    }

    private final List<Named> paths = new ArrayList<>();

    /** A file or folder the command reads (path null: not given). */
    CommandPaths reads(String flag, Path path) {
        if (path != null) {
            paths.add(new Named(flag, path, Role.READ, List.of()));
        }
        return this;
    }

    /** A file the command writes (path null: not given). */
    CommandPaths writes(String flag, Path path) {
        if (path != null) {
            paths.add(new Named(flag, path, Role.WRITE, List.of()));
        }
        return this;
    }

    /** A directory the command writes files into, among them files (path null: not given). */
    CommandPaths writesInto(String flag, Path dir, List<String> files) {
        if (dir != null) {
            paths.add(new Named(flag, dir, Role.WRITE_DIR, List.copyOf(files)));
        }
        return this;
    }

    /**
     * Refuses two paths that name the same file, and a path inside a directory the command writes
     * into; then tells the ledger the outputs.
     *
     * @throws IllegalArgumentException naming both
     */
    void check() {
        List<Where> where = new ArrayList<>();
        for (Named n : paths) {
            where.add(Where.of(n.path()));
        }
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                Named a = paths.get(i);
                Named b = paths.get(j);
                if (a.role() == Role.READ && b.role() == Role.READ) {
                    continue; // reading one file twice harms nothing
                }
                if (where.get(i).same(where.get(j)) && !where.get(i).sharedDevice(where.get(j))) {
                    throw new IllegalArgumentException(a.describe() + " and " + b.describe() + " name the same file"
                            + (a.path().equals(b.path()) ? "" : " (" + where.get(i).path() + ")") + ": give each its own");
                }
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            Named d = paths.get(i);
            if (d.role() != Role.WRITE_DIR) {
                continue;
            }
            java.util.Set<String> replaced = new java.util.LinkedHashSet<>(d.files()); // and what an earlier run left there, which goes
            replaced.addAll(DirManifest.read(d.path()));
            for (int j = 0; j < paths.size(); j++) {
                Named o = paths.get(j);
                if (j == i) {
                    continue;
                }
                boolean hit = false; // one of the files gort writes or removes there (also as a hard link from outside)
                for (String f : replaced) {
                    hit |= Where.of(d.path().resolve(f)).same(where.get(j));
                }
                if (hit && o.role() == Role.READ) {
                    throw new IllegalArgumentException(o.describe() + " is a file gort replaces or removes in the " + d.flag() + " directory "
                            + d.path() + ": name another");
                }
                if (o.role() != Role.READ && (hit || where.get(j).path().startsWith(where.get(i).path()))) {
                    throw new IllegalArgumentException(o.describe() + " is inside the " + d.flag() + " directory " + d.path()
                            + ", which gort fills with its own files: name a path outside it");
                }
            }
        }
        for (Named n : paths) {
            if (n.role() != Role.READ) {
                FileLedger.expect(n.flag(), n.path());
            }
        }
    }

    /**
     * Where a path is: its file's identity (device and inode, when it exists) and its real path
     * (links and dots resolved; for a file not there yet, the path it would be created at).
     */
    record Where(Object key, Path path, String type) {
        static Where of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class); // following links
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    real = p.toAbsolutePath().normalize(); // e.g. a descriptor of a pipe
                }
                return new Where(a.fileKey(), real, OutputFile.fileType(p));
            } catch (IOException e) {
                return new Where(null, wouldBe(p), null);
            }
        }

        /** The real path a file not there yet would be created at: links followed, the existing part resolved. */
        static Path wouldBe(Path p) {
            Path q;
            try {
                q = OutputFile.resolveLinks(p.toString(), p).toAbsolutePath();
            } catch (IllegalArgumentException e) {
                q = p.toAbsolutePath(); // a loop: the path's own check says so
            }
            List<Path> rest = new ArrayList<>();
            Path existing = q;
            while (existing != null && !Files.exists(existing)) {
                rest.add(0, existing.getFileName());
                existing = existing.getParent();
            }
            Path base;
            if (existing == null) {
                base = q.getRoot();
            } else {
                try {
                    base = existing.toRealPath();
                } catch (IOException e) {
                    base = existing.normalize();
                }
            }
            for (Path n : rest) {
                base = base.resolve(n);
            }
            return base.normalize();
        }

        boolean same(Where o) {
            if (key != null && o.key != null) {
                return key.equals(o.key);
            }
            return (key == null) == (o.key == null) && path.equals(o.path);
        }

        /** Both are one character device, which takes each writer's bytes in turn. */
        boolean sharedDevice(Where o) {
            return "character device".equals(type) && "character device".equals(o.type);
        }
    }
}
