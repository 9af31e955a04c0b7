package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.cri.ContainerStats;
import dev.wasmorch.contract.cri.PodSandboxStats;
import dev.wasmorch.contract.crinode.CriNode;
import dev.wasmorch.shim.app.TestApps;
import dev.wasmorch.shim.app.WasmComponent;
import dev.wasmorch.shim.e2e.CriClient.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Container and pod stats through containerd's CRI plugin with no kubelet: the pods name their
 * cgroup parent as the kubelet would, but nobody creates those cgroups beforehand. The WASM pod's
 * cgroups are the shim's, the runc pod's runc's; the node's ListPodSandboxStats needs every pod's.
 * The crash test runs last: the daemon it kills leaves errors in containerd's log, which the stats
 * test checks has none.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CriPodStatsTest {

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv("WASMORCH_REDIS_URL", "redis://127.0.0.1:6379/6")
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "node-stats");

    private static final String IMAGE = "docker.io/wasmorch/counter:stats";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** This test's own top of the pods' cgroups, in every hierarchy; made and removed by the test. */
    private final String top = "wasmorch-stats-" + UUID.randomUUID().toString().substring(0, 8);

    /** Every cgroup file system of the node ({@link #hierarchies}). */
    private List<Path> hierarchies;
    /** Those containerd's CRI reads and the shim creates in: the v2 root, or the v1 hierarchies. */
    private List<Path> read;
    /** The pods this test started and has not removed: removed after it, whatever happened. */
    private final List<String> sandboxes = new ArrayList<>();

    @BeforeAll
    static void image() throws Exception {
        importCounter(CONTAINERD, IMAGE);
    }

    /** The counter test app as an image in a node's CRI namespace. */
    static void importCounter(PrivateContainerd node, String image) throws Exception {
        Path app = TestApps.app(Files.createDirectories(node.dir().resolve("apps/counter")), "/...=counter");
        AppImages.importImage(node, "k8s.io", app, image);
    }

    @BeforeEach
    void cgroupTop() throws IOException {
        hierarchies = hierarchies("cgroup", "cgroup2");
        read = hierarchies.contains(Path.of("/sys/fs/cgroup")) ? hierarchies : hierarchies("cgroup");
        assertThat(read).as("cgroup hierarchies of this node").isNotEmpty();
        for (Path h : hierarchies) {
            Files.createDirectory(h.resolve(top));
        }
    }

    /**
     * Removes the pods a failed test left, then the test's top with whatever is left below it (runc
     * leaves the runc pod's own cgroup).
     */
    @AfterEach
    void removePodsAndCgroupTop() throws IOException {
        CriClient cri = new CriClient(CONTAINERD.node());
        for (String sandbox : sandboxes) {
            cri.stopPodSandbox(sandbox);
            cri.removePodSandbox(sandbox);
        }
        for (Path h : hierarchies) {
            removeCgroups(h.resolve(top));
        }
    }

    @Test
    @Order(1)
    void theWasmContainersStatsAreItsCodeAndRequestsAndTheNodesPodStatsIncludeItsPod() throws Exception {
        CriClient cri = new CriClient(CONTAINERD.node());
        Pod wasm = pod("stats-wasm-5d8f7c9b6-k2m4p", "/" + top + "/wasm-pod");
        Pod runc = pod("stats-runc-7b9c8d6f5-n3q5r", "/" + top + "/runc-pod");
        String runcSandbox = cri.runPodSandbox(runc, CriNode.RUNC);
        sandboxes.add(runcSandbox);
        String wasmSandbox = cri.runPodSandbox(wasm, PrivateContainerd.CRI_HANDLER);
        sandboxes.add(wasmSandbox);
        String app = cri.createContainer(wasmSandbox, wasm, "counter", 0, IMAGE, Map.of());
        cri.startContainer(app); // the CRI creates a container's task here
        // containerd names <cgroup_parent>/<id> for each task (cgroupfs); the shim made them all
        for (Path h : read) {
            assertTaskCgroups(CONTAINERD, h.resolve(top + "/wasm-pod"), wasmSandbox, app);
        }

        long code = WasmComponent.compile("counter", TestApps.module("counter"), 128L << 20)
                .codeBytes();
        ContainerStats idle = cri.containerStats(app);
        assertThat(idle.getAttributes().getId()).isEqualTo(app);
        assertThat(idle.getMemory().getWorkingSetBytes().getValue())
                .as("an idle app's memory: its compiled code")
                .isEqualTo(code)
                .isPositive();
        ContainerStats served = afterOneRequest(cri, wasmSandbox, app, code);
        System.err.printf(
                "cri-stats: WASM container: working set %d bytes (compiled code %d bytes), CPU %d ns after one "
                        + "request%n",
                served.getMemory().getWorkingSetBytes().getValue(),
                code,
                served.getCpu().getUsageCoreNanoSeconds().getValue());

        // the node's pod stats (the kubelet's summary call) load every pod's cgroup from the kernel
        List<PodSandboxStats> node = cri.listPodSandboxStats();
        assertThat(node).extracting(s -> s.getAttributes().getId()).containsExactlyInAnyOrder(wasmSandbox, runcSandbox);
        PodSandboxStats wasmPod = node.stream()
                .filter(s -> s.getAttributes().getId().equals(wasmSandbox))
                .findFirst()
                .orElseThrow();
        assertIdleAppOnly(wasmPod, app, code);

        removePod(cri, wasmSandbox, app);
        sandboxes.remove(wasmSandbox);
        for (Path h : hierarchies) {
            assertThat(h.resolve(top + "/wasm-pod"))
                    .as("the WASM pod's cgroups after its teardown")
                    .doesNotExist();
        }
        cri.stopPodSandbox(runcSandbox);
        cri.removePodSandbox(runcSandbox);
        sandboxes.remove(runcSandbox);
        assertThat(CONTAINERD.ctrIn("k8s.io", "task", "ls", "-q").ok().output()).isBlank();
        assertThat(CONTAINERD.ctrIn("k8s.io", "container", "ls", "-q").ok().output())
                .isBlank();
        assertThat(CONTAINERD.log().lines().filter(l -> l.contains("level=error")))
                .as("errors in the containerd log")
                .isEmpty();
    }

    /**
     * The daemon killed under a running WASM pod: its memory of the cgroups it made goes with it,
     * and containerd cleans the dead tasks up with the launcher's delete, which removes them from
     * the record in each task's bundle.
     */
    @Test
    @Order(2)
    void aCrashedDaemonsPodCgroupsGoWhenContainerdCleansItsTasksUp() throws Exception {
        CriClient cri = new CriClient(CONTAINERD.node());
        Pod wasm = pod("crash-wasm-6c9d8b7f5-p4r6s", "/" + top + "/crash-pod");
        String sandbox = cri.runPodSandbox(wasm, PrivateContainerd.CRI_HANDLER);
        sandboxes.add(sandbox);
        String app = cri.createContainer(sandbox, wasm, "counter", 0, IMAGE, Map.of());
        cri.startContainer(app);
        for (Path h : read) {
            assertThat(h.resolve(top + "/crash-pod/" + sandbox)).isDirectory();
            assertThat(h.resolve(top + "/crash-pod/" + app)).isDirectory();
        }

        CONTAINERD.killShimDaemons();
        cri.stopPodSandbox(sandbox);
        cri.removePodSandbox(sandbox);
        sandboxes.remove(sandbox);
        for (Path h : hierarchies) {
            assertThat(h.resolve(top + "/crash-pod"))
                    .as("the crashed WASM pod's cgroups after its teardown; containerd log:\n%s", CONTAINERD.log())
                    .doesNotExist();
        }
    }

    private static Pod pod(String name, String cgroupParent) throws IOException {
        return pod(CONTAINERD, name, cgroupParent);
    }

    /** The cgroups containerd names for a pod's tasks (cgroupfs: {@code <cgroup_parent>/<id>}), as the shim made them. */
    static void assertTaskCgroups(PrivateContainerd node, Path pod, String sandbox, String app) throws IOException {
        assertThat(pod.resolve(sandbox))
                .as("the sandbox's cgroup; shim log:\n%s", node.shimLog())
                .isDirectory();
        assertThat(pod.resolve(app))
                .as("the app's cgroup; shim log:\n%s", node.shimLog())
                .isDirectory();
    }

    /**
     * The counter app's stats after one request on the pod network: the request's CPU, and its
     * compiled code as working set again (no request running).
     */
    static ContainerStats afterOneRequest(CriClient cri, String sandbox, String app, long code) throws Exception {
        assertThat(get(cri.podIp(sandbox))).isEqualTo("count=1\n");
        ContainerStats served = cri.containerStats(app);
        assertThat(served.getCpu().getUsageCoreNanoSeconds().getValue())
                .as("CPU of the request")
                .isPositive();
        assertThat(served.getMemory().getWorkingSetBytes().getValue())
                .as("no request running: the compiled code")
                .isEqualTo(code);
        return served;
    }

    /** A WASM pod's stats with its one container, the app, idle: its working set is its compiled code. */
    static void assertIdleAppOnly(PodSandboxStats pod, String app, long code) {
        assertThat(pod.getLinux().getContainersList()).singleElement().satisfies(c -> {
            assertThat(c.getAttributes().getId()).isEqualTo(app);
            assertThat(c.getMemory().getWorkingSetBytes().getValue()).isEqualTo(code);
        });
    }

    /** Stops and removes a pod's container, then the pod, as the kubelet tears a pod down. */
    static void removePod(CriClient cri, String sandbox, String container) {
        cri.stopContainer(container, 5);
        cri.removeContainer(container);
        cri.stopPodSandbox(sandbox);
        cri.removePodSandbox(sandbox);
    }

    /** A pod of namespace shop on a node, its cgroup parent named as the kubelet's cgroupfs driver does. */
    static Pod pod(PrivateContainerd node, String name, String cgroupParent) throws IOException {
        return new Pod(
                "shop",
                name,
                "uid-" + name,
                Files.createDirectories(node.dir().resolve("pods/shop_" + name)),
                false,
                cgroupParent);
    }

    /** The body of a GET of the app on the pod network, which must answer 200. */
    static String get(String ip) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /**
     * The cgroup file systems of these types mounted under /sys/fs/cgroup ({@code cgroup}: v1
     * hierarchies; {@code cgroup2}: a hybrid node's unified one, or the v2 root), from mountinfo.
     */
    static List<Path> hierarchies(String... types) throws IOException {
        List<Path> roots = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            List<String> f = List.of(line.split(" "));
            int dash = f.indexOf("-");
            Path mountPoint = Path.of(f.get(4));
            if (dash > 0 && List.of(types).contains(f.get(dash + 1)) && mountPoint.startsWith("/sys/fs/cgroup")) {
                roots.add(mountPoint);
            }
        }
        return roots;
    }

    /** rmdir of a cgroup and those below it, deepest first (their files are the kernel's, not removable). */
    static void removeCgroups(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path child : entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                removeCgroups(child);
            }
        }
        Files.delete(dir);
    }
}
