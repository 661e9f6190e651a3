package gort.gc;

/**
 * The collector's phase (Go 1.5's gcphase with gcBlackenEnabled and gcBlackenPromptly folded in),
 * and the flags every phase implies; {@link Collector#setPhase} sets them together, so the write
 * barrier, blackening and allocate-black never disagree with the phase.
 *
 * <p>Invariants, as Go's: the write barrier is on in every phase but {@link #OFF}; blackening
 * (workers and assists) only while the barrier is on and the world runs ({@link #SCAN},
 * {@link #MARK}, {@link #MARK2}); prompt disposal of work caches and allocate-black in
 * {@link #MARK2}, and allocate-black in {@link #MARKTERMINATION} (Go allocates black in both).
 */
public enum GcPhase {
    /** No cycle: sweeping in the background, no barrier (Go's _GCoff). */
    OFF(false, false, false, false),
    /** Roots being scanned with the world started; assists may already mark (Go's _GCscan). */
    SCAN(true, true, false, false),
    /** Concurrent mark until mark 1 completes (Go's _GCmark). */
    MARK(true, true, false, false),
    /** Concurrent mark after mark 1: caches disposed at once, new objects black (Go's _GCmark with gcBlackenPromptly). */
    MARK2(true, true, true, true),
    /** The world is stopped for the final mark (Go's _GCmarktermination). */
    MARKTERMINATION(true, false, false, true);

    final boolean writeBarrier;
    final boolean blacken;
    final boolean promptly;
    final boolean allocBlack;

    GcPhase(boolean writeBarrier, boolean blacken, boolean promptly, boolean allocBlack) {
        this.writeBarrier = writeBarrier;
        this.blacken = blacken;
        this.promptly = promptly;
        this.allocBlack = allocBlack;
    }
}
