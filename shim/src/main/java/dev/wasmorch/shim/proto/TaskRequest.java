package dev.wasmorch.shim.proto;

import java.io.IOException;

/**
 * The requests whose fields are {@code id = 1} and (optionally) {@code exec_id = 2}: State, Start,
 * Delete, Wait, Pids, Connect and Stats in runtime/v2/task/shim.proto share this layout.
 */
public record TaskRequest(String id, String execId) {

    public byte[] toBytes() {
        return new ProtoOut().string(1, id).string(2, execId).toBytes();
    }

    public static TaskRequest parse(byte[] data) throws IOException {
        String id = "";
        String execId = "";
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> execId = in.string();
                default -> in.skip();
            }
        }
        return new TaskRequest(id, execId);
    }
}
