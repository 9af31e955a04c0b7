package dev.wasmorch.shim.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Timestamp;
import dev.wasmorch.shim.proto.cgroups.CgroupV2MetricsProto;
import dev.wasmorch.shim.proto.events.EventsServiceProto;
import dev.wasmorch.shim.proto.events.TaskEventsProto;
import dev.wasmorch.shim.proto.rpc.StatusProto;
import dev.wasmorch.shim.proto.task.ShimProto;
import dev.wasmorch.shim.proto.ttrpc.TtrpcProto;
import dev.wasmorch.shim.proto.types.EnvelopeProto;
import dev.wasmorch.shim.proto.types.MountProto;
import dev.wasmorch.shim.proto.types.task.TaskTypesProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every field, enum value and RPC of the generated descriptors, against the definitions upstream:
 * one line each, as read in containerd's api/runtime/task/v2/shim.proto, api/events/task.proto,
 * api/types/mount.proto, api/types/event.proto, api/types/task/task.proto,
 * api/services/ttrpc/events/v1/events.proto, containerd/cgroups' cgroup2/stats/metrics.proto
 * and containerd/ttrpc's request.proto (google.rpc.Status for its status); the CRI's are the
 * contract module's (CriDefinitionsTest). A field of ours that is not listed here, or listed with another
 * number or type, fails: the .proto files must stay a subset of upstream, never a variant.
 */
class ContainerdDefinitionsTest {

