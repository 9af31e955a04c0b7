package dev.wasmorch.shim.ttrpc;

import com.google.protobuf.ByteString;
import dev.wasmorch.shim.proto.rpc.Status;
import dev.wasmorch.shim.proto.ttrpc.KeyValue;
import dev.wasmorch.shim.proto.ttrpc.Request;
import dev.wasmorch.shim.proto.ttrpc.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TTRPC envelope ({@code ttrpc.Request}, {@code ttrpc.Response}, generated from
 * src/main/proto/ttrpc/request.proto) as the server and client build and read it.
 */
final class TtrpcMessages {

    private TtrpcMessages() {}

    static Request request(String service, String method, byte[] payload, long timeoutNano, Map<String, String> md) {
        Request.Builder r = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(ByteString.copyFrom(payload))
                .setTimeoutNano(timeoutNano);
        md.forEach((k, v) -> r.addMetadata(KeyValue.newBuilder().setKey(k).setValue(v)));
        return r.build();
    }

    /** The metadata as a map; a repeated key keeps its first value (containerd sends each key once). */
    static Map<String, String> metadata(Request request) {
        Map<String, String> md = new LinkedHashMap<>();
        for (KeyValue kv : request.getMetadataList()) {
            md.putIfAbsent(kv.getKey(), kv.getValue());
        }
        return md;
    }

    /** A success: the Go server always sets the status, code 0 (an empty message) on success. */
    static Response ok(byte[] payload) {
        return Response.newBuilder()
                .setStatus(Status.getDefaultInstance())
                .setPayload(ByteString.copyFrom(payload))
                .build();
    }

    static Response error(RpcCode code, String message) {
        return Response.newBuilder()
                .setStatus(Status.newBuilder().setCode(code.value()).setMessage(message))
                .build();
    }
}
