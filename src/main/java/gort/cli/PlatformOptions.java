package gort.cli;

import gort.platform.Platform;
import gort.platform.RealPlatform;
import gort.platform.SimPlatform;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --platform real|sim} and {@code --seed N}: which platform a run's runtime runs on. The
 * real platform (the default) runs Ms on the host's threads and clock, and its figures are what
 * gort reports beside real Go. The simulated one ({@link SimPlatform}) runs one M at a time in
 * virtual time, every choice of the next thread drawn from the seed, so that a run can be
 * repeated; its CPU count is {@code --procs}, else {@link #SIM_DEFAULT_NCPU}, whatever the host has.
 *
 * <p>Invariant: a bad combination (an unknown platform, a seed without the simulated platform) is
 * refused before anything runs, naming the flag and what is allowed.
 */
final class PlatformOptions {
    /** The simulated platform's CPU count (and so GOMAXPROCS's default) when --procs is not given. */
    static final int SIM_DEFAULT_NCPU = 4;

    @Option(names = "--platform", paramLabel = "real|sim", description = "the platform the runtime runs on: real (the default: the "
            + "host's threads and clock) or sim (one M at a time, in virtual time, every scheduling choice from --seed: a run repeats "
            + "exactly; its CPU count is --procs, else " + SIM_DEFAULT_NCPU + ")")
    String platform;

    @Option(names = "--seed", paramLabel = "N", description = "with --platform sim: the seed of the simulation's choices (a 64-bit integer; "
            + "default 1)")
    String seed;

    /** The seed once {@link #platform} named the simulated platform, else null. */
    private Long simSeed;

    /** The platform the flags name; {@code procs} is --procs or null. */
    Platform platform(CommandLine cl, Integer procs) {
        String name = platform == null ? "real" : platform;
        switch (name) {
            case "real" -> {
                if (seed != null) {
                    throw new CommandLine.ParameterException(cl, "--seed " + seed + " needs --platform sim: the real platform's "
                            + "schedule is the host's, not a seed's");
                }
                return RealPlatform.INSTANCE;
            }
            case "sim" -> {
                long s = 1;
                if (seed != null) {
                    try {
                        s = Long.parseLong(seed.trim());
                    } catch (NumberFormatException e) {
                        throw new CommandLine.ParameterException(cl, "--seed " + seed + " is invalid: must be an integer from "
                                + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
                    }
                }
                simSeed = s;
                return new SimPlatform(s, procs != null ? procs : SIM_DEFAULT_NCPU);
            }
            default -> throw new CommandLine.ParameterException(cl, "--platform " + platform + " is invalid: must be real or sim");
        }
    }

    /**
     * A config for one more runtime of a command that starts several (compare's runs and warm-up,
     * a program's bench runs): on the simulated platform, c on a fresh {@link SimPlatform} with the
     * flags' seed and c's GOMAXPROCS as its CPU count, so that every run starts its simulation
     * from the seed (a platform is one simulation: its clock and decisions go on from run to run);
     * on the real platform, c itself. Call {@link #platform} first.
     */
    gort.api.Config fresh(gort.api.Config c) {
        return simSeed == null ? c : c.withPlatform(new SimPlatform(simSeed, c.gomaxprocs()));
    }

    /** "on the simulated platform, seed 1" when the flags name it, else "" (the real platform is the default and needs no word). */
    String describe() {
        return simSeed == null ? "" : " on the simulated platform, seed " + simSeed;
    }

    /** True once {@link #platform} named the simulated platform. */
    boolean simulated() {
        return simSeed != null;
    }
}
