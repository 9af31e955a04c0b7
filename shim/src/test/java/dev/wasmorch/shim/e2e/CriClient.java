package dev.wasmorch.shim.e2e;

import dev.wasmorch.contract.cri.ContainerConfig;
import dev.wasmorch.contract.cri.ContainerMetadata;
import dev.wasmorch.contract.cri.ContainerStats;
import dev.wasmorch.contract.cri.ContainerStatsRequest;
import dev.wasmorch.contract.cri.ContainerStatus;
import dev.wasmorch.contract.cri.ContainerStatusRequest;
import dev.wasmorch.contract.cri.CreateContainerRequest;
import dev.wasmorch.contract.cri.ImageSpec;
import dev.wasmorch.contract.cri.KeyValue;
import dev.wasmorch.contract.cri.LinuxContainerConfig;
import dev.wasmorch.contract.cri.LinuxContainerSecurityContext;
import dev.wasmorch.contract.cri.LinuxPodSandboxConfig;
import dev.wasmorch.contract.cri.LinuxSandboxSecurityContext;
import dev.wasmorch.contract.cri.ListPodSandboxStatsRequest;
import dev.wasmorch.contract.cri.NamespaceMode;
import dev.wasmorch.contract.cri.NamespaceOption;
import dev.wasmorch.contract.cri.PodSandboxConfig;
import dev.wasmorch.contract.cri.PodSandboxMetadata;
import dev.wasmorch.contract.cri.PodSandboxState;
import dev.wasmorch.contract.cri.PodSandboxStats;
import dev.wasmorch.contract.cri.PodSandboxStatusRequest;
import dev.wasmorch.contract.cri.PodSandboxStatusResponse;
import dev.wasmorch.contract.cri.RemoveContainerRequest;
import dev.wasmorch.contract.cri.RemovePodSandboxRequest;
import dev.wasmorch.contract.cri.RunPodSandboxRequest;
import dev.wasmorch.contract.cri.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import dev.wasmorch.contract.cri.StartContainerRequest;
import dev.wasmorch.contract.cri.StopContainerRequest;
import dev.wasmorch.contract.cri.StopPodSandboxRequest;
import dev.wasmorch.contract.cri.VersionRequest;
import dev.wasmorch.contract.cri.VersionResponse;
import dev.wasmorch.contract.crinode.CriNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's side of the CRI ({@code runtime.v1.RuntimeService}) for the calls a pod's start and
 * teardown make, on the private node's CRI channel with the contract's generated messages and
 * RuntimeService stub (contract/src/main/proto/cri/runtime/v1/api.proto). Only what a
 * hostNetwork or pod-network pod needs is set, as the kubelet sets it for one.
 */
final class CriClient {

    /**
     * A pod as the kubelet describes it to the runtime; {@code hostNetwork}: the node's network or
     * its own; {@code cgroupParent}: the pod's cgroup, as the kubelet names it (empty: none given).
     */
    record Pod(String namespace, String name, String uid, Path logDirectory, boolean hostNetwork, String cgroupParent) {
        /** A pod with no cgroup parent. */
        Pod(String namespace, String name, String uid, Path logDirectory, boolean hostNetwork) {
            this(namespace, name, uid, logDirectory, hostNetwork, "");
        }

        /** A hostNetwork pod. */
        Pod(String namespace, String name, String uid, Path logDirectory) {
            this(namespace, name, uid, logDirectory, true);
        }
    }

    private final CriNode node;

    CriClient(CriNode node) {
        this.node = node;
    }

    /** {@code Version}: the runtime's name and its CRI API version. */
    String[] version() {
        VersionResponse r =
                cri().version(VersionRequest.newBuilder().setVersion("v1").build());
        return new String[] {r.getRuntimeName(), r.getRuntimeApiVersion()};
    }

    /** {@code RunPodSandbox} with the runtime handler of the pod's RuntimeClass; returns the sandbox ID. */
    String runPodSandbox(Pod pod, String runtimeHandler) {
        RunPodSandboxRequest request = RunPodSandboxRequest.newBuilder()
                .setConfig(sandboxConfig(pod))
                .setRuntimeHandler(runtimeHandler)
                .build();
        return cri().runPodSandbox(request).getPodSandboxId();
    }

