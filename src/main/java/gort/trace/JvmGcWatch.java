package gort.trace;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Watches the host JVM's own garbage collections while a gort run goes on, and reports those that
 * fall inside the run's measured windows ({@link #open}/{@link #close}): how many, their total and
 * their longest pause, so a report can show them beside gort's own pauses and nobody mistakes one
 * for the other.
 *
 * <p>The pauses come from JFR's {@code jdk.GarbageCollection} events (their sum of pauses, in
 * nanoseconds, and their start time), read by a recording stream of this JVM that records nothing
 * else; a collection counts for a window if it started inside it. Without JFR the collectors' GC
 * notifications serve instead, at their millisecond resolution. Owns its stream (or listeners) and
 * the windows; {@link #stop} ends both. Not thread-safe for open/close (one caller, the workload's
 * main goroutine); events arrive on the stream's own thread.
 */
public final class JvmGcWatch {
    /** One host collection: when it started and how long it paused the JVM. */
    private record Pause(Instant start, long pauseNs) {}

    private final List<Pause> pauses = new ArrayList<>();
    private final List<Instant[]> windows = new ArrayList<>();
    private Instant openedAt;
    private jdk.jfr.consumer.RecordingStream stream;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private javax.management.NotificationListener listener;

    private JvmGcWatch() {}

    /** Starts watching; windows are opened and closed by the caller. */
    public static JvmGcWatch start() {
        JvmGcWatch w = new JvmGcWatch();
        if (!w.startJfr()) {
            w.startNotifications();
        }
        return w;
    }

    private boolean startJfr() {
        try {
            if (!jdk.jfr.FlightRecorder.isAvailable()) {
                return false;
            }
            jdk.jfr.consumer.RecordingStream rs = new jdk.jfr.consumer.RecordingStream();
            rs.enable("jdk.GarbageCollection").withoutThreshold();
            rs.onEvent("jdk.GarbageCollection", e -> add(new Pause(e.getStartTime(), e.getDuration("sumOfPauses").toNanos())));
            rs.startAsync();
            stream = rs;
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false; // no JFR in this JVM (or it may not be used): notifications, then
        }
    }

    private void startNotifications() {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        listener = (n, hb) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
            add(new Pause(Instant.ofEpochMilli(jvmStart + info.getStartTime()), info.getDuration() * 1_000_000L));
        };
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private synchronized void add(Pause p) {
        pauses.add(p);
    }

    /** A measured window opens now. */
    public synchronized void open() {
        openedAt = Instant.now();
    }

    /** The open measured window closes now. */
    public synchronized void close() {
        if (openedAt != null) {
            windows.add(new Instant[] {openedAt, Instant.now()});
            openedAt = null;
        }
    }

    /** Stops watching (every collection so far delivered first); returns the pauses inside the windows. */
    public StrategyRun.JvmGc stop() {
        close();
        if (stream != null) {
            stream.stop(); // delivers the events recorded so far before it returns
            stream.close();
        }
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        synchronized (this) {
            long count = 0;
            long total = 0;
            long max = 0;
            for (Pause p : pauses) {
                if (inWindow(p.start())) {
                    count++;
                    total += p.pauseNs();
                    max = Math.max(max, p.pauseNs());
                }
            }
            return new StrategyRun.JvmGc(count, total, max, pauses.size(), windowNs());
        }
    }

    private boolean inWindow(Instant t) {
        for (Instant[] w : windows) {
            if (!t.isBefore(w[0]) && t.isBefore(w[1])) {
                return true;
            }
        }
        return false;
    }

    private long windowNs() {
        long ns = 0;
        for (Instant[] w : windows) {
            ns += Duration.between(w[0], w[1]).toNanos();
        }
        return ns;
    }
}
