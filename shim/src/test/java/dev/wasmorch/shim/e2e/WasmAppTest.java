package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.wasmorch.contract.crinode.Command;
import dev.wasmorch.shim.app.TestApps;
import dev.wasmorch.shim.app.WasmComponent;
import dev.wasmorch.shim.proto.task.UpdateTaskRequest;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcClient;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * WASM apps end to end: an OCI image archive from the image packer, {@code ctr image import},
 * {@code ctr run} with the wasmorch runtime, the port found in Redis (DB 2), HTTP from the app,
 * kill/delete cleaning Redis, and apps that cannot start or exceed their limits failing clearly
 * while the daemon keeps serving the others.
 */
class WasmAppTest {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/2";

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv("WASMORCH_REDIS_URL", REDIS_URL)
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "node-e2e")
            .withEnv("WASMORCH_MAX_MEMORY", "16Mi")
            .withEnv("WASMORCH_REQUEST_TIMEOUT", "3");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JedisPooled redis;

    @BeforeAll
    static void images() throws Exception {
        redis = new JedisPooled(URI.create(REDIS_URL));
        Path work = Files.createDirectories(CONTAINERD.dir().resolve("apps"));
        AppImages.importImage(
                CONTAINERD, TestApps.app(Files.createDirectories(work.resolve("counter")), "/...=counter"), "counter");
        AppImages.importImage(
                CONTAINERD,
                TestApps.app(
                        Files.createDirectories(work.resolve("limits")), "/mem=memhog", "/spin=spin", "/count=counter"),
                "limits");
        Path broken = TestApps.app(Files.createDirectories(work.resolve("broken")), "/...=counter");
        Files.write(broken.resolve("counter.wasm"), Files.readAllBytes(TestApps.brokenModule(work)));
        AppImages.importImage(CONTAINERD, broken, "broken");
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void counterAppServesFromAFreshInstancePerRequestAndKillCleansRedis() throws Exception {
        String id = "counter-1";
        run(id, "counter").ok();
        JsonNode reg = registration(id);
        assertThat(reg.path("containerId").asText()).isEqualTo(id);
        assertThat(reg.path("node").asText()).isEqualTo("node-e2e");
        int port = reg.path("port").asInt();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(port, "/any/path");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("count=1\n");
        }
        assertThat(CONTAINERD.taskStatus(id)).isEqualTo("RUNNING");

        CONTAINERD.ctr("task", "kill", "-s", "SIGTERM", id).ok();
        CONTAINERD.awaitStatus(id, "STOPPED");
        assertThat(redis.exists(key(id))).isFalse();
        assertThat(refused(port)).isTrue();
        // a graceful stop exits 0: ctr warns of a "non-zero exit code" otherwise
        assertThat(CONTAINERD.ctr("task", "delete", id).ok().output()).doesNotContain("exit code");
        CONTAINERD.ctr("container", "delete", id).ok();
        // the snapshot mount the shim made for the task is gone with it
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id + "/rootfs");
        assertThat(CONTAINERD.shimLog())
                .contains("event=TaskCreated ns=ctr pod=" + id)
                .contains("event=Listening")
                .contains("cid=" + id);
    }

    @Test
    void metricsComeFromTheAppAndAnUpdateSetsItsMemoryLimit() throws Exception {
        String id = "metrics-1";
        run(id, "limits").ok();
        int port = registration(id).path("port").asInt();
        for (int i = 0; i < 3; i++) {
            assertThat(get(port, "/count").statusCode()).isEqualTo(200);
        }
        assertThat(get(port, "/mem").statusCode()).isEqualTo(500);
        // containerd -> the shim's Stats -> cgroup v2 Metrics, decoded and printed by ctr
        Map<String, Long> before = metrics(id);
        assertThat(before.get("cpu.usage_usec")).isPositive();
        long code = 0;
        for (String module : List.of("memhog", "spin", "counter")) {
            code += WasmComponent.compile(module, TestApps.module(module), 16L << 20)
                    .codeBytes();
        }
        assertThat(before.get("memory.usage"))
                .as("an idle app holds no instance, only its compiled code")
                .isEqualTo(code);
        long perInstance = 16L << 20; // WASMORCH_MAX_MEMORY
        long instancesLimit = before.get("memory.usage_limit") - code;
        assertThat(instancesLimit)
                .isPositive()
                .satisfies(l -> assertThat(l % perInstance).isZero());
        long workers = instancesLimit / perInstance;
        // ctr run names the cgroup /<namespace>/<id>: the shim made it (in each v1 hierarchy, or the v2 root)
        assertThat(CGROUPS.resolve("wasmorch/" + id)).isDirectory();

        // ctr 1.6 has no "task update": the Update containerd would send, over the shim's own TTRPC socket
        update(id, "{\"memory\":{\"limit\":33554432},\"cpu\":{\"shares\":256}}");
        long capped = (32L << 20) / workers / 65536 * 65536;
        assertThat(metrics(id).get("memory.usage_limit")).isEqualTo(workers * capped + code);
        assertThatThrownBy(() -> update(id, "{\"memory\":{\"limit\":65536}}"))
                .isInstanceOf(TtrpcException.class)
                .hasMessageContaining("memory_limit")
                .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(RpcCode.FAILED_PRECONDITION));
        assertThat(get(port, "/count").body()).isEqualTo("count=1\n");
        assertThat(CONTAINERD.shimLog()).contains("update: cpu.shares not enforced");

        CONTAINERD.ctr("task", "kill", "-s", "SIGKILL", id).ok();
        CONTAINERD.awaitStatus(id, "STOPPED");
        CONTAINERD.ctr("task", "delete", id).ok();
        CONTAINERD.ctr("container", "delete", id).ok();
        assertThat(CGROUPS.resolve("wasmorch"))
                .as("the cgroups the shim made, after the task's delete")
                .doesNotExist();
    }

    /** A cgroup hierarchy of this node: v1's pids one, or the v2 root. */
    private static final Path CGROUPS = Files.isDirectory(Path.of("/sys/fs/cgroup/pids"))
            ? Path.of("/sys/fs/cgroup/pids")
            : Path.of("/sys/fs/cgroup");

    /** The METRIC/VALUE rows of {@code ctr task metrics}. */
    private static Map<String, Long> metrics(String id) throws Exception {
        Map<String, Long> values = new HashMap<>();
        for (String line : CONTAINERD.ctr("task", "metrics", id).ok().output().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[1].matches("\\d+")) {
                values.put(cols[0], Long.parseLong(cols[1]));
            }
        }
        return values;
    }

    private static void update(String id, String linuxResourcesJson) throws Exception {
        var resources = Any.newBuilder()
                .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/LinuxResources")
                .setValue(ByteString.copyFromUtf8(linuxResourcesJson));
        try (TtrpcClient client = TtrpcClient.connect(CONTAINERD.shimSocket().toString())) {
            client.call(
                    TaskService.NAME,
                    "Update",
                    UpdateTaskRequest.newBuilder()
                            .setId(id)
                            .setResources(resources)
                            .build()
                            .toByteArray(),
                    Map.of(TaskService.NAMESPACE_KEY, PrivateContainerd.NAMESPACE),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void podIdentityFromCriAnnotationsIsRegisteredAndRemoved() throws Exception {
        String id = "cri-1";
        String podKey = "wasmorch:port:pod:shop/cart-7d9c5b8f6-x2x9k/cart";
        String setKey = "wasmorch:ports:pod:shop/cart-7d9c5b8f6-x2x9k";
        run(
                        id,
                        "counter",
                        "--annotation",
                        "io.kubernetes.cri.container-type=container",
                        "--annotation",
                        "io.kubernetes.cri.sandbox-namespace=shop",
                        "--annotation",
                        "io.kubernetes.cri.sandbox-name=cart-7d9c5b8f6-x2x9k",
                        "--annotation",
                        "io.kubernetes.cri.sandbox-uid=0b7e6f1c-1111-4a53-9c1e-2b1f5e7d9a10",
                        "--annotation",
                        "io.kubernetes.cri.container-name=cart")
                .ok();
        JsonNode reg = registration(id);
        JsonNode byPod = JSON.readTree(redis.get(podKey));
        assertThat(byPod.path("port").asInt()).isEqualTo(reg.path("port").asInt());
        assertThat(byPod.path("containerId").asText()).isEqualTo(id);
        assertThat(reg.path("namespace").asText()).isEqualTo("shop");
        assertThat(redis.smembers(setKey)).containsExactly("cart");
        assertThat(get(reg.path("port").asInt(), "/").statusCode()).isEqualTo(200);
        assertThat(CONTAINERD.shimLog())
                .contains("event=TaskCreated ns=shop pod=cart-7d9c5b8f6-x2x9k "
                        + "uid=0b7e6f1c-1111-4a53-9c1e-2b1f5e7d9a10 node=node-e2e host=node-e2e component=wasmorch-shim "
                        + "container=cart cid=cri-1");

        CONTAINERD.ctr("task", "kill", "-s", "SIGTERM", id).ok();
        CONTAINERD.awaitStatus(id, "STOPPED");
        assertThat(redis.exists(podKey)).isFalse();
        assertThat(redis.sismember(setKey, "cart")).isFalse();
        CONTAINERD.ctr("task", "delete", id).ok();
        CONTAINERD.ctr("container", "delete", id).ok();
    }

    @Test
    void appsThatCannotStartOrExceedLimitsFailClearlyAndTheShimServesOn() throws Exception {
        run("good", "counter").ok();
        int good = registration("good").path("port").asInt();

        Command.Result broken = run("broken-1", "broken");
        assertThat(broken.exit()).isNotZero();
        assertThat(broken.output()).contains("broken_module").contains("counter.wasm");
        // the packer refuses a directory without spin.toml, so this one runs from a plain rootfs dir
        Path noManifest = Files.createDirectories(CONTAINERD.dir().resolve("apps/nomanifest"));
        Files.copy(TestApps.module("counter"), noManifest.resolve("counter.wasm"));
        Command.Result missing = CONTAINERD.ctr(
                "run",
                "-d",
                "--net-host",
                "--runtime",
                PrivateContainerd.RUNTIME,
                "--rootfs",
                noManifest.toString(),
                "nomanifest-1");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).contains("missing_manifest").contains("spin.toml");
        assertThat(redis.exists(key("broken-1"))).isFalse();
        for (String id : List.of("broken-1", "nomanifest-1")) {
            CONTAINERD.ctr("task", "delete", id);
            CONTAINERD.ctr("container", "delete", id).ok();
        }

        run("limits-1", "limits").ok();
        int limits = registration("limits-1").path("port").asInt();
        HttpResponse<String> mem = get(limits, "/mem");
        assertThat(mem.statusCode()).isEqualTo(500);
        HttpResponse<String> spin = get(limits, "/spin");
        assertThat(spin.statusCode()).isEqualTo(504);
        // the same app, the other apps and the daemon are unharmed
        assertThat(get(limits, "/count").statusCode()).isEqualTo(200);
        assertThat(get(good, "/").body()).isEqualTo("count=1\n");

        for (String id : List.of("good", "limits-1")) {
            CONTAINERD.ctr("task", "kill", "-s", "SIGKILL", id).ok();
            CONTAINERD.awaitStatus(id, "STOPPED");
            CONTAINERD.ctr("task", "delete", id).ok();
            CONTAINERD.ctr("container", "delete", id).ok();
            assertThat(redis.exists(key(id))).isFalse();
        }
    }

    static Command.Result run(String id, String image, String... flags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "-d",
                "--net-host",
                "--runtime",
                PrivateContainerd.RUNTIME,
                "--fifo-dir",
                CONTAINERD.dir().resolve("fifo").toString()));
        args.addAll(List.of(flags));
        args.addAll(List.of(AppImages.imageRef(image), id));
        return CONTAINERD.ctr(args.toArray(String[]::new));
    }

    static String key(String id) {
        return "wasmorch:port:cid:" + id;
    }

    /** The registration JSON, polled briefly: the app registers right after it listens. */
    static JsonNode registration(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String json;
        while ((json = redis.get(key(id))) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no port registered for " + id + " in " + REDIS_URL + "; shim log:\n" + CONTAINERD.shimLog());
            }
            Thread.sleep(20);
        }
        return JSON.readTree(json);
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refused(int port) throws InterruptedException {
        try {
            get(port, "/");
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return e.getCause() instanceof ConnectException;
        }
    }
}
