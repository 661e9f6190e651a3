package gort.platform;

/**
 * A platform thread serving one M. Owns: the back-pointer to that M, so that code running on the
 * thread (including a goroutine's continuation mounted on it) finds its M from the thread itself.
 * Raw continuations keep the carrier's identity, so this works inside goroutines too.
 */
public final class OsThread extends Thread {
    volatile Object owner;

    OsThread(String name, Object owner, Runnable body) {
        super(null, body, name, 0, false);
        this.owner = owner;
        setDaemon(true);
    }

    public Object owner() {
        return owner;
    }

    /**
     * The owner (M) of the calling thread, or null for a thread the runtime did not start. Static
     * and cheap: the scheduler calls it at every safepoint. A simulated platform that runs several
     * Ms on one host thread re-points the owner when it switches Ms.
     */
    public static Object currentOwner() {
        return Thread.currentThread() instanceof OsThread t ? t.owner : null;
    }

    /** For simulated platforms: re-point the calling thread at another M. */
    public void setOwner(Object o) {
        owner = o;
    }
}
