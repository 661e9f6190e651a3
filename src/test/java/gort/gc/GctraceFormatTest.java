package gort.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** gctrace's number formats are Go's (runtime/mgc.go: itoaDiv, fmtNSAsMS). */
class GctraceFormatTest {
    @Test
    void itoaDivPlacesTheDecimalPoint() {
        assertThat(Collector.itoaDiv(1234, 3)).isEqualTo("1.234");
        assertThat(Collector.itoaDiv(12, 3)).isEqualTo("0.012");
        assertThat(Collector.itoaDiv(7, 0)).isEqualTo("7");
        assertThat(Collector.itoaDiv(0, 3)).isEqualTo("0.000");
    }

    @Test
    void fmtNSAsMSKeepsTwoSignificantDigits() {
        assertThat(Collector.fmtNSAsMS(0)).isEqualTo("0");
        assertThat(Collector.fmtNSAsMS(999)).isEqualTo("0");
        assertThat(Collector.fmtNSAsMS(12_345)).isEqualTo("0.012");
        assertThat(Collector.fmtNSAsMS(170_000)).isEqualTo("0.17");
        assertThat(Collector.fmtNSAsMS(1_234_567)).isEqualTo("1.2");
        assertThat(Collector.fmtNSAsMS(9_999_999)).isEqualTo("9.9");
        assertThat(Collector.fmtNSAsMS(10_000_000)).isEqualTo("10");
        assertThat(Collector.fmtNSAsMS(123_456_789)).isEqualTo("123");
    }
}
