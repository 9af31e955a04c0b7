package dev.wasmorch.contract.crinode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmorch.contract.cri.LinuxPodSandboxConfig;
import dev.wasmorch.contract.cri.LinuxSandboxSecurityContext;
import dev.wasmorch.contract.cri.NamespaceMode;
import dev.wasmorch.contract.cri.NamespaceOption;
import dev.wasmorch.contract.cri.PodSandboxConfig;
import dev.wasmorch.contract.cri.PodSandboxMetadata;
import dev.wasmorch.contract.cri.PodSandboxState;
import dev.wasmorch.contract.cri.PodSandboxStatus;
import dev.wasmorch.contract.cri.PodSandboxStatusRequest;
import dev.wasmorch.contract.cri.RunPodSandboxRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two private CRI nodes side by side on this machine (as parallel test runs and an experiment
 * make them): each has its own subnet and bridge, runs a runc pod of the locally built pause
 * image on its bridge, keeps it through a containerd restart, and leaves nothing behind. Real
 * containerd, runc and CNI plugins; skips visibly without root or them.
 */
class CriNodeTest {

    @BeforeAll
    static void available() {
        assumeTrue(CriNode.unavailableReason() == null, CriNode.unavailableReason());
    }

    @Test
    void runcPodGetsAnAddressOnTheNodesOwnBridgeAndNothingIsLeftAfterStop() throws Exception {
        CriNode a = CriNode.builder().start();
        Path dir = a.dir();
        String bridge = a.network().name();
        Path reservation = CniBridge.RESERVED.resolve(a.network().gateway().replaceFirst("\\.1$", ".0"));
        try (a;
                CriNode b = CriNode.builder().start()) {
            assertThat(b.network().subnet()).isNotEqualTo(a.network().subnet());
            assertThat(b.network().name()).isNotEqualTo(bridge);
            assertThat(a.ctr(CriNode.CRI_NAMESPACE, "images", "ls", "-q").ok().output())
                    .contains(CriNode.SANDBOX_IMAGE);

            String pod = a.runtime()
                    .runPodSandbox(RunPodSandboxRequest.newBuilder()
                            .setConfig(podConfig("web-0"))
                            .setRuntimeHandler(CriNode.RUNC)
                            .build())
                    .getPodSandboxId();
            PodSandboxStatus status = status(a, pod);
            assertThat(status.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
            String ip = status.getNetwork().getIp();
            assertThat(ip).startsWith(a.network().gateway().replaceFirst("1$", ""));
            assertThat(ip).isNotEqualTo(a.network().gateway());
            assertThat(Files.readString(Path.of("/sys/class/net", bridge, "operstate")))
                    .isNotBlank();
            // the pod's netns is mounted under the node's state, not the system's /run/netns
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                    .anyMatch(l -> l.contains(dir + "/state/") && l.contains("netns"));
            assertReachable(ip);

            a.restart();
            assertThat(status(a, pod).getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
            assertReachable(ip);
        }
        assertThat(dir).doesNotExist();
        assertThat(Path.of("/sys/class/net", bridge)).doesNotExist();
        assertThat(reservation).doesNotExist();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(dir.toString()));
    }

    /**
     * A cgroup v2 node on this machine, whatever it mounts: containerd sees the unified hierarchy at
     * /sys/fs/cgroup (its root has cgroup.controllers, a v1 root has none), the machine's own
     * mounts stay as they were, and a restart, which would lose the pods' mounts, is refused.
     */
    @Test
    void aCgroupV2NodeSeesTheUnifiedHierarchyAndLeavesTheMachinesMountsAlone() throws Exception {
        List<String> before = cgroupMounts();
        Path dir;
        try (CriNode node = CriNode.builder().cgroupV2().start()) {
            dir = node.dir();
            assertThat(node.cgroupRoot().resolve("cgroup.controllers")).isRegularFile();
            assertThat(cgroupMounts()).isEqualTo(before);
            if (!Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) { // not a v2 machine
                assertThatThrownBy(node::restart)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cannot restart");
            }
        }
        assertThat(dir).doesNotExist();
    }

    /** This process's cgroup mounts, mount point and type (proc(5) mountinfo). */
    private static List<String> cgroupMounts() throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            List<String> f = List.of(line.split(" "));
            int dash = f.indexOf("-");
            if (dash > 4 && f.get(dash + 1).startsWith("cgroup")) {
                mounts.add(f.get(4) + " " + f.get(dash + 1));
            }
        }
        return mounts;
    }

    @Test
    void aHandlerNameThatCouldBreakTheConfigIsRefused() {
        assertThatThrownBy(() -> CriNode.builder().runtime("x\"]\n[grpc", "io.containerd.runc.v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runtime handler");
    }

    /** Something in the pod's netns answers: a connection to a port nobody listens on is refused there. */
    private static void assertReachable(String ip) throws IOException {
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(ip, 9), 5000))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("refused");
        }
    }

    private static PodSandboxStatus status(CriNode node, String pod) {
        return node.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(pod)
                        .build())
                .getStatus();
    }

    private static PodSandboxConfig podConfig(String name) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace("default")
                        .setUid("uid-" + name))
                .setHostname(name)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder()
                                        .setNetwork(NamespaceMode.POD)
                                        .setPid(NamespaceMode.CONTAINER)
                                        .setIpc(NamespaceMode.POD))))
                .build();
    }
}
