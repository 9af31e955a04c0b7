package dev.wasmorch.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodLifecycleTest {

    private static PodLifecycle between(Instant created, Instant scheduled) {
        return new PodLifecycle(
                "default",
                "p",
                "uid",
                "node",
                Runtime.WASM,
                "f",
                "s",
                "wasmorch",
                created,
                scheduled,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                "",
                true);
    }

    @Test
    void microsecondIntervalsAreExact() {
        Instant t = Instant.parse("2023-05-01T10:00:00.000001Z");
        assertThat(between(t, t.plusNanos(1_234_567_000L)).seconds(Metric.CREATED_TO_SCHEDULED))
                .isEqualTo(1.234567);
        assertThat(between(t.plusNanos(1_500L), t).seconds(Metric.CREATED_TO_SCHEDULED))
                .isEqualTo(-0.000001);
    }

    @Test
    void timestampsYearsApartDoNotOverflow() {
        // Before the fix: ArithmeticException (long overflow) from Duration.toNanos.
        Instant year1 = Instant.parse("0001-01-01T00:00:00Z");
        Instant year9999 = Instant.parse("9999-12-31T23:59:59.999999Z");
        Instant now = Instant.parse("2023-05-01T10:00:00Z");
        assertThat(between(year1, now).seconds(Metric.CREATED_TO_SCHEDULED)).isCloseTo(6.38e10, within());
        assertThat(between(now, year1).seconds(Metric.CREATED_TO_SCHEDULED)).isCloseTo(-6.38e10, within());
        assertThat(between(year1, year9999).seconds(Metric.CREATED_TO_SCHEDULED))
                .isCloseTo(3.155e11, within());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e9);
    }
}
