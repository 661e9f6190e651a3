package gort.workloads.json;

import gort.api.Raw;
import gort.api.Go;
import gort.api.Heap;
import gort.gc.Stack;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.sym.BinaryNameMatcher;
import tools.jackson.core.sym.PropertyNameMatcher;

/**
 * {@code json.Unmarshal(data, &r)} for the benchmark's schema: tokenizes with Jackson's streaming
 * parser and builds the Response, its Nodes, their name strings and kid slices on the managed heap
 * (see {@link Schema} for the layouts), allocating what Go's decoder allocates, in its order: a
 * Node when its object starts, a string per name, and kid slices grown as Go 1.19's
 * {@code decodeState.array} grows them (capacity 4, then {@code cap + cap/2}, the old backing
 * array copied and left as garbage; the slice keeps its spare capacity, its length is the Node's
 * {@code kids_len}). {@code "kids": []} points at the runtime's zero-length array (Go's
 * {@code zerobase}: no allocation); {@code "kids": null} leaves the slice nil.
 *
 * <p><b>Rooting.</b> Every allocation is a safepoint at which the collector may run. Each nesting
 * level holds its object in a frame slot of the goroutine's {@link Stack} (one slot per Node or
 * Response); a kid slice is reachable from its Node (its {@code kids} field is updated at every
 * growth, as Go's {@code v.Set(newv)}); a new string or child is stored into its parent (re-read
 * from the frame) before the next allocation. No address lives in a Java local across a safepoint.
 *
 * <p><b>Stricter than Go</b>, so a mistyped input fails loudly instead of benchmarking something
 * else: unknown fields (Go ignores them), duplicate fields (Go keeps the last), missing fields
 * (Go leaves zeros: every field Go's Marshal writes is required here; {@code kids} may be
 * {@code null}), {@code null} for anything but {@code kids} (Go ignores it), and case-insensitive
 * key matches (Go accepts {@code "Name"} for {@code name}) are errors naming the JSON path, e.g.
 * {@code $.tree.kids[3].touches: expected an integer, got "abc"}. As in Go: {@code touches},
 * {@code min_t}, {@code max_t}, {@code mean_t} must be integers in the int64 range (no fraction or
 * exponent), {@code cl_weight} any number within the float64 range. Malformed JSON is a
 * {@link DecodeException} with the line and column; so is invalid UTF-8 (Go would substitute
 * U+FFFD). Nesting is limited to Jackson's default of 500 levels (250 Nodes deep; Go allows 10000):
 * a deeper document is refused as such, saying whether it is valid JSON otherwise. Long JSON paths
 * in messages show their first and last levels.
 *
 * <p>Owns: per-goroutine scratch and the JSON path of the value being decoded. Not thread-safe: one
 * Decoder per goroutine. Jackson's buffers come from its default concurrent pool, so a goroutine
 * that migrates between Ms mid-document is safe.
 */
public final class Decoder {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final PropertyNameMatcher NODE_FIELDS = BinaryNameMatcher.construct(List.of(Schema.NODE_KEYS));
    private static final PropertyNameMatcher RESPONSE_FIELDS = BinaryNameMatcher.construct(List.of(Schema.RESPONSE_KEYS));
    private static final int ALL_NODE_FIELDS = (1 << Schema.NODE_KEYS.length) - 1;
    private static final int ALL_RESPONSE_FIELDS = (1 << Schema.RESPONSE_KEYS.length) - 1;
    /** Node key index (Schema.NODE_KEYS order) to the Node's word index. */
    private static final int[] NODE_WORD = {Schema.NAME, Schema.KIDS, Schema.CL_WEIGHT, Schema.TOUCHES, Schema.MIN_T,
        Schema.MAX_T, Schema.MEAN_T};
    private static final int K_NAME = 0;
    private static final int K_KIDS = 1;
    private static final int K_CL_WEIGHT = 2;

