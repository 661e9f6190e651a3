package gort.cli;

import static gort.cli.CliTest.assertUsageError;
import static gort.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two paths of one command that name the same file — an input and an output, or two outputs — are
 * refused in one line (exit 2) before any work, whatever the spelling, through symbolic and hard
 * links, and so is a path inside the directory a report is written into; the files are left as
 * they were.
 */
class PathClashTest {
    /** The refusal: one line naming both, nothing run. */
    static void assertClash(CliTest.Result r, String... mentions) {
        assertUsageError(r, mentions);
        assertThat(r.out()).as("nothing ran").isEmpty();
    }

    static Path doc(Path dir) throws Exception {
        return Files.write(dir.resolve("doc.json"), gort.workloads.json.Document.embedded());
    }

    @Test
    void anInputAndTheJsonOfOneFile(@TempDir Path dir) throws Exception {
        Path f = doc(dir);
        assertClash(exec("run", "json", "--ops", "1", "--input", f.toString(), "--json", f.toString()),
                "--input " + f + " and --json " + f + " name the same file");
        assertClash(exec("bench", "json", "--ops", "1", "--reps", "1", "--input", f.toString(), "--json", f.toString()), "name the same file");
        assertClash(exec("compare", "json", "--ops", "1", "--input", f.toString(), "--json", f.toString()), "name the same file");
        assertThat(Files.readAllBytes(f)).as("the input is untouched").isEqualTo(gort.workloads.json.Document.embedded());
    }

    @Test
    void theJsonAndTheTraceOfOneFile(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.json");
        assertClash(exec("run", "pingpong", "--ops", "100", "--json", x.toString(), "--trace", x.toString()),
                "--json " + x + " and --trace " + x + " name the same file");
        assertThat(x).doesNotExist();
        Files.writeString(x, "keep me");
        assertClash(exec("run", "pingpong", "--ops", "100", "--json", x.toString(), "--trace", x.toString()), "name the same file");
        assertThat(Files.readString(x)).isEqualTo("keep me");
    }

    @Test
    void throughSymbolicAndHardLinks(@TempDir Path dir) throws Exception {
        Path f = doc(dir);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.json"), f.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.json"), f);
        assertClash(exec("run", "json", "--ops", "1", "--input", f.toString(), "--json", soft.toString()), "--json " + soft,
                "name the same file");
        assertClash(exec("run", "json", "--ops", "1", "--input", hard.toString(), "--json", f.toString()), "--input " + hard,
                "name the same file");
        assertClash(exec("run", "json", "--ops", "1", "--input", soft.toString(), "--json", hard.toString()), "name the same file");
        // a dangling link names the file it would create
        Path dangling = Files.createSymbolicLink(dir.resolve("new.json"), Path.of("made.json"));
        assertClash(exec("run", "pingpong", "--ops", "100", "--json", dangling.toString(), "--trace", dir.resolve("made.json").toString()),
                "name the same file");
        assertThat(Files.readAllBytes(f)).isEqualTo(gort.workloads.json.Document.embedded());
        assertThat(dir.resolve("made.json")).doesNotExist();
    }

    @Test
    void spelledTwoWays(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.json");
        Path rel = Path.of("").toAbsolutePath().relativize(x); // x as a path relative to the working directory
        assertClash(exec("run", "pingpong", "--ops", "100", "--json", rel.toString(), "--trace", "./" + rel), "--json " + rel,
                "--trace ./" + rel, "name the same file");
        Files.createDirectory(dir.resolve("sub"));
        assertClash(exec("run", "pingpong", "--ops", "100", "--json", x.toString(), "--trace", dir.resolve("sub/../x.json").toString()),
                "name the same file");
        assertThat(x).doesNotExist();
    }

    @Test
    void aPathInsideTheReportDirectory(@TempDir Path dir) throws Exception {
        Path rep = Files.createDirectory(dir.resolve("rep"));
        assertClash(exec("run", "pingpong", "--ops", "100", "--report", rep.toString(), "--json", rep.resolve("x.json").toString()),
                "--json " + rep.resolve("x.json") + " is inside the --report directory " + rep);
        Files.createDirectory(rep.resolve("sub"));
        assertClash(exec("run", "pingpong", "--ops", "100", "--report", rep.toString(), "--trace", rep.resolve("sub/../t.json").toString()),
                "is inside the --report directory");
        // a hard link from outside to a file the report writes
        Path index = Files.writeString(rep.resolve("index.html"), "an earlier report");
        Path outside = Files.createLink(dir.resolve("page.json"), index);
        assertClash(exec("run", "pingpong", "--ops", "100", "--report", rep.toString(), "--json", outside.toString()),
                "is inside the --report directory");
        // an input may be there, but not as a file the report replaces
        assertClash(exec("run", "json", "--ops", "1", "--report", rep.toString(), "--input", index.toString()),
                "--input " + index + " is a file gort replaces or removes in the --report directory " + rep);
        // one new path for both
        Path both = dir.resolve("both");
        assertClash(exec("run", "pingpong", "--ops", "100", "--report", both.toString(), "--json", both.toString()), "name the same file");
        assertThat(both).doesNotExist();
        assertThat(Files.readString(index)).isEqualTo("an earlier report");
        assertThat(OutputFileTest.names(rep)).containsExactly("index.html", "sub");
    }

    @Test
    void anInputBesideTheReportIsFine(@TempDir Path dir) throws Exception {
        Path rep = Files.createDirectory(dir.resolve("rep"));
        Path in = Files.copy(doc(dir), rep.resolve("doc.json"));
        CliTest.Result r = exec("run", "json", "--ops", "1", "--procs", "1", "--input", in.toString(), "--report", rep.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(rep.resolve("index.html")).exists();
        assertThat(Files.readAllBytes(in)).isEqualTo(gort.workloads.json.Document.embedded());
    }

    @Test
    void comparesTracePerRunAgainstTheJson(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.json");
        Path park = dir.resolve("t-park.json");
        assertClash(exec("compare", "bintree", "--depth", "8", "--trace", t.toString(), "--json", park.toString()),
                "--json " + park + " and --trace " + park + " name the same file");
        assertThat(OutputFileTest.names(dir)).isEmpty();
    }

    @Test
    void theProgramAndAnOutput(@TempDir Path dir) throws Exception {
        Path prog = Files.writeString(dir.resolve("Prog.java"), "class Prog { public static void main(String[] a) {} }\n");
        assertClash(exec("run", prog.toString(), "--json", prog.toString()), "the program " + prog + " and --json " + prog);
        assertClash(exec("bench", prog.toString(), "--json", prog.toString()), "name the same file");
        assertThat(Files.readString(prog)).startsWith("class Prog");
    }

    @Test
    void twoOutputsMayShareACharacterDevice(@TempDir Path dir) throws Exception {
        Path trace = Files.createSymbolicLink(dir.resolve("t.json"), Path.of("/dev/null")); // (a trace's name says its format)
        CliTest.Result r = exec("run", "pingpong", "--ops", "100", "--json", "/dev/null", "--trace", trace.toString());
        assertThat(r.code()).as("stderr=%s", r.err()).isZero();
        assertThat(Files.isSymbolicLink(trace)).isTrue();
    }
}
