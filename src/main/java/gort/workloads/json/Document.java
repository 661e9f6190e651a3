package gort.workloads.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The json workload's input documents: the embedded default, generated deterministically, and
 * files ({@code --input}, plain or gzip).
 *
 * <p>The embedded document imitates x/benchmarks' {@code code.json} (1.9 MB, a source tree's
 * commit statistics): {@code {"tree": Node, "username": "gopher"}} where the tree is a deep, bushy
 * directory tree — root {@code "/"}, code hosts, users, repositories, then directories and files
 * down to depth 20 (node depth, the root being 1), most nodes leaves with {@code "kids":[]}.
 * Statistics are code.json's kind: the root and the hosts carry zeros; a file has 1..40 touches
 * with unix times in 2009–2011, a {@code cl_weight} that sums 1/k per touch (so many weights are
 * 1, others long fractions); a directory sums its kids' weights in float64 (giving
 * {@code 3.5500000000000007}-like values), takes the extremes of their times, a touch count between
 * its largest kid's and their sum, and a touch-weighted mean time. Names are path segments.
 *
 * <p>Invariants: the same seed and size give the same bytes on every JVM (only
 * {@link SplittableRandom} and IEEE arithmetic); the text is canonical, exactly what Go's
 * {@code json.Marshal} writes for the tree it decodes to, so decode+encode reproduces it byte for
 * byte; names need no escaping. Generating the default takes well under a second; it is generated
 * once per JVM, at first use.
 */
public final class Document {
    /** Seed of the embedded document. */
    public static final long SEED = 0x676f2d6a736f6eL; // "go-json"
    /** Target size of the embedded document (code.json is about 1.9 MB). */
    public static final int EMBEDDED_BYTES = 1_950_000;
    /** Deepest node of a generated tree (the root is depth 1). */
    public static final int MAX_DEPTH = 20;

    private static final long T0 = 1230768000L; // 2009-01-01
    private static final long T1 = 1325376000L; // 2012-01-01

    private Document() {}

    private static final class Holder {
        static final byte[] EMBEDDED = generate(SEED, EMBEDDED_BYTES);
    }

    /** The embedded default document (a fresh copy). */
    public static byte[] embedded() {
        return Holder.EMBEDDED.clone();
    }

    /** The embedded default document, shared: callers must not modify it. */
    static byte[] embeddedShared() {
        return Holder.EMBEDDED;
    }

    // ------------------------------------------------------------------------------------------
    // files
    // ------------------------------------------------------------------------------------------

    /**
     * The largest document {@link #read} accepts, after gunzipping: 256 MiB. The json workload keeps
     * a decoded copy per goroutine (4 × GOMAXPROCS) in the managed heap besides the shared one, so
     * documents near this size already need a heap of many GB; the bound turns a device that never
     * ends ({@code /dev/zero}) or a mistaken multi-GB file into one line up front instead of a JVM
     * out-of-memory error.
     */
    public static final int MAX_BYTES = 256 << 20;

