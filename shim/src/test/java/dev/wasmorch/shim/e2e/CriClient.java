package dev.wasmorch.shim.e2e;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.wasmorch.shim.e2e.cri.ContainerConfig;
import dev.wasmorch.shim.e2e.cri.ContainerMetadata;
import dev.wasmorch.shim.e2e.cri.ContainerStatus;
import dev.wasmorch.shim.e2e.cri.ContainerStatusRequest;
import dev.wasmorch.shim.e2e.cri.ContainerStatusResponse;
import dev.wasmorch.shim.e2e.cri.CreateContainerRequest;
import dev.wasmorch.shim.e2e.cri.CreateContainerResponse;
import dev.wasmorch.shim.e2e.cri.ImageSpec;
import dev.wasmorch.shim.e2e.cri.LinuxContainerConfig;
import dev.wasmorch.shim.e2e.cri.LinuxContainerSecurityContext;
import dev.wasmorch.shim.e2e.cri.LinuxPodSandboxConfig;
import dev.wasmorch.shim.e2e.cri.LinuxSandboxSecurityContext;
import dev.wasmorch.shim.e2e.cri.NamespaceMode;
import dev.wasmorch.shim.e2e.cri.NamespaceOption;
import dev.wasmorch.shim.e2e.cri.PodSandboxConfig;
import dev.wasmorch.shim.e2e.cri.PodSandboxMetadata;
import dev.wasmorch.shim.e2e.cri.PodSandboxState;
import dev.wasmorch.shim.e2e.cri.PodSandboxStatusRequest;
import dev.wasmorch.shim.e2e.cri.PodSandboxStatusResponse;
import dev.wasmorch.shim.e2e.cri.RemoveContainerRequest;
import dev.wasmorch.shim.e2e.cri.RemoveContainerResponse;
import dev.wasmorch.shim.e2e.cri.RemovePodSandboxRequest;
import dev.wasmorch.shim.e2e.cri.RemovePodSandboxResponse;
import dev.wasmorch.shim.e2e.cri.RunPodSandboxRequest;
import dev.wasmorch.shim.e2e.cri.RunPodSandboxResponse;
import dev.wasmorch.shim.e2e.cri.StartContainerRequest;
import dev.wasmorch.shim.e2e.cri.StartContainerResponse;
import dev.wasmorch.shim.e2e.cri.StopContainerRequest;
import dev.wasmorch.shim.e2e.cri.StopContainerResponse;
import dev.wasmorch.shim.e2e.cri.StopPodSandboxRequest;
import dev.wasmorch.shim.e2e.cri.StopPodSandboxResponse;
import dev.wasmorch.shim.e2e.cri.VersionRequest;
import dev.wasmorch.shim.e2e.cri.VersionResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's side of the CRI ({@code runtime.v1.RuntimeService}) for the calls a pod's start and
 * teardown make, over gRPC on containerd's socket, with the messages generated from
 * src/test/proto/cri/runtime/v1/api.proto. The calls are made with grpc-java's plain ClientCalls
 * (no generated stubs: protoc-gen-grpc-java is not needed for ten unary calls). Only what a
 * host-network pod needs is set, as the kubelet sets it for one.
 */
final class CriClient implements AutoCloseable {

    private static final String SERVICE = "runtime.v1.RuntimeService";

    /** A pod as the kubelet describes it to the runtime. */
    record Pod(String namespace, String name, String uid, Path logDirectory) {}

    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    CriClient(Path socket) {
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
    }

    /** {@code Version}: the runtime's name and its CRI API version. */
    String[] version() {
        VersionResponse r =
                call("Version", VersionRequest.newBuilder().setVersion("v1").build(), VersionResponse.parser());
        return new String[] {r.getRuntimeName(), r.getRuntimeApiVersion()};
    }

