package dev.wasmorch.shim.ttrpc;

/** An RPC answered with a non-OK status; the message reaches the containerd user (e.g. ctr's error). */
public class TtrpcException extends Exception {

    private final RpcCode code;

    public TtrpcException(RpcCode code, String message) {
        super(message);
        this.code = code;
    }

    public RpcCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
