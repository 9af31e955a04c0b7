package dev.wasmorch.shim.e2e;

import dev.wasmorch.shim.proto.ProtoIn;
import dev.wasmorch.shim.proto.ProtoOut;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's side of the CRI ({@code runtime.v1.RuntimeService}) for the calls a pod's start and
 * teardown make, over gRPC on containerd's socket. The messages are encoded by hand with the
 * shim's protobuf codec; field numbers are those of k8s.io/cri-api {@code pkg/apis/runtime/v1/api.proto}.
 * Only what a host-network pod needs is set, as the kubelet sets it for one.
 */
final class CriClient implements AutoCloseable {

    private static final String SERVICE = "runtime.v1.RuntimeService";
    /** {@code NamespaceMode}: POD = 0, CONTAINER = 1, NODE = 2. */
    private static final int POD = 0;

    private static final int CONTAINER = 1;
    private static final int NODE = 2;

    /** {@code ContainerState}. */
    enum ContainerState {
        CREATED,
        RUNNING,
        EXITED,
        UNKNOWN
    }

    /** A pod as the kubelet describes it to the runtime. */
    record Pod(String namespace, String name, String uid, Path logDirectory) {}

    /** What {@code ContainerStatus} tells of a container. */
    record ContainerStatus(ContainerState state, int exitCode, String reason, String logPath) {}

    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    CriClient(Path socket) {
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
    }

    /** {@code Version}: the runtime's name (field 2) and its CRI API version (field 4). */
    String[] version() throws IOException {
        ProtoIn in = ProtoIn.of(call("Version", new ProtoOut().string(1, "v1").toBytes()));
        String name = "";
        String api = "";
        while (in.next()) {
            switch (in.field()) {
                case 2 -> name = in.string();
                case 4 -> api = in.string();
                default -> in.skip();
            }
        }
        return new String[] {name, api};
    }

    /** {@code RunPodSandbox} with the runtime handler of the pod's RuntimeClass; returns the sandbox ID. */
    String runPodSandbox(Pod pod, String runtimeHandler) throws IOException {
        byte[] request = new ProtoOut()
                .message(1, sandboxConfig(pod))
                .string(2, runtimeHandler)
                .toBytes();
        return firstString(call("RunPodSandbox", request));
    }

    /** {@code CreateContainer} of an image in the sandbox, its log at {@code name/0.log}; returns the ID. */
    String createContainer(String sandboxId, Pod pod, String name, String image) throws IOException {
        byte[] config = new ProtoOut()
                .message(1, new ProtoOut().string(1, name).toBytes())
                .message(2, new ProtoOut().string(1, image).toBytes())
                .message(9, entry("io.kubernetes.container.name", name))
                .string(11, name + "/0.log")
                .message(
                        15,
                        new ProtoOut()
                                .message(
                                        2,
                                        new ProtoOut()
                                                .message(3, namespaceOptions())
                                                .toBytes())
                                .toBytes())
                .toBytes();
        byte[] request = new ProtoOut()
                .string(1, sandboxId)
                .message(2, config)
                .message(3, sandboxConfig(pod))
                .toBytes();
        return firstString(call("CreateContainer", request));
    }

    void startContainer(String containerId) {
        call("StartContainer", new ProtoOut().string(1, containerId).toBytes());
    }

    /** {@code StopContainer} with a grace period, after which the runtime kills it. */
    void stopContainer(String containerId, long timeoutSeconds) {
        call(
                "StopContainer",
                new ProtoOut().string(1, containerId).int64(2, timeoutSeconds).toBytes());
    }

    void removeContainer(String containerId) {
        call("RemoveContainer", new ProtoOut().string(1, containerId).toBytes());
    }

    void stopPodSandbox(String sandboxId) {
        call("StopPodSandbox", new ProtoOut().string(1, sandboxId).toBytes());
    }

    void removePodSandbox(String sandboxId) {
        call("RemovePodSandbox", new ProtoOut().string(1, sandboxId).toBytes());
    }

    ContainerStatus containerStatus(String containerId) throws IOException {
        ProtoIn response = ProtoIn.of(
                call("ContainerStatus", new ProtoOut().string(1, containerId).toBytes()));
        byte[] status = new byte[0];
        while (response.next()) {
            if (response.field() == 1) {
                status = response.bytes();
            } else {
                response.skip();
            }
        }
        ProtoIn in = ProtoIn.of(status);
        int state = 0;
        int exit = 0;
        String reason = "";
        String logPath = "";
        while (in.next()) {
            switch (in.field()) {
                case 3 -> state = in.int32();
                case 7 -> exit = in.int32();
                case 10 -> reason = in.string();
                case 15 -> logPath = in.string();
                default -> in.skip();
            }
        }
        return new ContainerStatus(ContainerState.values()[state], exit, reason, logPath);
    }

    /** {@code PodSandboxStatus}: true while the sandbox is SANDBOX_READY (state field 3 = 0). */
    boolean sandboxReady(String sandboxId) throws IOException {
        ProtoIn response = ProtoIn.of(
                call("PodSandboxStatus", new ProtoOut().string(1, sandboxId).toBytes()));
        while (response.next()) {
            if (response.field() != 1) {
                response.skip();
                continue;
            }
            ProtoIn status = ProtoIn.of(response.bytes());
            int state = 0;
            while (status.next()) {
                if (status.field() == 3) {
                    state = status.int32();
                } else {
                    status.skip();
                }
            }
            return state == 0;
        }
        throw new IOException("PodSandboxStatus without a status");
    }

    /** {@code PodSandboxConfig}: metadata, log directory, labels, host network (NODE). */
    private static byte[] sandboxConfig(Pod pod) {
        byte[] metadata = new ProtoOut()
                .string(1, pod.name())
                .string(2, pod.uid())
                .string(3, pod.namespace())
                .toBytes();
        byte[] linux = new ProtoOut()
                .message(2, new ProtoOut().message(1, namespaceOptions()).toBytes())
                .toBytes();
        return new ProtoOut()
                .message(1, metadata)
                .string(3, pod.logDirectory().toString())
                .message(6, entry("io.kubernetes.pod.name", pod.name()))
                .message(6, entry("io.kubernetes.pod.namespace", pod.namespace()))
                .message(6, entry("io.kubernetes.pod.uid", pod.uid()))
                .message(8, linux)
                .toBytes();
    }

    /** hostNetwork: true — network and IPC of the node, PID per container (the kubelet's default). */
    private static byte[] namespaceOptions() {
        return new ProtoOut().int32(1, NODE).int32(2, CONTAINER).int32(3, POD).toBytes();
    }

    /** One entry of a protobuf {@code map<string, string>}. */
    private static byte[] entry(String key, String value) {
        return new ProtoOut().string(1, key).string(2, value).toBytes();
    }

    private static String firstString(byte[] response) throws IOException {
        ProtoIn in = ProtoIn.of(response);
        while (in.next()) {
            if (in.field() == 1) {
                return in.string();
            }
            in.skip();
        }
        throw new IOException("response without field 1");
    }

    private byte[] call(String method, byte[] request) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(RAW)
                .setResponseMarshaller(RAW)
                .build();
        return ClientCalls.blockingUnaryCall(
                channel, descriptor, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS), request);
    }

    /** Messages travel as the bytes {@link ProtoOut} made; no generated classes. */
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
