package gort.api;

import gort.sched.M;
import gort.sched.Sched;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The measured window of a program that gort runs ({@code gort run|compare Prog.java}): the program
 * calls {@link #start()} when its warm-up is over and {@link #stop()} when what should be measured
 * is done, from any of its goroutines; gort then keeps only the GC cycles and host-JVM pauses
 * inside the window, as it does for the built-in workloads' measured repetitions, and a
 * {@code --seconds} budget counts from {@link #start()}. A program whose classes never mention
 * {@code Measure} is measured over the whole of its main.
 *
 * <p>The window opens once per run: under gort, a second {@link #start()}, a {@link #start()} after
 * {@link #stop()}, a {@link #stop()} before {@link #start()} and a second {@link #stop()} panic,
 * naming the rule. Once gort has ended the window itself (main returned, or the program is being
 * stopped at its {@code --seconds} budget) further calls do nothing. Outside gort's program runner
 * (a runtime started with {@link Runtime#run} by hand, or a thread that is no goroutine) both
 * calls do nothing.
 *
 * <p>Owns: the window attached to each runtime that gort's runner started (at most one per
 * runtime; {@link #attach} and {@link #detach} are the runner's). Invariant: a call finds its
 * window through the calling thread's M, so a goroutine of one runtime never touches another's.
 */
public final class Measure {
    private Measure() {}

    /** What gort's program runner does when the program marks its window; it enforces the rules above. */
    public interface Window {
        /** The program called {@link Measure#start()}. */
        void start();

        /** The program called {@link Measure#stop()}. */
        void stop();
    }

    private static final ConcurrentHashMap<Sched, Window> WINDOWS = new ConcurrentHashMap<>();

    /** The program's warm-up is over: its measured window opens now. */
    public static void start() {
        Window w = current();
        if (w != null) {
            w.start();
        }
    }

    /** What the program measures is done: its measured window closes now. */
    public static void stop() {
        Window w = current();
        if (w != null) {
            w.stop();
        }
    }

    /** Attaches w to the runtime of the calling goroutine (gort's program runner, as main starts). */
    public static void attach(Window w) {
        Sched s = Sched.current();
        if (WINDOWS.putIfAbsent(s, w) != null) {
            throw new IllegalStateException(s.name() + " already has a measured window");
        }
    }

    /** Forgets the window of runtime s (gort's program runner, once the runtime has ended). */
    public static void detach(Sched s) {
        WINDOWS.remove(s);
    }

    private static Window current() {
        if (WINDOWS.isEmpty()) {
            return null;
        }
        M m = Sched.currentMOrNull(); // no runtime at hand: the thread's platform says which
        return m == null ? null : WINDOWS.get(m.sched());
    }
}
