package gort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Your own program" example compiles and runs exactly as written there: the test
 * takes the first Java block of that section from README.md, saves it under its class name and runs
 * it with {@code gort run}, as a newcomer would, checking the output the README promises.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeProgramRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Your own program");
        assertThat(section).as("README has a 'Your own program' section").isPositive();
        int start = readme.indexOf("```java\n", section);
        int end = readme.indexOf("```", start + 8);
        String src = readme.substring(start + 8, end);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("public class (\\w+)").matcher(src);
        assertThat(m.find()).isTrue();
        Path file = dir.resolve(m.group(1) + ".java");
        Files.writeString(file, src);
        String promised = readme.substring(end, readme.indexOf("## ", end));
        java.util.regex.Matcher p = java.util.regex.Pattern.compile("\\./gort run " + m.group(1) + "\\.java (\\d+) +# prints: (.*)")
                .matcher(promised);
        assertThat(p.find()).as("the README says what a run prints").isTrue();
        ProgramCliTest.Ran r = ProgramCliTest.exec("run", file.toString(), p.group(1));
        assertThat(r.code()).as(r.err() + r.programErr()).isZero();
        assertThat(r.programOut().strip()).isEqualTo(p.group(2).strip());
        assertThat(r.programErr()).isEmpty();
    }
}
