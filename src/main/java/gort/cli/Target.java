package gort.cli;

import gort.workloads.Program;
import gort.workloads.ProgramWorkload;
import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What run, compare and bench run: a built-in workload by name, or a user's program (a .java file,
 * a .jar or a class folder) with its arguments — the positionals after it; gort's own options may
 * come before or after the program, and {@code --} ends them (everything after it is the
 * program's). A built-in workload's name always means the workload: a file or folder of that name
 * is given as a path ({@code ./json}). Invariant: {@link #check} decides which it is and refuses what
 * does not fit (arguments or {@code --main} for a workload, a path with nothing there) before any
 * work.
 */
final class Target {
    @Parameters(index = "0", paramLabel = "WORKLOAD|PROGRAM",
            description = "a workload (${COMPLETION-CANDIDATES}) or a program: Prog.java (one source file), app.jar or a class folder",
            completionCandidates = Workloads.Names.class)
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the program's arguments (put -- before them if one starts with -)")
    List<String> args = new ArrayList<>();

    @Option(names = "--main", paramLabel = "CLASS",
            description = "the program's main class (for a jar without Main-Class, a class folder with several mains, or another class of a "
                    + "source file)")
    String main;

    /**
     * Returns how the program is given, or null for a workload.
     *
     * @throws IllegalArgumentException for an unknown name, a path with nothing there, or what a
     *     workload does not take
     */
    Program.Kind check() {
        if (Workloads.isName(name)) {
            if (!args.isEmpty()) {
                throw new IllegalArgumentException("workload " + name + " takes no arguments (got: " + String.join(" ", args) + ")");
            }
            if (main != null) {
                throw new IllegalArgumentException("--main is for a program (a jar or a class folder), not workload " + name);
            }
            return null;
        }
        if (!Program.looksLikeAPath(name) && !java.nio.file.Files.exists(Path.of(name))) {
            throw new IllegalArgumentException("unknown workload or program \"" + name + "\": a workload is one of "
                    + String.join(", ", Workloads.names()) + "; a program is a .java file, a .jar or a class folder");
        }
        return Program.kindOf(name);
    }

    /** The program's file or folder as given, or null for a built-in workload. */
    Path programPath() {
        return name == null || Workloads.isName(name) ? null : Path.of(name);
    }

    /** The built-in workload (the target is not a program). */
    Workload workload() {
        return Workloads.lookup(name);
    }

    /** The program with its arguments: compiled (javac's messages to diagnostics) and checked. */
    ProgramWorkload program(PrintWriter diagnostics) {
        Program p = Program.open(Path.of(name), main, Program.defaultCache(System.getenv()), diagnostics, FileLedger.TEMP_DIRS);
        return new ProgramWorkload(p, args);
    }
}
