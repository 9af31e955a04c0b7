package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.cri.PodSandboxStats;
import dev.wasmorch.shim.app.TestApps;
import dev.wasmorch.shim.app.WasmComponent;
import dev.wasmorch.shim.e2e.CriClient.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CriPodStatsTest}'s WASM pod on a cgroup v2 node, as most current distributions and K3s
 * nodes are: containerd's CRI loads the pod's cgroup from the unified hierarchy, and the shim must
 * have made it there, not in v1 hierarchies. This machine mounts cgroup v1 (with the unified
 * hierarchy beside it), so the node runs in a mount namespace of its own with the unified hierarchy
 * at {@code /sys/fs/cgroup} ({@link PrivateContainerd#onCgroupV2()}); its controllers are bound to
 * v1 here, so the pod's kernel counters are empty, as on a v2 node the WASM pod's are anyway (its
 * threads stay in the daemon's cgroup). No runc pod: runc cannot set a pod's resources without the
 * controllers.
 */
class CriPodStatsOnCgroupV2Test {

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .onCgroupV2()
            .withEnv("WASMORCH_REDIS_URL", "redis://127.0.0.1:6379/6")
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "node-stats-v2");

    private static final String IMAGE = "docker.io/wasmorch/counter:stats-v2";

    @BeforeAll
    static void image() throws Exception {
        CriPodStatsTest.importCounter(CONTAINERD, IMAGE);
    }

    @Test
    void theShimMakesThePodsCgroupsInTheUnifiedHierarchyAndTheNodesPodStatsWork() throws Exception {
        Path root = CONTAINERD.node().cgroupRoot();
        assertThat(root.resolve("cgroup.controllers"))
                .as("the node's /sys/fs/cgroup is the unified hierarchy")
                .isRegularFile();
        String top = "wasmorch-stats-v2-" + UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectory(root.resolve(top));
        CriClient cri = new CriClient(CONTAINERD.node());
        String sandbox = null;
        try {
            Pod wasm = CriPodStatsTest.pod(CONTAINERD, "v2-wasm-5d8f7c9b6-k2m4p", "/" + top + "/wasm-pod");
            sandbox = cri.runPodSandbox(wasm, PrivateContainerd.CRI_HANDLER);
            String app = cri.createContainer(sandbox, wasm, "counter", 0, IMAGE, Map.of());
            cri.startContainer(app);
            CriPodStatsTest.assertTaskCgroups(CONTAINERD, root.resolve(top + "/wasm-pod"), sandbox, app);
            for (Path v1 : CriPodStatsTest.hierarchies("cgroup")) {
                assertThat(v1.resolve(top))
                        .as("nothing made in the machine's v1 hierarchy")
                        .doesNotExist();
            }

            long code = WasmComponent.compile("counter", TestApps.module("counter"), 128L << 20)
                    .codeBytes();
            CriPodStatsTest.afterOneRequest(cri, sandbox, app, code);

            // what the kubelet's summary asks: containerd loads every pod's cgroup, here from v2
            List<PodSandboxStats> node = cri.listPodSandboxStats();
            String id = sandbox;
            assertThat(node).singleElement().satisfies(pod -> {
                assertThat(pod.getAttributes().getId()).isEqualTo(id);
                CriPodStatsTest.assertIdleAppOnly(pod, app, code);
            });

            CriPodStatsTest.removePod(cri, sandbox, app);
            sandbox = null;
            assertThat(root.resolve(top + "/wasm-pod"))
                    .as("the WASM pod's cgroups after its teardown")
                    .doesNotExist();
            assertThat(CONTAINERD.log().lines().filter(l -> l.contains("level=error")))
                    .as("errors in the containerd log")
                    .isEmpty();
        } finally {
            if (sandbox != null) {
                cri.stopPodSandbox(sandbox);
                cri.removePodSandbox(sandbox);
            }
            CriPodStatsTest.removeCgroups(root.resolve(top));
        }
    }
}
