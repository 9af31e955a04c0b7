package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndResets() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next("b")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(5));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(5));
        }
        backoff.reset("a");
        assertThat(backoff.next("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
