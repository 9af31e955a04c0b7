package dev.wasmorch.shim.proto;

import java.io.IOException;

/** {@code containerd.task.v2.ConnectResponse}. */
public record ConnectResponse(int shimPid, int taskPid, String version) {

    public byte[] toBytes() {
        return new ProtoOut()
                .uint32(1, shimPid)
                .uint32(2, taskPid)
                .string(3, version)
                .toBytes();
    }

    public static ConnectResponse parse(byte[] data) throws IOException {
        int shimPid = 0;
        int taskPid = 0;
        String version = "";
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> shimPid = in.uint32();
                case 2 -> taskPid = in.uint32();
                case 3 -> version = in.string();
                default -> in.skip();
            }
        }
        return new ConnectResponse(shimPid, taskPid, version);
    }
}
