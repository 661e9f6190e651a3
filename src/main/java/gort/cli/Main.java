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
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of run, bench, compare, gen, fidelity, trace, help");
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

    public static void main(String[] args) {
        FileLedger.handleSignals();
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gort 0.1.0 on Java " + System.getProperty("java.version")};
        }
    }
}
