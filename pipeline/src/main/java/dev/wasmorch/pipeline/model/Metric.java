package dev.wasmorch.pipeline.model;

/** The intervals computed per pod lifecycle (contract/log-format.md, "Pod lifecycle"). */
public enum Metric {
    CREATED_TO_SCHEDULED("created_to_scheduled", Phase.CREATED, Phase.SCHEDULED),
    /** The headline instantiation time. */
    SCHEDULED_TO_STARTED("scheduled_to_started", Phase.SCHEDULED, Phase.CONTAINER_STARTED),
    SCHEDULED_TO_READY("scheduled_to_ready", Phase.SCHEDULED, Phase.READY),
    CREATED_TO_READY("created_to_ready", Phase.CREATED, Phase.READY),
    /** The 2023 study's definition (SuccessfulCreate → Started). */
    CREATED_TO_STARTED("created_to_started", Phase.CREATED, Phase.CONTAINER_STARTED),
    /** Node-local: both ends on the kubelet's clock. */
    SEEN_TO_STARTED("seen_to_started", Phase.SEEN, Phase.CONTAINER_STARTED);

    private final String label;
    private final Phase from;
    private final Phase to;

    Metric(String label, Phase from, Phase to) {
        this.label = label;
        this.from = from;
        this.to = to;
    }

    public String label() {
        return label;
    }

    public Phase from() {
        return from;
    }

    public Phase to() {
        return to;
    }
}
