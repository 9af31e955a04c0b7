package dev.wasmorch.pipeline.model;

/**
 * A step in a pod's life that the analyzer times. The native event names of contract/log-format.md map
 * one-to-one onto the first eight; the shim's task events follow.
 */
public enum Phase {
    CREATED("PodCreated"),
    SCHEDULED("PodScheduled"),
    SEEN("PodSeen"),
    SANDBOX_READY("SandboxReady"),
    CONTAINER_CREATED("ContainerCreated"),
    CONTAINER_STARTED("ContainerStarted"),
    READY("PodReady"),
    DELETED("PodDeleted"),
    TASK_CREATED("TaskCreated"),
    MODULE_COMPILED("ModuleCompiled"),
    LISTENING("Listening"),
    FIRST_REQUEST("FirstRequest");

    private final String eventName;

    Phase(String eventName) {
        this.eventName = eventName;
    }

    /** The value of the {@code event=} field in the native format. */
    public String eventName() {
        return eventName;
    }

    /** The phase for a native event name, or {@code null} when the name is not a phase. */
    public static Phase fromEventName(String name) {
        for (Phase p : values()) {
            if (p.eventName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
