package gort.trace;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the host JVM's own garbage collections while a gort run goes on (GC notifications of
 * the platform's collector beans): how many, their total and their longest duration, so a report
 * can show them beside gort's pauses. Owns its listeners; {@link #stop} removes them.
 */
public final class JvmGcWatch implements NotificationListener {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong totalMs = new AtomicLong();
    private final AtomicLong maxMs = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    public static JvmGcWatch start() {
        JvmGcWatch w = new JvmGcWatch();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter e) {
                e.addNotificationListener(w, null, null);
                w.emitters.add(e);
            }
        }
        return w;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long d = info.getGcInfo().getDuration();
        count.incrementAndGet();
        totalMs.addAndGet(d);
        maxMs.accumulateAndGet(d, Math::max);
    }

    /** Stops watching; returns what was seen. */
    public StrategyRun.JvmGc stop() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        return new StrategyRun.JvmGc(count.get(), totalMs.get(), maxMs.get());
    }
}
