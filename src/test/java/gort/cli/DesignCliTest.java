package gort.cli;

import static gort.cli.CliTest.assertUsageError;
import static gort.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import gort.gc.Design;
import gort.gc.WakeupStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Designs on the command line: {@code --design} sets every collector axis and replaces the
 * environment's axis settings, a flag for one axis stays on top of it (and is labelled as no
 * release), {@code GODEBUG=gcdesign} works without the flag, a bad name is one line and exit 2,
 * and {@code compare --vary design=...} records each run's design in its JSON.
 */
class DesignCliTest {
    static Options options(String... args) {
        CommandLine cl = new CommandLine(new RunCommand());
        cl.parseArgs(args);
        return ((RunCommand) cl.getCommand()).options;
    }

    @Test
    void theDesignFlagReplacesTheEnvironmentsAxisSettings() {
        var c = options("pingpong", "--design", "go1.5.1")
                .config(Map.of("GODEBUG", "gcwakeup=none,gcmarking=go16,gcpacer=go118,gcassistblock=0,gcdesign=go1.6,gccheckmark=1"));
        assertThat(c.collectorSettings().axes()).isEqualTo(Design.GO1_5_1.axes());
        assertThat(c.collectorSettings().designLabel()).isEqualTo("go1.5.1");
        assertThat(c.godebug()).as("what is no axis stays").containsEntry("gccheckmark", "1");
    }

    @Test
    void aFlagForOneAxisStaysOnTopOfTheDesignAndIsLabelledNoRelease() {
        var c = options("pingpong", "--design", "go1.6", "--wakeup", "park").config(Map.of());
        assertThat(c.wakeup()).isEqualTo(WakeupStrategy.PARK);
        assertThat(c.collectorSettings().designLabel()).isEqualTo("go1.6 + gcwakeup=park (no release)");
        var g = options("pingpong", "--design", "go1.5.1", "--godebug", "gcassistblock=0").config(Map.of());
        assertThat(g.collectorSettings().designLabel()).isEqualTo("go1.5.1 + gcassistblock=0 (no release)");
    }

    @Test
    void withoutTheFlagTheEnvironmentsDesignAndAxesApply() {
        var c = options("pingpong").config(Map.of("GODEBUG", "gcdesign=go1.6"));
        assertThat(c.collectorSettings().axes()).isEqualTo(Design.GO1_6.axes());
        var d = options("pingpong").config(Map.of("GODEBUG", "gcdesign=go1.6,gcmarking=go15"));
        assertThat(d.collectorSettings().designLabel()).isEqualTo("go1.6 + gcmarking=go15 (no release)");
    }

    @Test
    void anUnknownDesignIsOneLineAndExitTwo() {
        assertUsageError(exec("run", "pingpong", "--design", "go1.7"), "go1.7", "go1.5-dev", "go1.5.1", "go1.6");
        assertUsageError(exec("run", "pingpong", "--godebug", "gcdesign=go2"), "gcdesign", "go1.6");
    }

    @Test
    void compareVaryDesignRecordsEachRunsDesign(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("designs.json");
        CliTest.Result r = exec("compare", "bintree", "--depth", "8", "--gogc", "10", "--procs", "2", "--vary",
                "design=go1.5-dev,go1.5.1,go1.6", "--json", json.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(r.err()).contains("[1/3] go1.5-dev").contains("[2/3] go1.5.1").contains("[3/3] go1.6");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        JsonNode runs = root.get("strategies");
        assertThat(runs.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            Design d = Design.values()[i];
            assertThat(runs.get(i).get("design").asString()).as("run %d's design", i).isEqualTo(d.flag());
            assertThat(runs.get(i).get("strategy").asString()).isEqualTo(d.axes().wakeup().flag());
        }
    }
}
