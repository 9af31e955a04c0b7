package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShimSettingsTest {

    @Test
    void defaults() {
        ShimSettings s = ShimSettings.fromEnv(Map.of());
        assertThat(s.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(s.redisPassword()).isNull();
        assertThat(s.hostIp()).isNull();
        assertThat(s.maxMemoryBytes()).isEqualTo(128L << 20);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.nodeName()).isNotBlank();
    }

    @Test
    void fromEnvironment() {
        ShimSettings s = ShimSettings.fromEnv(Map.of(
                "WASMORCH_REDIS_URL",
                "redis://r:6380/3",
                "WASMORCH_REDIS_PASSWORD",
                "pw",
                "WASMORCH_HOST_IP",
                "10.0.0.12",
                "WASMORCH_MAX_MEMORY",
                "64Mi",
                "WASMORCH_REQUEST_TIMEOUT",
                "2.5",
                "WASMORCH_NODE_NAME",
                "agent-1"));
        assertThat(s)
                .isEqualTo(new ShimSettings(
                        "redis://r:6380/3", "pw", "10.0.0.12", 64L << 20, Duration.ofMillis(2500), "agent-1"));
        assertThat(ShimSettings.fromEnv(Map.of("WASMORCH_REQUEST_TIMEOUT", "PT1M"))
                        .requestTimeout())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_MAX_MEMORY", "lots")))
                .hasMessageContaining("WASMORCH_MAX_MEMORY: expected bytes");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_REQUEST_TIMEOUT", "soon")))
                .hasMessageContaining("WASMORCH_REQUEST_TIMEOUT: expected seconds");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_REQUEST_TIMEOUT", "0")))
                .hasMessageContaining("requestTimeout must be positive");
    }
}
