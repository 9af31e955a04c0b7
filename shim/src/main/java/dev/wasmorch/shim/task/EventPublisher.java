package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.TaskEvent;

/** Hands task events to containerd; must not block the RPC that caused them. */
public interface EventPublisher {
    void publish(String namespace, TaskEvent event);
}
