package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.time.Instant;

/** {@code containerd.task.v2.StateResponse}. */
public record StateResponse(
        String id,
        String bundle,
        int pid,
        TaskStatus status,
        String stdin,
        String stdout,
        String stderr,
        boolean terminal,
        int exitStatus,
        Instant exitedAt,
        String execId) {

    public byte[] toBytes() {
        return new ProtoOut()
                .string(1, id)
                .string(2, bundle)
                .uint32(3, pid)
                .uint32(4, status.ordinal())
                .string(5, stdin)
                .string(6, stdout)
                .string(7, stderr)
                .bool(8, terminal)
                .uint32(9, exitStatus)
                .timestamp(10, exitedAt)
                .string(11, execId)
                .toBytes();
    }

    public static StateResponse parse(byte[] data) throws IOException {
        String id = "";
        String bundle = "";
        int pid = 0;
        TaskStatus status = TaskStatus.UNKNOWN;
        String stdin = "";
        String stdout = "";
        String stderr = "";
        boolean terminal = false;
        int exitStatus = 0;
        Instant exitedAt = Instant.EPOCH;
        String execId = "";
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> bundle = in.string();
                case 3 -> pid = in.uint32();
                case 4 -> status = TaskStatus.of(in.uint32());
                case 5 -> stdin = in.string();
                case 6 -> stdout = in.string();
                case 7 -> stderr = in.string();
                case 8 -> terminal = in.bool();
                case 9 -> exitStatus = in.uint32();
                case 10 -> exitedAt = in.timestamp();
                case 11 -> execId = in.string();
                default -> in.skip();
            }
        }
        return new StateResponse(
                id, bundle, pid, status, stdin, stdout, stderr, terminal, exitStatus, exitedAt, execId);
    }
}
