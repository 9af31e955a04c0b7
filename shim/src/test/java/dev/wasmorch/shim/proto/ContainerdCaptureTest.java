package dev.wasmorch.shim.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.KillRequest;
import dev.wasmorch.shim.proto.task.ShimProto;
import dev.wasmorch.shim.proto.ttrpc.KeyValue;
import dev.wasmorch.shim.proto.ttrpc.Request;
import dev.wasmorch.shim.proto.types.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated parsers against requests a real containerd 1.6 sent to the shim (see
 * src/test/resources/containerd-1.6-capture/README.md): every frame decodes as a {@code ttrpc.Request}
 * of the task service, its payload as the request type the service descriptor names for the method,
 * with no field left unknown, and both re-encode to the very bytes containerd wrote (Go and Java both
 * write fields in number order).
 */
class ContainerdCaptureTest {

    private static final String CRI_CONTAINER = "c19081a22ebe01b263702da89c8ffe45f563c1676ad0d4d449e7d7f57858fdbd";
    private static final String CRI_STATE = "/tmp/wctd11230310792052932715/state/";
    private static final String SNAPSHOTS =
            "/tmp/wctd11230310792052932715/root/io.containerd.snapshotter.v1.overlayfs/snapshots/";

    @Test
    void aCriPodsContainerGoesThroughTheTaskApiInOrder() {
        List<String> files = List.of(
                "cri-app-01-create.bin",
                "cri-app-02-connect.bin",
                "cri-app-03-start.bin",
                "cri-app-04-state.bin",
                "cri-app-05-kill.bin",
                "cri-app-06-kill.bin",
                "cri-app-07-wait.bin",
                "cri-app-08-delete.bin",
                "cri-app-09-shutdown.bin");
        List<Request> requests =
                files.stream().map(ContainerdCaptureTest::request).toList();
        assertThat(requests)
                .extracting(Request::getMethod)
                .containsExactly("Create", "Connect", "Start", "State", "Kill", "Kill", "Wait", "Delete", "Shutdown");
        for (Request r : requests) {
            assertThat(r.getService()).isEqualTo("containerd.task.v2.Task");
            // the CRI plugin names the namespace in the metadata, with a deadline on each call
            assertThat(r.getMetadataList())
                    .containsExactly(KeyValue.newBuilder()
                            .setKey("containerd-namespace-ttrpc")
                            .setValue("k8s.io")
                            .build());
            assertThat(r.getTimeoutNano()).isPositive();
            Message payload = payload(r);
            assertThat(payload.getUnknownFields().asMap()).as(r.getMethod()).isEmpty();
            assertThat(payload.getField(payload.getDescriptorForType().findFieldByName("id")))
                    .isEqualTo(CRI_CONTAINER);
        }
    }

    @Test
    void createCarriesTheBundleTheOverlayRootfsAndTheCriStdio() throws InvalidProtocolBufferException {
        CreateTaskRequest create =
                CreateTaskRequest.parseFrom(request("cri-app-01-create.bin").getPayload());
        assertThat(create.getId()).isEqualTo(CRI_CONTAINER);
        assertThat(create.getBundle()).isEqualTo(CRI_STATE + "io.containerd.runtime.v2.task/k8s.io/" + CRI_CONTAINER);
        assertThat(create.getRootfsList())
                .containsExactly(Mount.newBuilder()
                        .setType("overlay")
                        .setSource("overlay")
                        .addOptions("index=off")
                        .addOptions("workdir=" + SNAPSHOTS + "3/work")
                        .addOptions("upperdir=" + SNAPSHOTS + "3/fs")
                        .addOptions("lowerdir=" + SNAPSHOTS + "1/fs")
                        .build());
        assertThat(create.getTerminal()).isFalse();
        assertThat(create.getStdin()).isEmpty(); // the kubelet gives a pod's container no stdin
        String io =
                CRI_STATE + "io.containerd.grpc.v1.cri/containers/" + CRI_CONTAINER + "/io/1587179985/" + CRI_CONTAINER;
        assertThat(create.getStdout()).isEqualTo(io + "-stdout");
        assertThat(create.getStderr()).isEqualTo(io + "-stderr");
    }

    @Test
    void stopContainerSendsSigtermThenSigkillToAll() throws InvalidProtocolBufferException {
        KillRequest term = KillRequest.parseFrom(request("cri-app-05-kill.bin").getPayload());
        assertThat(term.getSignal()).isEqualTo(15);
        assertThat(term.getAll()).isFalse();
        KillRequest kill = KillRequest.parseFrom(request("cri-app-06-kill.bin").getPayload());
        assertThat(kill.getSignal()).isEqualTo(9);
        assertThat(kill.getAll()).isTrue();
        assertThat(kill.getExecId()).isEmpty();
    }

    @Test
    void ctrRunCreatesWithoutRootfsMountsAndWithoutNamespaceMetadata() throws InvalidProtocolBufferException {
        Request r = request("ctr-sandbox-create.bin");
        assertThat(r.getMethod()).isEqualTo("Create");
        assertThat(r.getMetadataList()).isEmpty();
        CreateTaskRequest create = CreateTaskRequest.parseFrom(r.getPayload());
        assertThat(create.getId()).isEqualTo("sb1");
        assertThat(create.getBundle()).endsWith("/state/io.containerd.runtime.v2.task/wasmorch/sb1");
        assertThat(create.getRootfsList()).isEmpty();
        assertThat(List.of(create.getStdin(), create.getStdout(), create.getStderr()))
                .allSatisfy(p -> assertThat(p).matches("/tmp/wctd\\d+/fifo/\\d+/sb1-std(in|out|err)"));
        assertThat(create.getUnknownFields().asMap()).isEmpty();
    }

    /** The frame's payload, checked to re-encode to the bytes containerd sent, at both levels. */
    private static Request request(String file) {
        byte[] wire = resource(file);
        try {
            Request r = Request.parseFrom(wire);
            assertThat(r.toByteArray()).as(file).isEqualTo(wire);
            Message payload = payload(r);
            assertThat(payload.toByteString()).as(file + " payload").isEqualTo(r.getPayload());
            return r;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    /** The payload as the input type containerd.task.v2.Task declares for the method. */
    private static Message payload(Request r) {
        MethodDescriptor method =
                ShimProto.getDescriptor().findServiceByName("Task").findMethodByName(r.getMethod());
        assertThat(method).as(r.getMethod()).isNotNull();
        try {
            return DynamicMessage.parseFrom(method.getInputType(), r.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(r.getMethod() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = ContainerdCaptureTest.class.getResourceAsStream("/containerd-1.6-capture/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
