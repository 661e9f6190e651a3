package gort.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gort} command. Owns: argument parsing and exit codes. Invariants: a usage error (bad
 * flag, unknown command, out-of-range value, a bad or clashing path) prints one line naming the
 * problem and exits 2; so does an output that could not be written after the work (the line says
 * where its content was kept instead); a runtime fatal error prints Go's message and exits 2 as a
 * crashed Go program does; SIGINT, SIGTERM and SIGHUP end the command as {@link FileLedger} says
 * (one line, nothing temporary left, 128 + the signal's number: 130, 143, 129); success is 0.
 */
@Command(name = "gort", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Go-style runtime for the JVM: goroutines on a G/M/P scheduler, a managed heap, Go 1.5's concurrent GC.",
        subcommands = {RunCommand.class, BenchCommand.class, CompareCommand.class, GenCommand.class, FidelityCommand.class, TraceCommand.class,
                ExploreCommand.class, DeterminismCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FATAL = 2;
    /** An output that could not be written when the work was done (its content kept elsewhere, said where). */
    public static final int EXIT_OUTPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of run, bench, compare, gen, fidelity, trace, explore, help");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
            FileLedger.reset(); // each command's outputs are its own
            return runLast.execute(parsed);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String unknown = unknownCommand(ex);
            if (unknown != null) {
                err.println("gort: " + unknown);
                return EXIT_USAGE;
            }
            String name = c.getCommandSpec().name();
            boolean runsPrograms = name.equals("run") || name.equals("compare") || name.equals("bench");
            String hint = runsPrograms && ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption()
                    ? "; a program's own options go after --: gort " + name + " Prog.java [gort options] -- ARGS" : "";
            err.println("gort: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help'" + hint + ")");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                c.getErr().println("gort: " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof gort.sched.FatalError) {
                c.getErr().println(ex.getMessage());
                return EXIT_FATAL;
            }
            if (ex instanceof gort.sched.ExitStatus es) {
                if (!c.getCommandSpec().name().equals("run")) { // run shows the program's own stderr; the others keep it in files
                    c.getErr().println("gort: the program exited with status " + es.code());
                }
                return es.code(); // the program's os.Exit: it said why
            }
            throw ex;
        });
        return cl;
    }

    /**
     * For a command that takes subcommands and no positionals ({@code gort}, {@code gort trace}),
     * whose first argument is neither an option nor one of them: "unknown command 'runn': did you
     * mean 'run'? (commands: ...)"; otherwise null.
     */
    static String unknownCommand(CommandLine.ParameterException ex) {
        CommandLine c = ex.getCommandLine();
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.isUnknownOption() || c.getSubcommands().isEmpty()
                || !c.getCommandSpec().positionalParameters().isEmpty() || u.getUnmatched().isEmpty()) {
            return null;
        }
        String given = u.getUnmatched().get(0);
        java.util.List<String> names = new java.util.ArrayList<>(c.getSubcommands().keySet());
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String n : names) {
            int d = editDistance(given, n);
            if (d < best) {
                best = d;
                nearest = n;
            }
        }
        String qualified = c.getCommandSpec().qualifiedName();
        return "unknown command '" + given + "'" + (qualified.equals("gort") ? "" : " for '" + qualified + "'")
                + (best <= (given.length() <= 3 ? 1 : 2) ? ": did you mean '" + nearest + "'?" : "")
                + " (commands: " + String.join(", ", names) + "; see '" + qualified + " --help')";
    }

    /** Levenshtein distance: the fewest one-character insertions, deletions and substitutions from a to b. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public static void main(String[] args) {
        FileLedger.handleSignals();
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gort " + gort.trace.RunEnvironment.thisBuild().describe() + " on Java " + System.getProperty("java.version")};
        }
    }
}
