package dev.wasmorch.shim.proto;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code containerd.task.v2.UpdateTaskRequest} (runtime/v2/task/shim.proto): {@code id = 1},
 * {@code google.protobuf.Any resources = 2} (the OCI LinuxResources as JSON), {@code map<string,
 * string> annotations = 3}. {@code resources} is {@code null} when the request carries none.
 */
public record UpdateTaskRequest(String id, ProtoAny resources, Map<String, String> annotations) {

    public UpdateTaskRequest {
        annotations = Map.copyOf(annotations);
    }

    public byte[] toBytes() {
        ProtoOut out = new ProtoOut().string(1, id);
        if (resources != null) {
            out.message(2, resources.toBytes());
        }
        annotations.forEach((k, v) ->
                out.message(3, new ProtoOut().string(1, k).string(2, v).toBytes()));
        return out.toBytes();
    }

    public static UpdateTaskRequest parse(byte[] data) throws IOException {
        String id = "";
        ProtoAny resources = null;
        Map<String, String> annotations = new LinkedHashMap<>();
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.string();
                case 2 -> resources = ProtoAny.parse(in.bytes());
                case 3 -> {
                    String key = "";
                    String value = "";
                    ProtoIn entry = ProtoIn.of(in.bytes());
                    while (entry.next()) {
                        switch (entry.field()) {
                            case 1 -> key = entry.string();
                            case 2 -> value = entry.string();
                            default -> entry.skip();
                        }
                    }
                    annotations.put(key, value);
                }
                default -> in.skip();
            }
        }
        return new UpdateTaskRequest(id, resources, annotations);
    }
}
