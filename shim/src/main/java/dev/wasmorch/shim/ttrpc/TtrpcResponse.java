package dev.wasmorch.shim.ttrpc;

import dev.wasmorch.shim.proto.ProtoIn;
import dev.wasmorch.shim.proto.ProtoOut;
import java.io.IOException;

/**
 * {@code ttrpc.Response}: {@code google.rpc.Status status = 1} (code = 1, message = 2) and
 * {@code bytes payload = 2}. The Go server always sets the status, code 0 on success.
 */
public record TtrpcResponse(RpcCode code, String message, byte[] payload) {

    public static TtrpcResponse ok(byte[] payload) {
        return new TtrpcResponse(RpcCode.OK, "", payload);
    }

    public static TtrpcResponse error(RpcCode code, String message) {
        return new TtrpcResponse(code, message, new byte[0]);
    }

    public byte[] toBytes() {
        byte[] status = new ProtoOut().int32(1, code.value()).string(2, message).toBytes();
        return new ProtoOut().message(1, status).bytes(2, payload).toBytes();
    }

    public static TtrpcResponse parse(byte[] data) throws IOException {
        RpcCode code = RpcCode.OK;
        String message = "";
        byte[] payload = new byte[0];
        ProtoIn in = ProtoIn.of(data);
        while (in.next()) {
            switch (in.field()) {
                case 1 -> {
                    ProtoIn status = ProtoIn.of(in.bytes());
                    while (status.next()) {
                        switch (status.field()) {
                            case 1 -> code = RpcCode.of(status.int32());
                            case 2 -> message = status.string();
                            default -> status.skip();
                        }
                    }
                }
                case 2 -> payload = in.bytes();
                default -> in.skip();
            }
        }
        return new TtrpcResponse(code, message, payload);
    }
}