    /**
     * Reads a document file; a name ending in {@code .gz} is gunzipped (as the Go anchor does): every
     * gzip member in turn, as gzip and Go's gzip reader do, and bytes after the last member that are
     * not another member are an error (never silently ignored).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static byte[] read(Path file) {
        byte[] raw;
        if (file.toString().isEmpty()) { // Path.of(""), which the file system reads as the current directory
            throw new IllegalArgumentException("\"\": the path is empty; name a JSON file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory, not a JSON file");
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + ": " + Files.size(file) + " bytes is more than the json workload reads"
                        + " (at most " + MAX_BYTES + " bytes, 256 MiB)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                raw = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e);
        }
        if (raw.length > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": more than " + MAX_BYTES + " bytes (256 MiB), the most the json workload"
                    + " reads (a device or a stream that does not end?)");
        }
        if (!file.getFileName().toString().endsWith(".gz")) {
            return raw;
        }
        return gunzip(file, raw);
    }

    /** Decompresses every gzip member of raw (RFC 1952), at most MAX_BYTES in all. */
    static byte[] gunzip(Path file, byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(64, raw.length * 4));
        byte[] buf = new byte[1 << 16];
        int pos = 0;
        for (int member = 0; ; member++) {
            if (member > 0 && pos == raw.length) {
                return out.toByteArray();
            }
            if (raw.length - pos < 10 || (raw[pos] & 0xFF) != 0x1f || (raw[pos + 1] & 0xFF) != 0x8b) {
                if (member == 0) {
                    throw notGzip(file, raw.length - pos < 10 && raw.length - pos >= 2 && (raw[pos] & 0xFF) == 0x1f
                            && (raw[pos + 1] & 0xFF) == 0x8b ? "it is truncated" : "Not in GZIP format");
                }
                throw notGzip(file, (raw.length - pos) + " bytes after the end of gzip member " + member + " (at byte " + pos
                        + ") are not another gzip member");
            }
            int flg = raw[pos + 3] & 0xFF;
            if ((raw[pos + 2] & 0xFF) != 8 || (flg & 0xE0) != 0) {
                throw notGzip(file, "gzip member " + (member + 1) + " at byte " + pos + " has an unsupported header");
            }
            int p = pos + 10;
            try {
                if ((flg & 4) != 0) { // FEXTRA
                    int xlen = (raw[p] & 0xFF) | (raw[p + 1] & 0xFF) << 8;
                    p += 2 + xlen;
                }
                if ((flg & 8) != 0) { // FNAME
                    while (raw[p++] != 0) {
                        // skip the name
                    }
                }
                if ((flg & 16) != 0) { // FCOMMENT
                    while (raw[p++] != 0) {
                        // skip the comment
                    }
                }
                if ((flg & 2) != 0) { // FHCRC
                    p += 2;
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                throw notGzip(file, "it is truncated");
            }
            if (p > raw.length) {
                throw notGzip(file, "it is truncated");
            }
            java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            long size = 0;
            try {
                inf.setInput(raw, p, raw.length - p);
                while (!inf.finished()) {
                    int n = inf.inflate(buf);
                    if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        throw notGzip(file, "it is truncated");
                    }
                    crc.update(buf, 0, n);
                    size += n;
                    if (out.size() + n > MAX_BYTES) {
                        throw new IllegalArgumentException(file + ": gunzips to more than " + MAX_BYTES + " bytes (256 MiB),"
                                + " the most the json workload reads");
                    }
                    out.write(buf, 0, n);
                }
                p = raw.length - inf.getRemaining();
            } catch (java.util.zip.DataFormatException e) {
                throw notGzip(file, e.getMessage());
            } finally {
                inf.end();
            }
            if (raw.length - p < 8) {
                throw notGzip(file, "it is truncated");
            }
            long wantCrc = le32(raw, p);
            long wantSize = le32(raw, p + 4);
            if (wantCrc != crc.getValue()) {
                throw notGzip(file, "gzip member " + (member + 1) + " fails its CRC check");
            }
            if (wantSize != (size & 0xFFFF_FFFFL)) {
                throw notGzip(file, "gzip member " + (member + 1) + " has the wrong length");
            }
            pos = p + 8;
        }
    }

    private static long le32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    private static IllegalArgumentException notGzip(Path file, String why) {
        return new IllegalArgumentException(file + ": not a valid gzip file (" + why + ")");
    }

    /**
     * Writes doc to file, gzipped if the name ends in {@code .gz} (a plain write: {@code gort gen}
     * writes through the CLI's output-file handling, which never leaves a partial file).
     */
    public static void write(Path file, byte[] doc) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            writeTo(os, doc, file.getFileName().toString().endsWith(".gz"));
        }
    }

    /** Writes doc to os, as one gzip member if gzip; leaves os open. */
    public static void writeTo(OutputStream os, byte[] doc, boolean gzip) throws IOException {
        if (!gzip) {
            os.write(doc);
            return;
        }
        GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16);
        gz.write(doc);
        gz.finish(); // the trailer, without closing os
        gz.flush();
    }

    // ------------------------------------------------------------------------------------------
    // generation
    // ------------------------------------------------------------------------------------------

    /** A node of the generated tree (plain Java, before it is written as text). */
    static final class GNode {
        final String name;
        final List<GNode> kids = new ArrayList<>();
        double weight;
        long touches;
        long minT;
        long maxT;
        long meanT;

        GNode(String name) {
            this.name = name;
        }

        GNode child(String n) {
            GNode k = new GNode(n);
            kids.add(k);
            return k;
        }
    }

    /** Counts of a generated tree, for tests and the gen command. */
    public record Shape(int nodes, int leaves, int maxDepth) {}

    /** The shape of a document's tree as the generator built it (re-generates it). */
    public static Shape shape(long seed, int targetBytes) {
        GNode root = new Generator(seed, targetBytes).build();
        int[] acc = new int[3];
        shapeOf(root, 1, acc);
        return new Shape(acc[0], acc[1], acc[2]);
    }

    private static void shapeOf(GNode n, int depth, int[] acc) {
        acc[0]++;
        if (n.kids.isEmpty()) {
            acc[1]++;
        }
        acc[2] = Math.max(acc[2], depth);
        for (GNode k : n.kids) {
            shapeOf(k, depth + 1, acc);
        }
    }

    /** A deterministic document of about targetBytes bytes (at least one repository). */
    public static byte[] generate(long seed, int targetBytes) {
        if (targetBytes < 1 || targetBytes > 1 << 30) {
            throw new IllegalArgumentException("document size " + targetBytes + " is invalid: must be from 1 byte to 1 GiB");
        }
        GNode root = new Generator(seed, targetBytes).build();
        Text t = new Text(targetBytes + (targetBytes >> 3) + 1024);
        t.raw("{\"tree\":");
        t.node(root);
        t.raw(",\"username\":\"gopher\"}");
        return t.bytes();
    }

    private static final String[] HOSTS = {"github.com", "code.google.com", "bitbucket.org", "launchpad.net",
        "golang.org", "gopkg.in", "go.googlesource.com", "gitorious.org"};
    private static final String[] WORDS = {"src", "pkg", "cmd", "internal", "lib", "test", "testdata", "doc", "examples",
        "vendor", "util", "net", "http", "json", "xml", "io", "os", "sync", "atomic", "runtime", "crypto", "tls", "x509",
        "image", "draw", "png", "text", "template", "encoding", "base64", "compress", "gzip", "flate", "archive", "tar",
        "zip", "math", "big", "rand", "sort", "strings", "bytes", "bufio", "fmt", "log", "flag", "time", "unicode",
        "utf8", "reflect", "path", "filepath", "regexp", "syntax", "html", "mime", "multipart", "rpc", "smtp", "url",
        "cgi", "pprof", "expvar", "debug", "elf", "dwarf", "gosym", "go", "ast", "build", "parser", "printer", "scanner",
        "token", "types", "exp", "misc", "tools", "api", "server", "client", "core", "model", "views", "static",
        "assets", "scripts", "config", "proto", "db", "sql", "driver", "cache", "store", "queue", "worker", "auth",
        "handlers", "middleware", "linux", "darwin", "windows", "arm", "amd64", "386", "gc", "ld", "cc", "dist", "yacc",
        "godoc", "gofmt", "goinstall", "cgo", "heap", "list", "ring", "signal", "exec", "user", "errors", "hash",
        "crc32", "adler32", "fnv", "md5", "sha1", "sha256", "aes", "rsa", "ecdsa", "hmac", "websocket", "oauth",
        "redis", "mongo", "mysql", "sqlite", "postgres", "graph", "tree", "trie", "bloom", "lexer", "vm", "eval",
        "shell", "term", "ui", "gl", "audio", "video", "codec", "stats", "metrics", "trace", "event", "mux", "router"};
    private static final String[] SYLLABLES = {"ka", "mi", "to", "ra", "jo", "an", "el", "ri", "ko", "sa", "ne", "lu",
        "da", "vi", "mo", "be", "ch", "st", "ph", "ma", "rk", "ol", "in", "ev", "ad", "am", "br", "ad", "fi", "tz"};
    private static final String[] EXT = {".go", ".go", ".go", ".go", ".go", "_test.go", "_test.go", ".c", ".h", ".s",
        ".html", ".css", ".js", ".txt", ".py", ".java", ".json", ".y", ".png", ".sh"};
    private static final String[] SPECIAL = {"Makefile", "README", "LICENSE", "AUTHORS", "CONTRIBUTORS", ".hgignore",
        ".gitignore", "doc.go", "main.go", "all.bash", "make.bash", "Make.inc", ".hgtags", "CHANGES"};

    /** Builds the tree; all randomness from one SplittableRandom, consumed in a fixed order. */
    private static final class Generator {
        private final SplittableRandom rnd;
        private final int target;
        private long size;

        Generator(long seed, int target) {
            this.rnd = new SplittableRandom(seed);
            this.target = target;
        }

        GNode build() {
            GNode root = new GNode("/");
            size = 40;
            List<GNode> hosts = new ArrayList<>();
            List<List<GNode>> users = new ArrayList<>();
            do {
                // hosts are used in a skewed order: the first few carry most repositories
                int hi = Math.min(HOSTS.length - 1, (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 1.6));
                while (hosts.size() <= hi) {
                    hosts.add(root.child(HOSTS[hosts.size()]));
                    users.add(new ArrayList<>());
                    size += 100;
                }
                GNode host = hosts.get(hi);
                List<GNode> us = users.get(hi);
                GNode user;
                if (us.isEmpty() || rnd.nextInt(3) == 0) {
                    user = host.child(unique(host, userName()));
                    us.add(user);
                    size += 130;
                } else {
                    user = us.get(rnd.nextInt(us.size()));
                }
                GNode repo = user.child(unique(user, repoName()));
                long start = T0 + (long) (rnd.nextDouble() * (T1 - T0 - 86400 * 30));
                long end = Math.min(T1, start + 86400L * (7 + rnd.nextInt(700)));
                boolean deep = rnd.nextInt(5) == 0;
                dir(repo, 4, deep, start, end, user.name, repo.name);
                aggregate(repo, 4);
                size += textSize(repo) + 1;
            } while (size < target);
            aggregate(root, 1);
            return root;
        }

        /** Exact length of a subtree's text (with its kids' separating commas). */
        private static long textSize(GNode n) {
            long s = 73 + n.name.length() + GoFloat.format(n.weight).length() + Long.toString(n.touches).length()
                    + Long.toString(n.minT).length() + Long.toString(n.maxT).length() + Long.toString(n.meanT).length()
                    + Math.max(0, n.kids.size() - 1);
            for (GNode k : n.kids) {
                s += textSize(k);
            }
            return s;
        }

        /** Fills directory d (at node depth `depth`) with files and subdirectories. */
        private void dir(GNode d, int depth, boolean deep, long start, long end, String user, String repo) {
            int files = depth + 1 >= MAX_DEPTH ? 1 + rnd.nextInt(6) : geometric(0.22);
            for (int i = 0; i < files; i++) {
                leaf(d.child(unique(d, fileName())), start, end);
            }
            if (depth + 1 < MAX_DEPTH) { // a subdirectory's files must stay within MAX_DEPTH
                subdirs(d, depth, deep, start, end, user, repo);
            }
            if (d.kids.isEmpty()) { // no empty directories: a version-control tree holds files
                leaf(d.child(fileName()), start, end);
            }
        }

        private void subdirs(GNode d, int depth, boolean deep, long start, long end, String user, String repo) {
            if (deep) {
                // a Java-style package chain that runs to the deepest levels
                String[] chain = {"src", "main", "java", "org", user, repo};
                String n = depth - 4 < chain.length ? chain[depth - 4] : WORDS[rnd.nextInt(WORDS.length)];
                dir(d.child(unique(d, n)), depth + 1, true, start, end, user, repo);
            }
            int subdirs = 0;
            double mean = Math.max(0, 2.1 - 0.28 * (depth - 4));
            for (double u = rnd.nextDouble(); u < mean / (mean + 1) && subdirs < 8; u = rnd.nextDouble()) {
                subdirs++;
            }
            for (int i = 0; i < subdirs; i++) {
                dir(d.child(unique(d, WORDS[rnd.nextInt(WORDS.length)])), depth + 1, deep && rnd.nextInt(3) == 0, start, end, user, repo);
            }
        }

        /** A file's statistics: touches, times in the repository's active period, weights 1/k. */
        private void leaf(GNode f, long start, long end) {
            int t = 1 + Math.min(39, geometric(0.55));
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long sum = 0;
            double w = 0;
            for (int i = 0; i < t; i++) {
                long ts = start + (long) (rnd.nextDouble() * (end - start));
                min = Math.min(min, ts);
                max = Math.max(max, ts);
                sum += ts;
                int k = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(12) : 1;
                w += 1.0 / k;
            }
            f.touches = t;
            f.minT = min;
            f.maxT = max;
            f.meanT = sum / t;
            f.weight = w;
        }

        /**
         * Directory statistics from the kids (post-order; a subtree already aggregated is done
         * again to the same values); the root and the hosts stay zero.
         */
        private void aggregate(GNode n, int depth) {
            if (n.kids.isEmpty()) {
                return;
            }
            double w = 0;
            long tsum = 0;
            long tmax = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long weighted = 0;
            for (GNode k : n.kids) {
                aggregate(k, depth + 1);
                w += k.weight;
                tsum += k.touches;
                tmax = Math.max(tmax, k.touches);
                min = Math.min(min, k.minT);
                max = Math.max(max, k.maxT);
                weighted += k.touches * (k.meanT - T0);
            }
            if (depth <= 2) {
                return;
            }
            n.weight = w;
            n.touches = tmax + (tsum - tmax) / 3; // commits touching several kids count once
            n.minT = min;
            n.maxT = max;
            n.meanT = T0 + weighted / tsum;
        }

        /** Number of successes before the first failure, P(success) = 1 - p. */
        private int geometric(double p) {
            int n = 0;
            while (rnd.nextDouble() >= p && n < 64) {
                n++;
            }
            return n;
        }

        private String userName() {
            StringBuilder sb = new StringBuilder();
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
            }
            return sb.toString();
        }

        private String repoName() {
            String w = WORDS[rnd.nextInt(WORDS.length)];
            return switch (rnd.nextInt(5)) {
                case 0 -> "go-" + w;
                case 1 -> w + "-go";
                case 2 -> w + WORDS[rnd.nextInt(WORDS.length)];
                default -> "go" + w;
            };
        }

        private String fileName() {
            if (rnd.nextInt(10) == 0) {
                return SPECIAL[rnd.nextInt(SPECIAL.length)];
            }
            String base = WORDS[rnd.nextInt(WORDS.length)];
            if (rnd.nextInt(3) == 0) {
                base = base + "_" + WORDS[rnd.nextInt(WORDS.length)];
            }
            return base + EXT[rnd.nextInt(EXT.length)];
        }

        /** name, or name with a numeric suffix if a sibling already has it (siblings are distinct). */
        private static String unique(GNode parent, String name) {
            Set<String> taken = new HashSet<>();
            for (GNode k : parent.kids) {
                taken.add(k.name);
            }
            String n = name;
            for (int i = 2; taken.contains(n); i++) {
                n = name + i;
            }
            return n;
        }
    }

    /** Writes a generated tree in Go's canonical form (names are plain ASCII: no escaping). */
    private static final class Text {
        private byte[] buf;
        private int n;

        Text(int capacity) {
            buf = new byte[capacity];
        }

        void raw(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[n++] = (byte) s.charAt(i);
            }
        }

        void name(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
                    throw new IllegalStateException("generated name needs escaping: " + s);
                }
            }
            raw("\"");
            raw(s);
            raw("\"");
        }

        void node(GNode g) {
            raw("{\"name\":");
            name(g.name);
            raw(",\"kids\":[");
            for (int i = 0; i < g.kids.size(); i++) {
                if (i > 0) {
                    raw(",");
                }
                node(g.kids.get(i));
            }
            raw("],\"cl_weight\":");
            ensure(GoFloat.MAX_LEN);
            n = GoFloat.append(buf, n, g.weight);
            raw(",\"touches\":");
            number(g.touches);
            raw(",\"min_t\":");
            number(g.minT);
            raw(",\"max_t\":");
            number(g.maxT);
            raw(",\"mean_t\":");
            number(g.meanT);
            raw("}");
        }

        void number(long v) {
            ensure(20);
            n = GoFloat.appendLong(buf, n, v);
        }

        private void ensure(int k) {
            if (n + k > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + k));
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, n);
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
