package gort.workloads.json;

import java.math.BigDecimal;

/**
 * Formats a float64 exactly as Go's encoding/json does (Go 1.19 {@code floatEncoder}): the shortest
 * decimal that parses back to the same double ({@code strconv.AppendFloat(b, f, fmt, -1, 64)}), in
 * {@code 'f'} layout when {@code 1e-6 <= |f| < 1e21} (and for zeros), else in {@code 'e'} layout
 * with a two-digit exponent at least, and the single-digit negative exponent cleaned up
 * ({@code 1e-07} becomes {@code 1e-7}). So 1 is {@code 1}, 0.1 is {@code 0.1}, 1e21 is
 * {@code 1e+21}, -0 is {@code -0}.
 *
 * <p>The shortest digits come from {@link Double#toString(double)}'s algorithm, appended into a
 * reused {@link StringBuilder} so that no String is made (JDK 19+: the shortest decimal
 * that rounds to the double, the closest one if several). One difference with Go: when a single
 * digit suffices, Java may still print two digits if a two-digit decimal is closer (4.9E-324 for
 * the smallest subnormal, where Go prints 5e-324); {@link #shortestDigits} then takes the closest
 * one-digit decimal that rounds back, as Go's shortest formatting does.
 *
 * <p>Owns nothing but the caller's {@link Buffer}; stateless and thread-safe otherwise. NaN and infinities have no JSON form: Go's Marshal
 * fails with an UnsupportedValueError, this throws IllegalArgumentException.
 */
public final class GoFloat {
    /** Longest output: sign, 17 digits, point, "e-308" and slack. */
    public static final int MAX_LEN = 32;

    private GoFloat() {}

