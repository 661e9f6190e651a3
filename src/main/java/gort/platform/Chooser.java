package gort.platform;

/**
 * Picks the thread that runs next at a decision point of {@link SimPlatform}: the simulation's
 * only source of nondeterminism, so that a run is a function of its chooser.
 *
 * <p>Contract: {@link #choose} is called once per decision point, in the order the simulation
 * reaches them, with the ids of the runnable threads in ascending order (never empty), and returns
 * an index into that array.
 */
public interface Chooser {
    int choose(int[] runnable, int n);
}
