package gort.sched;

import gort.platform.RuntimeMutex;

/**
 * A Go channel (chan.go, Go 1.5): unbuffered channels hand a value directly from sender to
 * receiver; buffered ones go through a ring. Blocked goroutines wait in FIFO queues as sudogs and
 * are woken with park/ready, so a woken receiver lands in the waker's runnext.
 *
 * <p>Owns: the ring, the send and receive queues, the closed flag, and the lock that guards all
 * of them. Invariants: at most one of the queues is non-empty for an unbuffered channel; for a
 * buffered one, receivers wait only when the ring is empty and senders only when it is full;
 * nothing is sent after close; only goroutines of the runtime that made the channel use it (any
 * other panics, naming both runtimes). Nil channels are handled by the static helpers (a Java null):
 * sending or receiving blocks forever, closing panics.
 */
public final class Chan<T> {
    private final Sched sched;
    private final RuntimeMutex lock;
    private final int dataqsiz;
    private final Object[] buf;
    private int qcount;
    private int sendx;
    private int recvx;
    private boolean closed;
    private final Sudog.WaitQ recvq = new Sudog.WaitQ();
    private final Sudog.WaitQ sendq = new Sudog.WaitQ();

    public Chan(Sched sched, int size) {
        if (size < 0) {
            throw new GoPanic("makechan: size out of range: " + size);
        }
        this.sched = sched;
        this.lock = new RuntimeMutex(sched.platform);
        this.dataqsiz = size;
        this.buf = size == 0 ? null : new Object[size];
    }

    /** The result of a receive with ok ({@code v, ok := <-c}). */
    public record Recv<T>(T value, boolean ok) {}

    public int cap() {
        return dataqsiz;
    }

    /** Number of buffered elements (racy, as Go's len(c)). */
    public int len() {
        return qcount;
    }

    public void send(T v) {
        chansend(v, true);
    }

    /** Non-blocking send (a select with a default case): true if sent. */
    public boolean trySend(T v) {
        return chansend(v, false);
    }

    /** {@code <-c}: the zero value (null) once the channel is closed and drained. */
    @SuppressWarnings("unchecked")
    public T recv() {
        Object v = chanrecv(true);
        return v == CLOSED ? null : (T) v;
    }

    /** {@code v, ok := <-c}. */
    @SuppressWarnings("unchecked")
    public Recv<T> recv2() {
        Object v = chanrecv(true);
        return v == CLOSED ? new Recv<>(null, false) : new Recv<>((T) v, true);
    }

    /** What chanrecv returns for a closed, drained channel: no allocation for the ok flag. */
    private static final Object CLOSED = new Object();

    public void close() {
        Sched.checkOwner("close of a chan", sched);
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new GoPanic("close of closed channel");
        }
        closed = true;
        // release all readers
        for (Sudog sg; (sg = recvq.dequeue()) != null; ) {
            sg.elem = null;
            sg.g.param = null;
            sched.ready(sg.g);
        }
        // release all writers (they will panic)
        for (Sudog sg; (sg = sendq.dequeue()) != null; ) {
            sg.elem = null;
            sg.g.param = null;
            sched.ready(sg.g);
        }
        lock.unlock();
    }

    // One thread lookup per operation (Sched.safepointM); after a park the goroutine may be on
    // another M, so code after gopark uses only the G, or looks its M up again.

    private boolean chansend(T v, boolean block) {
        M m = Sched.safepointM();
        if (m.sched != sched) {
            throw Sched.foreignUse("send on a chan", sched, m.sched);
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new GoPanic("send on closed channel");
        }
        if (dataqsiz == 0) {
            Sudog sg = recvq.dequeue();
            if (sg != null) { // found a waiting receiver: hand the value over
                lock.unlock();
                G recvg = sg.g;
                sg.elem = v;
                recvg.param = sg;
                sched.ready(m, recvg);
                return true;
            }
            if (!block) {
                lock.unlock();
                return false;
            }
            G gp = m.curg;
            Sudog mysg = gp.sudog;
            mysg.elem = v;
            gp.waiting = mysg;
            gp.param = null;
            sendq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan send");
            if (mysg != gp.waiting) {
                throw new IllegalStateException("fatal error: G waiting list is corrupted");
            }
            gp.waiting = null;
            mysg.elem = null;
            if (gp.param == null) {
                if (!closed) {
                    throw new IllegalStateException("fatal error: chansend: spurious wakeup");
                }
                throw new GoPanic("send on closed channel");
            }
            gp.param = null;
            return true;
        }
        // buffered: wait for space
        while (qcount >= dataqsiz) {
            if (!block) {
                lock.unlock();
                return false;
            }
            G gp = m.curg;
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            gp.waiting = mysg;
            sendq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan send");
            gp.waiting = null;
            m = Sched.currentM();
            lock.lock();
            if (closed) {
                lock.unlock();
                throw new GoPanic("send on closed channel");
            }
        }
        buf[sendx] = v;
        if (++sendx == dataqsiz) {
            sendx = 0;
        }
        qcount++;
        Sudog sg = recvq.dequeue();
        lock.unlock();
        if (sg != null) {
            sched.ready(m, sg.g);
        }
        return true;
    }

    private Object chanrecv(boolean block) {
        M m = Sched.safepointM();
        if (m.sched != sched) {
            throw Sched.foreignUse("receive from a chan", sched, m.sched);
        }
        lock.lock();
        if (dataqsiz == 0) {
            if (closed) {
                lock.unlock();
                return CLOSED;
            }
            Sudog sg = sendq.dequeue();
            if (sg != null) { // found a waiting sender: take its value
                lock.unlock();
                Object v = sg.elem;
                sg.elem = null;
                G gp = sg.g;
                gp.param = sg;
                sched.ready(m, gp);
                return v;
            }
            G gp = m.curg;
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            gp.waiting = mysg;
            gp.param = null;
            recvq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan receive");
            if (mysg != gp.waiting) {
                throw new IllegalStateException("fatal error: G waiting list is corrupted");
            }
            gp.waiting = null;
            boolean haveData = gp.param != null;
            gp.param = null;
            Object v = mysg.elem;
            mysg.elem = null;
            if (haveData) {
                return v;
            }
            lock.lock();
            if (!closed) {
                throw new IllegalStateException("fatal error: chanrecv: spurious wakeup");
            }
            lock.unlock();
            return CLOSED;
        }
        // buffered: wait for data
        while (qcount <= 0) {
            if (closed) {
                lock.unlock();
                return CLOSED;
            }
            G gp = m.curg;
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            gp.waiting = mysg;
            recvq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan receive");
            gp.waiting = null;
            m = Sched.currentM();
            lock.lock();
        }
        Object v = buf[recvx];
        buf[recvx] = null;
        if (++recvx == dataqsiz) {
            recvx = 0;
        }
        qcount--;
        Sudog sg = sendq.dequeue();
        lock.unlock();
        if (sg != null) {
            sched.ready(m, sg.g);
        }
        return v;
    }

    // ---- nil-channel semantics for Java null references ----

    public static <T> void send(Chan<T> c, T v) {
        if (c == null) {
            blockForever("chan send (nil chan)");
        }
        c.send(v);
    }

    public static <T> T recv(Chan<T> c) {
        if (c == null) {
            blockForever("chan receive (nil chan)");
        }
        return c.recv();
    }

    public static <T> void close(Chan<T> c) {
        if (c == null) {
            throw new GoPanic("close of nil channel");
        }
        c.close();
    }

    private static void blockForever(String reason) {
        Sched.current().gopark(null, null, reason);
        throw new IllegalStateException("fatal error: unreachable: woke from " + reason);
    }
}
