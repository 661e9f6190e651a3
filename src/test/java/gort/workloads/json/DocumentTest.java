package gort.workloads.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generated documents: code.json's size and shape, determinism, and files plain or gzipped. */
class DocumentTest {

    @Test
    void embeddedHasCodeJsonsSizeAndShape() {
        byte[] doc = Document.embedded();
        assertThat(doc.length).isBetween(1_900_000, 2_000_000);
        Document.Shape s = Document.shape(Document.SEED, Document.EMBEDDED_BYTES);
        assertThat(s.nodes()).isGreaterThan(10_000);
        assertThat(s.maxDepth()).isEqualTo(Document.MAX_DEPTH);
        assertThat((double) s.leaves() / s.nodes()).as("leaf share").isBetween(0.6, 0.9);

        JsonNode root = JsonMapper.builder().build().readTree(doc);
        assertThat(root.propertyNames()).containsExactly("tree", "username");
        assertThat(root.get("tree").get("name").asString()).isEqualTo("/");
        assertThat(root.get("tree").get("touches").asLong()).as("the root carries zeros, as code.json's").isZero();
        assertThat(root.get("tree").get("kids").size()).isGreaterThan(1);
    }

    @Test
    void deterministic() {
        assertThat(Document.generate(5, 50_000)).isEqualTo(Document.generate(5, 50_000));
        assertThat(Document.generate(5, 50_000)).isNotEqualTo(Document.generate(6, 50_000));
        assertThat(Document.embedded()).isEqualTo(Document.generate(Document.SEED, Document.EMBEDDED_BYTES));
    }

    @Test
    void sizeFollowsTheTarget() {
        for (int target : new int[] {20_000, 200_000}) {
            int n = Document.generate(3, target).length;
            // whole repositories are added until the target is reached; a deep one may hold 200 KB
            assertThat(n).as("target %d", target).isGreaterThanOrEqualTo(target).isLessThan(target + 400_000);
        }
        assertThatThrownBy(() -> Document.generate(1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 byte to 1 GiB");
    }

    @Test
    void writesAndReadsPlainAndGzip(@TempDir Path dir) throws Exception {
        byte[] doc = Document.generate(9, 30_000);
        Path plain = dir.resolve("d.json");
        Path gz = dir.resolve("d.json.gz");
        Document.write(plain, doc);
        Document.write(gz, doc);
        assertThat(Files.readAllBytes(plain)).isEqualTo(doc);
        assertThat(Files.size(gz)).isLessThan(doc.length / 2);
        assertThat(Document.read(plain)).isEqualTo(doc);
        assertThat(Document.read(gz)).isEqualTo(doc);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left").containsExactlyInAnyOrder("d.json", "d.json.gz");
        }
    }

    static byte[] gzip(byte[] b) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void inputIsBoundedUpFront(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Document.read(Path.of("/dev/zero"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/dev/zero: more than 268435456 bytes (256 MiB), the most the json workload reads (a device or a stream that does not end?)");
        Path huge = dir.resolve("huge.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // a sparse 3 GiB file: refused from its size, without reading it
        }
        assertThatThrownBy(() -> Document.read(huge)).hasMessage(huge + ": 3221225472 bytes is more than the json workload reads"
                + " (at most 268435456 bytes, 256 MiB)");
        Path bomb = dir.resolve("bomb.json.gz");
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bomb))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) {
                gz.write(zeros);
            }
        }
        assertThatThrownBy(() -> Document.read(bomb)).hasMessageContaining("gunzips to more than 268435456 bytes");
    }

    @Test
    void badFilesGiveClearErrors(@TempDir Path dir) throws Exception {
        Path notGz = dir.resolve("plain.json.gz");
        Files.writeString(notGz, "{}");
        assertThatThrownBy(() -> Document.read(notGz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(notGz + ": not a valid gzip file (Not in GZIP format)");

        Path truncated = dir.resolve("cut.json.gz");
        Document.write(truncated, Document.generate(9, 30_000));
        byte[] gz = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Document.read(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(truncated + ": not a valid gzip file (it is truncated)");

        assertThatThrownBy(() -> Document.read(dir.resolve("missing.json"))).hasMessage(dir.resolve("missing.json") + ": no such file");

        // several gzip members are one document, as gzip and Go read them; anything else after a member is an error
        byte[] part1 = gzip("{\"tree\":".getBytes());
        byte[] part2 = gzip("null}".getBytes());
        Path two = dir.resolve("two.json.gz");
        Files.write(two, concat(part1, part2));
        assertThat(new String(Document.read(two))).isEqualTo("{\"tree\":null}");
        Path junk = dir.resolve("junk.json.gz");
        Files.write(junk, concat(part1, "garbage".getBytes()));
        assertThatThrownBy(() -> Document.read(junk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(junk + ": not a valid gzip file (7 bytes after the end of gzip member 1 (at byte " + part1.length
                        + ") are not another gzip member)");
        Path badCrc = dir.resolve("crc.json.gz");
        byte[] c = part1.clone();
        c[c.length - 8] ^= 1;
        Files.write(badCrc, c);
        assertThatThrownBy(() -> Document.read(badCrc)).hasMessageContaining("fails its CRC check");
        assertThatThrownBy(() -> Document.read(dir)).hasMessage(dir + ": is a directory, not a JSON file");
    }
}
