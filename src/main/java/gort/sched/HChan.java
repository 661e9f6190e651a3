package gort.sched;

import gort.platform.RuntimeMutex;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Go channel (Go 1.5's hchan: chan.go and select.go). Unbuffered channels hand a value directly
 * from sender to receiver; buffered ones go through a ring, and a goroutine woken on a buffered
 * channel tries again (Go 1.5's loops: the waker hands nothing over). Blocked goroutines wait in
 * FIFO queues as sudogs and are woken with park/ready, so a woken goroutine lands in the waker's
 * runnext.
 *
 * <p>Elements are either Java values, which the JVM keeps alive, or — on a channel of pointers —
 * managed-heap addresses, which the collector must see wherever they are: the ring is then a
 * managed array ({@link PtrBuf}, Go's makechan allocating the buffer with the element type), written
 * through the write barrier (typedmemmove), and an address in flight sits in a sudog's
 * {@code ptr}, which the collector scans with its goroutine's stack.
 *
 * <p>Owns: the ring, the send and receive queues, the closed flag, and the lock that guards all of
 * them. Invariants: for an unbuffered channel at most one queue holds a sudog that can still be
 * woken; for a buffered one, receivers wait only when the ring is empty and senders only when it
 * is full; nothing is sent after close; only goroutines of the runtime that made the channel use
 * it (any other panics, naming both runtimes). Lock order: a select locks its channels in the
 * order of their {@link #id}, as Go sorts them by address.
 */
public final class HChan {
    /** The managed buffer of a buffered channel of pointers (implemented above sched, on the heap). */
    public interface PtrBuf {
        /** Stores addr (0 for nil) into element i, with the write barrier. */
        void store(int i, long addr);

        long load(int i);
    }

    /** What {@link #recv} returns for a closed, drained channel. */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "closed";
        }
    };
    /** What a non-blocking {@link #recv} returns when nothing is ready. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "none";
        }
    };
    /** What {@link #recv} returns on a channel of pointers: the address is in {@link G#recvPtr}. */
    public static final Object PTR = new Object() {
        @Override
        public String toString() {
            return "pointer";
        }
    };

    private static final AtomicLong IDS = new AtomicLong();

    final Sched sched;
    final long id = IDS.incrementAndGet();
    private final RuntimeMutex lock;
    final int dataqsiz;
    final boolean ptrs;
    private final Object[] buf;
    private final PtrBuf pbuf;
    int qcount;
    private int sendx;
    private int recvx;
    boolean closed;
    final Sudog.WaitQ recvq = new Sudog.WaitQ();
    final Sudog.WaitQ sendq = new Sudog.WaitQ();

    /**
     * A channel of {@code size} elements (0: unbuffered). {@code ptrs}: the elements are managed
     * addresses; then a buffered channel needs {@code pbuf}, its managed ring.
     */
    public HChan(Sched sched, int size, boolean ptrs, PtrBuf pbuf) {
        if (size < 0) {
            throw new GoPanic("makechan: size out of range: " + size);
        }
        if (ptrs && size > 0 && pbuf == null) {
            throw new IllegalArgumentException("a buffered channel of pointers needs its managed buffer");
        }
        this.sched = sched;
        this.lock = new RuntimeMutex(sched.platform);
        this.dataqsiz = size;
        this.ptrs = ptrs;
        this.buf = size == 0 || ptrs ? null : new Object[size];
        this.pbuf = ptrs ? pbuf : null;
    }

    public int cap() {
        return dataqsiz;
    }

    /** Number of buffered elements (racy, as Go's len(c)). */
    public int len() {
        return qcount;
    }

    public boolean holdsPointers() {
        return ptrs;
    }

    public Sched sched() {
        return sched;
    }

    // ---- the ring ----

    private void put(Object v, long p) {
        if (ptrs) {
            pbuf.store(sendx, p);
        } else {
            buf[sendx] = v;
        }
        if (++sendx == dataqsiz) {
            sendx = 0;
        }
        qcount++;
    }

    /** Takes the head element; a pointer goes to gp.recvPtr and PTR is returned. */
    private Object take(G gp) {
        Object v;
        if (ptrs) {
            gp.recvPtr = pbuf.load(recvx);
            pbuf.store(recvx, 0); // Go's memclr of the slot: the channel keeps nothing it gave away
            v = PTR;
        } else {
            v = buf[recvx];
            buf[recvx] = null;
        }
        if (++recvx == dataqsiz) {
            recvx = 0;
        }
        qcount--;
        return v;
    }

    // ---- close ----

    public void close() {
        Sched.checkOwner("close of a chan", sched);
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new GoPanic("close of closed channel");
        }
        closed = true;
        // release all readers, then all writers (they will panic); none is handed a value
        for (Sudog sg; (sg = recvq.dequeue()) != null; ) {
            sg.elem = null;
            sg.ptr = 0;
            sg.g.param = null;
            sched.ready(sg.g);
        }
        for (Sudog sg; (sg = sendq.dequeue()) != null; ) {
            sg.elem = null;
            sg.ptr = 0;
            sg.g.param = null;
            sched.ready(sg.g);
        }
        lock.unlock();
    }

    public boolean isClosed() {
        return closed;
    }

    // One thread lookup per operation (Sched.safepointM); after a park the goroutine may be on
    // another M, so code after gopark uses only the G, or looks its M up again.

    /**
     * Go's chansend: sends v (a Java value) or p (an address, on a channel of pointers). Blocks
     * until sent if {@code block}, else returns false when it cannot send at once.
     */
    public boolean send(Object v, long p, boolean block) {
        return send(Sched.safepointM(), v, p, block);
    }

    /**
     * {@link #send} for a caller that passed its safepoint already ({@link Sched#safepointM}) and
     * then took p from a root: no safepoint comes between that and the send, so p stays valid.
     */
    public boolean send(M m, Object v, long p, boolean block) {
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
                sg.ptr = p;
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
            mysg.ptr = p; // rooted with gp's stack while it waits
            mysg.c = this;
            gp.waiting = mysg;
            gp.param = null;
            sendq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan send");
            if (mysg != gp.waiting) {
                throw new IllegalStateException("fatal error: G waiting list is corrupted");
            }
            gp.waiting = null;
            mysg.elem = null;
            mysg.ptr = 0;
            if (gp.param == null) {
                if (!closed) {
                    throw new IllegalStateException("fatal error: chansend: spurious wakeup");
                }
                throw new GoPanic("send on closed channel");
            }
            gp.param = null;
            return true;
        }
        // buffered: wait for space; the value stays rooted in this goroutine's sudog meanwhile
        G gp = m.curg;
        while (qcount >= dataqsiz) {
            if (!block) {
                lock.unlock();
                return false;
            }
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            mysg.ptr = p;
            mysg.c = this;
            gp.waiting = mysg;
            sendq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan send");
            gp.waiting = null;
            mysg.ptr = 0; // p is a live local again until it is stored below, with no safepoint between
            m = Sched.currentM();
            lock.lock();
            if (closed) {
                lock.unlock();
                throw new GoPanic("send on closed channel");
            }
        }
        put(v, p);
        Sudog sg = recvq.dequeue();
        lock.unlock();
        if (sg != null) {
            sched.ready(m, sg.g);
        }
        return true;
    }

    /**
     * Go's chanrecv: the value received (a Java value; on a channel of pointers {@link #PTR} with
     * the address in the caller's {@link G#recvPtr}), {@link #CLOSED} once the channel is closed
     * and drained (recvPtr 0), or, if not {@code block}, {@link #NONE} when nothing is ready.
     */
    public Object recv(boolean block) {
        M m = Sched.safepointM();
        if (m.sched != sched) {
            throw Sched.foreignUse("receive from a chan", sched, m.sched);
        }
        G gp = m.curg;
        lock.lock();
        if (dataqsiz == 0) {
            if (closed) {
                lock.unlock();
                gp.recvPtr = 0;
                return CLOSED;
            }
            Sudog sg = sendq.dequeue();
            if (sg != null) { // found a waiting sender: take its value
                lock.unlock();
                Object v = sg.elem;
                long p = sg.ptr;
                sg.elem = null;
                sg.ptr = 0;
                G sender = sg.g;
                sender.param = sg;
                gp.recvPtr = p;
                sched.ready(m, sender);
                return ptrs ? PTR : v;
            }
            if (!block) {
                lock.unlock();
                return NONE;
            }
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            mysg.ptr = 0;
            mysg.c = this;
            gp.waiting = mysg;
            gp.param = null;
            recvq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan receive");
            if (mysg != gp.waiting) {
                throw new IllegalStateException("fatal error: G waiting list is corrupted");
            }
            boolean haveData = gp.param != null;
            gp.param = null;
            Object v = mysg.elem;
            gp.recvPtr = mysg.ptr; // read before the sudog leaves the waiting list (no safepoint between)
            gp.waiting = null;
            mysg.elem = null;
            mysg.ptr = 0;
            if (haveData) {
                return ptrs ? PTR : v;
            }
            lock.lock();
            if (!closed) {
                throw new IllegalStateException("fatal error: chanrecv: spurious wakeup");
            }
            lock.unlock();
            gp.recvPtr = 0;
            return CLOSED;
        }
        // buffered: wait for data
        while (qcount <= 0) {
            if (closed) {
                lock.unlock();
                gp.recvPtr = 0;
                return CLOSED;
            }
            if (!block) {
                lock.unlock();
                return NONE;
            }
            Sudog mysg = gp.sudog;
            mysg.elem = null;
            mysg.ptr = 0;
            mysg.c = this;
            gp.waiting = mysg;
            recvq.enqueue(mysg);
            sched.goparkunlock(m, lock, "chan receive");
            gp.waiting = null;
            m = Sched.currentM();
            lock.lock();
        }
        Object v = take(gp);
        Sudog sg = sendq.dequeue();
        lock.unlock();
        if (sg != null) {
            sched.ready(m, sg.g);
        }
        return v;
    }

    // =====================================================================================
    // select (Go 1.5's selectgo)
    // =====================================================================================

    /** One case of a select (Go's scase): a send of (elem, ptr) on c, or a receive from c. */
    public static final class Case {
        final HChan c;
        final boolean send;
        Object elem;
        long ptr;
        /** Receive results: the value (PTR on a channel of pointers, address in ptr), and ok. */
        public Object received;
        public boolean ok;

        private Case(HChan c, boolean send, Object elem, long ptr) {
            this.c = c;
            this.send = send;
            this.elem = elem;
            this.ptr = ptr;
        }

        /** A send case; a null channel makes a case that is never ready (Go 1.5 leaves it out). */
        public static Case send(HChan c, Object v, long p) {
            return new Case(c, true, v, p);
        }

        public static Case recv(HChan c) {
            return new Case(c, false, null, 0);
        }

        /** The address received on a channel of pointers (0 for nil or a closed channel). */
        public long receivedPtr() {
            return ptr;
        }
    }

    private static final Sched.Unlockf SELPARKCOMMIT = (gp, l) -> {
        selunlock((HChan[]) l);
        return true;
    };

    /**
     * Go's select statement (selectgo): runs one ready case, chosen uniformly at random among the
     * ready ones (a random poll order from the M's fastrand, as Go 1.5), and returns its index; if
     * none is ready, returns -1 when {@code block} is false (the select has a default case), else
     * waits on every channel at once until one case can run. Cases with a null channel are never
     * ready; with none left, a blocking select blocks forever ("select (no cases)"). A send on a
     * closed channel panics; a receive from one is ready, with ok false.
     */
    public static int select(Case[] cases, boolean block) {
        return select(Sched.safepointM(), cases, block);
    }

    /** {@link #select} for a caller that passed its safepoint already and then took its send cases' addresses. */
    public static int select(M m, Case[] cases, boolean block) {
        Sched sched = m.sched;
        int n = 0;
        for (Case cs : cases) {
            if (cs.c != null) {
                if (cs.c.sched != sched) {
                    throw Sched.foreignUse(cs.send ? "send on a chan" : "receive from a chan", cs.c.sched, sched);
                }
                n++;
            }
        }
        if (n == 0) {
            if (!block) {
                return -1;
            }
            sched.gopark(m, null, null, "select (no cases)");
            throw new IllegalStateException("fatal error: unreachable: woke from select (no cases)");
        }
        // a random poll order over the cases with a channel (Go's pollorder: a shuffle by fastrand)
        int[] pollorder = new int[n];
        int k0 = 0;
        for (int i = 0; i < cases.length; i++) {
            if (cases[i].c == null) {
                continue;
            }
            int j = k0 == 0 ? 0 : Integer.remainderUnsigned(m.fastrand1(), k0 + 1);
            pollorder[k0] = pollorder[j];
            pollorder[j] = i;
            k0++;
        }
        // the locking order: the channels by id (Go sorts them by address), an insertion sort as the
        // case lists are short; sellock and selunlock skip repeats
        HChan[] lockorder = new HChan[n];
        for (int i = 0; i < n; i++) {
            HChan c = cases[pollorder[i]].c;
            int j = i;
            while (j > 0 && lockorder[j - 1].id > c.id) {
                lockorder[j] = lockorder[j - 1];
                j--;
            }
            lockorder[j] = c;
        }
        sellock(lockorder);
        G gp = m.curg;
        for (;;) {
            // pass 1: look for something already waiting
            for (int k : pollorder) {
                Case cs = cases[k];
                HChan c = cs.c;
                if (!cs.send) {
                    if (c.dataqsiz > 0) {
                        if (c.qcount > 0) { // asyncrecv
                            cs.received = c.take(gp);
                            cs.ptr = gp.recvPtr;
                            cs.ok = true;
                            Sudog sg = c.sendq.dequeue();
                            selunlock(lockorder);
                            if (sg != null) {
                                sched.ready(m, sg.g);
                            }
                            return k;
                        }
                    } else {
                        Sudog sg = c.sendq.dequeue();
                        if (sg != null) { // syncrecv
                            selunlock(lockorder);
                            cs.received = c.ptrs ? PTR : sg.elem;
                            cs.ptr = sg.ptr;
                            cs.ok = true;
                            sg.elem = null;
                            sg.ptr = 0;
                            sg.g.param = sg;
                            sched.ready(m, sg.g);
                            return k;
                        }
                    }
                    if (c.closed) { // rclose
                        selunlock(lockorder);
                        cs.received = c.ptrs ? PTR : null;
                        cs.ptr = 0;
                        cs.ok = false;
                        return k;
                    }
                } else {
                    if (c.closed) { // sclose
                        selunlock(lockorder);
                        throw new GoPanic("send on closed channel");
                    }
                    if (c.dataqsiz > 0) {
                        if (c.qcount < c.dataqsiz) { // asyncsend
                            c.put(cs.elem, cs.ptr);
                            Sudog sg = c.recvq.dequeue();
                            selunlock(lockorder);
                            if (sg != null) {
                                sched.ready(m, sg.g);
                            }
                            return k;
                        }
                    } else {
                        Sudog sg = c.recvq.dequeue();
                        if (sg != null) { // syncsend
                            selunlock(lockorder);
                            sg.elem = cs.elem;
                            sg.ptr = cs.ptr;
                            sg.g.param = sg;
                            sched.ready(m, sg.g);
                            return k;
                        }
                    }
                }
            }
            if (!block) {
                selunlock(lockorder);
                return -1;
            }
            // pass 2: enqueue on every channel, one sudog per case sharing one done flag (the G's own
            // select sudogs and flag, reused: after pass 3 no queue holds any of them, and every
            // waker that looked at one did so under a lock pass 3 then took)
            AtomicBoolean done = gp.selectDone();
            done.set(false);
            gp.waiting = null;
            int nsg = 0;
            for (int k : pollorder) {
                Case cs = cases[k];
                Sudog sg = gp.selectSudog(nsg++);
                sg.selectdone = done;
                sg.c = cs.c;
                sg.caseIndex = k;
                if (cs.send) {
                    sg.elem = cs.elem;
                    sg.ptr = cs.ptr; // rooted with gp's stack while it waits
                }
                sg.waitlink = gp.waiting;
                gp.waiting = sg;
                if (cs.send) {
                    cs.c.sendq.enqueue(sg);
                } else {
                    cs.c.recvq.enqueue(sg);
                }
            }
            gp.param = null;
            sched.gopark(m, SELPARKCOMMIT, lockorder, "select");
            m = Sched.currentM();
            // someone woke us up
            sellock(lockorder);
            Sudog won = (Sudog) gp.param;
            gp.param = null;
            // pass 3: dequeue from the channels that did not fire; take the winner's value first
            Object wonElem = null;
            long wonPtr = 0;
            if (won != null) {
                wonElem = won.elem;
                wonPtr = won.ptr;
            }
            for (Sudog sg = gp.waiting; sg != null; ) {
                Sudog next = sg.waitlink;
                if (sg != won) {
                    if (cases[sg.caseIndex].send) {
                        sg.c.sendq.dequeueSudog(sg);
                    } else {
                        sg.c.recvq.dequeueSudog(sg);
                    }
                }
                sg.elem = null;
                sg.ptr = 0;
                sg.selectdone = null;
                sg.waitlink = null;
                sg = next;
            }
            gp.waiting = null;
            if (won == null) {
                continue; // woken by a buffered channel or a close: look again (Go 1.5's "goto loop")
            }
            Case cs = cases[won.caseIndex];
            if (cs.c.dataqsiz > 0) {
                throw new IllegalStateException("fatal error: selectgo: shouldn't happen");
            }
            if (!cs.send) {
                cs.received = cs.c.ptrs ? PTR : wonElem;
                cs.ptr = wonPtr;
                cs.ok = true;
            }
            selunlock(lockorder);
            return won.caseIndex;
        }
    }

    private static void sellock(HChan[] lockorder) {
        HChan prev = null;
        for (HChan c : lockorder) {
            if (c != prev) {
                c.lock.lock();
                prev = c;
            }
        }
    }

    private static void selunlock(HChan[] lockorder) {
        for (int i = lockorder.length - 1; i >= 0; i--) {
            HChan c = lockorder[i];
            if (i > 0 && c == lockorder[i - 1]) {
                continue; // unlocked with the next one down
            }
            c.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "chan " + id + (ptrs ? " of pointers" : "") + " (cap " + dataqsiz + ")";
    }
}