    private static final List<String> UPSTREAM_FIELDS = List.of(
            // containerd.task.v2 (shim.proto)
            "containerd.task.v2.CreateTaskRequest id = 1 string",
            "containerd.task.v2.CreateTaskRequest bundle = 2 string",
            "containerd.task.v2.CreateTaskRequest rootfs = 3 repeated containerd.types.Mount",
            "containerd.task.v2.CreateTaskRequest terminal = 4 bool",
            "containerd.task.v2.CreateTaskRequest stdin = 5 string",
            "containerd.task.v2.CreateTaskRequest stdout = 6 string",
            "containerd.task.v2.CreateTaskRequest stderr = 7 string",
            "containerd.task.v2.CreateTaskResponse pid = 1 uint32",
            "containerd.task.v2.StartRequest id = 1 string",
            "containerd.task.v2.StartRequest exec_id = 2 string",
            "containerd.task.v2.StartResponse pid = 1 uint32",
            "containerd.task.v2.StateRequest id = 1 string",
            "containerd.task.v2.StateRequest exec_id = 2 string",
            "containerd.task.v2.StateResponse id = 1 string",
            "containerd.task.v2.StateResponse bundle = 2 string",
            "containerd.task.v2.StateResponse pid = 3 uint32",
            "containerd.task.v2.StateResponse status = 4 containerd.v1.types.Status",
            "containerd.task.v2.StateResponse stdin = 5 string",
            "containerd.task.v2.StateResponse stdout = 6 string",
            "containerd.task.v2.StateResponse stderr = 7 string",
            "containerd.task.v2.StateResponse terminal = 8 bool",
            "containerd.task.v2.StateResponse exit_status = 9 uint32",
            "containerd.task.v2.StateResponse exited_at = 10 google.protobuf.Timestamp",
            "containerd.task.v2.StateResponse exec_id = 11 string",
            "containerd.task.v2.KillRequest id = 1 string",
            "containerd.task.v2.KillRequest exec_id = 2 string",
            "containerd.task.v2.KillRequest signal = 3 uint32",
            "containerd.task.v2.KillRequest all = 4 bool",
            "containerd.task.v2.WaitRequest id = 1 string",
            "containerd.task.v2.WaitRequest exec_id = 2 string",
            "containerd.task.v2.WaitResponse exit_status = 1 uint32",
            "containerd.task.v2.WaitResponse exited_at = 2 google.protobuf.Timestamp",
            "containerd.task.v2.DeleteRequest id = 1 string",
            "containerd.task.v2.DeleteRequest exec_id = 2 string",
            "containerd.task.v2.DeleteResponse pid = 1 uint32",
            "containerd.task.v2.DeleteResponse exit_status = 2 uint32",
            "containerd.task.v2.DeleteResponse exited_at = 3 google.protobuf.Timestamp",
            "containerd.task.v2.PidsRequest id = 1 string",
            "containerd.task.v2.PidsResponse processes = 1 repeated containerd.v1.types.ProcessInfo",
            "containerd.task.v2.StatsRequest id = 1 string",
            "containerd.task.v2.StatsResponse stats = 1 google.protobuf.Any",
            "containerd.task.v2.UpdateTaskRequest id = 1 string",
            "containerd.task.v2.UpdateTaskRequest resources = 2 google.protobuf.Any",
            "containerd.task.v2.UpdateTaskRequest annotations = 3 map<string, string>",
            "containerd.task.v2.ConnectRequest id = 1 string",
            "containerd.task.v2.ConnectResponse shim_pid = 1 uint32",
            "containerd.task.v2.ConnectResponse task_pid = 2 uint32",
            "containerd.task.v2.ConnectResponse version = 3 string",
            "containerd.task.v2.ShutdownRequest id = 1 string",
            "containerd.task.v2.ShutdownRequest now = 2 bool",
            "containerd.task.v2.PauseRequest id = 1 string",
            "containerd.task.v2.ResumeRequest id = 1 string",
            "containerd.task.v2.CheckpointTaskRequest id = 1 string",
            "containerd.task.v2.CheckpointTaskRequest path = 2 string",
            "containerd.task.v2.ExecProcessRequest id = 1 string",
            "containerd.task.v2.ExecProcessRequest exec_id = 2 string",
            "containerd.task.v2.ResizePtyRequest id = 1 string",
            "containerd.task.v2.ResizePtyRequest exec_id = 2 string",
            "containerd.task.v2.ResizePtyRequest width = 3 uint32",
            "containerd.task.v2.ResizePtyRequest height = 4 uint32",
            "containerd.task.v2.CloseIORequest id = 1 string",
            "containerd.task.v2.CloseIORequest exec_id = 2 string",
            "containerd.task.v2.CloseIORequest stdin = 3 bool",
            // containerd.types (mount.proto, event.proto)
            "containerd.types.Mount type = 1 string",
            "containerd.types.Mount source = 2 string",
            "containerd.types.Mount target = 3 string",
            "containerd.types.Mount options = 4 repeated string",
            "containerd.types.Envelope timestamp = 1 google.protobuf.Timestamp",
            "containerd.types.Envelope namespace = 2 string",
            "containerd.types.Envelope topic = 3 string",
            "containerd.types.Envelope event = 4 google.protobuf.Any",
            // containerd.v1.types (task/task.proto)
            "containerd.v1.types.ProcessInfo pid = 1 uint32",
            "containerd.v1.types.ProcessInfo info = 2 google.protobuf.Any",
            // containerd.services.events.ttrpc.v1 (events.proto)
            "containerd.services.events.ttrpc.v1.ForwardRequest envelope = 1 containerd.types.Envelope",
            // containerd.events (task.proto)
            "containerd.events.TaskCreate container_id = 1 string",
            "containerd.events.TaskCreate bundle = 2 string",
            "containerd.events.TaskCreate rootfs = 3 repeated containerd.types.Mount",
            "containerd.events.TaskCreate io = 4 containerd.events.TaskIO",
            "containerd.events.TaskCreate checkpoint = 5 string",
            "containerd.events.TaskCreate pid = 6 uint32",
            "containerd.events.TaskIO stdin = 1 string",
            "containerd.events.TaskIO stdout = 2 string",
            "containerd.events.TaskIO stderr = 3 string",
            "containerd.events.TaskIO terminal = 4 bool",
            "containerd.events.TaskStart container_id = 1 string",
            "containerd.events.TaskStart pid = 2 uint32",
            "containerd.events.TaskExit container_id = 1 string",
            "containerd.events.TaskExit id = 2 string",
            "containerd.events.TaskExit pid = 3 uint32",
            "containerd.events.TaskExit exit_status = 4 uint32",
            "containerd.events.TaskExit exited_at = 5 google.protobuf.Timestamp",
            "containerd.events.TaskDelete container_id = 1 string",
            "containerd.events.TaskDelete pid = 2 uint32",
            "containerd.events.TaskDelete exit_status = 3 uint32",
            "containerd.events.TaskDelete exited_at = 4 google.protobuf.Timestamp",
            // io.containerd.cgroups.v2 (cgroups' v2 metrics.proto)
            "io.containerd.cgroups.v2.Metrics cpu = 2 io.containerd.cgroups.v2.CPUStat",
            "io.containerd.cgroups.v2.Metrics memory = 4 io.containerd.cgroups.v2.MemoryStat",
            "io.containerd.cgroups.v2.Metrics memory_events = 8 io.containerd.cgroups.v2.MemoryEvents",
            "io.containerd.cgroups.v2.CPUStat usage_usec = 1 uint64",
            "io.containerd.cgroups.v2.MemoryStat usage = 32 uint64",
            "io.containerd.cgroups.v2.MemoryStat usage_limit = 33 uint64",
            "io.containerd.cgroups.v2.MemoryEvents max = 3 uint64",
            // ttrpc (request.proto) and google.rpc.Status
            "ttrpc.Request service = 1 string",
            "ttrpc.Request method = 2 string",
            "ttrpc.Request payload = 3 bytes",
            "ttrpc.Request timeout_nano = 4 int64",
            "ttrpc.Request metadata = 5 repeated ttrpc.KeyValue",
            "ttrpc.Response status = 1 google.rpc.Status",
            "ttrpc.Response payload = 2 bytes",
            "ttrpc.KeyValue key = 1 string",
            "ttrpc.KeyValue value = 2 string",
            "google.rpc.Status code = 1 int32",
            "google.rpc.Status message = 2 string",
            "google.rpc.Status details = 3 repeated google.protobuf.Any");

