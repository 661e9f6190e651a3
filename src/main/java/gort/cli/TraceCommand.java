package gort.cli;

import gort.trace.TraceStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gort trace stats FILE}: reads a trace back (gort's, or Go 1.5.1's viewer JSON) and prints each wakeup and what ran meanwhile. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Read execution traces back.",
        subcommands = {TraceCommand.Stats.class})
final class TraceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: stats");
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Recompute each GC cycle's mark-1/mark-2 wakeup delays from a trace alone (completer, done, resumed, where the "
                    + "coordinator sat; under none, which has no coordinator, when the completer began the transition) and what ran on "
                    + "each P meanwhile; checks them against the run's records when the trace has them. "
                    + "Reads gort's .json and .pftrace traces and Go 1.5.1's viewer JSON (anchors/go15/trace-json.sh).")
    static final class Stats implements java.util.concurrent.Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "a trace: gort's FILE.json or FILE.pftrace, or Go 1.5.1's viewer JSON")
        Path file;

        @Option(names = "--gcwakeup", paramLabel = "STDERR",
                description = "Go 1.5.1 traces: the patched runtime's stderr with GODEBUG=gctrace=1 (its gcwakeup lines give each wait's done time)")
        Path gcwakeup;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            TraceStats.Result r;
            try {
                r = TraceStats.of(file, gcwakeup);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e); // a file we cannot read is the user's input
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(TraceStats.format(r));
            out.flush();
            return r.mismatches() == 0 ? 0 : 1;
        }
    }
}
