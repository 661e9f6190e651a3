package gort.cli;

import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gort run <workload>}: runs one workload once under one configuration and summarizes it. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a workload once and print a summary.")
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Workloads.Names.class)
    String workload;

    @Option(names = "--ops", paramLabel = "N", description = "operations to run (workload-specific default)")
    Long ops;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "18", description = "bintree: tree depth (4..30, default ${DEFAULT-VALUE})")
    int depth;

    @Mixin
    Options options = new Options();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Workload w = Workloads.lookup(workload);
        long n = ops != null ? Workloads.checkOps(ops) : w.defaultOps();
        Workload.Result r = w.run(options.config(), new Workload.Params(n, 1, depth));
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.summary());
        out.flush();
        return 0;
    }
}
