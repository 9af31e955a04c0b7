package dev.wasmorch.shim.task;

import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.wasmorch.shim.proto.cgroups.CPUStat;
import dev.wasmorch.shim.proto.cgroups.MemoryEvents;
import dev.wasmorch.shim.proto.cgroups.MemoryStat;
import dev.wasmorch.shim.proto.cgroups.Metrics;
import dev.wasmorch.shim.proto.task.ConnectRequest;
import dev.wasmorch.shim.proto.task.ConnectResponse;
import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.CreateTaskResponse;
import dev.wasmorch.shim.proto.task.DeleteRequest;
import dev.wasmorch.shim.proto.task.KillRequest;
import dev.wasmorch.shim.proto.task.PidsRequest;
import dev.wasmorch.shim.proto.task.PidsResponse;
import dev.wasmorch.shim.proto.task.ShutdownRequest;
import dev.wasmorch.shim.proto.task.StartRequest;
import dev.wasmorch.shim.proto.task.StartResponse;
import dev.wasmorch.shim.proto.task.StateRequest;
import dev.wasmorch.shim.proto.task.StatsRequest;
import dev.wasmorch.shim.proto.task.StatsResponse;
import dev.wasmorch.shim.proto.task.UpdateTaskRequest;
import dev.wasmorch.shim.proto.task.WaitRequest;
import dev.wasmorch.shim.proto.task.WaitResponse;
import dev.wasmorch.shim.proto.types.task.ProcessInfo;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import dev.wasmorch.shim.ttrpc.TtrpcService;
import java.util.Map;

/**
 * {@code containerd.task.v2.Task} over TTRPC: decodes each request, runs it on the
 * {@link TaskManager} in the caller's containerd namespace and encodes the reply. Stats answers
 * cgroup v2 Metrics (CPU, memory) measured by the app itself. Methods that make no sense for a WASM
 * app (exec, pause, checkpoint, ...) answer Unimplemented with the reason.
 */
public final class TaskService implements TtrpcService {

    public static final String NAME = "containerd.task.v2.Task";
    /** The metadata key containerd's ttrpc clients carry the namespace in. */
    public static final String NAMESPACE_KEY = "containerd-namespace-ttrpc";

    static final String VERSION = "wasmorch-shim/1";

    private final TaskManager tasks;
    private final String namespace;

    /**
     * @param namespace the containerd namespace this daemon was started for: containerd 1.6 does not
     *                  put the namespace into the task API's TTRPC metadata (it starts a shim per
     *                  namespace), so it is the default when the metadata has none
     */
    public TaskService(TaskManager tasks, String namespace) {
        this.tasks = tasks;
        this.namespace = namespace;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] call(String method, byte[] payload, Map<String, String> metadata) throws TtrpcException {
        String ns = metadata.getOrDefault(NAMESPACE_KEY, "");
        if (ns.isEmpty()) {
            ns = namespace;
        }
        try {
            return switch (method) {
                case "Create" ->
                    reply(CreateTaskResponse.newBuilder()
                            .setPid(tasks.create(ns, CreateTaskRequest.parseFrom(payload)))
                            .build());
                case "Start" -> {
                    StartRequest r = StartRequest.parseFrom(payload);
                    yield reply(StartResponse.newBuilder()
                            .setPid(tasks.start(ns, r.getId(), r.getExecId()))
                            .build());
                }
                case "State" -> {
                    StateRequest r = StateRequest.parseFrom(payload);
                    yield reply(tasks.state(ns, r.getId(), r.getExecId()));
                }
                case "Wait" -> {
                    WaitRequest r = WaitRequest.parseFrom(payload);
                    ExitStatus exit = tasks.await(ns, r.getId(), r.getExecId());
                    yield reply(WaitResponse.newBuilder()
                            .setExitStatus(exit.code())
                            .setExitedAt(Protos.timestamp(exit.at()))
                            .build());
                }
                case "Kill" -> {
                    KillRequest r = KillRequest.parseFrom(payload);
                    tasks.kill(ns, r.getId(), r.getExecId(), r.getSignal());
                    yield reply(Empty.getDefaultInstance());
                }
                case "Delete" -> {
                    DeleteRequest r = DeleteRequest.parseFrom(payload);
                    yield reply(tasks.delete(ns, r.getId(), r.getExecId()));
                }
                case "Pids" -> {
                    PidsResponse.Builder pids = PidsResponse.newBuilder();
                    for (int pid : tasks.pids(ns, PidsRequest.parseFrom(payload).getId())) {
                        pids.addProcesses(ProcessInfo.newBuilder().setPid(pid));
                    }
                    yield reply(pids.build());
                }
                case "Connect" -> {
                    tasks.require(ns, ConnectRequest.parseFrom(payload).getId());
                    yield reply(ConnectResponse.newBuilder()
                            .setShimPid(tasks.pid())
                            .setTaskPid(tasks.pid())
                            .setVersion(VERSION)
                            .build());
                }
                case "Shutdown" -> {
                    // One daemon serves every task of the node: containerd's per-task Shutdown must
                    // not end it. The request is only checked for well-formedness.
                    ShutdownRequest.parseFrom(payload);
                    yield reply(Empty.getDefaultInstance());
                }
                case "Stats" -> {
                    WorkloadStats st =
                            tasks.stats(ns, StatsRequest.parseFrom(payload).getId());
                    yield reply(StatsResponse.newBuilder()
                            .setStats(Protos.any(metrics(st)))
                            .build());
                }
                case "Update" -> {
                    tasks.update(ns, UpdateTaskRequest.parseFrom(payload));
                    yield reply(Empty.getDefaultInstance());
                }
                case "Exec", "ResizePty", "CloseIO", "Checkpoint", "Pause", "Resume" ->
                    throw new TtrpcException(
                            RpcCode.UNIMPLEMENTED,
                            method
                                    + " is not supported by the wasmorch shim: a WASM app task has no process or "
                                    + "terminal of its own");
                default -> throw new TtrpcException(RpcCode.UNIMPLEMENTED, NAME + "/" + method + " does not exist");
            };
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(RpcCode.INVALID_ARGUMENT, method + ": malformed request: " + e.getMessage());
        }
    }

    private static byte[] reply(MessageLite message) {
        return message.toByteArray();
    }

    /**
     * The cgroup v2 Metrics fields containerd's CRI plugin reads, measured by the app itself: memory
     * usage is the live instances' linear memory plus the compiled code (the CRI's working set, as
     * no inactive file pages are reported). containerd decodes the Any by its type, so v2 Metrics
     * serve on a cgroup v1 node too.
     */
    private static Metrics metrics(WorkloadStats st) {
        return Metrics.newBuilder()
                .setCpu(CPUStat.newBuilder().setUsageUsec(st.cpuNanos() / 1000))
                .setMemory(MemoryStat.newBuilder().setUsage(st.usageBytes()).setUsageLimit(st.usageLimitBytes()))
                .setMemoryEvents(MemoryEvents.newBuilder().setMax(st.memoryLimitHits()))
                .build();
    }
}
