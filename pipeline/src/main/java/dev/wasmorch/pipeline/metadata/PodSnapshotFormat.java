package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.InputException;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * A pod snapshot as a Flink file format, so the job streams a large snapshot instead of the client
 * shipping it inside the job graph. Not splittable (JSON); FileSource's adapter decompresses
 * {@code .gz} and restores a reader by skipping the records it had emitted.
 */
public final class PodSnapshotFormat implements StreamFormat<PodMetadata> {

    public static FileSource<PodMetadata> source(java.nio.file.Path snapshot) {
        return FileSource.forRecordStreamFormat(new PodSnapshotFormat(), Path.fromLocalFile(snapshot.toFile()))
                .build();
    }

    @Override
    public Reader<PodMetadata> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        PodSnapshotItems items = new PodSnapshotItems(stream, "snapshot");
        return new Reader<>() {
            @Override
            public PodMetadata read() throws IOException {
                try {
                    return items.next();
                } catch (InputException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() throws IOException {
                items.close();
            }
        };
    }

    @Override
    public Reader<PodMetadata> restoreReader(
            Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen, long splitEnd)
            throws IOException {
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<PodMetadata> getProducedType() {
        return TypeInformation.of(PodMetadata.class);
    }
}