    /** The JSON text Go's Marshal writes for f. */
    public static String format(double f) {
        byte[] b = new byte[MAX_LEN];
        int n = append(b, 0, f);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Scratch for {@link #append(byte[], int, double, Buffer)}, so that formatting allocates
     * nothing: the JDK's shortest digits are appended into a reused StringBuilder. One per thread of
     * use (e.g. per encoder).
     */
    public static final class Buffer {
        final StringBuilder sb = new StringBuilder(32);
        final char[] digits = new char[24];
    }

    /**
     * Writes f's JSON text into dst at pos (at most {@link #MAX_LEN} bytes); returns the position
     * after it.
     */
    public static int append(byte[] dst, int pos, double f) {
        return append(dst, pos, f, new Buffer());
    }

    /** {@link #append(byte[], int, double)} with caller-owned scratch: no allocation. */
    public static int append(byte[] dst, int pos, double f, Buffer buf) {
        if (Double.isNaN(f) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("json: unsupported value: " + f + " (a float64 must be finite to have a JSON form)");
        }
        int p = pos;
        if (Double.doubleToRawLongBits(f) < 0) {
            dst[p++] = '-';
            f = -f;
        }
        if (f == 0) {
            dst[p++] = '0';
            return p;
        }
        // integers below 2^53 print as themselves in 'f' layout: the common case, without a String
        if (f < 0x1p53 && f == Math.rint(f)) {
            return appendLong(dst, p, (long) f);
        }
        char[] digits = buf.digits;
        long packed = shortestDigits(f, digits, buf.sb);
        int nd = (int) (packed >>> 32);
        int dp = (int) packed; // value = 0.d1d2...dn × 10^dp
        if (f >= 1e-6 && f < 1e21) {
            if (dp <= 0) {
                dst[p++] = '0';
                dst[p++] = '.';
                for (int i = dp; i < 0; i++) {
                    dst[p++] = '0';
                }
                for (int i = 0; i < nd; i++) {
                    dst[p++] = (byte) digits[i];
                }
            } else if (dp >= nd) {
                for (int i = 0; i < nd; i++) {
                    dst[p++] = (byte) digits[i];
                }
                for (int i = nd; i < dp; i++) {
                    dst[p++] = '0';
                }
            } else {
                for (int i = 0; i < dp; i++) {
                    dst[p++] = (byte) digits[i];
                }
                dst[p++] = '.';
                for (int i = dp; i < nd; i++) {
                    dst[p++] = (byte) digits[i];
                }
            }
            return p;
        }
        dst[p++] = (byte) digits[0];
        if (nd > 1) {
            dst[p++] = '.';
            for (int i = 1; i < nd; i++) {
                dst[p++] = (byte) digits[i];
            }
        }
        dst[p++] = 'e';
        int exp = dp - 1;
        if (exp < 0) {
            dst[p++] = '-';
            exp = -exp;
            if (exp < 10) { // Go prints e-07 and then cleans it up to e-7
                dst[p++] = (byte) ('0' + exp);
                return p;
            }
        } else {
            dst[p++] = '+';
            if (exp < 10) {
                dst[p++] = '0';
            }
        }
        if (exp >= 100) {
            dst[p++] = (byte) ('0' + exp / 100);
        }
        if (exp >= 10) {
            dst[p++] = (byte) ('0' + exp / 10 % 10);
        }
        dst[p++] = (byte) ('0' + exp % 10);
        return p;
    }

    /** Decimal digits of v (v >= 0; Long.MIN_VALUE included) into dst at pos; returns the end. */
    public static int appendLong(byte[] dst, int pos, long v) {
        int p = pos;
        if (v < 0) {
            dst[p++] = '-';
            if (v == Long.MIN_VALUE) {
                byte[] m = "9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(m, 0, dst, p, m.length);
                return p + m.length;
            }
            v = -v;
        }
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        int end = p + n;
        int i = end;
        while (v >= 100) { // two digits per division
            int r = (int) (v % 100);
            v /= 100;
            dst[--i] = DIGIT_ONES[r];
            dst[--i] = DIGIT_TENS[r];
        }
        int r = (int) v;
        dst[--i] = DIGIT_ONES[r];
        if (r >= 10) {
            dst[--i] = DIGIT_TENS[r];
        }
        return end;
    }

    private static final byte[] DIGIT_ONES = new byte[100];
    private static final byte[] DIGIT_TENS = new byte[100];

    static {
        for (int k = 0; k < 100; k++) {
            DIGIT_ONES[k] = (byte) ('0' + k % 10);
            DIGIT_TENS[k] = (byte) ('0' + k / 10);
        }
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * Whether d×10^(dp-1) or (d+1)×10^(dp-1) might round to f, cheaply: for |dp-1| <= 22 one
     * multiplication or division of exact values is correctly rounded (Clinger's fast path), so
     * this is exact there; beyond, it answers true and the caller decides with BigDecimal.
     */
    private static boolean mayHaveOneDigit(double f, int d, int dp) {
        int k = dp - 1;
        if (k > 22 || k < -22) {
            return true;
        }
        double lo = k >= 0 ? d * POW10[k] : d / POW10[-k];
        double hi = k >= 0 ? (d + 1) * POW10[k] : (d + 1) / POW10[-k];
        return lo == f || hi == f;
    }

    /**
     * The shortest decimal digits of f (f > 0, finite) that round back to f: writes them into
     * {@code digits} (no leading or trailing zeros) and returns {@code (n << 32) | dp} where
     * f ≈ 0.d1…dn × 10^dp.
     */
    static long shortestDigits(double f, char[] digits) {
        return shortestDigits(f, digits, new StringBuilder(32));
    }

    static long shortestDigits(double f, char[] digits, StringBuilder s) {
        s.setLength(0);
        s.append(f); // Double.toString's text, written into s without a String: "d.ddd" or "d.dddE[-]x"
        int e = s.indexOf("E");
        int exp10 = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
        int end = e < 0 ? s.length() : e;
        int n = 0;
        int dp = 0; // digits before the point, counting from the first significant digit
        boolean seenPoint = false;
        boolean leading = true;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                seenPoint = true;
                continue;
            }
            if (leading && c == '0') {
                if (seenPoint) {
                    dp--; // 0.00ddd
                }
                continue;
            }
            leading = false;
            digits[n++] = c;
            if (!seenPoint) {
                dp++;
            }
        }
        while (n > 1 && digits[n - 1] == '0') {
            n--;
        }
        dp += exp10;
        if (n == 2 && mayHaveOneDigit(f, digits[0] - '0', dp)) {
            // Java's m=1 rule may print two digits where one rounds back: take Go's choice, the
            // closest one-digit decimal that rounds back to f.
            int d0 = digits[0] - '0';
            BigDecimal exact = new BigDecimal(f);
            int best = -1;
            BigDecimal bestDist = null;
            for (int cand = d0; cand <= d0 + 1; cand++) {
                BigDecimal c = cand == 10 ? BigDecimal.ONE.scaleByPowerOfTen(dp) : BigDecimal.valueOf(cand).scaleByPowerOfTen(dp - 1);
                if (c.doubleValue() != f) {
                    continue;
                }
                BigDecimal dist = c.subtract(exact).abs();
                if (bestDist == null || dist.compareTo(bestDist) < 0) {
                    best = cand;
                    bestDist = dist;
                }
            }
            if (best == 10) {
                digits[0] = '1';
                return (1L << 32) | ((dp + 1) & 0xFFFFFFFFL);
            } else if (best >= 0) {
                digits[0] = (char) ('0' + best);
                return (1L << 32) | (dp & 0xFFFFFFFFL);
            }
        }
        return ((long) n << 32) | (dp & 0xFFFFFFFFL);
    }
}
