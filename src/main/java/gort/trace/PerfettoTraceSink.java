package gort.trace;

import com.google.protobuf.CodedOutputStream;
import gort.trace.perfetto.PerfettoProtos.CounterDescriptor;
import gort.trace.perfetto.PerfettoProtos.DebugAnnotation;
import gort.trace.perfetto.PerfettoProtos.DebugAnnotationName;
import gort.trace.perfetto.PerfettoProtos.EventName;
import gort.trace.perfetto.PerfettoProtos.InternedData;
import gort.trace.perfetto.PerfettoProtos.ProcessDescriptor;
import gort.trace.perfetto.PerfettoProtos.SequenceFlags;
import gort.trace.perfetto.PerfettoProtos.TracePacket;
import gort.trace.perfetto.PerfettoProtos.TrackDescriptor;
import gort.trace.perfetto.PerfettoProtos.TrackEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a timeline in Perfetto's protobuf trace format (a {@code Trace} of {@code TracePacket}s,
 * schema subset in src/main/proto): one process track per group (PROCS, STATS, GC) with the P
 * lanes and gort's tracks as its children in the viewer's order, a counter track per counter
 * series, TrackEvent slices (begin/end), instants, flows (an instant carrying the flow id, ended by
 * the destination's terminating flow id) and counter values. Event and argument names are interned
 * on one packet sequence, so a long run stays small. Timestamps are nanoseconds since the
 * runtime's start. Streams packets as they come; owns the output stream.
 */
public final class PerfettoTraceSink implements TraceSink {
    private static final int SEQ = 1;
    private static final String[] GROUP_NAMES = {"PROCS", "STATS", "GC"};
    private static final int[] GROUP_ORDER = {1, 0, 2};

    private final OutputStream raw;
    private final CodedOutputStream out;
    private final Map<Track, Long> trackUuids = new HashMap<>();
    private final Map<String, Long> counterUuids = new HashMap<>();
    private final Map<String, Long> names = new HashMap<>();
    private final Map<String, Long> argNames = new HashMap<>();
    private long nextUuid = 100;
    private boolean first = true;
    private InternedData.Builder pendingInterned;

    public PerfettoTraceSink(OutputStream os) {
        this.raw = new BufferedOutputStream(os, 1 << 16);
        this.out = CodedOutputStream.newInstance(raw, 1 << 16);
    }

    private void write(TracePacket.Builder p) throws IOException {
        p.setTrustedPacketSequenceId(SEQ);
        if (first) {
            p.setSequenceFlags(SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED_VALUE);
            first = false;
        } else if (p.hasTrackEvent()) {
            p.setSequenceFlags(SequenceFlags.SEQ_NEEDS_INCREMENTAL_STATE_VALUE);
        }
        if (pendingInterned != null) {
            p.setInternedData(pendingInterned);
            pendingInterned = null;
        }
        out.writeMessage(1, p.build());
    }

    private InternedData.Builder interned() {
        if (pendingInterned == null) {
            pendingInterned = InternedData.newBuilder();
        }
        return pendingInterned;
    }

    private long nameIid(String s) {
        Long id = names.get(s);
        if (id == null) {
            id = (long) names.size() + 1;
            names.put(s, id);
            interned().addEventNames(EventName.newBuilder().setIid(id).setName(s));
        }
        return id;
    }

    private long argIid(String s) {
        Long id = argNames.get(s);
        if (id == null) {
            id = (long) argNames.size() + 1;
            argNames.put(s, id);
            interned().addDebugAnnotationNames(DebugAnnotationName.newBuilder().setIid(id).setName(s));
        }
        return id;
    }

    private static long groupUuid(int group) {
        return 1 + group;
    }

    private final boolean[] groupDeclared = new boolean[GROUP_NAMES.length];

    private void declareGroup(int group) throws IOException {
        if (groupDeclared[group]) {
            return;
        }
        groupDeclared[group] = true;
        TrackDescriptor.Builder d = TrackDescriptor.newBuilder().setUuid(groupUuid(group))
                .setProcess(ProcessDescriptor.newBuilder().setPid(100 + group).setProcessName(GROUP_NAMES[group]))
                .setChildOrdering(TrackDescriptor.ChildTracksOrdering.EXPLICIT).setSiblingOrderRank(GROUP_ORDER[group]);
        write(TracePacket.newBuilder().setTrackDescriptor(d));
    }

    private long uuid(Track t) throws IOException {
        Long u = trackUuids.get(t);
        if (u != null) {
            return u;
        }
        declareGroup(t.group());
        long id = nextUuid++;
        trackUuids.put(t, id);
        write(TracePacket.newBuilder().setTrackDescriptor(TrackDescriptor.newBuilder().setUuid(id).setParentUuid(groupUuid(t.group()))
                .setName(t.name()).setSiblingOrderRank(t.sortIndex())));
        return id;
    }

    private long counterUuid(String name) throws IOException {
        Long u = counterUuids.get(name);
        if (u != null) {
            return u;
        }
        declareGroup(STATS);
        long id = nextUuid++;
        counterUuids.put(name, id);
        CounterDescriptor.Unit unit = name.startsWith("Heap") ? CounterDescriptor.Unit.UNIT_SIZE_BYTES : CounterDescriptor.Unit.UNIT_COUNT;
        write(TracePacket.newBuilder().setTrackDescriptor(TrackDescriptor.newBuilder().setUuid(id).setParentUuid(groupUuid(STATS))
                .setName(name).setSiblingOrderRank(counterUuids.size()).setCounter(CounterDescriptor.newBuilder().setUnit(unit))));
        return id;
    }

    private void annotate(TrackEvent.Builder e, Map<String, Object> a) {
        if (a == null) {
            return;
        }
        for (var en : a.entrySet()) {
            DebugAnnotation.Builder d = DebugAnnotation.newBuilder().setNameIid(argIid(en.getKey()));
            Object v = en.getValue();
            if (v instanceof Long || v instanceof Integer) {
                d.setIntValue(((Number) v).longValue());
            } else if (v instanceof Number n) {
                d.setDoubleValue(n.doubleValue());
            } else if (v instanceof Boolean b) {
                d.setBoolValue(b);
            } else {
                d.setStringValue(String.valueOf(v));
            }
            e.addDebugAnnotations(d);
        }
    }

    private void event(long ts, TrackEvent.Builder e) throws IOException {
        write(TracePacket.newBuilder().setTimestamp(ts).setTrackEvent(e));
    }

    @Override
    public void begin(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) throws IOException {
        long u = uuid(t);
        TrackEvent.Builder e = TrackEvent.newBuilder().setType(TrackEvent.Type.TYPE_SLICE_BEGIN).setTrackUuid(u).setNameIid(nameIid(name));
        annotate(e, args);
        if (flowsIn != null) {
            for (long f : flowsIn) {
                e.addTerminatingFlowIds(f);
            }
        }
        event(ts, e);
    }

    @Override
    public void end(Track t, long ts, Map<String, Object> args) throws IOException {
        TrackEvent.Builder e = TrackEvent.newBuilder().setType(TrackEvent.Type.TYPE_SLICE_END).setTrackUuid(uuid(t));
        annotate(e, args);
        event(ts, e);
    }

    @Override
    public void instant(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) throws IOException {
        long u = uuid(t);
        TrackEvent.Builder e = TrackEvent.newBuilder().setType(TrackEvent.Type.TYPE_INSTANT).setTrackUuid(u).setNameIid(nameIid(name));
        annotate(e, args);
        if (flowsIn != null) {
            for (long f : flowsIn) {
                e.addTerminatingFlowIds(f);
            }
        }
        event(ts, e);
    }

    @Override
    public void flowStart(Track t, long ts, String name, long id) throws IOException {
        long u = uuid(t);
        event(ts, TrackEvent.newBuilder().setType(TrackEvent.Type.TYPE_INSTANT).setTrackUuid(u).setNameIid(nameIid(name)).addFlowIds(id));
    }

    @Override
    public void counter(String name, long ts, String[] series, long[] values) throws IOException {
        for (int i = 0; i < series.length; i++) {
            long u = counterUuid(name + " " + series[i]);
            event(ts, TrackEvent.newBuilder().setType(TrackEvent.Type.TYPE_COUNTER).setTrackUuid(u).setCounterValue(values[i]));
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
        raw.close();
    }
}
