package dev.wasmorch.shim.ttrpc;

import dev.wasmorch.shim.proto.ProtoIn;
import dev.wasmorch.shim.proto.ProtoOut;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ttrpc.Request} (types.go): service, method, payload, timeout_nano and metadata
 * ({@code repeated KeyValue = 5}). containerd sends the namespace in the metadata key
 * {@code containerd-namespace-ttrpc}.
 */
public record TtrpcRequest(
        String service, String method, byte[] payload, long timeoutNano, Map<String, String> metadata) {

    public TtrpcRequest {
        metadata = Map.copyOf(metadata);
    }

    public byte[] toBytes() {
        ProtoOut out = new ProtoOut()
                .string(1, service)
                .string(2, method)
                .bytes(3, payload)
                .int64(4, timeoutNano);
        metadata.forEach((k, v) ->
                out.message(5, new ProtoOut().string(1, k).string(2, v).toBytes()));
        return out.toBytes();
    }

    public static TtrpcRequest parse(byte[] data) throws IOException {
        String service = "";
        String method = "";
        byte[] payload = new byte[0];
        long timeout = 0;
        Map<String, String> metadata = new LinkedHashMap<>();
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> service = in.string();
                case 2 -> method = in.string();
                case 3 -> payload = in.bytes();
                case 4 -> timeout = in.int64();
                case 5 -> {
                    String key = "";
                    String value = "";
                    ProtoIn kv = ProtoIn.of(in.bytes());
                    while (kv.next()) {
                        switch (kv.field()) {
                            case 1 -> key = kv.string();
                            case 2 -> value = kv.string();
                            default -> kv.skip();
                        }
                    }
                    // a repeated key keeps its first value: containerd sends each key once
                    metadata.putIfAbsent(key, value);
                }
                default -> in.skip();
            }
        }
        return new TtrpcRequest(service, method, payload, timeout, metadata);
    }
}
