package gort.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a timeline as Chrome Trace Event JSON in the shape Go 1.5.1's {@code go tool trace}
 * serves its viewer ({@code /jsontrace}): {@code {"traceEvents": [...], "stackFrames": {},
 * "displayTimeUnit": "ns"}}, complete slices ("X", written when they end), thread-scoped instants
 * ("I"), flows as "s"/"t" pairs with one id, counters ("C") in pid 1, and at the end the metadata
 * naming pid 0 "PROCS", pid 1 "STATS" (gort adds pid 2 "GC") and each track ("Proc N"). Times
 * are microseconds since the runtime's start with nanosecond decimals, so {@code ts × 1000} is
 * exactly the nanosecond time the collector recorded. Streams through Jackson's generator: only
 * open slices and unfinished flows are held. Owns the output stream (closed by {@link #close}).
 */
public final class ChromeTraceSink implements TraceSink {
    private record Open(String name, long ts, Map<String, Object> args) {}

    private final JsonGenerator g;
    private final Map<Track, ArrayDeque<Open>> open = new HashMap<>();
    private final Map<Long, String> flowNames = new HashMap<>();
    private final Set<Track> tracks = new LinkedHashSet<>();
    private final Map<String, Object> otherData;

    /** @param otherData written as the top-level "otherData" object (what run made the trace), may be empty */
    public ChromeTraceSink(OutputStream out, Map<String, Object> otherData) {
        this.g = new JsonFactory().createGenerator(new BufferedOutputStream(out, 1 << 16));
        this.otherData = otherData;
        g.writeStartObject();
        g.writeName("traceEvents");
        g.writeStartArray();
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }

    private void head(String name, String ph, long ts, Track t) {
        tracks.add(t);
        g.writeStartObject();
        if (name != null) {
            g.writeStringProperty("name", name);
        }
        g.writeStringProperty("ph", ph);
        g.writeNumberProperty("ts", us(ts));
        g.writeNumberProperty("pid", t.group());
        g.writeNumberProperty("tid", t.tid());
    }

    private void args(Map<String, Object> a) {
        if (a == null || a.isEmpty()) {
            return;
        }
        g.writeName("args");
        g.writeStartObject();
        for (var en : a.entrySet()) {
            Object v = en.getValue();
            if (v instanceof Long || v instanceof Integer) {
                g.writeNumberProperty(en.getKey(), ((Number) v).longValue());
            } else if (v instanceof Number n) {
                g.writeNumberProperty(en.getKey(), n.doubleValue());
            } else if (v instanceof Boolean b) {
                g.writeBooleanProperty(en.getKey(), b);
            } else {
                g.writeStringProperty(en.getKey(), String.valueOf(v));
            }
        }
        g.writeEndObject();
    }

    private void flowEnds(Track t, long ts, long[] flows) {
        if (flows == null) {
            return;
        }
        for (long id : flows) {
            String name = flowNames.remove(id);
            if (name == null) {
                continue; // its start was outside the window
            }
            head(name, "t", ts, t);
            g.writeNumberProperty("id", id);
            g.writeEndObject();
        }
    }

    @Override
    public void begin(Track t, long ts, String name, Map<String, Object> a, long[] flowsIn) {
        open.computeIfAbsent(t, k -> new ArrayDeque<>()).push(new Open(name, ts, a));
        flowEnds(t, ts, flowsIn);
    }

    @Override
    public void end(Track t, long ts, Map<String, Object> a) {
        ArrayDeque<Open> st = open.get(t);
        Open o = st == null ? null : st.poll();
        if (o == null) {
            return;
        }
        head(o.name, "X", o.ts, t);
        g.writeNumberProperty("dur", us(ts - o.ts));
        Map<String, Object> all = o.args;
        if (a != null && !a.isEmpty()) {
            all = new LinkedHashMap<>(o.args == null ? Map.of() : o.args);
            all.putAll(a);
        }
        args(all);
        g.writeEndObject();
    }

    @Override
    public void instant(Track t, long ts, String name, Map<String, Object> a, long[] flowsIn) {
        head(name, "I", ts, t);
        g.writeStringProperty("s", "t");
        args(a);
        g.writeEndObject();
        flowEnds(t, ts, flowsIn);
    }

    @Override
    public void flowStart(Track t, long ts, String name, long id) {
        flowNames.put(id, name);
        head(name, "s", ts, t);
        g.writeNumberProperty("id", id);
        g.writeEndObject();
    }

    @Override
    public void counter(String name, long ts, String[] series, long[] values) {
        g.writeStartObject();
        g.writeStringProperty("name", name);
        g.writeStringProperty("ph", "C");
        g.writeNumberProperty("ts", us(ts));
        g.writeNumberProperty("pid", STATS);
        g.writeNumberProperty("tid", 0);
        g.writeName("args");
        g.writeStartObject();
        for (int i = 0; i < series.length; i++) {
            g.writeNumberProperty(series[i], values[i]);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private void meta(String what, int pid, long tid, String key, Object value) {
        g.writeStartObject();
        g.writeStringProperty("name", what);
        g.writeStringProperty("ph", "M");
        g.writeNumberProperty("pid", pid);
        g.writeNumberProperty("tid", tid);
        g.writeName("args");
        g.writeStartObject();
        if (value instanceof Integer i) {
            g.writeNumberProperty(key, i);
        } else {
            g.writeStringProperty(key, (String) value);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public void close() throws IOException {
        meta("process_name", PROCS, 0, "name", "PROCS");
        meta("process_sort_index", PROCS, 0, "sort_index", 1);
        meta("process_name", STATS, 0, "name", "STATS");
        meta("process_sort_index", STATS, 0, "sort_index", 0);
        meta("process_name", GC, 0, "name", "GC");
        meta("process_sort_index", GC, 0, "sort_index", 2);
        for (Track t : tracks) {
            meta("thread_name", t.group(), t.tid(), "name", t.name());
            meta("thread_sort_index", t.group(), t.tid(), "sort_index", t.sortIndex());
        }
        g.writeEndArray();
        g.writeName("stackFrames");
        g.writeStartObject();
        g.writeEndObject();
        g.writeStringProperty("displayTimeUnit", "ns");
        if (!otherData.isEmpty()) {
            g.writeName("otherData");
            g.writeStartObject();
            for (var en : otherData.entrySet()) {
                g.writeStringProperty(en.getKey(), String.valueOf(en.getValue()));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.close();
    }
}
