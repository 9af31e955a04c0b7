package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.time.Instant;

/**
 * {@code containerd.task.v2.DeleteResponse}: the reply to the Delete RPC and, bare on stdout, the
 * output of the shim's {@code delete} subcommand.
 */
public record DeleteResponse(int pid, int exitStatus, Instant exitedAt) {

    public byte[] toBytes() {
        return new ProtoOut()
                .uint32(1, pid)
                .uint32(2, exitStatus)
                .timestamp(3, exitedAt)
                .toBytes();
    }

    public static DeleteResponse parse(byte[] data) throws IOException {
        int pid = 0;
        int exitStatus = 0;
        Instant exitedAt = Instant.EPOCH;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> pid = in.uint32();
                case 2 -> exitStatus = in.uint32();
                case 3 -> exitedAt = in.timestamp();
                default -> in.skip();
            }
        }
        return new DeleteResponse(pid, exitStatus, exitedAt);
    }
}
