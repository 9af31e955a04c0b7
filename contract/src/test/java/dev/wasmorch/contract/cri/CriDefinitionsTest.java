package dev.wasmorch.contract.cri;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every field, enum value and RPC of the generated CRI descriptors, against k8s.io/cri-api's
 * pkg/apis/runtime/v1/api.proto: one line each, as read there. A field of ours that is not listed
 * here, or listed with another number or type, fails: api.proto must stay a subset of upstream's,
 * never a variant, or containerd would read other fields than the ones we mean.
 */
class CriDefinitionsTest {

    private static final FileDescriptor CRI = CriProto.getDescriptor();

    private static final List<String> UPSTREAM_FIELDS = List.of(
            "runtime.v1.VersionRequest version = 1 string",
            "runtime.v1.VersionResponse version = 1 string",
            "runtime.v1.VersionResponse runtime_name = 2 string",
            "runtime.v1.VersionResponse runtime_version = 3 string",
            "runtime.v1.VersionResponse runtime_api_version = 4 string",
            "runtime.v1.NamespaceOption network = 1 runtime.v1.NamespaceMode",
            "runtime.v1.NamespaceOption pid = 2 runtime.v1.NamespaceMode",
            "runtime.v1.NamespaceOption ipc = 3 runtime.v1.NamespaceMode",
            "runtime.v1.PodSandboxMetadata name = 1 string",
            "runtime.v1.PodSandboxMetadata uid = 2 string",
            "runtime.v1.PodSandboxMetadata namespace = 3 string",
            "runtime.v1.PodSandboxMetadata attempt = 4 uint32",
            "runtime.v1.LinuxSandboxSecurityContext namespace_options = 1 runtime.v1.NamespaceOption",
            "runtime.v1.LinuxPodSandboxConfig cgroup_parent = 1 string",
            "runtime.v1.LinuxPodSandboxConfig security_context = 2 runtime.v1.LinuxSandboxSecurityContext",
            "runtime.v1.PodSandboxConfig metadata = 1 runtime.v1.PodSandboxMetadata",
            "runtime.v1.PodSandboxConfig hostname = 2 string",
            "runtime.v1.PodSandboxConfig log_directory = 3 string",
            "runtime.v1.PodSandboxConfig labels = 6 map<string, string>",
            "runtime.v1.PodSandboxConfig annotations = 7 map<string, string>",
            "runtime.v1.PodSandboxConfig linux = 8 runtime.v1.LinuxPodSandboxConfig",
            "runtime.v1.RunPodSandboxRequest config = 1 runtime.v1.PodSandboxConfig",
            "runtime.v1.RunPodSandboxRequest runtime_handler = 2 string",
            "runtime.v1.RunPodSandboxResponse pod_sandbox_id = 1 string",
            "runtime.v1.StopPodSandboxRequest pod_sandbox_id = 1 string",
            "runtime.v1.RemovePodSandboxRequest pod_sandbox_id = 1 string",
            "runtime.v1.PodSandboxStatusRequest pod_sandbox_id = 1 string",
            "runtime.v1.PodSandboxStatusRequest verbose = 2 bool",
            "runtime.v1.PodSandboxNetworkStatus ip = 1 string",
            "runtime.v1.PodSandboxStatus id = 1 string",
            "runtime.v1.PodSandboxStatus metadata = 2 runtime.v1.PodSandboxMetadata",
            "runtime.v1.PodSandboxStatus state = 3 runtime.v1.PodSandboxState",
            "runtime.v1.PodSandboxStatus network = 5 runtime.v1.PodSandboxNetworkStatus",
            "runtime.v1.PodSandboxStatusResponse status = 1 runtime.v1.PodSandboxStatus",
            "runtime.v1.PodSandbox id = 1 string",
            "runtime.v1.PodSandbox metadata = 2 runtime.v1.PodSandboxMetadata",
            "runtime.v1.PodSandbox state = 3 runtime.v1.PodSandboxState",
            "runtime.v1.ListPodSandboxResponse items = 1 repeated runtime.v1.PodSandbox",
            "runtime.v1.ContainerMetadata name = 1 string",
            "runtime.v1.ContainerMetadata attempt = 2 uint32",
            "runtime.v1.ImageSpec image = 1 string",
            "runtime.v1.KeyValue key = 1 string",
            "runtime.v1.KeyValue value = 2 string",
            "runtime.v1.LinuxContainerSecurityContext privileged = 2 bool",
            "runtime.v1.LinuxContainerSecurityContext namespace_options = 3 runtime.v1.NamespaceOption",
            "runtime.v1.LinuxContainerConfig security_context = 2 runtime.v1.LinuxContainerSecurityContext",
            "runtime.v1.ContainerConfig metadata = 1 runtime.v1.ContainerMetadata",
            "runtime.v1.ContainerConfig image = 2 runtime.v1.ImageSpec",
            "runtime.v1.ContainerConfig command = 3 repeated string",
            "runtime.v1.ContainerConfig args = 4 repeated string",
            "runtime.v1.ContainerConfig envs = 6 repeated runtime.v1.KeyValue",
            "runtime.v1.ContainerConfig labels = 9 map<string, string>",
            "runtime.v1.ContainerConfig annotations = 10 map<string, string>",
            "runtime.v1.ContainerConfig log_path = 11 string",
            "runtime.v1.ContainerConfig linux = 15 runtime.v1.LinuxContainerConfig",
            "runtime.v1.CreateContainerRequest pod_sandbox_id = 1 string",
            "runtime.v1.CreateContainerRequest config = 2 runtime.v1.ContainerConfig",
            "runtime.v1.CreateContainerRequest sandbox_config = 3 runtime.v1.PodSandboxConfig",
            "runtime.v1.CreateContainerResponse container_id = 1 string",
            "runtime.v1.StartContainerRequest container_id = 1 string",
            "runtime.v1.StopContainerRequest container_id = 1 string",
            "runtime.v1.StopContainerRequest timeout = 2 int64",
            "runtime.v1.RemoveContainerRequest container_id = 1 string",
            "runtime.v1.ContainerStatusRequest container_id = 1 string",
            "runtime.v1.ContainerStatusRequest verbose = 2 bool",
            "runtime.v1.ContainerStatus id = 1 string",
            "runtime.v1.ContainerStatus metadata = 2 runtime.v1.ContainerMetadata",
            "runtime.v1.ContainerStatus state = 3 runtime.v1.ContainerState",
            "runtime.v1.ContainerStatus created_at = 4 int64",
            "runtime.v1.ContainerStatus started_at = 5 int64",
            "runtime.v1.ContainerStatus finished_at = 6 int64",
            "runtime.v1.ContainerStatus exit_code = 7 int32",
            "runtime.v1.ContainerStatus reason = 10 string",
            "runtime.v1.ContainerStatus message = 11 string",
            "runtime.v1.ContainerStatus log_path = 15 string",
            "runtime.v1.ContainerStatusResponse status = 1 runtime.v1.ContainerStatus",
            "runtime.v1.UInt64Value value = 1 uint64",
            "runtime.v1.ContainerStatsRequest container_id = 1 string",
            "runtime.v1.ContainerStatsResponse stats = 1 runtime.v1.ContainerStats",
            "runtime.v1.ContainerAttributes id = 1 string",
            "runtime.v1.ContainerStats attributes = 1 runtime.v1.ContainerAttributes",
            "runtime.v1.ContainerStats cpu = 2 runtime.v1.CpuUsage",
            "runtime.v1.ContainerStats memory = 3 runtime.v1.MemoryUsage",
            "runtime.v1.CpuUsage usage_core_nano_seconds = 2 runtime.v1.UInt64Value",
            "runtime.v1.MemoryUsage working_set_bytes = 2 runtime.v1.UInt64Value",
            "runtime.v1.ListPodSandboxStatsResponse stats = 1 repeated runtime.v1.PodSandboxStats",
            "runtime.v1.PodSandboxAttributes id = 1 string",
            "runtime.v1.PodSandboxStats attributes = 1 runtime.v1.PodSandboxAttributes",
            "runtime.v1.PodSandboxStats linux = 2 runtime.v1.LinuxPodSandboxStats",
            "runtime.v1.LinuxPodSandboxStats containers = 5 repeated runtime.v1.ContainerStats");

