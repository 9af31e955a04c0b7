package dev.wasmorch.shim.task;

/** Hands task events to containerd; must not block the RPC that caused them. */
public interface EventPublisher {
    void publish(String namespace, TaskEvent event);
}
