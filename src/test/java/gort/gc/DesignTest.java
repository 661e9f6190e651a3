package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.heap.MSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry of designs: a release's name parses back to it and labels its own axes; settings
 * that differ from every release are labelled "no release" with the nearest design and the
 * differing axes; a Config's design sets every axis and an axis set explicitly stays on top of it;
 * a design's constraints are checked and a violated one refused.
 */
class DesignTest {
    /** A barrier that shades nothing; {@code rescan} says whether it needs the stacks rescanned. */
    static WriteBarrier barrier(boolean rescan) {
        return new WriteBarrier() {
            @Override
            public void store(long obj, MSpan s, int idx) {}

            @Override
            public boolean rescanStacks() {
                return rescan;
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void aDesignParsesByItsNameAndItsAxesAreLabelledWithIt(Design d) {
        assertThat(Design.parse(d.flag())).isSameAs(d);
        assertThat(Design.of(d.axes())).isSameAs(d);
        assertThat(Design.label(d.axes())).isEqualTo(d.flag());
        Config c = Config.defaults().withDesign(d);
        assertThat(c.design()).isSameAs(d);
        assertThat(c.collectorSettings().axes()).as("every axis from the design").isEqualTo(d.axes());
        Design.check(d.axes(), barrier(true)); // every registered design meets its own constraints
    }

    @Test
    void theReleasesAreTheOnesGortVouchesFor() {
        assertThat(Arrays.stream(Design.values()).map(Design::flag)).containsExactly("go1.5-dev", "go1.5.1", "go1.6");
        assertThat(Design.GO1_6.axes().marking()).isEqualTo(MarkingKind.GO16);
        assertThat(Design.GO1_6.axes().pacer()).isEqualTo(PacerKind.GO16);
        assertThat(Design.GO1_6.axes().wakeup()).isEqualTo(WakeupStrategy.NONE);
        assertThat(Design.GO1_5_1.axes().assistBlock()).isTrue();
        assertThat(Design.GO1_5_DEV.axes().wakeup()).isEqualTo(WakeupStrategy.NOTE);
    }

    @Test
    void anUnknownDesignIsRefusedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> Design.parse("go1.7")).hasMessageContaining("go1.7")
                .hasMessageContaining("go1.5-dev").hasMessageContaining("go1.5.1").hasMessageContaining("go1.6");
        assertThatThrownBy(() -> Config.parseGodebug("gcdesign=go1.5")).hasMessageContaining("gcdesign")
                .hasMessageContaining("go1.5.1");
    }

    @Test
    void settingsOfNoReleaseAreLabelledWithTheNearestDesignAndWhatDiffers() {
        Design.Axes a = new Design.Axes(WakeupStrategy.PARK, false, PacerKind.GO15, BarrierKind.DIJKSTRA, MarkingKind.GO15);
        assertThat(Design.of(a)).isNull();
        assertThat(Design.label(a)).isEqualTo("go1.5-dev + gcwakeup=park (no release)");
        Design.Axes b = new Design.Axes(WakeupStrategy.NONE, false, PacerKind.GO16, BarrierKind.DIJKSTRA, MarkingKind.GO15);
        assertThat(Design.label(b)).isEqualTo("go1.6 + gcmarking=go15 (no release)");
        Design.Axes two = new Design.Axes(WakeupStrategy.PARK, true, PacerKind.GO118, BarrierKind.DIJKSTRA, MarkingKind.GO15);
        assertThat(Design.label(two)).isEqualTo("go1.5.1 + gcwakeup=park, gcpacer=go118 (no release)");
    }

    @Test
    void anAblationOfANamedDesignIsLabelledFromThatDesign() {
        // as near to go1.5-dev (the wakeup) as to go1.5.1 (the assists): the design the user named decides
        Design.Axes a = new Design.Axes(WakeupStrategy.PARK_YIELD, false, PacerKind.GO15, BarrierKind.DIJKSTRA, MarkingKind.GO15);
        assertThat(Design.label(Design.GO1_5_1, a)).isEqualTo("go1.5.1 + gcassistblock=0 (no release)");
        assertThat(Design.label(Design.GO1_5_DEV, a)).isEqualTo("go1.5-dev + gcwakeup=park-yield (no release)");
        Config c = Config.defaults().withDesign(Design.GO1_5_1).withGodebug(Map.of("gcassistblock", "0"));
        assertThat(c.collectorSettings().designLabel()).isEqualTo("go1.5.1 + gcassistblock=0 (no release)");
    }

    @Test
    void assistBlockingDoesNotCountUnderGo16Marking() {
        // Go 1.6's assists park on the assist queue: gcassistblock says nothing there
        Design.Axes a = new Design.Axes(WakeupStrategy.NONE, true, PacerKind.GO16, BarrierKind.DIJKSTRA, MarkingKind.GO16);
        assertThat(Design.of(a)).isSameAs(Design.GO1_6);
        assertThat(Design.label(a)).isEqualTo("go1.6");
    }

    @Test
    void anAxisSetExplicitlyStaysOnTopOfTheDesignAndIsLabelledNoRelease() {
        Config c = Config.defaults().withGodebug(Config.parseGodebug("gcdesign=go1.6,gcwakeup=park"));
        assertThat(c.wakeup()).isEqualTo(WakeupStrategy.PARK);
        assertThat(c.marking()).isEqualTo(MarkingKind.GO16);
        assertThat(c.pacer()).isEqualTo(PacerKind.GO16);
        assertThat(c.collectorSettings().designLabel()).isEqualTo("go1.6 + gcwakeup=park (no release)");
        // the same, the design set after the axis: the axis still wins
        Config d = Config.defaults().withWakeup(WakeupStrategy.PARK).withDesign(Design.GO1_6);
        assertThat(d.collectorSettings().axes()).isEqualTo(c.collectorSettings().axes());
        // without a design, each axis has its own default, which is no release
        assertThat(Config.defaults().design()).isNull();
        assertThat(Design.label(Config.defaults().collectorSettings().axes())).endsWith("(no release)");
        assertThat(Config.defaults().withGodebug(Map.of("gcassistblock", "0")).withDesign(Design.GO1_5_1).assistBlock())
                .as("an explicit gcassistblock=0 over go1.5.1").isFalse();
    }

    @Test
    void theSetUpsOfTheParametrisedTestsTakeEveryValueOfEveryAxis() {
        List<Design.Axes> axes = gort.testing.Designs.SETUPS.stream()
                .map(s -> gort.testing.Designs.apply(Config.defaults(), s).collectorSettings().axes()).toList();
        assertThat(axes).as("every design").containsAll(Arrays.stream(Design.values()).map(Design::axes).toList());
        assertThat(axes.stream().map(Design.Axes::wakeup)).containsAll(List.of(WakeupStrategy.values()));
        assertThat(axes.stream().map(Design.Axes::pacer)).containsAll(List.of(PacerKind.values()));
        assertThat(axes.stream().map(Design.Axes::barrier)).containsAll(List.of(BarrierKind.values()));
        assertThat(axes.stream().map(Design.Axes::marking)).containsAll(List.of(MarkingKind.values()));
        assertThat(axes.stream().filter(a -> a.marking() == MarkingKind.GO15).map(Design.Axes::assistBlock)).contains(true, false);
    }

    @Test
    void aViolatedConstraintIsRefused() {
        Design.Axes a = Design.GO1_5_1.axes();
        Design.Constraints go15 = Design.GO1_5_1.constraints();
        Design.check("ok", go15, a, barrier(true));
        assertThatThrownBy(() -> Design.check("deletion", new Design.Constraints(true, GcPhase.MARK2, true), a, barrier(false)))
                .hasMessageContaining("design deletion needs a barrier given the overwritten pointer");
        assertThatThrownBy(() -> Design.check("norescan", new Design.Constraints(false, GcPhase.MARK2, false), a, barrier(true)))
                .hasMessageContaining("barrier needs every stack rescanned at mark termination, which design norescan does not do");
        Design.check("norescan", new Design.Constraints(false, GcPhase.MARK2, false), a, barrier(false));
        // gort's phases allocate black from mark 2: a design that says otherwise is refused
        assertThatThrownBy(() -> Design.check("black", new Design.Constraints(false, GcPhase.MARK, true), a, barrier(true)))
                .hasMessageContaining("design black allocates black from MARK, but phase MARK does not");
    }
}
