package gort.workloads.json;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gort.api.Config;
import gort.api.Go;
import gort.api.WaitGroup;
import gort.testing.Rt;
import gort.workloads.Workload;
import gort.workloads.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The json workload end to end, and its self-check under collection pressure. */
class JsonWorkloadTest {
    static final byte[] SMALL = Document.generate(11, 80_000);

    /**
     * GOGC=10 and a goroutine forcing collections back to back while 4×procs workers decode and
     * encode: the collector runs while fresh and shared trees are live, and every check passes.
     */
    @ParameterizedTest(name = "procs={0}")
    @ValueSource(ints = {1, 2})
    void selfCheckPassesWhileTheCollectorRuns(int procs) {
        AtomicInteger cycles = new AtomicInteger();
        Rt.run(Config.defaults().withGomaxprocs(procs).withGogc(10), () -> {
            JsonWorkload.Shared s = JsonWorkload.Shared.setUp(SMALL, true, NodeWork.NONE);
            int g = 4 * procs;
            int before = Go.readMemStats().numGC();
            AtomicBoolean stop = new AtomicBoolean();
            WaitGroup gcDone = new WaitGroup();
            gcDone.add(1);
            Go.go("forced-gc", () -> {
                while (!stop.get()) {
                    Go.gc();
                    Go.gosched();
                }
                gcDone.done();
            });
            s.round(g, g, true);
            Go.gc();
            s.round(3L * g, g, false);
            stop.set(true);
            gcDone.await();
            Go.gc();
            s.checkShared();
            cycles.set(Go.readMemStats().numGC() - before);
        });
        assertThat(cycles.get()).as("collections during the rounds").isGreaterThan(4);
    }

    @Test
    void aDamagedSharedTreeFailsTheCheckLoudly() {
        Rt.run(1, () -> {
            JsonWorkload.Shared s = JsonWorkload.Shared.setUp(SMALL, true, NodeWork.NONE);
            var h = Raw.heap();
            long tree = h.loadPtr(Raw.global(s.tree), Schema.TREE);
            long kid = h.loadPtr(h.loadPtr(tree, Schema.KIDS), 0);
            h.storeInt(kid, Schema.TOUCHES, 12345);
            assertThatThrownBy(s::checkShared).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the shared tree's final encoding").hasMessageContaining("freed or overwritten");
            long fresh = new Decoder(s.zerobase).decode(SMALL);
            assertThat(Trees.diff(h, fresh, Raw.global(s.tree))).isEqualTo("$.tree.kids[0].touches");
        });
    }

    @Test
    void anOpStopsAtItsDeadlineWithinAFewNodes() {
        Rt.run(1, () -> {
            int depth = Raw.stack().depth();
            var platform = gort.sched.Sched.current().platform();
            Deadline passed = new Deadline(platform, platform.nanotime() - 1);
            Decoder dec = new Decoder(Schema.newZerobase());
            dec.until(passed);
            long before = Go.readMemStats().mallocs();
            assertThatThrownBy(() -> dec.decode(SMALL)).isSameAs(Deadline.PASSED);
            long nodes = Go.readMemStats().mallocs() - before;
            // a node allocates itself, its name and its five number literals (Go 1.5.1's string(item))
            assertThat(nodes).as("objects allocated before the decoder looked at the clock").isLessThan(2 * 7L * Deadline.EVERY);
            assertThat(Raw.stack().depth()).as("frames popped").isEqualTo(depth);
            Encoder enc = new Encoder();
            long tree = new Decoder(Schema.newZerobase()).decode(SMALL);
            int f = Raw.stack().push(1);
            Raw.stack().set(f, 0, tree);
            enc.until(passed);
            assertThatThrownBy(() -> enc.encode(Raw.stack().get(f, 0))).isSameAs(Deadline.PASSED);
            Raw.stack().pop(f);
            assertThat(Raw.stack().depth()).isEqualTo(depth);
            Deadline future = new Deadline(platform, Long.MAX_VALUE);
            enc.until(future);
            assertThat(enc.encodeBytes(new Decoder(Schema.newZerobase()).decode(SMALL))).hasSize(SMALL.length);
        });
    }

    @Test
    void runsFromAnInputFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.json.gz");
        Document.write(file, SMALL);
        Workload w = Workloads.lookup("json");
        Workload.Result r = w.run(Config.defaults().withGomaxprocs(2), new Workload.Params(8, 2, 18, file));
        assertThat(r.nsPerOp()).hasSize(2);
        assertThat(java.util.Arrays.stream(r.nsPerOp()).min().orElseThrow()).isPositive();
        assertThat(r.extra()).containsEntry("bytes", SMALL.length).containsEntry("goroutines", 8)
                .containsKeys("numgc", "pause_total_ms", "ms_per_op");
        assertThat(r.summary()).contains("json: procs=2 ops=8 ns_per_op=");
    }

    @Test
    void aBadInputFileIsAnIllegalArgumentNamingFileAndPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, new String(SMALL, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\"touches\":\\d+", "\"touches\":\"x\""));
        assertThatThrownBy(() -> new JsonWorkload().run(Config.defaults().withGomaxprocs(1), new Workload.Params(1, 1, 18, file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--input " + file + ": $.tree.")
                .hasMessageEndingWith(".touches: expected an integer, got \"x\"");
        assertThatThrownBy(() -> new JsonWorkload().run(Config.defaults(), new Workload.Params(1, 1, 18, dir.resolve("none.json"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--input " + dir.resolve("none.json") + ": no such file");
    }
}