    private final int zerobase;
    private Heap h;
    private Stack st;
    private JsonParser p;
    /** Depth of the Node being decoded: -1 = the Response, 0 = $.tree, d = d kid levels below. */
    private int depth;
    /** kidIndex[d]: index of the depth-d Node in its parent's kids. */
    private int[] kidIndex = new int[64];
    /** fieldAt[d]: the key (Schema.NODE_KEYS index) being decoded at depth d, or -1. */
    private int[] fieldAt = new int[64];
    /** The Response key being decoded, or -1. */
    private int responseField;
    private byte[] utf8 = new byte[256];
    private byte[] ascii = new byte[256];
    /** The window's end in --seconds mode (null: none), and nodes since the last look at it. */
    private Deadline deadline;
    private int polls;

    private final NodeWork nodeWork;

    /** @param zerobase the global slot from {@link Schema#newZerobase()} of this runtime */
    public Decoder(int zerobase) {
        this(zerobase, NodeWork.NONE);
    }

    /** @param nodeWork extra CPU work at every node decoded ({@link NodeWork}) */
    Decoder(int zerobase, NodeWork nodeWork) {
        this.zerobase = zerobase;
        this.nodeWork = nodeWork;
    }

    /**
     * Decodes a whole document into fresh managed objects; returns the Response's address (valid
     * until the caller's next safepoint: root it at once). Call from a goroutine.
     *
     * @throws DecodeException on malformed JSON or a schema violation
     */
    /** Stops every later decode at d (see {@link Deadline}); null: never. */
    void until(Deadline d) {
        this.deadline = d;
    }

