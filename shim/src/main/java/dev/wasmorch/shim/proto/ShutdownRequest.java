package dev.wasmorch.shim.proto;

import java.io.IOException;

/** {@code containerd.task.v2.ShutdownRequest}. */
public record ShutdownRequest(String id, boolean now) {

    public byte[] toBytes() {
        return new ProtoOut().string(1, id).bool(2, now).toBytes();
    }

    public static ShutdownRequest parse(byte[] data) throws IOException {
        String id = "";
        boolean now = false;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> now = in.bool();
                default -> in.skip();
            }
        }
        return new ShutdownRequest(id, now);
    }
}
