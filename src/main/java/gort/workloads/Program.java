package gort.workloads;

import gort.api.Config;
import gort.api.Measure;
import gort.api.Runtime;
import gort.sched.FatalError;
import gort.sched.Sched;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A user's goroutine program and how gort runs it. The contract: a program is a class with
 * {@code public static void main(String[] args)}, given as a single source file ({@code .java},
 * compiled by {@link ProgramCompiler} into gort's cache), a jar (its manifest's {@code Main-Class},
 * or one named) or a class folder (its one class with a main, or one named). Each {@link #run}
 * loads the program's classes in a fresh class loader (parent: gort's own), so no static state
 * survives from one run to the next, and runs its main as the main goroutine of a fresh runtime:
 * when main returns the runtime exits as a Go program does, abandoning the other goroutines; a
 * panic or a deadlock ends it with Go's message ({@link FatalError}).
 *
 * <p>Owns: where the program's classes are, its main class, and whether its classes use
 * {@link Measure} (read from their constant pools when the program is opened: such a program's
 * measured window opens at {@link Measure#start()}, any other's when main starts). Invariants: a
 * Program exists only once its main class was found and has the right main, so every problem with
 * the program itself is an IllegalArgumentException before any run; a run leaves System.out,
 * System.err and the thread's context class loader as it found them.
 */
public final class Program {
    /** How the program was given. */
    public enum Kind {
        SOURCE, JAR, FOLDER
    }

    private static final String MEASURE = "gort/api/Measure";
    private static final String MAIN_DESCRIPTOR = "([Ljava/lang/String;)V";

    private final Path path;
    private final Kind kind;
    private final Path classPath;
    private final String mainClass;
    private final boolean usesMeasure;

    private Program(Path path, Kind kind, Path classPath, String mainClass, boolean usesMeasure) {
        this.path = path;
        this.kind = kind;
        this.classPath = classPath;
        this.mainClass = mainClass;
        this.usesMeasure = usesMeasure;
    }

    /**
     * Whether a command-line argument that is no workload's name should be taken for a program's
     * path even though nothing is there (so that the error says "no such file" rather than
     * "unknown workload"): it ends in .java or .jar, or names a directory.
     */
    public static boolean looksLikeAPath(String arg) {
        return arg.endsWith(".java") || arg.endsWith(".jar") || arg.contains("/") || arg.contains(java.io.File.separator);
    }

    /**
     * Checks, without compiling or loading anything, that arg names something gort can run as a
     * program: an existing .java file, .jar file or directory.
     *
     * @throws IllegalArgumentException naming the path and what is wrong
     */
    public static Kind kindOf(String arg) {
        Path p;
        try {
            p = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"" + arg + "\": not a valid path: " + e.getReason(), e);
        }
        boolean source = arg.endsWith(".java");
        boolean jar = arg.endsWith(".jar");
        if (Files.isDirectory(p)) {
            if (source || jar) {
                throw new IllegalArgumentException(arg + ": is a directory, not a " + (source ? "source file" : "jar"));
            }
            return Kind.FOLDER;
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(arg + ": no such file" + (source || jar ? "" : " or directory"));
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(arg + ": is not readable");
        }
        if (source) {
            return Kind.SOURCE;
        }
        if (jar) {
            return Kind.JAR;
        }
        throw new IllegalArgumentException(arg + ": not a program: give a single-file program (.java), a jar (.jar) or a class folder");
    }

    /**
     * Opens the program at path: compiles a source file into the cache at cacheRoot (unless it is
     * there already; javac's messages go to diagnostics if it fails), finds the main class (the
     * named one, or the source's first top-level class, the jar's Main-Class, the folder's one
     * class with a main) and checks its main.
     *
     * @param main the main class's binary name, or null to find it
     * @throws IllegalArgumentException naming the program and what is wrong
     */
    public static Program open(Path path, String main, Path cacheRoot, PrintWriter diagnostics) {
        return open(path, main, cacheRoot, diagnostics, TempDirs.PLAIN);
    }

    /** {@link #open(Path, String, Path, PrintWriter)}, compiling in a directory made through temps. */
    public static Program open(Path path, String main, Path cacheRoot, PrintWriter diagnostics, TempDirs temps) {
        Kind kind = kindOf(path.toString());
        Path classPath = path;
        String mainClass = main;
        if (kind == Kind.SOURCE) {
            Path entry = ProgramCompiler.compile(path, cacheRoot, diagnostics, temps);
            classPath = entry.resolve(ProgramCompiler.CLASSES);
            if (mainClass == null) {
                mainClass = ProgramCompiler.mainClass(entry);
            }
        }
        Scan scan = scan(path, kind, classPath);
        if (mainClass == null && kind == Kind.JAR) {
            mainClass = manifestMain(path);
        }
        if (mainClass == null) { // a folder
            if (scan.mains().isEmpty()) {
                throw new IllegalArgumentException(path + ": no class in this folder has public static void main(String[] args)");
            }
            if (scan.mains().size() > 1) {
                throw new IllegalArgumentException(path + ": several classes have a main (" + String.join(", ", scan.mains())
                        + "): pick one with --main CLASS");
            }
            mainClass = scan.mains().get(0);
        }
        Program p = new Program(path, kind, classPath, mainClass, scan.usesMeasure());
        try (URLClassLoader l = p.newLoader()) {
            p.mainHandle(l);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": " + e, e);
        }
        return p;
    }

    /** gort's program cache: the system property gort.cache, else $XDG_CACHE_HOME/gort/programs, else ~/.cache/gort/programs. */
    public static Path defaultCache(Map<String, String> env) {
        String prop = System.getProperty("gort.cache");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("gort").resolve("programs");
    }

    /** The program's name in tables and reports: its main class's simple name. */
    public String name() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** The path it was given as. */
    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** The binary name of its main class. */
    public String mainClass() {
        return mainClass;
    }

    /** Whether its classes use {@link Measure} (its window opens at Measure.start()). */
    public boolean usesMeasure() {
        return usesMeasure;
    }

    /** Where its classes are: a class folder or a jar (for a source file, the cache entry's classes). */
    public Path classPath() {
        return classPath;
    }

    /**
     * What one run did: main's wall time (from its start to its return; -1 if it was stopped),
     * the measured window (its length, 0 if it never opened, and the collector's cycle count at
     * both ends), and whether the run was stopped at its time budget, with every goroutine of the
     * program blocked then.
     */
    public record Run(long mainNs, boolean windowOpened, long windowNs, int gcBefore, int gcAfter, double stoppedAtSeconds,
            boolean blockedAtStop) {
        public boolean stopped() {
            return stoppedAtSeconds > 0;
        }
    }

    /**
     * Runs the program once: its main as the main goroutine of a fresh runtime under config, its
     * classes in a fresh class loader; returns when the runtime has ended.
     *
     * @param listener told when the warm-up starts and the measured window opens and closes (from
     *     the goroutine that opens or closes it), and, when the budget stopped the program, its
     *     runtime ({@link Workload.Listener#stopped})
     * @param seconds the measured window's time budget: the program is stopped when its window
     *     reaches it (the runtime exits as if main had returned); 0 for none
     * @param output where System.out and System.err go during the run, or null to leave them
     * @throws FatalError when the program panics or deadlocks (Go's message)
     */
    public Run run(Config config, List<String> args, Workload.Listener listener, double seconds, PrintStream output) {
        try (URLClassLoader loader = newLoader()) {
            return run(config, args, listener, seconds, output, loader);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // closing the loader
        }
    }

    /**
     * A class loader for this program's classes, for a caller that runs it several times with its
     * code compiled once ({@code bench}: the runs share the program's static state, as the
     * iterations of a Go benchmark loop do). The caller closes it.
     */
    public URLClassLoader sharedLoader() {
        return newLoader();
    }

    /** {@link #run} in the given class loader (not closed here). */
    public Run run(Config config, List<String> args, Workload.Listener listener, double seconds, PrintStream output,
            URLClassLoader loader) {
        String[] argv = args.toArray(String[]::new);
        ProgramWindow win = new ProgramWindow(name(), usesMeasure, listener, seconds);
        AtomicReference<Runtime> runtime = new AtomicReference<>();
        long[] mainNs = {-1};
        Thread self = Thread.currentThread();
        ClassLoader context = self.getContextClassLoader();
        PrintStream out = System.out;
        PrintStream err = System.err;
        {
            MethodHandle main = mainHandle(loader);
            self.setContextClassLoader(loader); // the runtime's threads inherit it
            if (output != null) {
                System.setOut(output);
                System.setErr(output);
            }
            try {
                Runtime.run(config, () -> {
                    Sched s = Sched.current();
                    Runtime rt = (Runtime) s.env;
                    runtime.set(rt);
                    Measure.attach(win);
                    win.mainStarts(s, rt);
                    long t0 = s.platform().nanotime();
                    invoke(main, argv);
                    mainNs[0] = s.platform().nanotime() - t0;
                    if (!win.mainReturned()) {
                        s.gopark((g, l) -> true, null, "stopping at the --seconds budget"); // the stop ends the runtime
                    }
                });
            } catch (FatalError e) {
                if (!(e.getCause() instanceof ProgramWindow.Stopped)) {
                    throw e;
                }
                mainNs[0] = -1;
                listener.stopped(runtime.get());
            } finally {
                Runtime rt = runtime.get();
                if (rt != null) {
                    Measure.detach(rt.sched());
                }
                System.out.flush(); // what the program printed is out before gort prints anything
                System.err.flush();
                System.setOut(out);
                System.setErr(err);
                self.setContextClassLoader(context);
            }
        }
        return new Run(mainNs[0], win.opened(), win.windowNs(), win.gcBefore(), win.gcAfter(), win.stopped() ? seconds : 0,
                win.blockedAtStop());
    }

    private static void invoke(MethodHandle main, String[] argv) {
        try {
            main.invokeExact(argv);
        } catch (Throwable t) {
            throw Program.<RuntimeException>rethrow(t); // the program's own exception, as its panic
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }

    private URLClassLoader newLoader() {
        try {
            return new URLClassLoader(new URL[] {classPath.toAbsolutePath().toUri().toURL()}, Program.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /** The main class's main, loaded (not initialized) by loader, checked. */
    private MethodHandle mainHandle(ClassLoader loader) {
        String where = kind == Kind.SOURCE ? path.toString() : path + (kind == Kind.JAR ? "" : "/");
        Class<?> c;
        try {
            c = Class.forName(mainClass, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("class " + mainClass + " not found in " + where, e);
        } catch (LinkageError e) {
            throw new IllegalArgumentException("class " + mainClass + " in " + where + " cannot be loaded: " + e, e);
        }
        Method m;
        try {
            m = c.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            m = null;
        }
        if (m == null || !Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
            throw new IllegalArgumentException("class " + mainClass + " (" + where + ") has no public static void main(String[] args)");
        }
        try {
            m.setAccessible(true); // the class itself need not be public
            return MethodHandles.lookup().unreflect(m);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("class " + mainClass + " (" + where + "): cannot call its main: " + e, e);
        }
    }

    private static String manifestMain(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            var mf = j.getManifest();
            String main = mf == null ? null : mf.getMainAttributes().getValue("Main-Class");
            if (main == null || main.isBlank()) {
                throw new IllegalArgumentException(jar + ": its manifest names no Main-Class: give --main CLASS");
            }
            return main.trim();
        } catch (IOException e) {
            throw new IllegalArgumentException(jar + ": not a readable jar: " + e.getMessage(), e);
        }
    }

    /** What the program's class files say: the classes with a main, and whether any uses Measure. */
    private record Scan(List<String> mains, boolean usesMeasure) {}

    private static Scan scan(Path path, Kind kind, Path classPath) {
        List<String> mains = new ArrayList<>();
        boolean[] measure = {false};
        java.util.function.Consumer<byte[]> read = bytes -> {
            ClassModel cm;
            try {
                cm = ClassFile.of().parse(bytes);
            } catch (IllegalArgumentException e) {
                return; // not a class file the JDK can read: loading it would fail too, with a message
            }
            for (MethodModel mm : cm.methods()) {
                if (mm.methodName().equalsString("main") && mm.methodType().equalsString(MAIN_DESCRIPTOR)
                        && mm.flags().has(AccessFlag.PUBLIC) && mm.flags().has(AccessFlag.STATIC)) {
                    mains.add(cm.thisClass().asInternalName().replace('/', '.'));
                }
            }
            for (PoolEntry e : cm.constantPool()) {
                if (e instanceof ClassEntry ce && ce.asInternalName().equals(MEASURE)) {
                    measure[0] = true;
                }
            }
        };
        try {
            if (kind == Kind.JAR) {
                try (JarFile j = new JarFile(path.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) j.stream()::iterator) {
                        if (isClass(e.getName())) {
                            try (InputStream in = j.getInputStream(e)) {
                                read.accept(in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                try (Stream<Path> s = Files.walk(classPath)) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        if (Files.isRegularFile(f) && isClass(f.getFileName().toString())) {
                            read.accept(Files.readAllBytes(f));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read " + (kind == Kind.JAR ? "the jar" : "the class folder") + ": " + e, e);
        }
        mains.sort(null);
        return new Scan(mains, measure[0]);
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/");
    }
}
