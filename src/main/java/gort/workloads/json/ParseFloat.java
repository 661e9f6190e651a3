package gort.workloads.json;

import java.math.BigInteger;

/**
 * float64 from the text of a JSON number, correctly rounded and without allocating, in the order Go's
 * {@code strconv.ParseFloat} tries its methods (Go 1.16+, {@code atof64}): first the exact
 * floating-point path for a decimal significand that fits a double and an exponent a double power of
 * ten reaches exactly ({@code atof64exact}, Clinger's fast path); then the Eisel–Lemire
 * approximation with 128-bit truncated powers of ten ({@code eiselLemire64}), which either yields
 * the correctly rounded result or says it cannot decide; for a significand of more than 19 digits,
 * the approximation of the truncated significand and of its upper bound must agree. What none of
 * these settles (undecidable products, subnormal or overflowing results) goes to
 * {@link Double#parseDouble}, which allocates — as Go falls back to its slow decimal conversion.
 *
 * <p>Why here: Jackson's own double parsing allocates for every number, and the json
 * workload's decoder reads thousands of them per op; the garbage made the host JVM collect inside
 * gort's measured windows. Owns nothing but the table of powers of ten, computed once.
 */
final class ParseFloat {
    private ParseFloat() {}

    /** Range of the table of powers of ten (as Go's detailedPowersOfTen). */
    static final int MIN_EXP10 = -348;
    static final int MAX_EXP10 = 347;
    /** 128-bit mantissas of 10^e, rounded down, most significant bit set: high and low words. */
    private static final long[] POW10_HI = new long[MAX_EXP10 - MIN_EXP10 + 1];
    private static final long[] POW10_LO = new long[MAX_EXP10 - MIN_EXP10 + 1];
    private static final double[] EXACT_POW10 = new double[23];

    static {
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        for (int e = MIN_EXP10; e <= MAX_EXP10; e++) {
            BigInteger m;
            if (e >= 0) {
                m = BigInteger.TEN.pow(e);
                int sh = 128 - m.bitLength();
                m = sh >= 0 ? m.shiftLeft(sh) : m.shiftRight(-sh); // right: rounded down
            } else {
                BigInteger p = BigInteger.TEN.pow(-e);
                m = BigInteger.ONE.shiftLeft(p.bitLength() + 127).divide(p); // floor: in (2^127, 2^128)
            }
            if (m.bitLength() != 128 || m.compareTo(two128) >= 0) {
                throw new ExceptionInInitializerError("power of ten table: 10^" + e);
            }
            POW10_HI[e - MIN_EXP10] = m.shiftRight(64).longValue();
            POW10_LO[e - MIN_EXP10] = m.longValue();
        }
        double p = 1;
        for (int i = 0; i < EXACT_POW10.length; i++) {
            EXACT_POW10[i] = p;
            p *= 10;
        }
    }

    /** The double nearest the JSON number text {@code s[off, off+len)} (valid JSON number syntax). */
    static double parse(char[] s, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (i < end && s[i] == '-') {
            neg = true;
            i++;
        }
        long man = 0;
        int nd = 0; // significant digits taken into man (at most 19)
        int dp = 0; // decimal exponent adjustment for the digits read
        boolean trunc = false;
        boolean sawDigit = false;
        boolean afterPoint = false;
        for (; i < end; i++) {
            char c = s[i];
            if (c == '.') {
                if (afterPoint) {
                    return slow(s, off, len);
                }
                afterPoint = true;
                continue;
            }
            if (c < '0' || c > '9') {
                break;
            }
            sawDigit = true;
            if (c == '0' && nd == 0) { // a leading zero
                if (afterPoint) {
                    dp--;
                }
                continue;
            }
            if (nd < 19) {
                man = man * 10 + (c - '0');
                nd++;
                if (afterPoint) {
                    dp--;
                }
            } else {
                if (c != '0') {
                    trunc = true;
                }
                if (!afterPoint) {
                    dp++;
                }
            }
        }
        if (!sawDigit) {
            return slow(s, off, len);
        }
        if (i < end) {
            char c = s[i];
            if (c != 'e' && c != 'E') {
                return slow(s, off, len);
            }
            i++;
            boolean eneg = false;
            if (i < end && (s[i] == '+' || s[i] == '-')) {
                eneg = s[i] == '-';
                i++;
            }
            if (i == end) {
                return slow(s, off, len);
            }
            int e = 0;
            for (; i < end; i++) {
                char d = s[i];
                if (d < '0' || d > '9') {
                    return slow(s, off, len);
                }
                if (e < 100_000) {
                    e = e * 10 + (d - '0');
                }
            }
            dp += eneg ? -e : e;
        }
        if (!trunc) {
            double f = exact(man, dp, neg);
            if (!Double.isNaN(f)) {
                return f;
            }
        }
        double f = eiselLemire(man, dp, neg);
        if (!Double.isNaN(f)) {
            if (!trunc) {
                return f;
            }
            // the truncated significand and its upper bound must round alike
            double up = eiselLemire(man + 1, dp, neg);
            if (!Double.isNaN(up) && up == f) {
                return f;
            }
        }
        return slow(s, off, len);
    }

