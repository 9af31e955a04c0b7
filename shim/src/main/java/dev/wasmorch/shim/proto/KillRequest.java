package dev.wasmorch.shim.proto;

import java.io.IOException;

/** {@code containerd.task.v2.KillRequest}. */
public record KillRequest(String id, String execId, int signal, boolean all) {

    public byte[] toBytes() {
        return new ProtoOut()
                .string(1, id)
                .string(2, execId)
                .uint32(3, signal)
                .bool(4, all)
                .toBytes();
    }

    public static KillRequest parse(byte[] data) throws IOException {
        String id = "";
        String execId = "";
        int signal = 0;
        boolean all = false;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> execId = in.string();
                case 3 -> signal = in.uint32();
                case 4 -> all = in.bool();
                default -> in.skip();
            }
        }
        return new KillRequest(id, execId, signal, all);
    }
}
