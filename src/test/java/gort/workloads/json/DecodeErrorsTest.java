package gort.workloads.json;

import gort.api.Raw;
import static gort.workloads.json.CodecTest.doc;
import static gort.workloads.json.CodecTest.node;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Go;
import gort.testing.Rt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every way a document can be wrong gives a DecodeException naming where (path, or line and column). */
class DecodeErrorsTest {

    /** Decodes in a runtime and returns the DecodeException, failing if there is none. */
    static DecodeException error(String json) {
        AtomicReference<DecodeException> err = new AtomicReference<>();
        Rt.run(1, () -> {
            int depth = Raw.stack().depth();
            try {
                new Decoder(Schema.newZerobase()).decode(json.getBytes(StandardCharsets.UTF_8));
            } catch (DecodeException e) {
                err.set(e);
            }
            assertThat(Raw.stack().depth()).as("frames popped after an error").isEqualTo(depth);
        });
        assertThat(err.get()).as("no error for %s", json).isNotNull();
        return err.get();
    }

    static String kids(String... nodes) {
        return "[" + String.join(",", nodes) + "]";
    }

    static String leaf(String name) {
        return node("\"" + name + "\"", "[]");
    }

    @Test
    void wrongTypeNamesThePath() {
        String bad = leaf("d").replace("\"touches\":1", "\"touches\":\"abc\"");
        DecodeException e = error(doc(node("\"r\"", kids(leaf("a"), leaf("b"), leaf("c"), bad))));
        assertThat(e).hasMessage("$.tree.kids[3].touches: expected an integer, got \"abc\"");
        assertThat(e.path()).isEqualTo("$.tree.kids[3].touches");
        assertThat(e.malformed()).isFalse();
    }

    @Test
    void nonIntegerTouches() {
        assertThat(error(doc(leaf("a").replace("\"touches\":1", "\"touches\":1.5")))).hasMessage("$.tree.touches: expected an integer, got 1.5");
        assertThat(error(doc(leaf("a").replace("\"min_t\":2", "\"min_t\":2e3")))).hasMessage("$.tree.min_t: expected an integer, got 2e3");
    }

    @Test
    void integerOutOfRange() {
        assertThat(error(doc(leaf("a").replace("\"max_t\":3", "\"max_t\":9223372036854775808"))))
                .hasMessage("$.tree.max_t: expected an integer in the int64 range, got 9223372036854775808");
    }

    @Test
    void floatOutOfRange() {
        assertThat(error(doc(leaf("a").replace("\"cl_weight\":1", "\"cl_weight\":1e999"))))
                .hasMessage("$.tree.cl_weight: expected a number in the float64 range, got 1e999");
    }

    @Test
    void wrongTypesOfStringsObjectsAndArrays() {
        assertThat(error(doc(node("7", "[]")))).hasMessage("$.tree.name: expected a string, got 7");
        assertThat(error(doc(node("\"a\"", "{}")))).hasMessage("$.tree.kids: expected an array of objects or null, got an object");
        assertThat(error(doc(node("\"a\"", "[" + leaf("b") + ",[]]")))).hasMessage("$.tree.kids[1]: expected an object (a Node), got an array");
        assertThat(error(doc(leaf("a").replace("\"cl_weight\":1", "\"cl_weight\":true")))).hasMessage("$.tree.cl_weight: expected a number, got true");
        assertThat(error("{\"tree\":[],\"username\":\"u\"}")).hasMessage("$.tree: expected an object, got an array");
        assertThat(error("{\"tree\":" + leaf("a") + ",\"username\":{}}")).hasMessage("$.username: expected a string, got an object");
        assertThat(error("[1]")).hasMessage("$: expected an object, got an array");
    }

    @Test
    void nullIsOnlyAllowedForKids() {
        assertThat(error(doc(node("null", "[]")))).hasMessage("$.tree.name: expected a string, got null");
        assertThat(error("{\"tree\":null,\"username\":\"u\"}")).hasMessage("$.tree: expected an object, got null");
        assertThat(error(doc(node("\"a\"", "[null]")))).hasMessage("$.tree.kids[0]: expected an object (a Node), got null");
    }

    @Test
    void unknownFieldIsRejected() {
        DecodeException e = error(doc(node("\"a\"", kids(leaf("b"), leaf("c").replace("{\"name\"", "{\"color\":\"red\",\"name\"")))));
        assertThat(e).hasMessageStartingWith("$.tree.kids[1].color: unknown field (a Node has exactly: name, kids, cl_weight, touches, min_t, max_t, mean_t)");
        assertThat(error("{\"tree\":" + leaf("a") + ",\"username\":\"u\",\"extra\":1}")).hasMessageStartingWith("$.extra: unknown field");
        assertThat(error(doc(leaf("a").replace("\"name\"", "\"Name\"")))).as("keys match exactly, not case-insensitively as in Go")
                .hasMessageStartingWith("$.tree.Name: unknown field");
    }

