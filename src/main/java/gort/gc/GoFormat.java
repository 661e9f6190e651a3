package gort.gc;

/**
 * Numbers as the Go 1.5 runtime prints them in its traces: gctrace's {@code itoaDiv} and
 * {@code fmtNSAsMS} (mgc.go), and the runtime's own float64 format (print1.go's
 * {@code printfloat}: sign, seven significant digits, a signed three-digit exponent, e.g.
 * {@code +8.750000e-001}), which gcpacertrace uses. Locale-independent. Owns nothing.
 */
final class GoFormat {
    private GoFormat() {}

    /** val / 10^dec with exactly dec decimals (Go's itoaDiv). */
    static String itoaDiv(long val, int dec) {
        StringBuilder sb = new StringBuilder(Long.toString(val));
        if (dec == 0) {
            return sb.toString();
        }
        while (sb.length() <= dec) {
            sb.insert(0, '0');
        }
        sb.insert(sb.length() - dec, '.');
        return sb.toString();
    }

    /** Nanoseconds as milliseconds with two significant digits and at most three decimals (Go's fmtNSAsMS). */
    static String fmtNSAsMS(long ns) {
        if (ns >= 10_000_000L) {
            return itoaDiv(ns / 1_000_000L, 0);
        }
        long x = ns / 1000;
        if (x == 0) {
            return "0";
        }
        int dec = 3;
        while (x >= 100) {
            x /= 10;
            dec--;
        }
        return itoaDiv(x, dec);
    }

    /** A float64 as Go's runtime print writes it (printfloat): e.g. +9.500000e-001, -1.250000e+000, +0.000000e+000. */
    static String printfloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        final int n = 7; // digits printed
        char sign = '+';
        int e = 0;
        if (v == 0) {
            if (1 / v < 0) {
                sign = '-';
            }
        } else {
            if (v < 0) {
                v = -v;
                sign = '-';
            }
            while (v >= 10) { // normalize to [1, 10)
                e++;
                v /= 10;
            }
            while (v < 1) {
                e--;
                v *= 10;
            }
            double h = 5.0; // round at the last digit printed
            for (int i = 0; i < n; i++) {
                h /= 10;
            }
            v += h;
            if (v >= 10) {
                e++;
                v /= 10;
            }
        }
        StringBuilder sb = new StringBuilder(n + 7).append(sign);
        for (int i = 0; i < n; i++) {
            int d = (int) v;
            sb.append((char) ('0' + d));
            if (i == 0) {
                sb.append('.');
            }
            v -= d;
            v *= 10;
        }
        sb.append('e').append(e < 0 ? '-' : '+');
        int a = Math.abs(e);
        sb.append((char) ('0' + a / 100)).append((char) ('0' + a / 10 % 10)).append((char) ('0' + a % 10));
        return sb.toString();
    }
}
