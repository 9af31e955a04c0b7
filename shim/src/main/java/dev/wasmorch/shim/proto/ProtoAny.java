package dev.wasmorch.shim.proto;

import java.io.IOException;

/**
 * {@code google.protobuf.Any}: {@code type_url = 1}, {@code value = 2}. containerd's typeurl names
 * protobuf messages by their full name ({@code io.containerd.cgroups.v2.Metrics}) and JSON-encoded
 * Go types by a registered path ({@code types.containerd.io/opencontainers/runtime-spec/1/LinuxResources}).
 */
public record ProtoAny(String typeUrl, byte[] value) {

    public byte[] toBytes() {
        return new ProtoOut().string(1, typeUrl).bytes(2, value).toBytes();
    }

    public static ProtoAny parse(byte[] data) throws IOException {
        String typeUrl = "";
        byte[] value = new byte[0];
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> typeUrl = in.string();
                case 2 -> value = in.bytes();
                default -> in.skip();
            }
        }
        return new ProtoAny(typeUrl, value);
    }
}
