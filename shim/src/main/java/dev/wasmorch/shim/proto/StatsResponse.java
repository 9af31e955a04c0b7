package dev.wasmorch.shim.proto;

import java.io.IOException;

/** {@code containerd.task.v2.StatsResponse}: {@code google.protobuf.Any stats = 1}. */
public record StatsResponse(ProtoAny stats) {

    public byte[] toBytes() {
        return new ProtoOut().message(1, stats.toBytes()).toBytes();
    }

    public static StatsResponse parse(byte[] data) throws IOException {
        ProtoAny stats = null;
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            if (in.field() == 1) {
                stats = ProtoAny.parse(in.bytes());
            } else {
                in.skip();
            }
        }
        return new StatsResponse(stats);
    }
}
