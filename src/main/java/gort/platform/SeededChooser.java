package gort.platform;

/**
 * A {@link Chooser} that picks uniformly at random from a generator started from a seed
 * (SplitMix64, as {@code java.util.SplittableRandom}), so that the same seed gives the same
 * choices. A decision with a single runnable thread draws nothing from the generator.
 *
 * <p>Owns: the generator's state. Not thread-safe: the simulation calls it from the thread that
 * holds the baton, under its lock.
 */
public final class SeededChooser implements Chooser {
    private long state;

    public SeededChooser(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits (SplitMix64). */
    long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int choose(int[] runnable, int n) {
        if (n == 1) {
            return 0;
        }
        return (int) Long.remainderUnsigned(next(), n);
    }
}
