package dev.wasmorch.shim.app;

import dev.wasmorch.shim.registry.PortRegistry;
import dev.wasmorch.shim.registry.RedisTarget;
import dev.wasmorch.shim.task.BundleConfig;
import dev.wasmorch.shim.task.LifecycleLog;
import dev.wasmorch.shim.task.NetworkNamespace;
import dev.wasmorch.shim.task.TaskKey;
import dev.wasmorch.shim.task.TaskSpec;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs apps for tests on 127.0.0.1 with Redis DB 2 (the shim's test index) and captures their output. */
final class AppHarness implements AutoCloseable {

    static final String REDIS_URL = "redis://127.0.0.1:6379/2";

    final List<String> lifecycle = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final AppRunner runner;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AppHarness(long maxMemoryBytes, Duration timeout) {
        this(new ShimSettings(REDIS_URL, null, "127.0.0.1", maxMemoryBytes, timeout, "node-test"), REDIS_URL);
    }

    AppHarness(ShimSettings settings, String redisUrl) {
        runner = new AppRunner(
                settings,
                new LifecycleLog(lifecycle::add, Clock.systemUTC(), settings.nodeName()),
                new PortRegistry(RedisTarget.parse(redisUrl, null, null), settings.nodeName()));
    }

    RunningApp start(String containerId, Path appDir) throws WorkloadException {
        return start(containerId, appDir, Map.of());
    }

    /** Starts the app with {@code env} added to the container's environment. */
    RunningApp start(String containerId, Path appDir, Map<String, String> env) throws WorkloadException {
        return start(containerId, appDir, env, Optional.empty());
    }

    /** Starts the app in a pod's own network namespace (pod network mode), or on the node's. */
    RunningApp start(String containerId, Path appDir, Map<String, String> env, Optional<NetworkNamespace> podNetwork)
            throws WorkloadException {
        Map<String, String> containerEnv = new java.util.HashMap<>(env);
        containerEnv.put("FROM_CONTAINER", "yes");
        // the CRI annotations of container "app" of pod default/pod-<containerId>
        Map<String, String> annotations = Map.of(
                "io.kubernetes.cri.sandbox-namespace", "default",
                "io.kubernetes.cri.sandbox-name", "pod-" + containerId,
                "io.kubernetes.cri.container-name", "app");
        BundleConfig config = new BundleConfig(
                appDir.resolveSibling("config.json"), "rootfs", containerEnv, annotations, Optional.empty());
        return runner.start(
                new TaskSpec(new TaskKey("k8s.io", containerId), appDir, config, stdout, stderr, podNetwork));
    }

    HttpResponse<String> get(RunningApp app, String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(RunningApp app, String path, String body, String contentType) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .header("Content-Type", contentType)
                        .header("X-Custom-Header", "custom value")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String stdoutText() {
        synchronized (stdout) {
            return stdout.toString(StandardCharsets.UTF_8);
        }
    }

    String stderrText() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
