package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
        assertThat(s.concurrency().workers())
                .isEqualTo(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        assertThat(s.concurrency().queueTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.outboundHttp()).isEqualTo(new OutboundLimits(Duration.ofSeconds(10), 16 << 20, 8));
        assertThat(s.moduleStore()).isEqualTo(Path.of("/var/lib/wasmorch-shim/modules"));
    }

    @Test
    void moduleStoreFromEnvironment() {
        assertThat(ShimSettings.fromEnv(Map.of("WASMORCH_MODULE_STORE", "/data/modules"))
                        .moduleStore())
                .isEqualTo(Path.of("/data/modules"));
        assertThat(ShimSettings.fromEnv(Map.of("WASMORCH_MODULE_STORE", "off")).moduleStore())
                .isNull();
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_MODULE_STORE", "modules")))
                .hasMessage("WASMORCH_MODULE_STORE: expected an absolute directory or off, got 'modules'");
    }

    @Test
    void outboundHttpLimitsFromEnvironment() {
        assertThat(ShimSettings.fromEnv(Map.of(
                                "WASMORCH_HTTP_TIMEOUT", "1.5",
                                "WASMORCH_HTTP_MAX_RESPONSE", "1Mi",
                                "WASMORCH_HTTP_SESSIONS", "2"))
                        .outboundHttp())
                .isEqualTo(new OutboundLimits(Duration.ofMillis(1500), 1 << 20, 2));
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_HTTP_SESSIONS", "0")))
                .hasMessageContaining("0 sessions");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_HTTP_SESSIONS", "many")))
                .hasMessageContaining("WASMORCH_HTTP_SESSIONS");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_HTTP_MAX_RESPONSE", "4Gi")))
                .hasMessageContaining("WASMORCH_HTTP_MAX_RESPONSE");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_HTTP_TIMEOUT", "0")))
                .hasMessageContaining("timeout");
    }

    @Test
    void fromEnvironment() {
        ShimSettings s = ShimSettings.fromEnv(Map.of(
                "WASMORCH_REDIS_URL",
                "redis://r:6380/3",
                "WASMORCH_REDIS_PASSWORD",
                "pw",
                "WASMORCH_REDIS_CA_FILE",
                "/etc/wasmorch/redis-ca.pem",
                "WASMORCH_HOST_IP",
                "10.0.0.12",
                "WASMORCH_MAX_MEMORY",
                "64Mi",
                "WASMORCH_REQUEST_TIMEOUT",
                "2.5",
                "WASMORCH_NODE_NAME",
                "agent-1",
                "WASMORCH_WORKERS",
                "8",
                "WASMORCH_QUEUE_TIMEOUT",
                "PT0.25S"));
        assertThat(s)
                .isEqualTo(new ShimSettings(
                        "redis://r:6380/3",
                        "pw",
                        Path.of("/etc/wasmorch/redis-ca.pem"),
                        "10.0.0.12",
                        64L << 20,
                        Duration.ofMillis(2500),
                        "agent-1",
                        new AppConcurrency(8, Duration.ofMillis(250)),
                        OutboundLimits.DEFAULT,
                        Path.of(ShimSettings.DEFAULT_MODULE_STORE)));
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
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_WORKERS", "-1")))
                .hasMessage("WASMORCH_WORKERS: must be from 1 to 256 workers, got -1");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_WORKERS", "2.5")))
                .hasMessage("WASMORCH_WORKERS: expected a whole number from 1 to 256, got '2.5'");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_QUEUE_TIMEOUT", "-1")))
                .hasMessage("WASMORCH_QUEUE_TIMEOUT: must be more than 0 and at most 10 minutes, got -1000 ms");
        assertThatThrownBy(() -> ShimSettings.fromEnv(Map.of("WASMORCH_QUEUE_TIMEOUT", "601")))
                .hasMessageStartingWith("WASMORCH_QUEUE_TIMEOUT: must be more than 0 and at most 10 minutes");
    }

    @Test
    void anAppsEnvironmentOverridesTheNodesConcurrencyKeyByKey() {
        AppConcurrency node = new AppConcurrency(6, Duration.ofSeconds(2));
        assertThat(AppConcurrency.from(Map.of(), node)).isEqualTo(node);
        assertThat(AppConcurrency.from(Map.of("WASMORCH_WORKERS", " 1 ", "WASMORCH_QUEUE_TIMEOUT", ""), node))
                .isEqualTo(new AppConcurrency(1, Duration.ofSeconds(2)));
        assertThat(AppConcurrency.from(Map.of("WASMORCH_QUEUE_TIMEOUT", "600"), node))
                .isEqualTo(new AppConcurrency(6, Duration.ofMinutes(10)));
    }
}
