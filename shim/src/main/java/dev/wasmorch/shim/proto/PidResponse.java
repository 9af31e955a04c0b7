package dev.wasmorch.shim.proto;

import java.io.IOException;

/** {@code CreateTaskResponse} and {@code StartResponse}: both are {@code uint32 pid = 1}. */
public record PidResponse(int pid) {

    public byte[] toBytes() {
        return new ProtoOut().uint32(1, pid).toBytes();
    }

    public static PidResponse parse(byte[] data) throws IOException {
        int pid = 0;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            if (in.field() == 1) {
                pid = in.uint32();
            } else {
                in.skip();
            }
        }
        return new PidResponse(pid);
    }
}
