package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.cri.ContainerState;
import dev.wasmorch.contract.cri.ContainerStatus;
import dev.wasmorch.shim.app.TestApps;
import dev.wasmorch.shim.e2e.CriClient.Pod;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * A WASM pod through containerd's CRI plugin, driven the way the kubelet drives it: the pod sandbox
 * and the app container arrive with the runtime handler of the pod's RuntimeClass, the pod's
 * identity only in the CRI annotations containerd derives from the requests. No kubelet or K3s can
 * run here; this is the same containerd code path below them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CriPodTest {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/3";

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv("WASMORCH_REDIS_URL", REDIS_URL)
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "node-cri")
            .withEnv("WASMORCH_MAX_MEMORY", "16Mi");

    private static final String IMAGE = "docker.io/wasmorch/shop:cri";
    private static final String BROKEN_IMAGE = "docker.io/wasmorch/broken:cri";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JedisPooled redis;

    @BeforeAll
    static void images() throws Exception {
        redis = new JedisPooled(URI.create(REDIS_URL));
        Path apps = Files.createDirectories(CONTAINERD.dir().resolve("apps"));
        Path app = TestApps.app(Files.createDirectories(apps.resolve("shop")), "/mem=memhog", "/...=counter");
        AppImages.importImage(CONTAINERD, "k8s.io", app, IMAGE);
        Path broken = TestApps.app(Files.createDirectories(apps.resolve("broken")), "/...=counter");
        Files.copy(TestApps.brokenModule(apps), broken.resolve("counter.wasm"), StandardCopyOption.REPLACE_EXISTING);
        AppImages.importImage(CONTAINERD, "k8s.io", broken, BROKEN_IMAGE);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    /** First: its check of containerd's log covers everything containerd logged since it started. */
    @Test
    @Order(1)
    void wasmPodRunsThroughTheCriPluginAndItsTeardownCleansUp() throws Exception {
        Pod pod = shopPod("cart-7d9c5b8f6-x2x9k", "6f1d1c9e-2b4a-4c55-9a43-8d0b7f1e2a10", "pods/shop_cart");
        String podKey = "wasmorch:port:pod:shop/cart-7d9c5b8f6-x2x9k/cart";
        {
            CriClient cri = new CriClient(CONTAINERD.node());
            assertThat(cri.version()).containsExactly("containerd", "v1");

            String sandbox = cri.runPodSandbox(pod, PrivateContainerd.CRI_HANDLER);
            assertThat(cri.sandboxReady(sandbox)).isTrue();
            assertThat(CONTAINERD.shimLog()).contains("cid=" + sandbox).doesNotContain("event=ModuleCompiled");

            String container = cri.createContainer(sandbox, pod, "cart", IMAGE);
            cri.startContainer(container);
            assertThat(cri.containerStatus(container).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);

            JsonNode registration = JSON.readTree(await(() -> redis.get(podKey), "registration " + podKey));
            assertThat(registration.path("containerId").asText()).isEqualTo(container);
            assertThat(registration.path("namespace").asText()).isEqualTo("shop");
            assertThat(registration.path("node").asText()).isEqualTo("node-cri");
            int port = registration.path("port").asInt();
            assertThat(WasmAppTest.get(port, "/").body()).isEqualTo("count=1\n");
            assertThat(WasmAppTest.get(port, "/mem").statusCode()).isEqualTo(500);
            // the kubelet's log file for the container (what `kubectl logs` reads) gets the app's stderr
            Path log = pod.logDirectory().resolve(cri.containerStatus(container).getLogPath());
            // containerd copies stdout and stderr to the file separately: the stdout line saying where
            // the app listens (also "wasmorch-shim: ...") may be there before the failed request's line
            assertThat(await(
                            () -> Files.exists(log)
                                            && Files.readAllLines(log).stream()
                                                    .anyMatch(
                                                            l -> l.contains(" stderr ") && l.contains("wasmorch-shim:"))
                                    ? Files.readString(log)
                                    : null,
                            "the app's stderr in " + log))
                    .containsPattern(" stderr [FP] wasmorch-shim: ");
            assertThat(openBy(log)).as("containerd writing " + log).isNotEmpty();
            assertThat(CONTAINERD.shimLog())
                    .contains("event=TaskCreated ns=shop pod=cart-7d9c5b8f6-x2x9k "
                            + "uid=6f1d1c9e-2b4a-4c55-9a43-8d0b7f1e2a10 node=node-cri host=node-cri component=wasmorch-shim "
                            + "container=cart cid=" + container);

            cri.stopContainer(container, 5);
            ContainerStatus stopped = cri.containerStatus(container);
            assertThat(stopped.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
            // a graceful stop (SIGTERM) is a normal end, as for a runc container whose process handles it
            assertThat(stopped.getExitCode()).isZero();
            assertThat(stopped.getReason()).isEqualTo("Completed");
            assertThat(redis.exists(podKey)).isFalse();
            // the shim closed stdout and stderr at the exit: containerd copied both to their end and
            // closed the log file, so `kubectl logs -f` ends as well
            await(() -> openBy(log).isEmpty() ? log : null, "nobody holding " + log + " open");
            assertThat(Files.readString(log))
                    .containsPattern(" stdout F wasmorch-shim: app test listening on ")
                    .containsPattern(" stderr F wasmorch-shim: ");
            cri.removeContainer(container);

            cri.stopPodSandbox(sandbox);
            assertThat(cri.sandboxReady(sandbox)).isFalse();
            cri.removePodSandbox(sandbox);
            assertThat(CONTAINERD.ctrIn("k8s.io", "task", "ls", "-q").ok().output())
                    .isBlank();
            assertThat(CONTAINERD.ctrIn("k8s.io", "container", "ls", "-q").ok().output())
                    .isBlank();
        }
        assertThat(CONTAINERD.log().lines().filter(l -> l.contains("level=error")))
                .as("errors in the containerd log of a normal WASM pod life cycle")
                .isEmpty();
    }

    @Test
    @Order(2)
    void appThatCannotStartFailsStartContainerAndEndsWithAnErrorStatus() throws Exception {
        Pod pod = shopPod("broken-5c8f9d7b6-q7w2e", "0b6e3f2a-8c1d-4e7f-9a2b-3c4d5e6f7a8b", "pods/shop_broken");
        {
            CriClient cri = new CriClient(CONTAINERD.node());
            String sandbox = cri.runPodSandbox(pod, PrivateContainerd.CRI_HANDLER);
            String container = cri.createContainer(sandbox, pod, "broken", BROKEN_IMAGE);
            assertThatThrownBy(() -> cri.startContainer(container)).hasMessageContaining("broken_module");
            ContainerStatus status = cri.containerStatus(container);
            assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
            // the shim ended the task with 1, but containerd's CRI plugin records every failed
            // StartContainer as its own StartError, 128, as for a runc container whose binary is missing
            assertThat(status.getExitCode()).isEqualTo(128);
            assertThat(status.getReason()).isEqualTo("StartError");
            assertThat(status.getMessage()).contains("broken_module").contains("counter.wasm");
            cri.removeContainer(container);
            cri.stopPodSandbox(sandbox);
            cri.removePodSandbox(sandbox);
        }
    }

    /**
     * After a daemon's crash or a node's reboot: the next daemon, started ahead as the service unit
     * does, compiles the modules the node ran before (its module store) in its background warm-up,
     * so the pod coming back starts on compiled modules; the broken image's module was not kept.
     */
    @Test
    @Order(3)
    void theNextDaemonCompilesTheModulesThatRanBeforeAheadOfTheirPods() throws Exception {
        try (Stream<Path> stored = Files.list(CONTAINERD.moduleStore())) {
            assertThat(stored.map(p -> p.getFileName().toString()))
                    .hasSize(2) // memhog and counter of the shop image
                    .allMatch(n -> n.matches("[0-9a-f]{64}\\.wasm"));
        }
        CONTAINERD.stopShimDaemons();
        long before = CONTAINERD
                .shimLog()
                .lines()
                .filter(l -> l.contains("background warm-up done:"))
                .count();
        Process command = CONTAINERD
                .daemonCommand()
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(CONTAINERD.dir(), "daemon-command", ".out")
                        .toFile())
                .start();
        try {
            String done = await(
                    () -> CONTAINERD
                            .shimLog()
                            .lines()
                            .filter(l -> l.contains("background warm-up done:"))
                            .skip(before)
                            .findFirst()
                            .orElse(null),
                    "the new daemon's background warm-up");
            assertThat(done).contains("done: 2 stored module(s) compiled");

            Pod pod = shopPod("cart-7d9c5b8f6-r4n8m", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "pods/shop_cart_again");
            CriClient cri = new CriClient(CONTAINERD.node());
            String sandbox = cri.runPodSandbox(pod, PrivateContainerd.CRI_HANDLER);
            String container = cri.createContainer(sandbox, pod, "cart", IMAGE);
            cri.startContainer(container);
            assertThat(CONTAINERD
                            .shimLog()
                            .lines()
                            .filter(l -> l.contains("event=ModuleCompiled") && l.contains("cid=" + container)))
                    .singleElement()
                    .asString()
                    .contains("2 module(s) in ")
                    .contains(", 2 already compiled");
            cri.stopContainer(container, 5);
            cri.removeContainer(container);
            cri.stopPodSandbox(sandbox);
            cri.removePodSandbox(sandbox);
        } finally {
            command.destroy();
            command.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A pod of the namespace {@code shop}, its log directory under the node's {@code dir}. */
    private static Pod shopPod(String name, String uid, String dir) throws IOException {
        return new Pod(
                "shop", name, uid, Files.createDirectories(CONTAINERD.dir().resolve(dir)));
    }

    /** The processes ({@code pid}) with a descriptor open on {@code file}. */
    private static List<String> openBy(Path file) throws IOException {
        List<String> holders = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path proc : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                    if (fds.anyMatch(fd -> linksTo(fd, file))) {
                        holders.add(proc.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        }
        return holders;
    }

    private static boolean linksTo(Path fd, Path file) {
        try {
            return Files.readSymbolicLink(fd).equals(file);
        } catch (IOException e) {
            return false; // closed meanwhile
        }
    }

    private static <T> T await(Callable<T> value, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T v;
        while ((v = value.call()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what + "\nshim log:\n" + CONTAINERD.shimLog()
                        + "\ncontainerd log:\n" + CONTAINERD.log());
            }
            Thread.sleep(50);
        }
        return v;
    }
}
