package gort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a user reads names things as the user can look them up: the two Go changes behind the
 * wakeup strategies by their golang/go CL numbers and titles (CL 9291, CL 12670), never by the
 * names of files the project was started from, and nothing cites a document the repository does
 * not hold, nor needs a folder beside the clone. Reads every document, script and source file of
 * the repository (README.md, docs/, examples/, anchors/, bench/, scripts/, src/), so the words hold
 * for code comments and --help texts alike.
 */
class WordingTest {
    /** Where the user reads: the repository's documents, scripts and sources (not target/). */
    static List<Path> readable() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("gort"), Path.of("test")));
        for (String dir : List.of("docs", "examples", "anchors", "bench", "scripts", "src")) {
            try (Stream<Path> s = Files.walk(Path.of(dir))) {
                s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(md|java|sh|py|go|txt|proto)$")
                        || p.getParent().endsWith("scripts")).forEach(files::add);
            }
        }
        return files;
    }

    /** Every line of the readable files that matches p, as "path:line: text" (p may span a line break). */
    static List<String> find(Pattern p) throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path f : readable()) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Matcher m = p.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                hits.add(f + ":" + line + ": " + m.group());
            }
        }
        return hits;
    }

    @Test
    void theGoChangesAreNamedByTheirCls() throws IOException {
        assertThat(readable()).as("the scan sees the sources").contains(Path.of("src/main/java/gort/gc/WakeupStrategy.java"));
        // the project's internal file names for CL 9291 and CL 12670 (numbered 0xx), and their collective name
        Pattern internal = Pattern.compile("(?i)\\bseed\\s+0\\d\\d|\\bthe\\s+seeds\\b|\\bseeds[’']|\\bseed\\s+experiment|\\bseeds\\s+(in|read)\\b");
        assertThat(find(internal)).isEmpty();
    }

    @Test
    void nothingCitesADocumentTheRepositoryDoesNotHold() throws IOException {
        assertThat(find(Pattern.compile("\\bDESIGN\\.md"))).isEmpty();
    }

    @Test
    void nothingNeedsAFolderBesideTheClone() throws IOException {
        // a clone stands alone: a folder beside it is only one more place to find Go 1.5.1's source
        // tarball, and the default place of the reference build that check-reference.py compares
        // with (and anchors/README.md says so)
        assertThat(readable()).contains(Path.of("anchors/go15/build.sh"), Path.of("anchors/go/main.go"));
        assertThat(find(Pattern.compile("\\.\\./shared")))
                .allMatch(hit -> hit.startsWith("anchors/go15/tarball.sh:") || hit.startsWith("anchors/go15/check-reference.py:")
                        || hit.startsWith("anchors/README.md:"));
    }

    @Test
    void theStrategiesSayWhichGoChangeEachIs() {
        assertThat(gort.gc.WakeupStrategy.NOTE.description()).contains("before CL 9291");
        assertThat(gort.gc.WakeupStrategy.PARK.description()).startsWith("CL 9291");
        assertThat(gort.gc.WakeupStrategy.PARK_YIELD.description()).startsWith("CL 12670");
    }
}
