package gort.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The list of the files gort wrote into a directory it fills ({@code --report DIR}, fidelity's
 * {@code --out DIR}), kept in {@code DIR/.gort-files}, one name a line: writing into DIR again
 * removes gort's earlier files that the new output does not have, and never a file gort did not
 * write. Invariants: only plain names are taken from the list (no separator, not starting with a
 * dot, so never the list itself, "." or ".."), and only regular files of DIR itself are removed
 * through it (a link, a directory or anything else of that name is left alone); the list is
 * replaced whole, as every output file; a directory without a list (written by hand, or by a gort
 * that kept none) has no file gort would remove.
 */
final class DirManifest {
    private DirManifest() {}

    static final String NAME = ".gort-files";

    private static final String HEADER = "# The files gort wrote into this directory; gort removes them when it writes here again.";

    /** The names DIR's list holds (empty when it has none). */
    static Set<String> read(Path dir) {
        Set<String> names = new LinkedHashSet<>();
        Path f = dir.resolve(NAME);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (plain(line)) {
                    names.add(line);
                }
            }
        } catch (IOException e) {
            // unreadable: as if there were none (nothing is removed)
        }
        return names;
    }

    /** Whether name is one gort could have written into a directory of its own (and so may remove). */
    static boolean plain(String name) {
        return !name.isEmpty() && name.length() <= 255 && !name.startsWith(".") && !name.startsWith("#") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    /** Replaces DIR's list with names. */
    static void write(Path dir, Collection<String> names) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (String n : names) {
            if (plain(n)) {
                sb.append(n).append('\n');
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        OutputFile.replace(dir.resolve(NAME), os -> os.write(bytes), false);
    }

    /** Removes the regular files of DIR with these names (what gort wrote before and writes no more). */
    static void remove(Path dir, Collection<String> names) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (plain(n) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        }
    }
}