    private static double slow(char[] s, int off, int len) {
        return Double.parseDouble(new String(s, off, len));
    }

    /** man × 10^exp10 by exact double arithmetic (Go's atof64exact), or NaN if it would not be exact. */
    static double exact(long man, int exp10, boolean neg) {
        if ((man >>> 52) != 0) {
            return Double.NaN;
        }
        double f = man;
        if (neg) {
            f = -f;
        }
        if (exp10 == 0) {
            return f;
        }
        if (exp10 > 0 && exp10 <= 15 + 22) {
            if (exp10 > 22) {
                f *= EXACT_POW10[exp10 - 22];
                exp10 = 22;
            }
            if (f > 1e15 || f < -1e15) {
                return Double.NaN; // the power would not be exact
            }
            return f * EXACT_POW10[exp10];
        }
        if (exp10 < 0 && exp10 >= -22) {
            return f / EXACT_POW10[-exp10];
        }
        return Double.NaN;
    }

    /**
     * man × 10^exp10 by the Eisel–Lemire method (Go's eiselLemire64), or NaN when the 128-bit
     * approximation cannot decide the rounding, or the result is subnormal, infinite or out of the
     * table's range (the caller falls back).
     */
    static double eiselLemire(long man, int exp10, boolean neg) {
        if (man == 0) {
            return neg ? -0.0 : 0.0;
        }
        if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) {
            return Double.NaN;
        }
        // normalize the significand so its top bit is set
        int clz = Long.numberOfLeadingZeros(man);
        man <<= clz;
        long retExp2 = ((217706L * exp10) >> 16) + 64 + 1023 - clz; // 217706 / 2^16 ≈ log2(10)
        int k = exp10 - MIN_EXP10;
        // the top 128 bits of man × mantissa(10^exp10), from the table's high word first
        long xHi = Math.unsignedMultiplyHigh(man, POW10_HI[k]);
        long xLo = man * POW10_HI[k];
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            // the discarded low bits may carry into the result: widen with the table's low word
            long yHi = Math.unsignedMultiplyHigh(man, POW10_LO[k]);
            long yLo = man * POW10_LO[k];
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN; // still undecided
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        // 54 bits of result, one of them for rounding
        long msb = xHi >>> 63;
        long mantissa = xHi >>> (msb + 9);
        retExp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return Double.NaN; // exactly half way: the approximation cannot tell which way to round
        }
        mantissa += mantissa & 1; // round half up (the half-way case returned above)
        mantissa >>>= 1;
        if ((mantissa >>> 53) != 0) {
            mantissa >>>= 1;
            retExp2++;
        }
        if (retExp2 - 1 >= 0x7FF - 1 || retExp2 - 1 < 0) {
            return Double.NaN; // subnormal or infinite: not for this method
        }
        long bits = retExp2 << 52 | (mantissa & 0x000F_FFFF_FFFF_FFFFL);
        if (neg) {
            bits |= Long.MIN_VALUE;
        }
        return Double.longBitsToDouble(bits);
    }
}
