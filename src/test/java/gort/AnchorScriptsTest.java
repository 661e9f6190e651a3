package gort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clone stands alone: the anchor build takes only Go 1.5.1's source tarball from outside, and
 * without it says in one line where to get it. Runs anchors/go15/build.sh from a copy of anchors/
 * in a folder with nothing beside it (no tarball is found, no Go is built).
 */
class AnchorScriptsTest {
    record Run(int exit, List<String> stderr) {}

    /** build.sh from a copy of anchors/ under root/gort, with the environment's tarball setting replaced by tarball (null: unset). */
    static Run build(Path root, String tarball) throws IOException, InterruptedException {
        Path clone = root.resolve("gort");
        for (String f : List.of("go15/build.sh", "go15/tarball.sh", "go15/runtime.patch", "go15/mgcwakeup.go", "go/main.go")) {
            Path to = clone.resolve("anchors").resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(Path.of("anchors").resolve(f), to);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", clone.resolve("anchors/go15/build.sh").toString(), root.resolve("out").toString());
        pb.environment().remove("GORT_GO15_TARBALL");
        if (tarball != null) {
            pb.environment().put("GORT_GO15_TARBALL", tarball);
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = root.resolve("stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("build.sh ended").isTrue();
        return new Run(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheTarballOneLineSaysWhereToGetIt(@TempDir Path root) throws Exception {
        Run r = build(root, null);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).singleElement().asString()
                .contains("https://dl.google.com/go/go1.5.1.src.tar.gz")
                .contains("a889873e98d9a72ae396a9b7dd597c29dcd709cafa9097d9c4ba04cff0ec436b")
                .contains("GORT_GO15_TARBALL");
        try (var s = Files.list(root.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("nothing built").isEmpty();
        }
    }

    @Test
    void aTarballThatIsNotGo151sIsOneLine(@TempDir Path root) throws Exception {
        Path fake = root.resolve("go1.5.1.src.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(fake))) {
            out.write("not go".getBytes(StandardCharsets.UTF_8));
        }
        Run r = build(root, fake.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).singleElement().asString().contains("is not Go 1.5.1's source tarball (sha256 ");
        Run missing = build(root.resolve("again"), root.resolve("nowhere.tar.gz").toString());
        assertThat(missing.stderr()).singleElement().asString().contains("nowhere.tar.gz: no such file");
    }
}