    private static final List<String> UPSTREAM_ENUMS =
            List.of("containerd.v1.types.Status UNKNOWN=0 CREATED=1 RUNNING=2 STOPPED=3 PAUSED=4 PAUSING=5");

    private static final List<String> UPSTREAM_RPCS = List.of(
            "containerd.task.v2.Task/State StateRequest StateResponse",
            "containerd.task.v2.Task/Create CreateTaskRequest CreateTaskResponse",
            "containerd.task.v2.Task/Start StartRequest StartResponse",
            "containerd.task.v2.Task/Delete DeleteRequest DeleteResponse",
            "containerd.task.v2.Task/Pids PidsRequest PidsResponse",
            "containerd.task.v2.Task/Pause PauseRequest Empty",
            "containerd.task.v2.Task/Resume ResumeRequest Empty",
            "containerd.task.v2.Task/Checkpoint CheckpointTaskRequest Empty",
            "containerd.task.v2.Task/Kill KillRequest Empty",
            "containerd.task.v2.Task/Exec ExecProcessRequest Empty",
            "containerd.task.v2.Task/ResizePty ResizePtyRequest Empty",
            "containerd.task.v2.Task/CloseIO CloseIORequest Empty",
            "containerd.task.v2.Task/Update UpdateTaskRequest Empty",
            "containerd.task.v2.Task/Wait WaitRequest WaitResponse",
            "containerd.task.v2.Task/Stats StatsRequest StatsResponse",
            "containerd.task.v2.Task/Connect ConnectRequest ConnectResponse",
            "containerd.task.v2.Task/Shutdown ShutdownRequest Empty",
            "containerd.services.events.ttrpc.v1.Events/Forward ForwardRequest Empty");

    private static final List<FileDescriptor> OURS = List.of(
            ShimProto.getDescriptor(),
            MountProto.getDescriptor(),
            EnvelopeProto.getDescriptor(),
            TaskTypesProto.getDescriptor(),
            EventsServiceProto.getDescriptor(),
            TaskEventsProto.getDescriptor(),
            CgroupV2MetricsProto.getDescriptor(),
            TtrpcProto.getDescriptor(),
            StatusProto.getDescriptor());

    @Test
    void everyFieldIsUpstreamsWithItsNumberAndType() {
        List<String> ours = new ArrayList<>();
        for (FileDescriptor file : OURS) {
            for (Descriptor message : file.getMessageTypes()) {
                for (FieldDescriptor field : message.getFields()) {
                    ours.add(message.getFullName() + " " + field.getName() + " = " + field.getNumber() + " "
                            + type(field));
                }
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_FIELDS);
    }

    @Test
    void enumValuesAreUpstreams() {
        List<String> ours = new ArrayList<>();
        for (FileDescriptor file : OURS) {
            for (EnumDescriptor e : file.getEnumTypes()) {
                ours.add(e.getFullName() + " "
                        + e.getValues().stream()
                                .map(v -> v.getName() + "=" + v.getNumber())
                                .collect(Collectors.joining(" ")));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_ENUMS);
    }

    @Test
    void servicesDeclareUpstreamsMethods() {
        List<String> ours = new ArrayList<>();
        for (FileDescriptor file : OURS) {
            for (ServiceDescriptor service : file.getServices()) {
                service.getMethods()
                        .forEach(m -> ours.add(service.getFullName() + "/" + m.getName() + " "
                                + m.getInputType().getName() + " "
                                + m.getOutputType().getName()));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(UPSTREAM_RPCS);
    }

    @Test
    void wellKnownTypesAreProtobufJavasOwn() {
        FieldDescriptor exitedAt =
                ShimProto.getDescriptor().findMessageTypeByName("WaitResponse").findFieldByName("exited_at");
        assertThat(exitedAt.getMessageType()).isSameAs(Timestamp.getDescriptor());
        FieldDescriptor stats =
                ShimProto.getDescriptor().findMessageTypeByName("StatsResponse").findFieldByName("stats");
        assertThat(stats.getMessageType()).isSameAs(Any.getDescriptor());
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
