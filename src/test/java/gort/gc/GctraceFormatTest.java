package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** gctrace's and gcpacertrace's number formats are Go's (mgc.go: itoaDiv, fmtNSAsMS; print1.go: printfloat). */
class GctraceFormatTest {
    @Test
    void itoaDivPlacesTheDecimalPoint() {
        assertThat(GoFormat.itoaDiv(1234, 3)).isEqualTo("1.234");
        assertThat(GoFormat.itoaDiv(12, 3)).isEqualTo("0.012");
        assertThat(GoFormat.itoaDiv(7, 0)).isEqualTo("7");
        assertThat(GoFormat.itoaDiv(0, 3)).isEqualTo("0.000");
    }

    @Test
    void fmtNSAsMSKeepsTwoSignificantDigits() {
        assertThat(GoFormat.fmtNSAsMS(0)).isEqualTo("0");
        assertThat(GoFormat.fmtNSAsMS(999)).isEqualTo("0");
        assertThat(GoFormat.fmtNSAsMS(12_345)).isEqualTo("0.012");
        assertThat(GoFormat.fmtNSAsMS(170_000)).isEqualTo("0.17");
        assertThat(GoFormat.fmtNSAsMS(1_234_567)).isEqualTo("1.2");
        assertThat(GoFormat.fmtNSAsMS(9_999_999)).isEqualTo("9.9");
        assertThat(GoFormat.fmtNSAsMS(10_000_000)).isEqualTo("10");
        assertThat(GoFormat.fmtNSAsMS(123_456_789)).isEqualTo("123");
    }

    @Test
    void floatsPrintAsGosRuntimePrintDoes() {
        // figures copied from a Go 1.5.1 gcpacertrace line
        assertThat(GoFormat.printfloat(7 / 8.0)).isEqualTo("+8.750000e-001");
        assertThat(GoFormat.printfloat(1.0)).isEqualTo("+1.000000e+000");
        assertThat(GoFormat.printfloat(0.25)).isEqualTo("+2.500000e-001");
        assertThat(GoFormat.printfloat(-0.1954034)).isEqualTo("-1.954034e-001");
        assertThat(GoFormat.printfloat(0.0)).isEqualTo("+0.000000e+000");
        assertThat(GoFormat.printfloat(-0.0)).isEqualTo("-0.000000e+000");
        assertThat(GoFormat.printfloat(123456789.0)).isEqualTo("+1.234568e+008");
        assertThat(GoFormat.printfloat(9.9999999)).isEqualTo("+1.000000e+001");
        assertThat(GoFormat.printfloat(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFormat.printfloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }
}