    /** {@code RunPodSandbox} with the runtime handler of the pod's RuntimeClass; returns the sandbox ID. */
    String runPodSandbox(Pod pod, String runtimeHandler) {
        RunPodSandboxRequest request = RunPodSandboxRequest.newBuilder()
                .setConfig(sandboxConfig(pod))
                .setRuntimeHandler(runtimeHandler)
                .build();
        return call("RunPodSandbox", request, RunPodSandboxResponse.parser()).getPodSandboxId();
    }

    /** {@code CreateContainer} of an image in the sandbox, its log at {@code name/0.log}; returns the ID. */
    String createContainer(String sandboxId, Pod pod, String name, String image) {
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .putLabels("io.kubernetes.container.name", name)
                .setLogPath(name + "/0.log")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setSecurityContext(
                                LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(hostNetwork())))
                .build();
        CreateContainerRequest request = CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .setConfig(config)
                .setSandboxConfig(sandboxConfig(pod))
                .build();
        return call("CreateContainer", request, CreateContainerResponse.parser())
                .getContainerId();
    }

    void startContainer(String containerId) {
        call(
                "StartContainer",
                StartContainerRequest.newBuilder().setContainerId(containerId).build(),
                StartContainerResponse.parser());
    }

    /** {@code StopContainer} with a grace period, after which the runtime kills it. */
    void stopContainer(String containerId, long timeoutSeconds) {
        call(
                "StopContainer",
                StopContainerRequest.newBuilder()
                        .setContainerId(containerId)
                        .setTimeout(timeoutSeconds)
                        .build(),
                StopContainerResponse.parser());
    }

    void removeContainer(String containerId) {
        call(
                "RemoveContainer",
                RemoveContainerRequest.newBuilder().setContainerId(containerId).build(),
                RemoveContainerResponse.parser());
    }

    void stopPodSandbox(String sandboxId) {
        call(
                "StopPodSandbox",
                StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                StopPodSandboxResponse.parser());
    }

    void removePodSandbox(String sandboxId) {
        call(
                "RemovePodSandbox",
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                RemovePodSandboxResponse.parser());
    }

    ContainerStatus containerStatus(String containerId) {
        return call(
                        "ContainerStatus",
                        ContainerStatusRequest.newBuilder()
                                .setContainerId(containerId)
                                .build(),
                        ContainerStatusResponse.parser())
                .getStatus();
    }

    /** {@code PodSandboxStatus}: true while the sandbox is SANDBOX_READY. */
    boolean sandboxReady(String sandboxId) throws IOException {
        PodSandboxStatusResponse response = call(
                "PodSandboxStatus",
                PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                PodSandboxStatusResponse.parser());
        if (!response.hasStatus()) {
            throw new IOException("PodSandboxStatus without a status");
        }
        return response.getStatus().getState() == PodSandboxState.SANDBOX_READY;
    }

    /** {@code PodSandboxConfig}: metadata, log directory, labels, host network (NODE). */
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
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(hostNetwork())))
                .build();
    }

    /** hostNetwork: true — network and IPC of the node, PID per container (the kubelet's default). */
    private static NamespaceOption hostNetwork() {
        return NamespaceOption.newBuilder()
                .setNetwork(NamespaceMode.NODE)
                .setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD)
                .build();
    }

    @SuppressWarnings("unchecked") // a generated message's parser makes messages of its own type
    private <Req extends Message, Res extends Message> Res call(String method, Req request, Parser<Res> parser) {
        MethodDescriptor<Req, Res> descriptor = MethodDescriptor.<Req, Res>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(new Marshaller<>((Parser<Req>) request.getParserForType()))
                .setResponseMarshaller(new Marshaller<>(parser))
                .build();
        return ClientCalls.blockingUnaryCall(
                channel, descriptor, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS), request);
    }

    /** A generated message on gRPC's wire: its protobuf bytes (what grpc-protobuf would do). */
    private record Marshaller<T extends Message>(Parser<T> parser) implements MethodDescriptor.Marshaller<T> {
        @Override
        public InputStream stream(T value) {
            return value.toByteString().newInput();
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return parser.parseFrom(stream);
            } catch (InvalidProtocolBufferException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
