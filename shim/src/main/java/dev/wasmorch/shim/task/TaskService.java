package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.CgroupV2Metrics;
import dev.wasmorch.shim.proto.ConnectResponse;
import dev.wasmorch.shim.proto.CreateTaskRequest;
import dev.wasmorch.shim.proto.KillRequest;
import dev.wasmorch.shim.proto.PidResponse;
import dev.wasmorch.shim.proto.PidsResponse;
import dev.wasmorch.shim.proto.ShutdownRequest;
import dev.wasmorch.shim.proto.StatsResponse;
import dev.wasmorch.shim.proto.TaskRequest;
import dev.wasmorch.shim.proto.UpdateTaskRequest;
import dev.wasmorch.shim.proto.WaitResponse;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import dev.wasmorch.shim.ttrpc.TtrpcService;
import java.io.IOException;
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

    private static final byte[] EMPTY = new byte[0];

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
                case "Create" -> new PidResponse(tasks.create(ns, CreateTaskRequest.parse(payload))).toBytes();
                case "Start" -> {
                    TaskRequest r = TaskRequest.parse(payload);
                    yield new PidResponse(tasks.start(ns, r.id(), r.execId())).toBytes();
                }
                case "State" -> {
                    TaskRequest r = TaskRequest.parse(payload);
                    yield tasks.state(ns, r.id(), r.execId()).toBytes();
                }
                case "Wait" -> {
                    TaskRequest r = TaskRequest.parse(payload);
                    ExitStatus exit = tasks.await(ns, r.id(), r.execId());
                    yield new WaitResponse(exit.code(), exit.at()).toBytes();
                }
                case "Kill" -> {
                    KillRequest r = KillRequest.parse(payload);
                    tasks.kill(ns, r.id(), r.execId(), r.signal());
                    yield EMPTY;
                }
                case "Delete" -> {
                    TaskRequest r = TaskRequest.parse(payload);
                    yield tasks.delete(ns, r.id(), r.execId()).toBytes();
                }
                case "Pids" ->
                    new PidsResponse(tasks.pids(ns, TaskRequest.parse(payload).id())).toBytes();
                case "Connect" -> {
                    tasks.require(ns, TaskRequest.parse(payload).id());
                    yield new ConnectResponse(tasks.pid(), tasks.pid(), VERSION).toBytes();
                }
                case "Shutdown" -> {
                    // One daemon serves every task of the node: containerd's per-task Shutdown must
                    // not end it. The id is only checked for well-formedness.
                    ShutdownRequest.parse(payload);
                    yield EMPTY;
                }
                case "Stats" -> {
                    WorkloadStats st =
                            tasks.stats(ns, TaskRequest.parse(payload).id());
                    var metrics = new CgroupV2Metrics(
                            st.cpuNanos() / 1000, st.memoryBytes(), st.memoryLimitBytes(), st.memoryLimitHits());
                    yield new StatsResponse(metrics.toAny()).toBytes();
                }
                case "Update" -> {
                    tasks.update(ns, UpdateTaskRequest.parse(payload));
                    yield EMPTY;
                }
                case "Exec", "ResizePty", "CloseIO", "Checkpoint", "Pause", "Resume" ->
                    throw new TtrpcException(
                            RpcCode.UNIMPLEMENTED,
                            method
                                    + " is not supported by the wasmorch shim: a WASM app task has no process or "
                                    + "terminal of its own");
                default -> throw new TtrpcException(RpcCode.UNIMPLEMENTED, NAME + "/" + method + " does not exist");
            };
        } catch (IOException e) {
            throw new TtrpcException(RpcCode.INVALID_ARGUMENT, method + ": malformed request: " + e.getMessage());
        }
    }
}
