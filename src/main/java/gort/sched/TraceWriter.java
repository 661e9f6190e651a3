package gort.sched;

import gort.platform.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Streams full trace buffers to a file while the runtime runs (the part of Go 1.5's ReadTrace
 * that hands buffers to whoever writes them out), so a trace is never held in memory whole.
 *
 * <p>Owns: the queue of full buffers, a pool of empty ones, the output channel and one thread
 * (started through the platform, polling every millisecond; it runs no goroutine). On a platform
 * that runs one thread at a time ({@link Platform#runsOneThreadAtATime}) there is no such thread:
 * a buffer is written out when it is handed over, by the thread that hands it, with no platform
 * call, so that a traced run's schedule is the untraced run's (a writer thread would be one more
 * thread to choose among, and its sleeps decision points). The file is
 * gort's raw trace: the magic {@link #MAGIC}, then one record per batch, a little-endian int32
 * length and the batch's bytes (see {@link TraceBuf}). Invariants: batches are written in the
 * order they were handed over; a buffer handed over is written exactly once and then recycled;
 * after {@link #close} every handed buffer is on disk and the file is closed.
 */
public final class TraceWriter {
    /** The first bytes of a raw gort trace. */
    public static final byte[] MAGIC = "gort trace 1\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Platform platform;
    private final FileChannel out;
    private final ConcurrentLinkedQueue<TraceBuf> full = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<TraceBuf> empty = new ConcurrentLinkedQueue<>();
    private final Note finished;
    private final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private volatile boolean closing;
    private volatile IOException failure;
    private long bytesWritten;
    /** Whether buffers are written where they are handed over (a platform that runs one thread at a time), not by a thread. */
    private final boolean inline;

    public TraceWriter(Platform platform, Path raw) throws IOException {
        this.platform = platform;
        this.out = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.finished = new Note(platform);
        out.write(ByteBuffer.wrap(MAGIC));
        bytesWritten = MAGIC.length;
        inline = platform.runsOneThreadAtATime();
        if (!inline) {
            platform.newosproc("gort-trace-writer", this, this::loop);
        }
    }

    /** An empty buffer for a writer of pid (recycled when possible). */
    TraceBuf take(int pid) {
        TraceBuf b = empty.poll();
        if (b == null) {
            return new TraceBuf(pid);
        }
        b.reset(pid);
        return b;
    }

    /** Hands a buffer over for writing; the caller must not touch it again. */
    void submit(TraceBuf b) {
        if (b.pos == 0) {
            empty.offer(b);
            return;
        }
        full.offer(b);
        if (inline && failure == null) {
            try {
                drain(); // (one thread at a time: the drain is not concurrent with another)
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private void loop() {
        try {
            while (!closing) {
                drain();
                platform.usleep(1000);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            finish(); // drains whatever was handed over before close
            finished.wakeup();
        }
    }

    private void drain() throws IOException {
        TraceBuf b;
        while ((b = full.poll()) != null) {
            header.clear();
            header.putInt(b.pos).flip();
            while (header.hasRemaining()) {
                out.write(header);
            }
            ByteBuffer body = ByteBuffer.wrap(b.arr, 0, b.pos);
            while (body.hasRemaining()) {
                out.write(body);
            }
            bytesWritten += 4 + b.pos;
            b.pos = 0;
            empty.offer(b);
        }
    }

    /** Waits until every buffer handed over is written, and closes the file. Idempotent. */
    public void close() {
        closing = true;
        if (inline) {
            finish();
        } else {
            finished.sleep();
        }
        if (failure != null) {
            throw new UncheckedIOException("writing the trace failed: " + failure.getMessage(), failure);
        }
    }

    /** The last round, by the writer thread or, without one, by close: drains, forces and closes the file, once. */
    private synchronized void finish() {
        if (!out.isOpen()) {
            return;
        }
        try {
            if (failure == null) {
                drain();
                out.force(false);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** Bytes on disk so far (read after {@link #close}). */
    public long bytesWritten() {
        return bytesWritten;
    }
}
