package gort.workloads.json;

import gort.api.Raw;
import static org.assertj.core.api.Assertions.assertThat;

import gort.api.Config;
import gort.api.Go;
import gort.gc.Stack;
import gort.testing.Rt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random documents of the schema round-trip through the managed heap: decode + encode gives what
 * Go's Marshal writes for the same values, however the input was spelled (key order, whitespace,
 * escapes, number forms). The expected text comes from an independent reference writer below.
 * Each try runs a batch of documents in one runtime at GOGC=10, so collections happen throughout.
 */
class RoundTripProperties {
    record MNode(String name, List<MNode> kids, double weight, long touches, long minT, long maxT, long meanT) {}

    record MDoc(MNode tree, String username) {}

    static final JsonFactory JSON = new JsonFactory();
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Inputs in Go's own form come back byte for byte, and equal as Jackson trees. */
    @Property(tries = 12)
    void canonicalInputComesBackExactly(@ForAll("docLists") List<MDoc> docs) {
        byte[][] in = docs.stream().map(d -> goText(d).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        byte[][] out = roundTrips(in);
        for (int i = 0; i < in.length; i++) {
            assertThat(new String(out[i], StandardCharsets.UTF_8)).isEqualTo(new String(in[i], StandardCharsets.UTF_8));
            assertThat(MAPPER.readTree(out[i])).isEqualTo(MAPPER.readTree(in[i]));
        }
    }

    /** Inputs spelled by Jackson (shuffled keys, pretty-printed or not, Java number forms) normalize to Go's form. */
    @Property(tries = 12)
    void anySpellingNormalizesToGosForm(@ForAll("docLists") List<MDoc> docs, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[][] in = docs.stream().map(d -> jacksonText(d, rnd)).toArray(byte[][]::new);
        byte[][] out = roundTrips(in);
        for (int i = 0; i < in.length; i++) {
            assertThat(new String(out[i], StandardCharsets.UTF_8)).as("input %s", new String(in[i], StandardCharsets.UTF_8))
                    .isEqualTo(goText(docs.get(i)));
        }
    }

    /** Decodes and encodes each document in one runtime; frames keep the previous tree alive. */
    static byte[][] roundTrips(byte[][] in) {
        byte[][] out = new byte[in.length][];
        Rt.run(Config.defaults().withGomaxprocs(1).withGogc(10), () -> {
            Decoder dec = new Decoder(Schema.newZerobase());
            Encoder enc = new Encoder();
            Stack st = Raw.stack();
            int f = st.push(2);
            for (int i = 0; i < in.length; i++) {
                st.set(f, i & 1, dec.decode(in[i]));
                if (i % 7 == 3) {
                    Go.gc();
                }
                out[i] = enc.encodeBytes(st.get(f, i & 1));
            }
            st.pop(f);
        });
        return out;
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<MDoc>> docLists() {
        return docs().list().ofMinSize(1).ofMaxSize(25);
    }

    Arbitrary<MDoc> docs() {
        return Combinators.combine(node(0), strings()).as(MDoc::new);
    }

    Arbitrary<MNode> node(int depth) {
        Arbitrary<List<MNode>> kids = depth >= 3
                ? Arbitraries.just(List.<MNode>of()).injectNull(0.5)
                : Arbitraries.lazy(() -> node(depth + 1)).list().ofMaxSize(depth == 0 ? 6 : 4).injectNull(0.3);
        return Combinators.combine(strings(), kids, doubles(), longs(), longs(), longs(), longs()).as(MNode::new);
    }

    static Arbitrary<String> strings() {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between('a', 'z')),
                Tuple.of(3, Arbitraries.of((int) '<', (int) '>', (int) '&', (int) '"', (int) '\\', (int) '/', (int) '\n', (int) '\r',
                        (int) '\t', (int) '\b', (int) '\f', 0, 0x1f, 0x7f, (int) ' ')),
                Tuple.of(1, Arbitraries.of(0xe9, 0x20ac, 0x2028, 0x2029, 0xfffd, 0x1f600, 0x10ffff)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x10ffff - 0x800).map(c -> c < 0xd800 ? c : c + 0x800))); // no surrogates
        return cp.list().ofMaxSize(10).map(l -> {
            StringBuilder sb = new StringBuilder();
            l.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(GoFloatTest::finite)),
                Tuple.of(3, Arbitraries.doubles().between(-1e3, 1e3)),
                Tuple.of(1, Arbitraries.of(0.0, -0.0, 1.0, 1e21, 1e-6, 1e-7, 4.9e-324, Double.MAX_VALUE, 0.1, 3.5500000000000007)));
    }

    static Arbitrary<Long> longs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(3, Arbitraries.longs().between(1_230_000_000L, 1_330_000_000L)),
                Tuple.of(1, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    // ---- the reference: Go 1.19 encoding/json's output, written independently of Encoder ----

    static String goText(MDoc d) {
        StringBuilder sb = new StringBuilder("{\"tree\":");
        goNode(sb, d.tree());
        sb.append(",\"username\":");
        goString(sb, d.username());
        return sb.append('}').toString();
    }

    static void goNode(StringBuilder sb, MNode n) {
        sb.append("{\"name\":");
        goString(sb, n.name());
        sb.append(",\"kids\":");
        if (n.kids() == null) {
            sb.append("null");
        } else {
            sb.append('[');
            for (int i = 0; i < n.kids().size(); i++) {
                sb.append(i > 0 ? "," : "");
                goNode(sb, n.kids().get(i));
            }
            sb.append(']');
        }
        sb.append(",\"cl_weight\":").append(GoFloatTest.reference(n.weight()));
        sb.append(",\"touches\":").append(n.touches()).append(",\"min_t\":").append(n.minT());
        sb.append(",\"max_t\":").append(n.maxT()).append(",\"mean_t\":").append(n.meanT()).append('}');
    }

    static void goString(StringBuilder sb, String s) {
        sb.append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', 0x2028, 0x2029 -> sb.append(String.format("\\u%04x", c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        sb.append('"');
    }

    // ---- another spelling: Jackson's generator, keys shuffled ----

    static byte[] jacksonText(MDoc d, Random rnd) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            writeDoc(g, d, rnd);
        }
        return bytes.toByteArray();
    }

    /** Sometimes whitespace between tokens (before a separator is as valid as after it). */
    static void ws(JsonGenerator g, Random rnd) {
        if (rnd.nextInt(3) == 0) {
            g.writeRaw(new String[] {" ", "\n  ", "\t", "\r\n"}[rnd.nextInt(4)]);
        }
    }

    static void writeDoc(JsonGenerator g, MDoc d, Random rnd) {
        g.writeStartObject();
        List<Runnable> fields = new ArrayList<>(List.of(
                () -> {
                    g.writeName("tree");
                    writeNode(g, d.tree(), rnd);
                },
                () -> g.writeStringProperty("username", d.username())));
        java.util.Collections.shuffle(fields, rnd);
        fields.forEach(r -> {
            ws(g, rnd);
            r.run();
        });
        ws(g, rnd);
        g.writeEndObject();
    }

    static void writeNode(JsonGenerator g, MNode n, Random rnd) {
        g.writeStartObject();
        List<Runnable> fields = new ArrayList<>(Arrays.asList(
                () -> g.writeStringProperty("name", n.name()),
                () -> {
                    g.writeName("kids");
                    if (n.kids() == null) {
                        g.writeNull();
                    } else {
                        g.writeStartArray();
                        for (MNode k : n.kids()) {
                            ws(g, rnd);
                            writeNode(g, k, rnd);
                        }
                        g.writeEndArray();
                    }
                },
                () -> g.writeNumberProperty("cl_weight", n.weight()),
                () -> g.writeNumberProperty("touches", n.touches()),
                () -> g.writeNumberProperty("min_t", n.minT()),
                () -> g.writeNumberProperty("max_t", n.maxT()),
                () -> g.writeNumberProperty("mean_t", n.meanT())));
        java.util.Collections.shuffle(fields, rnd);
        fields.forEach(r -> {
            ws(g, rnd);
            r.run();
        });
        ws(g, rnd);
        g.writeEndObject();
    }
}