    public long decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public long decode(byte[] data, int off, int len) {
        h = Raw.heap();
        st = Raw.stack();
        depth = -1;
        responseField = -1;
        int f = st.push(1);
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), data, off, len)) {
            p = parser;
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new DecodeException("$", "expected an object, got no value (the document is empty)");
            }
            if (t != JsonToken.START_OBJECT) {
                throw wrongType("$", "an object", t);
            }
            st.set(f, 0, h.alloc(Schema.RESPONSE));
            int seen = 0;
            for (;;) {
                int m = p.nextNameMatch(RESPONSE_FIELDS);
                if (m < 0) {
                    if (m == PropertyNameMatcher.MATCH_END_OBJECT) {
                        break;
                    }
                    throw unexpectedKey("$", m, "a Response", Schema.RESPONSE_KEYS);
                }
                responseField = m;
                if ((seen & (1 << m)) != 0) {
                    throw duplicate("$." + Schema.RESPONSE_KEYS[m]);
                }
                seen |= 1 << m;
                JsonToken v = p.nextToken();
                if (m == Schema.TREE) {
                    if (v != JsonToken.START_OBJECT) {
                        throw wrongType("$.tree", "an object", v);
                    }
                    long tree = decodeNode(0);
                    h.storePtr(st.get(f, 0), Schema.TREE, tree);
                } else {
                    if (v != JsonToken.VALUE_STRING) {
                        throw wrongType("$.username", "a string", v);
                    }
                    long s = newString();
                    h.storePtr(st.get(f, 0), Schema.USERNAME, s);
                }
                responseField = -1;
            }
            if (seen != ALL_RESPONSE_FIELDS) {
                throw missing("$", seen, Schema.RESPONSE_KEYS, "a Response needs both tree and username");
            }
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new DecodeException("$", "expected the end of the input after the top-level object, got " + describe(extra));
            }
            return st.get(f, 0);
        } catch (tools.jackson.core.exc.StreamConstraintsException e) {
            throw tooDeep(e, data, off, len);
        } catch (JacksonException e) {
            throw malformed(e);
        } finally {
            st.pop(f);
            p = null;
        }
    }

    /** Decodes the object whose START_OBJECT is the current token into a new Node at depth d. */
    private long decodeNode(int d) {
        nodeWork.spin();
        if (d + 1 >= fieldAt.length) {
            fieldAt = java.util.Arrays.copyOf(fieldAt, fieldAt.length * 2);
            kidIndex = java.util.Arrays.copyOf(kidIndex, kidIndex.length * 2);
        }
        polls = Deadline.poll(deadline, polls);
        depth = d;
        fieldAt[d] = -1;
        int f = st.push(1);
        st.set(f, 0, h.alloc(Schema.NODE));
        int seen = 0;
        for (;;) {
            int m = p.nextNameMatch(NODE_FIELDS);
            if (m < 0) {
                if (m == PropertyNameMatcher.MATCH_END_OBJECT) {
                    break;
                }
                throw unexpectedKey(path(d), m, "a Node", Schema.NODE_KEYS);
            }
            fieldAt[d] = m;
            if ((seen & (1 << m)) != 0) {
                throw duplicate(fieldPath(d, m));
            }
            seen |= 1 << m;
            JsonToken v = p.nextToken();
            switch (m) {
                case K_NAME -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw wrongType(fieldPath(d, m), "a string", v);
                    }
                    long s = newString();
                    h.storePtr(st.get(f, 0), Schema.NAME, s);
                }
                case K_KIDS -> {
                    if (v == JsonToken.START_ARRAY) {
                        decodeKids(f, d);
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw wrongType(fieldPath(d, m), "an array of objects or null", v);
                    }
                }
                case K_CL_WEIGHT -> {
                    long bits = Double.doubleToRawLongBits(float64(v, d, m));
                    literalString();
                    h.storeInt(st.get(f, 0), Schema.CL_WEIGHT, bits);
                }
                default -> {
                    long x = int64(v, d, m);
                    literalString();
                    h.storeInt(st.get(f, 0), NODE_WORD[m], x);
                }
            }
        }
        fieldAt[d] = -1;
        if (seen != ALL_NODE_FIELDS) {
            throw missing(path(d), seen, Schema.NODE_KEYS, "a Node needs every one of its fields; kids may be null");
        }
        long n = st.get(f, 0);
        st.pop(f);
        depth = d - 1;
        return n;
    }

    /**
     * Decodes the kids array (current token START_ARRAY) of the Node in frame f at depth d, growing
     * the slice as Go 1.19's decoder does.
     */
    private void decodeKids(int f, int d) {
        int len = 0;
        int cap = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            kidIndex[d + 1] = len;
            if (t != JsonToken.START_OBJECT) {
                throw wrongType(path(d + 1), "an object (a Node)", t);
            }
            if (len == cap) {
                int newcap = cap + cap / 2;
                if (newcap < 4) {
                    newcap = 4;
                }
                long grown = h.allocArray(Schema.NODE_PTR, newcap); // safepoint: the old array hangs off the Node
                long n = st.get(f, 0);
                long old = h.loadPtr(n, Schema.KIDS);
                for (int i = 0; i < len; i++) {
                    h.storePtr(grown, i, h.loadPtr(old, i));
                }
                h.storePtr(n, Schema.KIDS, grown);
                h.storeInt(n, Schema.KIDS_CAP, newcap);
                cap = newcap;
            }
            long kid = decodeNode(d + 1);
            long n = st.get(f, 0);
            h.storePtr(h.loadPtr(n, Schema.KIDS), len, kid);
            h.storeInt(n, Schema.KIDS_LEN, ++len);
        }
        if (len == 0) {
            h.storePtr(st.get(f, 0), Schema.KIDS, Raw.global(zerobase)); // []*Node{}: Go's zerobase
        }
    }

    /**
     * The garbage of Go 1.5.1's {@code literalStore} for a number: {@code s := string(item)}, a
     * string of the literal's bytes made to hand to strconv (it escapes, through strconv's
     * NumError, so the compiler puts it on the heap), dropped once parsed. A safepoint.
     * Simplified: the object is allocated but not filled, since nothing reads it.
     */
    private void literalString() {
        h.allocBytes(p.getStringLength());
    }

    private long int64(JsonToken v, int d, int m) {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType nt = p.getNumberType();
            if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
                return p.getLongValue();
            }
            throw new DecodeException(fieldPath(d, m), "expected an integer in the int64 range, got " + abbreviate(p.getString()));
        }
        throw wrongType(fieldPath(d, m), "an integer", v);
    }

    private double float64(JsonToken v, int d, int m) {
        if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
            double x = v == JsonToken.VALUE_NUMBER_FLOAT
                    ? ParseFloat.parse(p.getStringCharacters(), p.getStringOffset(), p.getStringLength()) // no garbage
                    : p.getDoubleValue();
            if (Double.isInfinite(x)) {
                throw new DecodeException(fieldPath(d, m), "expected a number in the float64 range, got " + abbreviate(p.getString()));
            }
            if (x == 0 && v == JsonToken.VALUE_NUMBER_INT && p.getString().startsWith("-")) {
                x = -0.0; // Go's ParseFloat("-0") is negative zero
            }
            return x;
        }
        throw wrongType(fieldPath(d, m), "a number", v);
    }

    /**
     * The current VALUE_STRING as a new managed string (UTF-8); a safepoint. The empty string is
     * nil (0), as Go's {@code string(b)} of no bytes allocates nothing.
     */
    private long newString() {
        char[] cs = p.getStringCharacters();
        int off = p.getStringOffset();
        int n = p.getStringLength();
        if (n == 0) {
            return 0;
        }
        if (ascii.length < n) {
            ascii = new byte[Math.max(n, ascii.length * 2)];
        }
        byte[] b = ascii;
        for (int i = 0; i < n; i++) {
            char c = cs[off + i];
            if (c >= 0x80) {
                return h.allocString(utf8, 0, utf8(cs, off, n));
            }
            b[i] = (byte) c;
        }
        return h.allocString(b, 0, n); // from the reused buffer: no JVM-heap garbage per string
    }

    /**
     * UTF-8 of chars[off, off+n) into the {@code utf8} buffer; returns its length. A lone surrogate
     * becomes U+FFFD, as Go's decoder makes it.
     */
    private int utf8(char[] cs, int off, int n) {
        if (utf8.length < 3 * n) {
            utf8 = new byte[Math.max(3 * n, utf8.length * 2)];
        }
        byte[] b = utf8;
        int k = 0;
        for (int i = off, end = off + n; i < end; i++) {
            int c = cs[i];
            if (c < 0x80) {
                b[k++] = (byte) c;
            } else if (c < 0x800) {
                b[k++] = (byte) (0xC0 | c >> 6);
                b[k++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate((char) c) && i + 1 < end && Character.isLowSurrogate(cs[i + 1])) {
                int cp = Character.toCodePoint((char) c, cs[++i]);
                b[k++] = (byte) (0xF0 | cp >> 18);
                b[k++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[k++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[k++] = (byte) (0x80 | cp & 0x3F);
            } else {
                if (Character.isSurrogate((char) c)) {
                    c = 0xFFFD;
                }
                b[k++] = (byte) (0xE0 | c >> 12);
                b[k++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[k++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return k;
    }

    // ---- JSON paths and errors ----

    /** Kid levels a path shows in full; deeper ones show their first and last levels only. */
    static final int PATH_LEVELS = 12;

    /**
     * The path of the Node at depth d ($.tree, $.tree.kids[3], ...); "$" for depth -1. A path of more
     * than {@link #PATH_LEVELS} kid levels keeps its first and last levels and counts the rest:
     * {@code $.tree.kids[0]...(480 more levels)....kids[2]}.
     */
    private String path(int d) {
        if (d < 0) {
            return "$";
        }
        StringBuilder sb = new StringBuilder("$.tree");
        int head = PATH_LEVELS / 2;
        for (int k = 1; k <= d; k++) {
            if (d > PATH_LEVELS && k == head + 1) {
                int skip = d - PATH_LEVELS;
                sb.append("...(").append(skip).append(" more levels)...");
                k += skip - 1;
                continue;
            }
            sb.append(".kids[").append(kidIndex[k]).append(']');
        }
        return sb.toString();
    }

    private String fieldPath(int d, int m) {
        return path(d) + "." + Schema.NODE_KEYS[m];
    }

    /** Where the parser is, for a malformed-JSON message. */
    private String where() {
        if (depth < 0) {
            return responseField >= 0 ? "$." + Schema.RESPONSE_KEYS[responseField] : "$";
        }
        int m = fieldAt[depth];
        return m >= 0 ? fieldPath(depth, m) : path(depth);
    }

    private DecodeException unexpectedKey(String at, int m, String what, String[] keys) {
        if (m == PropertyNameMatcher.MATCH_UNKNOWN_NAME) {
            return new DecodeException(at + "." + p.currentName(), "unknown field (" + what + " has exactly: "
                    + String.join(", ", keys) + ")");
        }
        return new DecodeException(at, "expected a field name or the end of the object, got " + describe(p.currentToken()));
    }

    private static DecodeException duplicate(String at) {
        return new DecodeException(at, "duplicate field (each field may appear once)");
    }

    private static DecodeException missing(String at, int seen, String[] keys, String rule) {
        for (int i = 0; i < keys.length; i++) {
            if ((seen & (1 << i)) == 0) {
                return new DecodeException(at + "." + keys[i], "missing field (" + rule + ": " + String.join(", ", keys) + ")");
            }
        }
        throw new AssertionError("no missing field");
    }

    private DecodeException wrongType(String at, String expected, JsonToken got) {
        return new DecodeException(at, "expected " + expected + ", got " + describe(got));
    }

    /** The nesting Jackson allows by default (StreamReadConstraints), and so this decoder: 500 levels. */
    static final int MAX_NESTING = tools.jackson.core.StreamReadConstraints.DEFAULT_MAX_DEPTH;

    /**
     * The document nests deeper than the parser's limit: says whether it is otherwise valid JSON (a
     * second pass without the limit checks the whole document, only on this error path), how deep it
     * goes, where the limit was crossed, and the limit.
     */
    private DecodeException tooDeep(JacksonException e, byte[] data, int off, int len) {
        TokenStreamLocation loc = p != null ? p.currentLocation() : e.getLocation(); // (the constraint error has none)
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        JsonFactory unlimited = JsonFactory.builder()
                .streamReadConstraints(tools.jackson.core.StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
                .build();
        int depth = 0;
        int max = 0;
        try (JsonParser q = unlimited.createParser(ObjectReadContext.empty(), data, off, len)) {
            for (JsonToken t = q.nextToken(); t != null; t = q.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    max = Math.max(max, ++depth);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
        } catch (JacksonException bad) {
            return malformed(bad); // not valid JSON anyway: say where it breaks
        } catch (StackOverflowError so) {
            max = -1;
        }
        String how = max > 0 ? "valid JSON nested " + max + " levels deep" : "JSON nested very deep";
        return new DecodeException("$", how + ", deeper than the decoder's limit of " + MAX_NESTING
                + " levels of objects and arrays (crossed at line " + line + ", column " + col
                + "; Go's encoding/json allows 10000)");
    }

    private DecodeException malformed(JacksonException e) {
        TokenStreamLocation loc = e.getLocation();
        if ((loc == null || loc.getLineNr() < 0) && p != null) {
            loc = p.currentLocation();
        }
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        return new DecodeException(where(), line, col, e.getOriginalMessage(), e);
    }

    /** A token as an error message shows it: a string quoted, a number as written. */
    private String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case VALUE_STRING -> quote(p.getString());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> abbreviate(p.getString());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT -> "'}'";
            case END_ARRAY -> "']'";
            case PROPERTY_NAME -> "field " + quote(p.currentName());
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > 40) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
