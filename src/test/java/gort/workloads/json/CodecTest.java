package gort.workloads.json;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.api.Heap;
import gort.gc.Stack;
import gort.testing.Rt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Decoder and Encoder: exact round trips, Go's output form, and the managed layout they build. */
class CodecTest {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** decode then encode in a fresh runtime (GOGC=10, so collections run during both); returns the text. */
    static byte[] roundTrip(byte[] doc, int procs) {
        AtomicReference<byte[]> out = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(procs).withGogc(10), () -> {
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, new Decoder(Schema.newZerobase()).decode(doc));
            out.set(new Encoder().encodeBytes(st.get(f, 0)));
            st.pop(f);
        });
        return out.get();
    }

    static String roundTrip(String doc) {
        return new String(roundTrip(doc.getBytes(StandardCharsets.UTF_8), 1), StandardCharsets.UTF_8);
    }

    static String node(String name, String kids) {
        return "{\"name\":" + name + ",\"kids\":" + kids + ",\"cl_weight\":1,\"touches\":1,\"min_t\":2,\"max_t\":3,\"mean_t\":4}";
    }

    static String doc(String tree) {
        return "{\"tree\":" + tree + ",\"username\":\"u\"}";
    }

    @Test
    void embeddedDocumentRoundTripsExactly() {
        byte[] in = Document.embedded();
        byte[] out = roundTrip(in, 2);
        assertThat(MAPPER.readTree(out)).isEqualTo(MAPPER.readTree(in));
        assertThat(out).as("canonical: byte for byte (first difference at %d)", java.util.Arrays.mismatch(in, out)).isEqualTo(in);
    }

    @Test
    void reordersKeysDropsWhitespaceAndRewritesNumbersAsGoDoes() {
        String in = """
                { "username": "agl",
                  "tree": {"mean_t": -0, "max_t": 9223372036854775807, "min_t": -9223372036854775808, "touches": 0,
                           "cl_weight": 1.0E2, "kids": null, "name": "/"} }
                """;
        assertThat(roundTrip(in)).isEqualTo("{\"tree\":{\"name\":\"/\",\"kids\":null,\"cl_weight\":100,\"touches\":0,"
                + "\"min_t\":-9223372036854775808,\"max_t\":9223372036854775807,\"mean_t\":0},\"username\":\"agl\"}");
    }

    @Test
    void negativeZeroWeightStaysNegative() {
        String in = doc(node("\"a\"", "[]").replace("\"cl_weight\":1", "\"cl_weight\":-0"));
        assertThat(roundTrip(in)).contains("\"cl_weight\":-0,");
    }

    @Test
    void nilAndEmptyKidsStayDistinct() {
        String in = doc(node("\"a\"", "[" + node("\"b\"", "[]") + "," + node("\"c\"", "null") + "]"));
        assertThat(roundTrip(in)).isEqualTo(in);
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        // Go: < > & as escapes u003c u003e u0026, control characters as n r t or u00XX escapes,
        // U+2028/9 escaped, everything else (quotes and backslashes aside) raw UTF-8; a JSON
        // escape of a plain character (a slash, u0041) is written back as the character
        String in = doc(node("\"<a&b>\\\"q\\\\ \\/ \\u0041 \\b\\f\\n\\r\\t\\u0001\\u001f\\u007f é€😀 \\u2028\\u2029 \\ud800\"", "[]"));
        String want = doc(node("\"\\u003ca\\u0026b\\u003e\\\"q\\\\ / A \\u0008\\u000c\\n\\r\\t\\u0001\\u001f\u007f é€😀 \\u2028\\u2029 \ufffd\"", "[]"));
        assertThat(roundTrip(in)).isEqualTo(want);
    }

    @Test
    void emptyStringsAreNilAndEncodeAsEmpty() {
        String in = "{\"tree\":" + node("\"\"", "[]") + ",\"username\":\"\"}";
        AtomicReference<String> out = new AtomicReference<>();
        Rt.run(1, () -> {
            Heap h = Raw.heap();
            long r = new Decoder(Schema.newZerobase()).decode(in.getBytes(StandardCharsets.UTF_8));
            assertThat(h.loadPtr(r, Schema.USERNAME)).isZero();
            assertThat(h.loadPtr(h.loadPtr(r, Schema.TREE), Schema.NAME)).isZero();
            out.set(new String(new Encoder().encodeBytes(r), StandardCharsets.UTF_8));
        });
        assertThat(out.get()).isEqualTo(in);
    }

    @Test
    void invalidUtf8InAManagedStringEncodesAsReplacementCharacter() {
        AtomicReference<String> out = new AtomicReference<>();
        Rt.run(1, () -> {
            Heap h = Raw.heap();
            Stack st = Raw.stack();
            int f = st.push(1);
            st.set(f, 0, h.alloc(Schema.RESPONSE));
            long tree = h.alloc(Schema.NODE);
            h.storePtr(st.get(f, 0), Schema.TREE, tree);
            // a stray continuation byte, a truncated 3-byte sequence, an overlong '/', a surrogate
            long s = h.allocString(new byte[] {'a', (byte) 0x80, 'b', (byte) 0xE2, (byte) 0x82, 'c', (byte) 0xC0, (byte) 0xAF,
                (byte) 0xED, (byte) 0xA0, (byte) 0x80});
            h.storePtr(h.loadPtr(st.get(f, 0), Schema.TREE), Schema.NAME, s);
            out.set(new String(new Encoder().encodeBytes(st.get(f, 0)), StandardCharsets.UTF_8));
            st.pop(f);
        });
        assertThat(out.get()).startsWith("{\"tree\":{\"name\":\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\",\"kids\":null,");
    }

    /** Go 1.19's decoder grows a slice to 4, then by half: 4, 6, 9, 13, 19, ... and keeps the spare room. */
    @Test
    void kidSlicesGrowAsGosDecoderGrowsThem() {
        StringBuilder kids = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            kids.append(i > 0 ? "," : "").append(node("\"k" + i + "\"", "[]"));
        }
        String in = doc(node("\"root\"", kids + "]"));
        Rt.run(1, () -> {
            Heap h = Raw.heap();
            int zb = Schema.newZerobase();
            long tree = h.loadPtr(new Decoder(zb).decode(in.getBytes(StandardCharsets.UTF_8)), Schema.TREE);
            long arr = h.loadPtr(tree, Schema.KIDS);
            assertThat(h.typeOf(arr)).isEqualTo(Schema.KIDS_ARRAY);
            assertThat(h.len(arr)).as("capacity").isEqualTo(13);
            assertThat(h.loadInt(tree, Schema.KIDS_LEN)).isEqualTo(10);
            for (int i = 10; i < 13; i++) {
                assertThat(h.loadPtr(arr, i)).as("spare element %d", i).isZero();
            }
            long k3 = h.loadPtr(arr, 3);
            assertThat(h.loadString(h.loadPtr(k3, Schema.NAME))).isEqualTo("k3");
            // every "kids":[] shares the runtime's zero-length array, as Go shares zerobase
            assertThat(h.loadPtr(k3, Schema.KIDS)).isEqualTo(Raw.global(zb)).isEqualTo(h.loadPtr(h.loadPtr(arr, 7), Schema.KIDS));
            assertThat(h.len(Raw.global(zb))).isZero();
            assertThat(Double.longBitsToDouble(h.loadInt(k3, Schema.CL_WEIGHT))).isEqualTo(1.0);
            assertThat(h.loadInt(k3, Schema.MEAN_T)).isEqualTo(4);
        });
    }

    @Test
    void decodesAndEncodesWithCollectionsForcedInBetween() {
        byte[] in = Document.generate(7, 60_000);
        AtomicReference<byte[]> last = new AtomicReference<>();
        Rt.run(Config.defaults().withGomaxprocs(2).withGogc(10), () -> {
            int zb = Schema.newZerobase();
            Stack st = Raw.stack();
            int f = st.push(2);
            Decoder dec = new Decoder(zb);
            Encoder enc = new Encoder();
            for (int i = 0; i < 6; i++) {
                st.set(f, i & 1, dec.decode(in)); // the other slot keeps the previous tree live
                Go.gc();
                last.set(enc.encodeBytes(st.get(f, i & 1)));
                assertThat(last.get()).isEqualTo(in);
                if (i > 0) {
                    assertThat(Trees.diff(Raw.heap(), st.get(f, 0), st.get(f, 1))).isNull();
                }
            }
            st.pop(f);
        });
    }
}
