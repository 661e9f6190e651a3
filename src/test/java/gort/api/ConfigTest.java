package gort.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Config: GOMAXPROCS, GOGC and GODEBUG parse good values and reject bad ones clearly. */
class ConfigTest {

    // ---------------------------------------------------------------------------------------
    // GOMAXPROCS
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(strings = {"0", "257", "abc", "-1", "1.5", "99999999999"})
    void badGomaxprocsFromEnvIsRejected(String v) {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GOMAXPROCS", v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOMAXPROCS")
                .hasMessageContaining(v)
                .hasMessageContaining("1 to 256");
    }

    @ParameterizedTest(name = "withGomaxprocs({0})")
    @ValueSource(ints = {0, -1, 257, Integer.MIN_VALUE})
    void badGomaxprocsInCodeIsRejected(int n) {
        assertThatThrownBy(() -> Config.defaults().withGomaxprocs(n))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOMAXPROCS=" + n)
                .hasMessageContaining("1 to 256");
    }

    @Test
    void goodGomaxprocsParses() {
        assertThat(Config.fromEnv(Map.of("GOMAXPROCS", "1")).gomaxprocs()).isEqualTo(1);
        assertThat(Config.fromEnv(Map.of("GOMAXPROCS", "256")).gomaxprocs()).isEqualTo(256);
        assertThat(Config.fromEnv(Map.of("GOMAXPROCS", " 4 ")).gomaxprocs()).isEqualTo(4);
        assertThat(Config.defaults().withGomaxprocs(3).gomaxprocs()).isEqualTo(3);
    }

    @Test
    void emptyEnvironmentGivesDefaults() {
        Config d = Config.defaults();
        Config c = Config.fromEnv(Map.of("GOMAXPROCS", "", "GOGC", " ", "GODEBUG", ""));
        assertThat(c.gomaxprocs()).isEqualTo(d.gomaxprocs()).isBetween(1, 256);
        assertThat(c.gogc()).isEqualTo(100);
        assertThat(c.godebug()).isEmpty();
        assertThat(Config.fromEnv(Map.of()).gogc()).isEqualTo(100);
    }

    // ---------------------------------------------------------------------------------------
    // GOGC
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "GOGC={0}")
    @ValueSource(strings = {"x", "-5", "-1", "1e3", "offf", "100%"})
    void badGogcIsRejected(String v) {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GOGC", v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOGC")
                .hasMessageContaining(v)
                .hasMessageContaining("off")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> Config.parseGogc(v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOGC");
    }

    @Test
    void badGogcInCodeIsRejected() {
        assertThatThrownBy(() -> Config.defaults().withGogc(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOGC=-5")
                .hasMessageContaining("off");
    }

    @Test
    void goodGogcParses() {
        assertThat(Config.fromEnv(Map.of("GOGC", "off")).gogc()).isEqualTo(Config.GOGC_OFF);
        assertThat(Config.fromEnv(Map.of("GOGC", "OFF")).gogc()).isEqualTo(Config.GOGC_OFF);
        assertThat(Config.fromEnv(Map.of("GOGC", "0")).gogc()).isZero();
        assertThat(Config.fromEnv(Map.of("GOGC", "50")).gogc()).isEqualTo(50);
        assertThat(Config.parseGogc("200")).isEqualTo(200);
        assertThat(Config.parseGogc("off")).isEqualTo(Config.GOGC_OFF);
        assertThat(Config.defaults().withGogc(Config.GOGC_OFF).gogc()).isEqualTo(Config.GOGC_OFF);
        assertThat(Config.defaults().withGogc(Config.GOGC_OFF).toString()).contains("GOGC=off");
        assertThat(Config.defaults().withGogc(75).toString()).contains("GOGC=75");
    }

    // ---------------------------------------------------------------------------------------
    // GODEBUG
    // ---------------------------------------------------------------------------------------

    @Test
    void unknownGodebugKeyGivenExplicitlyIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Config.parseGodebug("gctrace=1,frobnicate=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG")
                .hasMessageContaining("frobnicate")
                .hasMessageContainingAll(Config.GODEBUG_KEYS.keySet().toArray(String[]::new));
    }

    @Test
    void unknownGodebugKeysInTheEnvironmentAreIgnoredAsGoIgnoresThem() {
        Config c = Config.fromEnv(Map.of("GODEBUG", "frobnicate=1,gctrace=1,http2debug=2,madvdontneed,=3"));
        assertThat(c.godebug()).containsExactly(Map.entry("gctrace", "1"));
        assertThat(c.ignoredGodebug()).containsExactly("frobnicate", "http2debug", "madvdontneed", "=3");
        assertThat(c.withGogc(50).withGomaxprocs(2).withMemoryLimit(1 << 30).ignoredGodebug()).as("kept by the withers")
                .containsExactly("frobnicate", "http2debug", "madvdontneed", "=3");
        assertThat(Config.fromEnv(Map.of("GODEBUG", "gctrace=1")).ignoredGodebug()).isEmpty();
        // a setting gort knows must still be well formed and valid
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GODEBUG", "frobnicate=1,gctrace"))).hasMessageContaining("name=value");
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GODEBUG", "frobnicate=1,gcwakeup=fast"))).hasMessageContaining("gcwakeup=fast");
    }

    @ParameterizedTest(name = "GODEBUG={0}")
    @ValueSource(strings = {"gctrace", "=1", "schedtrace1000", "gctrace=1,gccheckmark"})
    void godebugWithoutEqualsIsRejected(String v) {
        assertThatThrownBy(() -> Config.parseGodebug(v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG")
                .hasMessageContaining("name=value")
                .hasMessageContainingAll(Config.GODEBUG_KEYS.keySet().toArray(String[]::new));
    }

    @ParameterizedTest(name = "GODEBUG={0}")
    @ValueSource(strings = {"gctrace=x", "schedtrace=-1", "schedtrace=", "gccheckmark=1.0", "gcpacertrace=yes"})
    void godebugWithNonIntegerValueIsRejected(String v) {
        String key = v.substring(0, v.indexOf('='));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GODEBUG", v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG")
                .hasMessageContaining(key)
                .hasMessageContaining("integer");
    }

    @ParameterizedTest(name = "GODEBUG={0}")
    @ValueSource(strings = {"gcwakeup=", "gcwakeup=fast", "gcwakeup=1", "gcwakeup=Park"})
    void badGcwakeupIsRejectedNamingTheStrategies(String v) {
        assertThatThrownBy(() -> Config.parseGodebug(v))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG")
                .hasMessageContaining("gcwakeup")
                .hasMessageContainingAll("note", "park", "park-yield");
    }

    @ParameterizedTest(name = "GODEBUG={0}")
    @ValueSource(strings = {"runnext=2", "runnext=-1", "schedglobal=0", "schedglobal=x", "gcworkerfrac=0", "gcworkerfrac=1.5",
            "gcworkerfrac=abc", "gcworkerfrac=NaN", "gcworkerfrac=Infinity", "gcworkerfrac=", "gcworkerfrac=-0.25"})
    void badAblationValuesAreRejectedNamingWhatIsAllowed(String v) {
        String key = v.substring(0, v.indexOf('='));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("GODEBUG", v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG " + key)
                .hasMessageContaining(key.equals("gcworkerfrac") ? "greater than 0 and at most 1" : "integer from");
    }

    @Test
    void ablationsParseAndDefaultToGo() {
        assertThat(Config.defaults().workerFraction()).isEqualTo(0.25);
        Config c = Config.fromEnv(Map.of("GODEBUG", "gcworkerfrac=0.5,runnext=0,schedglobal=1"));
        assertThat(c.workerFraction()).isEqualTo(0.5);
        assertThat(c.collectorSettings().workerFraction()).isEqualTo(0.5);
        assertThat(c.schedAblations()).isEqualTo(new gort.sched.SchedAblations(false, 1));
        assertThat(Config.GODEBUG_KEYS.get("runnext")).contains("not Go");
        assertThat(Config.GODEBUG_KEYS.get("schedglobal")).contains("not Go");
        assertThat(Config.GODEBUG_KEYS.get("gcworkerfrac")).contains("not Go");
    }

    @Test
    void goodGodebugParses() {
        Config c = Config.fromEnv(Map.of("GODEBUG", "gctrace=1, schedtrace=1000,,gcwakeup=park-yield"));
        assertThat(c.godebug()).containsOnly(
                Map.entry("gctrace", "1"), Map.entry("schedtrace", "1000"), Map.entry("gcwakeup", "park-yield"));
        assertThat(c.godebugInt("schedtrace")).isEqualTo(1000);
        assertThat(c.godebugInt("gctrace")).isEqualTo(1);
        assertThat(c.godebugInt("gccheckmark")).isZero();
        for (String s : new String[] {"note", "park", "park-yield"}) {
            assertThat(Config.parseGodebug("gcwakeup=" + s)).containsExactly(Map.entry("gcwakeup", s));
        }
        assertThat(Config.parseGodebug("")).isEmpty();
    }

    @Test
    void withGodebugMergesAndOverrides() {
        Config c = Config.fromEnv(Map.of("GODEBUG", "gctrace=1,schedtrace=10"))
                .withGodebug(Config.parseGodebug("schedtrace=20,gcstoptheworld=1"));
        assertThat(c.godebug()).containsOnly(
                Map.entry("gctrace", "1"), Map.entry("schedtrace", "20"), Map.entry("gcstoptheworld", "1"));
    }

    @Test
    void everythingFromTheEnvironmentTogether() {
        Config c = Config.fromEnv(Map.of("GOMAXPROCS", "2", "GOGC", "off", "GODEBUG", "gctrace=1"));
        assertThat(c.gomaxprocs()).isEqualTo(2);
        assertThat(c.gogc()).isEqualTo(Config.GOGC_OFF);
        assertThat(c.godebug()).containsExactly(Map.entry("gctrace", "1"));
        assertThat(c.toString()).isEqualTo("GOMAXPROCS=2 GOGC=off GODEBUG={gctrace=1}");
    }

    @Test
    void withersDoNotMutate() {
        Config a = Config.defaults().withGomaxprocs(1);
        Config b = a.withGomaxprocs(2).withGogc(50);
        assertThat(a.gomaxprocs()).isEqualTo(1);
        assertThat(a.gogc()).isEqualTo(100);
        assertThat(b.gomaxprocs()).isEqualTo(2);
        assertThat(b.gogc()).isEqualTo(50);
    }
}
