package gort.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run environment every result records: the warning it carries, the settings it reads from a Config, the build it names. */
class RunEnvironmentTest {
    @Test
    void moreProcsThanCpusIsWarnedAboutAndNoMoreIsNot() {
        assertThat(RunEnvironment.oversubscription(2, 2)).isNull();
        assertThat(RunEnvironment.oversubscription(1, 2)).isNull();
        assertThat(RunEnvironment.oversubscription(4, 2)).isEqualTo("GOMAXPROCS=4 is more than this host's 2 CPUs: the figures measure "
                + "the OS time-slicing 4 Ps over 2 CPUs as much as the runtime");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(RunEnvironment.capture(Map.of(), cpus).warnings()).isEmpty();
        assertThat(RunEnvironment.capture(Map.of(), cpus + 1).warnings()).singleElement().asString()
                .startsWith("GOMAXPROCS=" + (cpus + 1) + " is more than this host's " + cpus + " CPU");
    }

    @Test
    void theSettingsOfAConfigNameEveryMechanismWithItsDefault() {
        var c = gort.api.Config.defaults().withGomaxprocs(3).withGogc(50).withGodebug(Map.of("runnext", "0"));
        assertThat(RunEnvironment.settingsOf(c)).containsExactly(Map.entry("GOMAXPROCS", "3"), Map.entry("GOGC", "50"),
                Map.entry("GODEBUG", "runnext=0"), Map.entry("GOMEMLIMIT", "off"), Map.entry("wakeup", "park-yield"),
                Map.entry("pacer", "go15"), Map.entry("gcassistblock", "0"), Map.entry("gcbarrier", "dijkstra"),
                Map.entry("platform", "real"));
    }

    @Test
    void aSimulatedRunSaysItsSeedAndCpus() {
        var c = gort.api.Config.defaults(new gort.platform.SimPlatform(-7, 16));
        assertThat(RunEnvironment.settingsOf(c)).containsEntry("GOMAXPROCS", "16").containsEntry("platform", "sim")
                .containsEntry("seed", "-7").containsEntry("sim_ncpu", "16");
    }

    @Test
    void theBuildIsACommitWithItsDirtyFlagOrUnknown() {
        RunEnvironment.Build b = RunEnvironment.thisBuild();
        if (b.commit().equals(RunEnvironment.UNKNOWN)) {
            assertThat(b.dirty()).isEqualTo(RunEnvironment.UNKNOWN);
        } else {
            assertThat(b.commit()).matches("[0-9a-f]{40}");
            assertThat(b.dirty()).isIn("true", "false");
            assertThat(b.describe()).contains(b.commit().substring(0, 12));
        }
        assertThat(new RunEnvironment.Build("1.0", RunEnvironment.UNKNOWN, RunEnvironment.UNKNOWN).describe()).isEqualTo("1.0, commit unknown");
        assertThat(new RunEnvironment.Build("1.0", "0123456789abcdef", "true").describe()).isEqualTo("1.0 0123456789ab (dirty)");
    }

    @Test
    void traceMetadataCarriesTheHostTheBuildAndEverySetting() {
        var env = RunEnvironment.capture(Map.of("GOMAXPROCS", "2", "workload", "json"), 1);
        assertThat(env.traceMetadata()).containsKeys("host.cpus", "host.load_average", "host.os", "host.arch", "jvm", "gort.version",
                "gort.commit", "gort.dirty", "started").containsEntry("settings.GOMAXPROCS", "2").containsEntry("settings.workload", "json");
    }
}
