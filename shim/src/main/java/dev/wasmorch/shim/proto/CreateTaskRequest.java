package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code containerd.task.v2.CreateTaskRequest} (runtime/v2/task/shim.proto). Checkpoint fields and
 * the runtime options ({@code Any}, field 10) are read past: this shim has no options.
 */
public record CreateTaskRequest(
        String id, String bundle, List<Mount> rootfs, boolean terminal, String stdin, String stdout, String stderr) {

    public CreateTaskRequest {
        rootfs = List.copyOf(rootfs);
    }

    public byte[] toBytes() {
        ProtoOut out = new ProtoOut().string(1, id).string(2, bundle);
        rootfs.forEach(m -> out.message(3, m.toBytes()));
        return out.bool(4, terminal)
                .string(5, stdin)
                .string(6, stdout)
                .string(7, stderr)
                .toBytes();
    }

    public static CreateTaskRequest parse(byte[] data) throws IOException {
        String id = "";
        String bundle = "";
        List<Mount> rootfs = new ArrayList<>();
        boolean terminal = false;
        String stdin = "";
        String stdout = "";
        String stderr = "";
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> bundle = in.string();
                case 3 -> rootfs.add(Mount.parse(in.bytes()));
                case 4 -> terminal = in.bool();
                case 5 -> stdin = in.string();
                case 6 -> stdout = in.string();
                case 7 -> stderr = in.string();
                default -> in.skip();
            }
        }
        return new CreateTaskRequest(id, bundle, rootfs, terminal, stdin, stdout, stderr);
    }
}