    @Test
    void missingFields() {
        assertThat(error("{\"username\":\"u\"}")).hasMessageStartingWith("$.tree: missing field (a Response needs both tree and username");
        assertThat(error("{\"tree\":" + leaf("a") + "}")).hasMessageStartingWith("$.username: missing field");
        assertThat(error(doc(node("\"a\"", kids(leaf("b").replace(",\"touches\":1", "")))))).hasMessageStartingWith(
                "$.tree.kids[0].touches: missing field (a Node needs every one of its fields; kids may be null: name, kids,");
        assertThat(error(doc(leaf("a").replace("\"kids\":[],", "")))).hasMessageStartingWith("$.tree.kids: missing field");
    }

    @Test
    void duplicateField() {
        assertThat(error(doc(leaf("a").replace("\"touches\":1", "\"touches\":1,\"touches\":2")))).hasMessage("$.tree.touches: duplicate field (each field may appear once)");
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        DecodeException e = error("{\"tree\": {\"name\": \"a\",\n  \"kids\": [,]}}");
        assertThat(e.malformed()).isTrue();
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(12);
        assertThat(e).hasMessageStartingWith("malformed JSON at line 2, column 12 (in $.tree.kids): Unexpected character (','");
    }

    @Test
    void truncatedDocument() {
        String full = doc(leaf("a"));
        DecodeException e = error(full.substring(0, full.length() / 2));
        assertThat(e.malformed()).isTrue();
        assertThat(e).hasMessageContaining("malformed JSON at line 1").hasMessageContaining("end-of-input");
    }

    @Test
    void emptyAndTrailingInput() {
        assertThat(error("  ")).hasMessage("$: expected an object, got no value (the document is empty)");
        assertThat(error(doc(leaf("a")) + " {}")).hasMessage("$: expected the end of the input after the top-level object, got an object");
        assertThat(error(doc(leaf("a")) + " x").malformed()).isTrue();
    }

    @Test
    void invalidUtf8IsMalformed() {
        AtomicReference<DecodeException> err = new AtomicReference<>();
        byte[] in = doc(leaf("ab")).getBytes(StandardCharsets.UTF_8);
        int at = new String(in, StandardCharsets.UTF_8).indexOf("ab");
        in[at] = (byte) 0xC3; // a two-byte lead followed by 'b'
        Rt.run(1, () -> {
            try {
                new Decoder(Schema.newZerobase()).decode(in);
            } catch (DecodeException e) {
                err.set(e);
            }
        });
        assertThat(err.get()).isNotNull();
        assertThat(err.get().malformed()).isTrue();
        assertThat(err.get()).hasMessageContaining("$.tree.name").hasMessageContaining("UTF-8");
    }

    /** A valid document whose tree nests {@code levels} Nodes, each the only kid of its parent. */
    static String nested(int levels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            sb.append("{\"name\":\"n\",\"kids\":[");
        }
        sb.append("]");
        for (int i = 0; i < levels; i++) {
            sb.append(",\"cl_weight\":1,\"touches\":1,\"min_t\":2,\"max_t\":3,\"mean_t\":4}");
            if (i < levels - 1) {
                sb.append("]");
            }
        }
        return doc(sb.toString());
    }

    @Test
    void validJsonNestedBeyondTheLimitSaysSoInOneShortLine() {
        DecodeException e = error(nested(5000)); // 10,001 levels of objects and arrays
        assertThat(e.getMessage()).startsWith("$: valid JSON nested 10001 levels deep, deeper than the decoder's limit of 500 levels")
                .contains("line 1, column").contains("Go's encoding/json allows 10000")
                .doesNotContain("StreamReadConstraints").doesNotContain("kids[0].kids[0]");
        assertThat(e.getMessage().length()).isLessThan(200);
        // deep and broken: says where it breaks, not that it is valid
        String broken = nested(5000);
        broken = broken.substring(0, broken.length() - 40) + "," + broken.substring(broken.length() - 40);
        assertThat(error(broken).getMessage()).startsWith("malformed JSON at line 1").doesNotContain("valid JSON nested");
    }

    @Test
    void aDeepPathShowsItsEndsOnly() {
        String deep = nested(200).replace("\"touches\":1,\"min_t\":2,\"max_t\":3,\"mean_t\":4}]", "\"touches\":\"x\",\"min_t\":2,\"max_t\":3,\"mean_t\":4}]");
        DecodeException e = error(deep);
        assertThat(e.getMessage()).startsWith("$.tree.kids[0].kids[0].kids[0].kids[0].kids[0].kids[0]...(187 more levels)....kids[0]")
                .endsWith(".touches: expected an integer, got \"x\"");
        assertThat(e.getMessage().length()).isLessThan(200);
    }

    @Test
    void nullKidsIsAccepted() {
        AtomicReference<Long> kids = new AtomicReference<>();
        Rt.run(1, () -> {
            var h = Raw.heap();
            long r = new Decoder(Schema.newZerobase()).decode(doc(node("\"a\"", "null")).getBytes(StandardCharsets.UTF_8));
            kids.set(h.loadPtr(h.loadPtr(r, Schema.TREE), Schema.KIDS));
        });
        assertThat(kids.get()).isZero();
    }
}
