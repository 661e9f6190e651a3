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

    @Mixin
    Options options = new Options();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Workload w = Workloads.lookup(workload);
        Workload.Result r = w.run(options.config(), options.params(w, 1));
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.summary());
        out.flush();
        return 0;
    }
}
