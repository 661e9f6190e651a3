package gort.platform;

/**
 * A {@link Chooser} that follows a recorded list of decisions (the thread ids that
 * {@link SimPlatform#decisions()} returned for an earlier run), so that a run can be repeated
 * exactly. A decision that names a thread that is not runnable means the run has diverged from
 * the recorded one (the program or the runtime changed, or something outside the platform made a
 * choice): it fails with the decision's index rather than guess.
 */
public final class ReplayChooser implements Chooser {
    private final int[] decisions;
    private int next;

    public ReplayChooser(int[] decisions) {
        this.decisions = decisions.clone();
    }

    @Override
    public int choose(int[] runnable, int n) {
        if (next >= decisions.length) {
            throw new IllegalStateException("replay diverged: decision " + next + " is past the " + decisions.length + " recorded");
        }
        int want = decisions[next];
        for (int i = 0; i < n; i++) {
            if (runnable[i] == want) {
                next++;
                return i;
            }
        }
        throw new IllegalStateException("replay diverged at decision " + next + ": thread " + want + " is not runnable");
    }
}