    private static final List<String> UPSTREAM_ENUMS = List.of(
            "runtime.v1.NamespaceMode POD=0 CONTAINER=1 NODE=2 TARGET=3",
            "runtime.v1.PodSandboxState SANDBOX_READY=0 SANDBOX_NOTREADY=1",
            "runtime.v1.ContainerState CONTAINER_CREATED=0 CONTAINER_RUNNING=1 CONTAINER_EXITED=2 CONTAINER_UNKNOWN=3");

    private static final List<String> UPSTREAM_RPCS = List.of(
            "runtime.v1.RuntimeService/Version VersionRequest VersionResponse",
            "runtime.v1.RuntimeService/RunPodSandbox RunPodSandboxRequest RunPodSandboxResponse",
            "runtime.v1.RuntimeService/StopPodSandbox StopPodSandboxRequest StopPodSandboxResponse",
            "runtime.v1.RuntimeService/RemovePodSandbox RemovePodSandboxRequest RemovePodSandboxResponse",
            "runtime.v1.RuntimeService/PodSandboxStatus PodSandboxStatusRequest PodSandboxStatusResponse",
            "runtime.v1.RuntimeService/ListPodSandbox ListPodSandboxRequest ListPodSandboxResponse",
            "runtime.v1.RuntimeService/CreateContainer CreateContainerRequest CreateContainerResponse",
            "runtime.v1.RuntimeService/StartContainer StartContainerRequest StartContainerResponse",
            "runtime.v1.RuntimeService/StopContainer StopContainerRequest StopContainerResponse",
            "runtime.v1.RuntimeService/RemoveContainer RemoveContainerRequest RemoveContainerResponse",
            "runtime.v1.RuntimeService/ContainerStatus ContainerStatusRequest ContainerStatusResponse",
            "runtime.v1.RuntimeService/ContainerStats ContainerStatsRequest ContainerStatsResponse",
            "runtime.v1.RuntimeService/ListPodSandboxStats ListPodSandboxStatsRequest ListPodSandboxStatsResponse");

