package gort.workloads.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** float64 and int64 text exactly as Go 1.19's encoding/json writes them. */
class GoFloatTest {

    /** Outputs of Go 1.19's json.Marshal for these float64 values. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1, 1",
        "0, 0",
        "-0.0, -0",
        "0.1, 0.1",
        "0.3, 0.3",
        "-2.5, -2.5",
        "3.5500000000000007, 3.5500000000000007",
        "176.4999999999996, 176.4999999999996",
        "123456789.125, 123456789.125",
        "1e20, 100000000000000000000",
        "9.999999999999999e20, 999999999999999900000",
        "1e21, 1e+21",
        "1.5e21, 1.5e+21",
        "12345678901234567890, 12345678901234567000",
        "1e-6, 0.000001",
        "1.2345e-6, 0.0000012345",
        "9.99e-7, 9.99e-7",
        "1e-7, 1e-7",
        "-1.5e-7, -1.5e-7",
        "2.5e-10, 2.5e-10",
        "1e100, 1e+100",
        "1e-100, 1e-100",
        "4.9e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "2.2250738585072014e-308, 2.2250738585072014e-308",
        "9007199254740993, 9007199254740992",
        "0.000123, 0.000123",
    })
    void likeGo(double f, String want) {
        assertThat(GoFloat.format(f)).isEqualTo(want);
    }

    @Test
    void nanAndInfinityHaveNoJsonForm() {
        assertThatThrownBy(() -> GoFloat.format(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> GoFloat.format(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
    }

    @ParameterizedTest
    @CsvSource({"0", "7", "-7", "1234567890123", "9223372036854775807", "-9223372036854775808"})
    void longsInDecimal(long v) {
        byte[] b = new byte[24];
        int n = GoFloat.appendLong(b, 0, v);
        assertThat(new String(b, 0, n)).isEqualTo(Long.toString(v));
    }

    /** Every finite double: the text parses back to it, and matches an independent reference. */
    @Property(tries = 3000)
    void shortestAndRoundTrips(@ForAll("doubles") double f) {
        String s = GoFloat.format(f);
        assertThat(Double.parseDouble(s)).as(s).isEqualTo(f);
        assertThat(s).isEqualTo(reference(f));
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().map(GoFloatTest::finite)),
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(-1e7, 1e7)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 1000).map(k -> 1.0 / k)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-330, 308).map(e -> Math.pow(10, e))));
    }

    /** The double with these bits, or a plain one for NaN and infinities (no filter: shrinking stays fast). */
    static double finite(long bits) {
        double d = Double.longBitsToDouble(bits);
        return Double.isFinite(d) ? d : Double.longBitsToDouble(bits & 0x800FFFFFFFFFFFFFL | 0x3FF0000000000000L);
    }

    /**
     * Go's rule from first principles: the fewest significant digits p whose correctly rounded
     * p-digit decimal parses back to f; 'f' layout for 1e-6 <= |f| < 1e21, else 'e' with at least
     * two exponent digits, except that e-0d becomes e-d.
     */
    static String reference(double f) {
        if (f == 0) {
            return Double.doubleToRawLongBits(f) < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(f);
        BigDecimal d = null;
        for (int p = 1; p <= 17; p++) {
            d = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (d.doubleValue() == f) {
                break;
            }
        }
        d = d.stripTrailingZeros();
        double a = Math.abs(f);
        if (a >= 1e-6 && a < 1e21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(f < 0 ? "-" : "");
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int ae = Math.abs(exp);
        if (ae < 10 && exp > 0) {
            sb.append('0');
        }
        return sb.append(ae).toString();
    }
}
