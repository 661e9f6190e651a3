package gort.testing;

import gort.api.Config;
import java.util.List;

/**
 * The collector set-ups that parametrised tests run under, in place of the cross-product of every
 * axis: each design named after a release, and the ablations whose mechanism no release has on its
 * own (CL 9291's park without CL 12670's yield; no coordinator on Go 1.5's marking, gort's former
 * {@code none}; the go118 pacer). Together they take every value of every collector axis
 * (DesignTest checks that), at a sixth of the runs the full cross-product would take.
 */
public final class Designs {
    private Designs() {}

    /** Each set-up as GODEBUG settings; the first three are the releases. */
    public static final List<String> SETUPS = List.of(
            "gcdesign=go1.5-dev",
            "gcdesign=go1.5.1",
            "gcdesign=go1.6",
            "gcdesign=go1.5.1,gcwakeup=park",
            "gcdesign=go1.6,gcmarking=go15",
            "gcdesign=go1.5.1,gcpacer=go118");

    /** c under the set-up (GODEBUG settings on top of c's). */
    public static Config apply(Config c, String setup) {
        return c.withGodebug(Config.parseGodebug(setup));
    }
}
