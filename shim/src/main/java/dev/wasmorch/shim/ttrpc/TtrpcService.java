package dev.wasmorch.shim.ttrpc;

import java.util.Map;

/** One TTRPC service: answers a method call with the encoded response message or a status. */
public interface TtrpcService {

    /** The fully qualified service name, e.g. {@code containerd.task.v2.Task}. */
    String name();

    /**
     * Handles one call. May block (Wait does until the task exits): the server runs every call on
     * its own worker thread.
     */
    byte[] call(String method, byte[] payload, Map<String, String> metadata) throws TtrpcException;
}
