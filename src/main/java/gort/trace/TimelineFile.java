package gort.trace;

import com.google.protobuf.CodedInputStream;
import gort.trace.perfetto.PerfettoProtos.DebugAnnotation;
import gort.trace.perfetto.PerfettoProtos.TracePacket;
import gort.trace.perfetto.PerfettoProtos.TrackDescriptor;
import gort.trace.perfetto.PerfettoProtos.TrackEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a timeline file back, streaming, into the vocabulary of {@link TraceSink}: gort's own
 * traces in both formats, and the viewer JSON of the real Go 1.5.1 ({@code go tool trace}'s
 * {@code /jsontrace}, as {@code anchors/go15/trace-json.sh} saves it), whose slices carry
 * end-stack ids ({@code esf}) into its {@code stackFrames} table. Times come out in nanoseconds
 * (the JSON's microseconds times 1000, rounded). Owns nothing; each call reads the file once.
 */
public final class TimelineFile {
    private TimelineFile() {}

    /** What a reader sees, in file order (slices when they are complete). */
    public interface Visitor {
        /** A complete slice; esf is Go's end-stack frame id (0 if none). */
        default void slice(int group, long tid, String name, long ts, long dur, Map<String, Object> args, long esf) {}

        /** An instant; sf is Go's stack-frame id of the event (0 if none). */
        default void instant(int group, long tid, String name, long ts, Map<String, Object> args, long sf) {}

        /** A flow point: ph 's' starts arrow id, 't' (or 'f') ends it. */
        default void flow(String name, char ph, long id, int group, long tid, long ts) {}

        /** A track's name (JSON thread_name metadata, Perfetto track descriptors). */
        default void trackName(int group, long tid, String name) {}

        /** Go's stack-frame table entry: id → "function:line", with its parent's id. */
        default void frame(long id, String name, long parent) {}

        /** A top-level otherData entry (gort's JSON traces say there what run made them). */
        default void about(String key, String value) {}
    }

    /** Reads file (.json or .pftrace); the message of a failure names the file and the problem. */
    public static void read(Path file, Visitor v) throws IOException {
        String missing = notAFile(file);
        if (missing != null) {
            throw new IllegalArgumentException("trace file " + missing);
        }
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".json")) {
            readJson(file, v);
        } else if (n.endsWith(".pftrace")) {
            readPerfetto(file, v);
        } else {
            throw new IllegalArgumentException("trace file " + file + ": the name must end in .json (gort's or Go 1.5.1's viewer JSON) "
                    + "or .pftrace (gort's Perfetto protobuf)");
        }
    }

    /**
     * What keeps path from being read as a regular file, as the end of a sentence that starts with
     * the path's role ("\"\": the path is empty", "x: is a directory, not a file", "x does not
     * exist"), or null when it is a regular file.
     */
    public static String notAFile(Path path) {
        if (path.toString().isEmpty()) {
            return "\"\": the path is empty; name a file";
        }
        if (Files.isRegularFile(path)) {
            return null;
        }
        if (Files.isDirectory(path)) {
            return path + ": is a directory, not a file";
        }
        if (Files.exists(path)) {
            return path + ": is not a regular file";
        }
        return path + " does not exist";
    }

    // =====================================================================================
    // Chrome Trace Event JSON
    // =====================================================================================

    private static void readJson(Path file, Visitor v) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(file, "not a JSON object");
            }
            boolean events = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "traceEvents" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw bad(file, "traceEvents is not an array");
                        }
                        events = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            event(p, v);
                        }
                    }
                    case "stackFrames" -> {
                        if (t != JsonToken.START_OBJECT) {
                            throw bad(file, "stackFrames is not an object");
                        }
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            long id = Long.parseLong(p.currentName());
                            p.nextToken();
                            String name = "?";
                            long parent = 0;
                            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                                String k = p.currentName();
                                p.nextToken();
                                if (k.equals("name")) {
                                    name = p.getString();
                                } else if (k.equals("parent")) {
                                    parent = p.getLongValue();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            v.frame(id, name, parent);
                        }
                    }
                    case "otherData" -> {
                        if (t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                                String k = p.currentName();
                                p.nextToken();
                                v.about(k, p.getString());
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!events) {
                throw bad(file, "no traceEvents array: not a Chrome Trace Event JSON file");
            }
        } catch (JacksonException e) {
            throw bad(file, "malformed JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            throw bad(file, "malformed stackFrames id");
        }
    }

    private static IOException bad(Path file, String what) {
        return new IOException("trace file " + file + ": " + what);
    }

    private static long ns(double us) {
        return Math.round(us * 1000.0);
    }

    private static void event(JsonParser p, Visitor v) {
        String name = null;
        String ph = "";
        double ts = 0;
        double dur = 0;
        long pid = 0;
        long tid = 0;
        long id = 0;
        long esf = 0;
        long sf = 0;
        Map<String, Object> args = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            switch (k) {
                case "name" -> name = p.getString();
                case "ph" -> ph = p.getString();
                case "ts" -> ts = p.getDoubleValue();
                case "dur" -> dur = p.getDoubleValue();
                case "pid" -> pid = p.getLongValue();
                case "tid" -> tid = p.getLongValue();
                case "id" -> id = t == JsonToken.VALUE_STRING ? Long.parseLong(p.getString()) : p.getLongValue();
                case "esf" -> esf = p.getLongValue();
                case "sf" -> sf = p.getLongValue();
                case "args" -> args = args(p);
                default -> p.skipChildren();
            }
        }
        int group = (int) pid;
        switch (ph) {
            case "X" -> v.slice(group, tid, name, ns(ts), ns(dur), args, esf);
            case "I", "i" -> v.instant(group, tid, name, ns(ts), args, sf);
            case "s", "t", "f" -> v.flow(name, ph.charAt(0), id, group, tid, ns(ts));
            case "M" -> {
                if ("thread_name".equals(name) && args != null && args.get("name") instanceof String s) {
                    v.trackName(group, tid, s);
                }
            }
            default -> {
                // counters and anything else: not needed to read waits back
            }
        }
    }

    private static Map<String, Object> args(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            switch (t) {
                case VALUE_NUMBER_INT -> m.put(k, p.getLongValue());
                case VALUE_NUMBER_FLOAT -> m.put(k, p.getDoubleValue());
                case VALUE_STRING -> m.put(k, p.getString());
                case VALUE_TRUE, VALUE_FALSE -> m.put(k, t == JsonToken.VALUE_TRUE);
                default -> p.skipChildren();
            }
        }
        return m;
    }

    // =====================================================================================
    // Perfetto protobuf
    // =====================================================================================

    private record TrackInfo(int group, long tid, String name) {}

    private static void readPerfetto(Path file, Visitor v) throws IOException {
        Map<Long, String> processNames = new HashMap<>();
        Map<Long, TrackInfo> tracks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, String> argNames = new HashMap<>();
        Map<Long, ArrayDeque<Object[]>> open = new HashMap<>();
        Map<String, Long> gcTids = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE);
            while (!c.isAtEnd()) {
                int tag = c.readTag();
                if (tag != (1 << 3 | 2)) {
                    throw bad(file, "not a Perfetto trace (field " + (tag >>> 3) + " where packets were expected)");
                }
                TracePacket pk = TracePacket.parseFrom(c.readBytes());
                if (pk.hasInternedData()) {
                    pk.getInternedData().getEventNamesList().forEach(e -> names.put(e.getIid(), e.getName()));
                    pk.getInternedData().getDebugAnnotationNamesList().forEach(e -> argNames.put(e.getIid(), e.getName()));
                }
                if (pk.hasTrackDescriptor()) {
                    TrackDescriptor d = pk.getTrackDescriptor();
                    if (d.hasProcess()) {
                        processNames.put(d.getUuid(), d.getProcess().getProcessName());
                    } else if (!d.hasCounter()) {
                        String pn = processNames.getOrDefault(d.getParentUuid(), "");
                        int group = switch (pn) {
                            case "PROCS" -> TraceSink.PROCS;
                            case "STATS" -> TraceSink.STATS;
                            default -> TraceSink.GC;
                        };
                        long tid;
                        if (group == TraceSink.PROCS && d.getName().startsWith("Proc ")) {
                            tid = Long.parseLong(d.getName().substring(5));
                        } else if (group == TraceSink.PROCS && d.getName().equals(TraceModel.TIMERS.name())) {
                            tid = TraceModel.TIMERS.tid();
                        } else if (group == TraceSink.PROCS) {
                            tid = TraceModel.SYSCALLS.tid();
                        } else {
                            tid = gcTids.computeIfAbsent(d.getName(), k -> (long) d.getSiblingOrderRank());
                        }
                        tracks.put(d.getUuid(), new TrackInfo(group, tid, d.getName()));
                        v.trackName(group, tid, d.getName());
                    }
                }
                if (pk.hasTrackEvent()) {
                    TrackEvent e = pk.getTrackEvent();
                    TrackInfo t = tracks.get(e.getTrackUuid());
                    if (t == null) {
                        continue; // a counter
                    }
                    long ts = pk.getTimestamp();
                    String name = e.hasName() ? e.getName() : names.getOrDefault(e.getNameIid(), "?");
                    switch (e.getType()) {
                        case TYPE_SLICE_BEGIN -> {
                            open.computeIfAbsent(e.getTrackUuid(), k -> new ArrayDeque<>()).push(new Object[] {name, ts, args(e, argNames)});
                            for (long f : e.getTerminatingFlowIdsList()) {
                                v.flow("", 't', f, t.group(), t.tid(), ts);
                            }
                        }
                        case TYPE_SLICE_END -> {
                            ArrayDeque<Object[]> st = open.get(e.getTrackUuid());
                            Object[] o = st == null ? null : st.poll();
                            if (o == null) {
                                throw bad(file, "slice end without a begin on track " + t.name());
                            }
                            @SuppressWarnings("unchecked")
                            Map<String, Object> a = (Map<String, Object>) o[2];
                            Map<String, Object> ea = args(e, argNames);
                            if (ea != null) {
                                a = a == null ? ea : merge(a, ea);
                            }
                            v.slice(t.group(), t.tid(), (String) o[0], (long) o[1], ts - (long) o[1], a, 0);
                        }
                        case TYPE_INSTANT -> {
                            for (long f : e.getFlowIdsList()) {
                                v.flow(name, 's', f, t.group(), t.tid(), ts);
                            }
                            for (long f : e.getTerminatingFlowIdsList()) {
                                v.flow("", 't', f, t.group(), t.tid(), ts);
                            }
                            if (e.getFlowIdsCount() == 0) {
                                v.instant(t.group(), t.tid(), name, ts, args(e, argNames), 0);
                            }
                        }
                        default -> {
                            // counter values: not needed to read waits back
                        }
                    }
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw bad(file, "not a Perfetto trace (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static Map<String, Object> args(TrackEvent e, Map<Long, String> argNames) {
        if (e.getDebugAnnotationsCount() == 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (DebugAnnotation d : e.getDebugAnnotationsList()) {
            String k = d.hasName() ? d.getName() : argNames.getOrDefault(d.getNameIid(), "?");
            if (d.hasIntValue()) {
                m.put(k, d.getIntValue());
            } else if (d.hasUintValue()) {
                m.put(k, d.getUintValue());
            } else if (d.hasDoubleValue()) {
                m.put(k, d.getDoubleValue());
            } else if (d.hasBoolValue()) {
                m.put(k, d.getBoolValue());
            } else {
                m.put(k, d.getStringValue());
            }
        }
        return m;
    }
}
