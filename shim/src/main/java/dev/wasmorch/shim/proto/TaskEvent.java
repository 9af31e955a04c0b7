package dev.wasmorch.shim.proto;

import java.time.Instant;
import java.util.List;

/**
 * The task events of api/events/task.proto that this shim publishes. {@link #typeUrl()} is the bare
 * name containerd's typeurl registry uses (no {@code type.googleapis.com/} prefix).
 */
public sealed interface TaskEvent {

    String topic();

    String typeUrl();

    byte[] toBytes();

    /** {@code containerd.events.TaskCreate}; {@code io} is the embedded {@code TaskIO}. */
    record Create(
            String containerId,
            String bundle,
            List<Mount> rootfs,
            String stdin,
            String stdout,
            String stderr,
            boolean terminal,
            int pid)
            implements TaskEvent {

        public Create {
            rootfs = List.copyOf(rootfs);
        }

        @Override
        public String topic() {
            return "/tasks/create";
        }

        @Override
        public String typeUrl() {
            return "containerd.events.TaskCreate";
        }

        @Override
        public byte[] toBytes() {
            ProtoOut out = new ProtoOut().string(1, containerId).string(2, bundle);
            rootfs.forEach(m -> out.message(3, m.toBytes()));
            byte[] io = new ProtoOut()
                    .string(1, stdin)
                    .string(2, stdout)
                    .string(3, stderr)
                    .bool(4, terminal)
                    .toBytes();
            return out.message(4, io).uint32(6, pid).toBytes();
        }
    }

    /** {@code containerd.events.TaskStart}. */
    record Start(String containerId, int pid) implements TaskEvent {
        @Override
        public String topic() {
            return "/tasks/start";
        }

        @Override
        public String typeUrl() {
            return "containerd.events.TaskStart";
        }

        @Override
        public byte[] toBytes() {
            return new ProtoOut().string(1, containerId).uint32(2, pid).toBytes();
        }
    }

    /** {@code containerd.events.TaskExit}; for the init process {@code id} is the container ID. */
    record Exit(String containerId, String id, int pid, int exitStatus, Instant exitedAt) implements TaskEvent {
        @Override
        public String topic() {
            return "/tasks/exit";
        }

        @Override
        public String typeUrl() {
            return "containerd.events.TaskExit";
        }

        @Override
        public byte[] toBytes() {
            return new ProtoOut()
                    .string(1, containerId)
                    .string(2, id)
                    .uint32(3, pid)
                    .uint32(4, exitStatus)
                    .timestamp(5, exitedAt)
                    .toBytes();
        }
    }

    /** {@code containerd.events.TaskDelete}. */
    record Delete(String containerId, int pid, int exitStatus, Instant exitedAt) implements TaskEvent {
        @Override
        public String topic() {
            return "/tasks/delete";
        }

        @Override
        public String typeUrl() {
            return "containerd.events.TaskDelete";
        }

        @Override
        public byte[] toBytes() {
            return new ProtoOut()
                    .string(1, containerId)
                    .uint32(2, pid)
                    .uint32(3, exitStatus)
                    .timestamp(4, exitedAt)
                    .toBytes();
        }
    }
}
