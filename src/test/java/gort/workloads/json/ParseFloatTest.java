package gort.workloads.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The decoder's float parser agrees bit for bit with {@link Double#parseDouble} (correctly rounded)
 * on JSON number text: every double's shortest and 17-digit forms, decimals of 1 to 25 digits at any
 * exponent, half-way and near-half-way cases, zeros, subnormals and overflow.
 */
class ParseFloatTest {
    static void agrees(String text) {
        char[] c = ("  " + text + "  ").toCharArray();
        double got = ParseFloat.parse(c, 2, text.length());
        double want = Double.parseDouble(text);
        assertThat(Double.doubleToRawLongBits(got)).as("%s: got %s, want %s", text, got, want)
                .isEqualTo(Double.doubleToRawLongBits(want));
    }

    @Test
    void chosenCases() {
        for (String s : new String[] {"0", "-0", "0.0", "-0.0", "1", "1.0", "0.1", "3.5500000000000007", "0.08333333333333333",
            "1e21", "1e-7", "5e-324", "4.9e-324", "2.2250738585072014e-308", "2.2250738585072011e-308", "1.7976931348623157e308",
            "1.7976931348623159e308", "1e400", "-1e400", "1e-400", "9007199254740993", "9007199254740992.5", "123456789012345678901234",
            "0.000000000000000000000000000000001", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
            "9999999999999999999", "99999999999999999999e-20", "12345678901234567890123456789e-10", "1E+2", "1e-0", "0e10"}) {
            agrees(s);
        }
    }

    @Test
    void everyWeightOfTheEmbeddedDocument() {
        String doc = new String(Document.embedded(), java.nio.charset.StandardCharsets.US_ASCII);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"cl_weight\":([-0-9.eE+]+)").matcher(doc);
        int n = 0;
        while (m.find()) {
            agrees(m.group(1));
            n++;
        }
        assertThat(n).isEqualTo(16060);
    }

    @Test
    void shortestAndSeventeenDigitFormsOfRandomDoubles() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 300_000; i++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            agrees(Double.toString(d).replace("E", "e"));
            agrees(String.format(java.util.Locale.ROOT, "%.16e", d));
            double u = r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
            agrees(Double.toString(u));
            agrees(new java.math.BigDecimal(u).toPlainString().substring(0, Math.min(40, new java.math.BigDecimal(u).toPlainString().length())));
        }
    }

    @Property(tries = 20_000)
    void randomDecimals(@ForAll @IntRange(min = 1, max = 25) int digits, @ForAll @IntRange(min = -340, max = 320) int exp,
            @ForAll long seed, @ForAll boolean point) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        sb.append((char) ('1' + r.nextInt(9)));
        for (int i = 1; i < digits; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        if (point && digits > 1) {
            sb.insert(1 + r.nextInt(digits - 1), '.');
        }
        sb.append('e').append(exp);
        agrees(sb.toString());
        agrees("-" + sb);
    }

    @Test
    void halfWayBetweenNeighbours() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            double d = Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
            java.math.BigDecimal a = new java.math.BigDecimal(d);
            java.math.BigDecimal b = new java.math.BigDecimal(Math.nextUp(d));
            java.math.BigDecimal mid = a.add(b).divide(java.math.BigDecimal.valueOf(2));
            String s = mid.toString().replace("E", "e");
            agrees(s); // exactly half way (more than 19 digits: the careful path)
            agrees(mid.round(new java.math.MathContext(17)).toString().replace("E", "e"));
            agrees(mid.round(new java.math.MathContext(19)).toString().replace("E", "e"));
        }
    }
}
