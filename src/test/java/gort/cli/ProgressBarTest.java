package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The progress line's bar: filled in proportion to the measured window's elapsed time, and within
 * its width whatever the time reads (the run's thread writes the window's start while the drawing
 * thread reads the clock, so the elapsed time can come out negative; past the budget it exceeds it).
 */
class ProgressBarTest {
    @Test
    void theBarStaysWithinItsWidth() {
        assertThat(Progress.bar(0, 4, 30)).isEqualTo(".".repeat(30));
        assertThat(Progress.bar(2, 4, 30)).isEqualTo("#".repeat(15) + ".".repeat(15));
        assertThat(Progress.bar(9, 4, 30)).isEqualTo("#".repeat(30));
        assertThat(Progress.bar(-1, 4, 30)).isEqualTo(".".repeat(30));
    }
}