    /** {@code CreateContainer} of an image in the sandbox, its log at {@code name/0.log}; returns the ID. */
    String createContainer(String sandboxId, Pod pod, String name, String image) {
        return createContainer(sandboxId, pod, name, 0, image, Map.of());
    }

    /**
     * {@code CreateContainer} as the kubelet makes the {@code attempt}-th one of a container (0 the
     * first, one more on each restart in the same sandbox), its log at {@code name/ATTEMPT.log}.
     */
    String createContainer(String sandboxId, Pod pod, String name, int attempt, String image, Map<String, String> env) {
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .putLabels("io.kubernetes.container.name", name)
                .setLogPath(name + "/" + attempt + ".log")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setSecurityContext(
                                LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod))));
        env.forEach((k, v) ->
                config.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v).build()));
        CreateContainerRequest request = CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .setConfig(config.build())
                .setSandboxConfig(sandboxConfig(pod))
                .build();
        return cri().createContainer(request).getContainerId();
    }

    void startContainer(String containerId) {
        cri().startContainer(StartContainerRequest.newBuilder()
                .setContainerId(containerId)
                .build());
    }

    /** {@code StopContainer} with a grace period, after which the runtime kills it. */
    void stopContainer(String containerId, long timeoutSeconds) {
        cri().stopContainer(StopContainerRequest.newBuilder()
                .setContainerId(containerId)
                .setTimeout(timeoutSeconds)
                .build());
    }

    void removeContainer(String containerId) {
        cri().removeContainer(RemoveContainerRequest.newBuilder()
                .setContainerId(containerId)
                .build());
    }

    void stopPodSandbox(String sandboxId) {
        cri().stopPodSandbox(StopPodSandboxRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .build());
    }

    void removePodSandbox(String sandboxId) {
        cri().removePodSandbox(RemovePodSandboxRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .build());
    }

    ContainerStatus containerStatus(String containerId) {
        return cri().containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStatus();
    }

    /** {@code ContainerStats}: the container's CPU and memory as the CRI reports them. */
    ContainerStats containerStats(String containerId) {
        return cri().containerStats(ContainerStatsRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStats();
    }

    /** {@code ListPodSandboxStats} without a filter: every pod of the node, as the kubelet's summary asks. */
    List<PodSandboxStats> listPodSandboxStats() {
        return cri().listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance())
                .getStatsList();
    }

    /** {@code PodSandboxStatus}: true while the sandbox is SANDBOX_READY. */
    boolean sandboxReady(String sandboxId) throws IOException {
        PodSandboxStatusResponse response = cri().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .build());
        if (!response.hasStatus()) {
            throw new IOException("PodSandboxStatus without a status");
        }
        return response.getStatus().getState() == PodSandboxState.SANDBOX_READY;
    }

    /** The pod's IP as CNI gave it (PodSandboxStatus.network.ip); empty for a hostNetwork pod. */
    String podIp(String sandboxId) {
        return cri().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .build())
                .getStatus()
                .getNetwork()
                .getIp();
    }

    /** {@code PodSandboxConfig}: metadata, log directory, labels, cgroup parent, the pod's network (NODE or POD). */
    private static PodSandboxConfig sandboxConfig(Pod pod) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(pod.name())
                        .setUid(pod.uid())
                        .setNamespace(pod.namespace()))
                .setLogDirectory(pod.logDirectory().toString())
                .putLabels("io.kubernetes.pod.name", pod.name())
                .putLabels("io.kubernetes.pod.namespace", pod.namespace())
                .putLabels("io.kubernetes.pod.uid", pod.uid())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(pod.cgroupParent())
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod))))
                .build();
    }

    /**
     * Network of the node (hostNetwork: true) or of the pod, IPC of the pod, PID per container (the
     * kubelet's defaults).
     */
    private static NamespaceOption namespaces(Pod pod) {
        return NamespaceOption.newBuilder()
                .setNetwork(pod.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD)
                .build();
    }

    /** The node's stub, with a deadline for this call (a stub's deadline is fixed when it is made). */
    private RuntimeServiceBlockingStub cri() {
        return node.runtime();
    }
}
