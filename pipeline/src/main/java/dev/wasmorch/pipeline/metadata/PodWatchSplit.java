package dev.wasmorch.pipeline.metadata;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of the pod watch. It carries no position: after a restore the informer lists all
 * pods again, and downstream keeps the latest metadata per pod, so re-delivered pods are harmless.
 */
public record PodWatchSplit() implements SourceSplit {

    static final String ID = "pods";

    @Override
    public String splitId() {
        return ID;
    }
}