    @Test
    void everyFieldIsUpstreamsWithItsNumberAndType() {
        List<String> ours = new ArrayList<>();
        for (Descriptor message : CRI.getMessageTypes()) {
            for (FieldDescriptor field : message.getFields()) {
                ours.add(message.getFullName() + " " + field.getName() + " = " + field.getNumber() + " " + type(field));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_FIELDS);
    }

    @Test
    void enumValuesAreUpstreams() {
        List<String> ours = new ArrayList<>();
        for (EnumDescriptor e : CRI.getEnumTypes()) {
            ours.add(e.getFullName() + " "
                    + e.getValues().stream()
                            .map(v -> v.getName() + "=" + v.getNumber())
                            .collect(Collectors.joining(" ")));
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_ENUMS);
    }

    @Test
    void theServiceDeclaresUpstreamsMethodsAndTheStubCallsThem() {
        List<String> ours = new ArrayList<>();
        for (ServiceDescriptor service : CRI.getServices()) {
            service.getMethods()
                    .forEach(m -> ours.add(service.getFullName() + "/" + m.getName() + " "
                            + m.getInputType().getName() + " "
                            + m.getOutputType().getName()));
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_RPCS);
        // the generated grpc-java stub names the same methods on the wire
        assertThat(RuntimeServiceGrpc.getServiceDescriptor().getMethods())
                .extracting(m -> m.getFullMethodName())
                .containsExactlyInAnyOrderElementsOf(
                        UPSTREAM_RPCS.stream().map(r -> r.split(" ")[0]).toList());
    }

    /** A field's type as a .proto file spells it. */
    private static String type(FieldDescriptor f) {
        if (f.isMapField()) {
            Descriptor entry = f.getMessageType();
            return "map<" + type(entry.findFieldByName("key")) + ", " + type(entry.findFieldByName("value")) + ">";
        }
        String name = switch (f.getType()) {
            case MESSAGE -> f.getMessageType().getFullName();
            case ENUM -> f.getEnumType().getFullName();
            default -> f.getType().name().toLowerCase(Locale.ROOT);
        };
        return f.isRepeated() ? "repeated " + name : name;
    }
}
