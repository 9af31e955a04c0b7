package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code containerd.types.Mount} (api/types/mount.proto): one rootfs mount the shim must perform. */
public record Mount(String type, String source, String target, List<String> options) {

    public Mount {
        options = List.copyOf(options);
    }

    public byte[] toBytes() {
        return new ProtoOut()
                .string(1, type)
                .string(2, source)
                .string(3, target)
                .strings(4, options)
                .toBytes();
    }

    public static Mount parse(byte[] data) throws IOException {
        String type = "";
        String source = "";
        String target = "";
        List<String> options = new ArrayList<>();
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> type = in.string();
                case 2 -> source = in.string();
                case 3 -> target = in.string();
                case 4 -> options.add(in.string());
                default -> in.skip();
            }
        }
        return new Mount(type, source, target, options);
    }
}
