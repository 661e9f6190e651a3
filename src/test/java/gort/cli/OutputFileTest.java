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
 * regular file: a symbolic link is written through, a FIFO and a device are written in place, gort's
 * own stdout through its descriptor, a regular file is replaced whole, by every command without
 * asking, and a reused report directory loses gort's earlier files only; every bad output path is
 * refused in one line before any work; a write that fails after the work keeps the content in a
 * file it names.
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
        return new String(b, StandardCharsets.UTF_8).substring(0, Math.min(4000, b.length));
    }

    @Test
    void jsonOntoASymlinkWritesItsTargetAndKeepsTheLink(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), Path.of("real.json"));
        CliTest.Result r = benchTo(link);
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readString(real)).startsWith("{\"environment\":").contains("\"benchmark\":\"pingpong\"");
        assertThat(names(dir)).containsExactly("out.json", "real.json");

        Path dangling = Files.createSymbolicLink(dir.resolve("new.json"), Path.of("made.json"));
        assertThat(benchTo(dangling).code()).isZero();
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(dir.resolve("made.json"))).startsWith("{\"environment\":").contains("\"benchmark\"");
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
        assertThat(jsonStart(got.get())).startsWith("{\"environment\":").contains("\"benchmark\":\"pingpong\"");
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
    }

    @Test
    void aWriteThatFailsAfterTheWorkKeepsTheContentAndSaysWhere(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(OutputFile.fileType(Path.of("/dev/full")).equals("character device"), "no /dev/full here");
        Path work = Files.createDirectory(dir.resolve("work"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        for (int i = 1; i <= 2; i++) {
            // a real process: the content is kept in its working directory
            LaunchedGort g = LaunchedGort.start(work, tmp, "bench", "pingpong", "--procs", "1", "--ops", "2000", "--reps", "1", "--json",
                    "/dev/full");
            try {
                assertThat(g.await(300)).isTrue();
                Path kept = work.resolve(i == 1 ? "gort-kept-full" : "gort-kept-2-full"); // an earlier one is never replaced
                assertThat(g.process().exitValue()).as("stderr=%s", g.err()).isEqualTo(2);
                assertThat(g.out()).as("the results were printed first").contains("pingpong: procs=1 ops=2000");
                assertThat(g.errLines()).containsExactly("gort: --json /dev/full: cannot write it: No space left on device; its content is in "
                        + kept + " instead");
                assertThat(Files.readString(kept)).startsWith("{\"environment\":").contains("\"benchmark\":\"pingpong\"");
            } finally {
                g.kill();
            }
        }
        assertThat(names(work)).containsExactly("gort-kept-2-full", "gort-kept-full");
    }

    @Test
    void aFileOfTheKernelsProcIsRefusedBeforeTheWork(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("proc".equals(OutputFile.kernelFileSystem(Path.of("/proc/version"))), "no /proc here");
        CliTest.Result r = benchTo(Path.of("/proc/version"));
        assertUsageError(r, "--json /proc/version", "proc file system");
        assertThat(r.out()).as("refused before the work").isEmpty();
        assertUsageError(exec("run", "pingpong", "--trace", "/proc/gort-trace.json"), "--trace /proc/gort-trace.json", "proc file system");
        assertUsageError(exec("run", "pingpong", "--report", "/proc/gort-report"), "--report /proc/gort-report", "proc file system");
    }

    @Test
    void aReusedReportDirectoryHoldsTheNewReportAndTheUsersFilesOnly(@TempDir Path dir) throws Exception {
        Path rep = Files.createDirectory(dir.resolve("rep"));
        Files.writeString(rep.resolve("notes.txt"), "mine");
        Files.writeString(rep.resolve("heap-mine.png"), "mine too");
        CliTest.Result first = exec("run", "bintree", "--depth", "8", "--procs", "1", "--wakeup", "park", "--report", rep.toString());
        assertThat(first.code()).as("stderr=%s", first.err()).isZero();
        assertThat(rep.resolve("heap-park.png")).exists();
        // a list of gort's files that names what gort never writes there is not obeyed
        Files.createDirectory(rep.resolve("sub"));
        Files.writeString(dir.resolve("outside.txt"), "outside");
        Files.writeString(rep.resolve(DirManifest.NAME), Files.readString(rep.resolve(DirManifest.NAME)) + "sub\n../outside.txt\n.hidden\n");
        Files.writeString(rep.resolve(".hidden"), "hidden");

        CliTest.Result second = exec("run", "bintree", "--depth", "8", "--procs", "1", "--wakeup", "note", "--report", rep.toString());
        assertThat(second.code()).as("stderr=%s", second.err()).isZero();
        java.util.Set<String> report = DirManifest.read(rep);
        assertThat(report).as("the new report's files").contains("index.html", "heap-note.png")
                .isSubsetOf(gort.trace.HtmlReport.fileNames(java.util.List.of("note"), true));
        java.util.List<String> expected = new java.util.ArrayList<>(report);
        expected.addAll(java.util.List.of(DirManifest.NAME, ".hidden", "heap-mine.png", "notes.txt", "sub"));
        assertThat(names(rep)).as("the earlier report's files are gone, the user's stay").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readString(rep.resolve("index.html"))).contains("heap-note.png").doesNotContain("heap-park.png");
        assertThat(Files.readString(dir.resolve("outside.txt"))).isEqualTo("outside");
    }

    @Test
    void genOverwritesAsEveryCommandAndWritesGortsStdoutInPlace(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("doc.json"), "old");
        assertThat(exec("gen", "json", "--out", f.toString()).code()).as("no --force needed").isZero();
        assertThat(Files.readAllBytes(f)).isEqualTo(gort.workloads.json.Document.embedded());
        assertThat(exec("gen", "json", "--out", f.toString(), "--force").code()).as("--force is still accepted").isZero();

        // ./gort gen json --out /dev/stdout > FILE, and >> FILE: written through gort's own stdout, at its position
        Path work = Files.createDirectory(dir.resolve("work"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path redirected = Files.writeString(dir.resolve("redirected.json"), "head\n");
        for (ProcessBuilder.Redirect to : java.util.List.of(ProcessBuilder.Redirect.to(redirected.toFile()),
                ProcessBuilder.Redirect.appendTo(redirected.toFile()))) {
            LaunchedGort g = LaunchedGort.start(work, tmp, to, "gen", "json", "--out", "/dev/stdout");
            try {
                assertThat(g.await(300)).isTrue();
                assertThat(g.process().exitValue()).as("stderr=%s", g.err()).isZero();
                assertThat(g.errLines()).as("the line goes to stderr: on stdout it would spoil the document").singleElement()
                        .satisfies(l -> assertThat(l).startsWith("wrote /dev/stdout: 1954124 bytes of JSON"));
            } finally {
                g.kill();
            }
        }
        byte[] doc = gort.workloads.json.Document.embedded();
        byte[] got = Files.readAllBytes(redirected);
        assertThat(got.length).as(">, then >>: the document twice").isEqualTo(2 * doc.length);
        assertThat(java.util.Arrays.copyOfRange(got, doc.length, got.length)).isEqualTo(doc);
        assertThat(names(work)).isEmpty();
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
