package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gort.trace.FidelityTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * gort fidelity's order of runs in a round (each matched run follows the anchor's run whose rate
 * it takes), and a child that does not exit in its time is stopped, not waited for.
 */
class FidelityOrderTest {
    static final List<String> ALL = List.of(FidelityTable.GO, FidelityTable.GORT, FidelityTable.GORT_MATCHED);

    @Test
    void theMatchedRunComesRightAfterTheAnchorsInEveryRound() {
        for (int r = 1; r <= 4; r++) {
            List<String> o = FidelityCommand.order(ALL, r);
            assertThat(o).containsExactlyInAnyOrderElementsOf(ALL);
            assertThat(o.indexOf(FidelityTable.GORT_MATCHED)).as("round " + r).isEqualTo(o.indexOf(FidelityTable.GO) + 1);
        }
        assertThat(FidelityCommand.order(ALL, 1)).startsWith(FidelityTable.GO);
        assertThat(FidelityCommand.order(ALL, 2)).startsWith(FidelityTable.GORT);
        assertThat(FidelityCommand.order(List.of(FidelityTable.GO, FidelityTable.GORT), 2))
                .containsExactly(FidelityTable.GORT, FidelityTable.GO);
    }

    @Test
    void aChildPastItsLimitIsStoppedAndReportedAsHung(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "600");
        assertThat(FidelityCommand.run(pb, dir.resolve("hung.log"), "sleep", 1)).isNull();
        assertThat(FidelityCommand.run(new ProcessBuilder("echo", "gc"), dir.resolve("ok.log"), "echo", 60)).isNotNull();
    }
}
