package gort.cli;

import static gort.cli.CliTest.assertUsageError;
import static gort.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output files ({@code --json}, {@code --out}, {@code --report}) never replace what is not a
 * regular file: a symbolic link is written through, a FIFO and a device are written in place, a
 * regular file is replaced whole; every bad output path is refused in one line before any work.
 */
class OutputFileTest {
    /** A quick command that writes --json FILE. */
    static CliTest.Result benchTo(Path json) {
        return exec("bench", "pingpong", "--procs", "1", "--ops", "2000", "--reps", "1", "--json", json.toString());
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    static String jsonStart(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).substring(0, Math.min(40, b.length));
    }

    @Test
    void jsonOntoASymlinkWritesItsTargetAndKeepsTheLink(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), Path.of("real.json"));
        CliTest.Result r = benchTo(link);
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readString(real)).startsWith("{\"benchmark\":\"pingpong\"");
        assertThat(names(dir)).containsExactly("out.json", "real.json");

        Path dangling = Files.createSymbolicLink(dir.resolve("new.json"), Path.of("made.json"));
        assertThat(benchTo(dangling).code()).isZero();
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(dir.resolve("made.json"))).startsWith("{\"benchmark\"");
    }

    @Test
    void jsonIntoAFifoWithAReader(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        Assumptions.assumeTrue(sh("mkfifo", fifo.toString()) == 0, "mkfifo is not available here");
        AtomicReference<byte[]> got = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                got.set(Files.readAllBytes(fifo)); // blocks until gort opens it, ends when gort closes it
            } catch (IOException e) {
                got.set(("reader failed: " + e).getBytes(StandardCharsets.UTF_8));
            }
        });
        reader.setDaemon(true);
        reader.start();
        CliTest.Result r = benchTo(fifo);
        reader.join(60_000);
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(got.get()).as("the reader got the JSON").isNotNull();
        assertThat(jsonStart(got.get())).startsWith("{\"benchmark\":\"pingpong\"");
        assertThat(OutputFile.fileType(fifo)).as("still a FIFO").isEqualTo("FIFO");
        assertThat(names(dir)).containsExactly("pipe");
    }

    @Test
    void jsonOntoAPrivateDeviceNode(@TempDir Path dir) throws Exception {
        Path nul = dir.resolve("null");
        int rc = sh("mknod", nul.toString(), "c", "1", "3"); // a private /dev/null
        Assumptions.assumeTrue(rc == 0, "mknod is not permitted here (it needs CAP_MKNOD): cannot make a device node to write to");
        CliTest.Result r = benchTo(nul);
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(OutputFile.fileType(nul)).as("still a device").isEqualTo("character device");
        assertThat(names(dir)).as("no temporary file left").containsExactly("null");

        Path full = dir.resolve("full");
        assertThat(sh("mknod", full.toString(), "c", "1", "7")).isZero(); // a private /dev/full
        assertUsageError(benchTo(full), "--json " + full, "cannot write it", "No space left on device");
        assertThat(OutputFile.fileType(full)).isEqualTo("character device");
        assertThat(names(dir)).containsExactly("full", "null");
    }

    @Test
    void badOutputPathsAreOneLineBeforeTheWork(@TempDir Path dir) throws Exception {
        CliTest.Result r = benchTo(dir);
        assertUsageError(r, "--json " + dir, "is a directory");
        assertThat(r.out()).as("nothing ran").isEmpty();
        assertThat(names(dir.getParent())).doesNotContain(dir.getFileName() + ".tmp");

        boolean dotTmpBefore = Files.exists(Path.of(".tmp"));
        r = exec("bench", "pingpong", "--json", "");
        assertUsageError(r, "--json \"\"", "empty file name");
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(Path.of(".tmp"))).isEqualTo(dotTmpBefore);

        Path existing = dir.resolve("notes.txt");
        Files.writeString(existing, "keep me");
        r = exec("compare", "json", "--procs", "1", "--seconds", "1", "--report", existing.toString());
        assertUsageError(r, "--report " + existing, "not a directory");
        assertThat(r.out()).as("refused before the first strategy ran").isEmpty();
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        r = exec("compare", "json", "--report", "");
        assertUsageError(r, "--report \"\"", "empty directory name");
        r = exec("compare", "json", "--report", existing.resolve("sub").toString());
        assertUsageError(r, "cannot be created");
        assertThat(names(dir)).containsExactly("notes.txt");
    }

    @Test
    void aReplacedFileKeepsItsPermissionsAndANewOneGetsTheUmasks(@TempDir Path dir) throws Exception {
        Path probe = Files.createFile(dir.resolve("probe")); // what the umask gives a new file
        Set<PosixFilePermission> umasks = Files.getPosixFilePermissions(probe);
        Path fresh = dir.resolve("fresh.json");
        assertThat(benchTo(fresh).code()).isZero();
        assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(umasks);

        Path old = dir.resolve("old.json");
        Files.writeString(old, "old");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(benchTo(old).code()).isZero();
        assertThat(Files.readString(old)).startsWith("{");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-r-----");

        Path doc = dir.resolve("code.json");
        assertThat(exec("gen", "json", "--out", doc.toString()).code()).isZero();
        assertThat(Files.getPosixFilePermissions(doc)).as("gen's file gets the umask's permissions").isEqualTo(umasks);
        assertThat(names(dir)).containsExactly("code.json", "fresh.json", "old.json", "probe");
    }
}
