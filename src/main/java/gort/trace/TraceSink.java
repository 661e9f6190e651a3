package gort.trace;

import java.io.IOException;
import java.util.Map;

/**
 * What a timeline is made of, independent of the file format: tracks, slices (properly nested on
 * each track), instants, flows (arrows from a point on one track to the start of a slice or an
 * instant on another) and counters. {@link TraceModel} drives a sink in time order;
 * {@link ChromeTraceSink} and {@link PerfettoTraceSink} write it. Invariants a sink may rely on:
 * timestamps (nanoseconds since the runtime's start) never decrease across calls; every
 * {@link #end} closes the innermost open slice of its track; a flow's start comes before its end.
 */
public interface TraceSink extends AutoCloseable {
    /** The three groups of tracks, as Go 1.5.1's viewer names the first two. */
    int PROCS = 0;
    int STATS = 1;
    int GC = 2;

    /**
     * A track: a lane of slices in one group ({@link #PROCS}, {@link #GC}), named and ordered as
     * the viewer shows it. In PROCS, tid is the P's id, as Go's viewer has it.
     */
    record Track(int group, long tid, String name, int sortIndex) {}

    void begin(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) throws IOException;

    /** Ends the innermost open slice of t; args are added to the slice's. */
    void end(Track t, long ts, Map<String, Object> args) throws IOException;

    void instant(Track t, long ts, String name, Map<String, Object> args, long[] flowsIn) throws IOException;

    /** An arrow named name starts on t at ts; its end is the flow id given to a later begin or instant. */
    void flowStart(Track t, long ts, String name, long id) throws IOException;

    /** A counter in the STATS group: one value per series at ts. */
    void counter(String name, long ts, String[] series, long[] values) throws IOException;

    @Override
    void close() throws IOException;
}
