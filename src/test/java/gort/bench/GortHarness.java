package gort.bench;

import gort.api.Config;
import gort.api.Runtime;
import gort.sched.Sched;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * A gort runtime kept alive across JMH invocations: its main goroutine waits for work in a
 * blocking "system call" ({@link Sched#entersyscallblock}, so its P is handed off and the collector
 * and sweeper go on without it), runs each task as the goroutine, and reports back. A benchmark
 * method then measures only the task, not the runtime's start-up.
 *
 * <p>Invariant: tasks run one at a time on the same goroutine, in order. A task that throws is a
 * Go panic: the runtime ends with its fatal error, which {@link #call} throws (as it does any fatal
 * error of the runtime), and every later call throws too; {@link #close} ends the runtime.
 */
public final class GortHarness implements AutoCloseable {
    private static final Runnable STOP = () -> { };

    private final SynchronousQueue<Runnable> requests = new SynchronousQueue<>();
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final Thread host;

    public GortHarness(Config config, Runnable setup) {
        host = new Thread(() -> {
            try {
                runtime(config, setup);
            } catch (Throwable t) {
                replies.add(t); // a fatal error ends the runtime: whoever waits hears of it
            }
        }, "gort-harness");
        host.setDaemon(true);
        host.start();
        await();
    }

    private void runtime(Config config, Runnable setup) {
        Runtime.run(config, () -> {
            reply(setup);
            for (;;) {
                Sched sched = Sched.current();
                sched.entersyscallblock();
                Runnable r;
                try {
                    r = requests.take();
                } catch (InterruptedException e) {
                    r = STOP;
                }
                sched.exitsyscall();
                if (r == STOP) {
                    return;
                }
                reply(r);
            }
        });
    }

    private void reply(Runnable r) {
        r.run(); // an exception here ends the runtime: Runtime.run throws it as a FatalError
        replies.add(Boolean.TRUE);
    }

    private void await() {
        Object out;
        try {
            out = replies.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gort runtime", e);
        }
        if (out instanceof RuntimeException re) {
            throw re;
        }
        if (out instanceof Throwable t) {
            throw new IllegalStateException("task failed in the gort runtime", t);
        }
    }

    /** Runs task on the runtime's main goroutine and waits for it. */
    public void call(Runnable task) {
        try {
            while (!requests.offer(task, 50, TimeUnit.MILLISECONDS)) {
                if (!host.isAlive()) {
                    if (!replies.isEmpty()) {
                        await(); // throws the error that ended it
                    }
                    throw new IllegalStateException("the gort runtime has ended");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await();
    }

    @Override
    public void close() {
        try {
            while (host.isAlive() && !requests.offer(STOP, 50, TimeUnit.MILLISECONDS)) {
                // the runtime is busy or gone: wait, or stop at once if it ended
            }
            host.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
