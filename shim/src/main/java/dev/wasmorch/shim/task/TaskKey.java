package dev.wasmorch.shim.task;

/** A task is unique per containerd namespace: one daemon serves every namespace of its containerd. */
public record TaskKey(String namespace, String id) {
    @Override
    public String toString() {
        return namespace + "/" + id;
    }
}
