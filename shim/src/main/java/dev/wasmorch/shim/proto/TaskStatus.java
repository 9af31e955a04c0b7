package dev.wasmorch.shim.proto;

/** {@code containerd.v1.types.Status} (api/types/task/task.proto); the ordinal is the wire value. */
public enum TaskStatus {
    UNKNOWN,
    CREATED,
    RUNNING,
    STOPPED,
    PAUSED,
    PAUSING;

    public static TaskStatus of(int wire) {
        TaskStatus[] all = values();
        return wire >= 0 && wire < all.length ? all[wire] : UNKNOWN;
    }
}
