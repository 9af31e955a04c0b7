package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Live pod metadata from the Kubernetes API: an unbounded source backed by a fabric8 informer
 * (namespace and label selector as given), which also archives every pod it sees as JSON lines
 * so the experiment can be reanalyzed in batch once the pods are gone. One subtask watches.
 */
public final class PodWatchSource
        implements Source<PodMetadata, PodWatchSplit, Boolean>, ResultTypeQueryable<PodMetadata> {

    private final PodWatchOptions options;

    public PodWatchSource(PodWatchOptions options) {
        this.options = options;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<PodMetadata, PodWatchSplit> createReader(SourceReaderContext readerContext) {
        return new PodWatchReader(options);
    }

    @Override
    public SplitEnumerator<PodWatchSplit, Boolean> createEnumerator(SplitEnumeratorContext<PodWatchSplit> context) {
        return new PodWatchEnumerator(context, false);
    }

    @Override
    public SplitEnumerator<PodWatchSplit, Boolean> restoreEnumerator(
            SplitEnumeratorContext<PodWatchSplit> context, Boolean assigned) {
        return new PodWatchEnumerator(context, assigned);
    }

    @Override
    public SimpleVersionedSerializer<PodWatchSplit> getSplitSerializer() {
        return PodWatchSerializers.SPLIT;
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return PodWatchSerializers.ENUMERATOR;
    }

    @Override
    public TypeInformation<PodMetadata> getProducedType() {
        return TypeInformation.of(PodMetadata.class);
    }
}
