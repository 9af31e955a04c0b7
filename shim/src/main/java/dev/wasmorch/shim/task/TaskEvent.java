package dev.wasmorch.shim.task;

import com.google.protobuf.Message;
import dev.wasmorch.shim.proto.events.TaskCreate;
import dev.wasmorch.shim.proto.events.TaskDelete;
import dev.wasmorch.shim.proto.events.TaskExit;
import dev.wasmorch.shim.proto.events.TaskIO;
import dev.wasmorch.shim.proto.events.TaskStart;
import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import java.time.Instant;

/** A task event of containerd.events and the topic containerd files it under. */
public record TaskEvent(String topic, Message event) {

    static TaskEvent create(CreateTaskRequest req, int pid) {
        TaskIO io = TaskIO.newBuilder()
                .setStdin(req.getStdin())
                .setStdout(req.getStdout())
                .setStderr(req.getStderr())
                .build();
        return new TaskEvent(
                "/tasks/create",
                TaskCreate.newBuilder()
                        .setContainerId(req.getId())
                        .setBundle(req.getBundle())
                        .addAllRootfs(req.getRootfsList())
                        .setIo(io)
                        .setPid(pid)
                        .build());
    }

    static TaskEvent start(String containerId, int pid) {
        return new TaskEvent(
                "/tasks/start",
                TaskStart.newBuilder().setContainerId(containerId).setPid(pid).build());
    }

    /** The exit of a task's init process, whose process id is the container ID. */
    static TaskEvent exit(String containerId, int pid, ExitStatus status) {
        return new TaskEvent(
                "/tasks/exit",
                TaskExit.newBuilder()
                        .setContainerId(containerId)
                        .setId(containerId)
                        .setPid(pid)
                        .setExitStatus(status.code())
                        .setExitedAt(Protos.timestamp(status.at()))
                        .build());
    }

    static TaskEvent delete(String containerId, int pid, int exitStatus, Instant exitedAt) {
        return new TaskEvent(
                "/tasks/delete",
                TaskDelete.newBuilder()
                        .setContainerId(containerId)
                        .setPid(pid)
                        .setExitStatus(exitStatus)
                        .setExitedAt(Protos.timestamp(exitedAt))
                        .build());
    }
}
