package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.time.Instant;

/** {@code containerd.task.v2.WaitResponse}. */
public record WaitResponse(int exitStatus, Instant exitedAt) {

    public byte[] toBytes() {
        return new ProtoOut().uint32(1, exitStatus).timestamp(2, exitedAt).toBytes();
    }

    public static WaitResponse parse(byte[] data) throws IOException {
        int exitStatus = 0;
        Instant exitedAt = Instant.EPOCH;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> exitStatus = in.uint32();
                case 2 -> exitedAt = in.timestamp();
                default -> in.skip();
            }
        }
        return new WaitResponse(exitStatus, exitedAt);
    }
}
