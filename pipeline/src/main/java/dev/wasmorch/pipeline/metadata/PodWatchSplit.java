package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of the pod watch, with the metadata already passed downstream per pod UID. After
 * a restore the informer lists every pod again; pods whose metadata equals what was passed on
 * before the checkpoint are not passed on a second time (downstream would count them again).
 *
 * @param passedOn pod UID to the metadata last emitted for it
 */
public record PodWatchSplit(Map<String, PodMetadata> passedOn) implements SourceSplit {

    static final String ID = "pods";

    public PodWatchSplit {
        passedOn = Map.copyOf(passedOn);
    }

    @Override
    public String splitId() {
        return ID;
    }
}
