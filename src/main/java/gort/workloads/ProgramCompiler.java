package gort.workloads;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a single-file program with the JDK's in-process compiler into gort's program cache, once
 * per version of the source and of gort. Owns the cache's entries: {@code <root>/<key>/classes/}
 * (the class files) and {@code <root>/<key>/main-class} (the first top-level class of the file, the
 * class the Java launcher would run), where key is a SHA-256 over the file's name and bytes, the
 * identity of gort's own code (its jar's path, size and modification time, or its class folder's
 * newest file), the class path and the JDK's version. Invariants: an entry appears whole (it is
 * compiled into a hidden directory beside it and renamed into place; a second gort compiling the
 * same source at the same time keeps the first entry); a source that does not compile leaves no
 * entry; the hidden directory is made and ended through the caller's {@link TempDirs}, so a command
 * stopped by a signal removes it.
 */
final class ProgramCompiler {
    private ProgramCompiler() {}

    static final String MAIN_CLASS_FILE = "main-class";
    static final String CLASSES = "classes";

    /**
     * The cache entry for source: compiled now unless it is there already. javac's messages go to
     * diagnostics only when compilation fails.
     *
     * @throws IllegalArgumentException when the source does not compile (after javac's messages),
     *     declares no class, or the cache cannot be written
     */
    static Path compile(Path source, Path cacheRoot, PrintWriter diagnostics, TempDirs temps) {
        byte[] src;
        try {
            src = Files.readAllBytes(source);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot read: " + e.getMessage(), e);
        }
        Path entry = cacheRoot.resolve(key(source, src));
        if (Files.isRegularFile(entry.resolve(MAIN_CLASS_FILE))) {
            return entry;
        }
        Path tmp;
        try {
            Files.createDirectories(cacheRoot);
            tmp = temps.create(cacheRoot, ".compiling-");
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot compile into the program cache " + cacheRoot + ": " + e
                    + " (the cache is $XDG_CACHE_HOME/gort/programs, else ~/.cache/gort/programs)", e);
        }
        try {
            String main = javac(source, tmp.resolve(CLASSES), diagnostics);
            Files.writeString(tmp.resolve(MAIN_CLASS_FILE), main + "\n", StandardCharsets.UTF_8);
            try {
                temps.publish(tmp, () -> Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE));
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isRegularFile(entry.resolve(MAIN_CLASS_FILE))) {
                    throw e;
                }
                // another gort compiled the same source meanwhile: keep its entry
            }
            return entry;
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot write the program cache " + cacheRoot + ": " + e, e);
        } finally {
            temps.delete(tmp); // (published: nothing left there)
        }
    }

    /** The entry's main class, as the compiler recorded it. */
    static String mainClass(Path entry) {
        try {
            return Files.readString(entry.resolve(MAIN_CLASS_FILE), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles source into classes; returns the binary name of its first top-level class. */
    private static String javac(Path source, Path classes, PrintWriter diagnostics) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalArgumentException(source + ": this JVM has no Java compiler: run gort with a JDK 25");
        }
        Files.createDirectories(classes);
        StringWriter messages = new StringWriter();
        String[] first = new String[1];
        boolean ok;
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path", ""),
                    "-proc:none");
            JavacTask task = (JavacTask) compiler.getTask(messages, fm, null, options, null, fm.getJavaFileObjects(source));
            task.addTaskListener(new TaskListener() {
                @Override
                public void finished(TaskEvent e) {
                    if (e.getKind() == TaskEvent.Kind.PARSE && first[0] == null) {
                        first[0] = firstClass(e.getCompilationUnit());
                    }
                }
            });
            ok = task.call();
        }
        if (!ok) {
            diagnostics.print(messages);
            diagnostics.flush();
            throw new IllegalArgumentException(source + ": does not compile (javac's messages above)");
        }
        if (first[0] == null) {
            throw new IllegalArgumentException(source + ": declares no class (a program is a class with public static void main(String[] args))");
        }
        return first[0];
    }

    /** The binary name of the unit's first top-level class, or null. */
    private static String firstClass(CompilationUnitTree cu) {
        for (Tree t : cu.getTypeDecls()) {
            if (t instanceof ClassTree ct) {
                String pkg = cu.getPackageName() == null ? "" : cu.getPackageName().toString();
                return (pkg.isEmpty() ? "" : pkg + ".") + ct.getSimpleName();
            }
        }
        return null;
    }

    /** The cache key of source with bytes src. */
    static String key(Path source, byte[] src) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("gort program cache 1\n" + source.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(src);
            md.update(("\n" + gortIdentity() + "\n" + System.getProperty("java.class.path", "") + "\n" + java.lang.Runtime.version())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What changes when gort's own code does: its jar's path, size and time, or its class folder's newest file. */
    static String gortIdentity() {
        try {
            Path p = Path.of(ProgramCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(p)) {
                long newest = 0;
                long n = 0;
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
                        n++;
                    }
                }
                return p + " " + n + " " + newest;
            }
            return p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return "unknown " + e.getClass().getName(); // no code source: compiled again when the source changes
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> st = Files.walk(p)) {
            for (Path x : st.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException ignored) {
            // best effort: a hidden .compiling- directory left behind is never read
        }
    }
}
