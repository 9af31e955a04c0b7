package dev.wasmorch.pipeline.metadata;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wasmorch.pipeline.model.PodMetadata;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint forms of the pod watch's split (JSON of the metadata passed on) and enumerator state. */
final class PodWatchSerializers {

    private PodWatchSerializers() {}

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    static final SimpleVersionedSerializer<PodWatchSplit> SPLIT = new SimpleVersionedSerializer<>() {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PodWatchSplit split) throws IOException {
            return JSON.writeValueAsBytes(List.copyOf(split.passedOn().values()));
        }

        @Override
        public PodWatchSplit deserialize(int version, byte[] serialized) throws IOException {
            check(version);
            List<PodMetadata> pods = JSON.readValue(serialized, new TypeReference<List<PodMetadata>>() {});
            Map<String, PodMetadata> byUid = new HashMap<>();
            pods.forEach(p -> byUid.put(p.uid(), p));
            return new PodWatchSplit(byUid);
        }
    };

    static final SimpleVersionedSerializer<Boolean> ENUMERATOR = new SimpleVersionedSerializer<>() {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Boolean assigned) {
            return new byte[] {(byte) (assigned ? 1 : 0)};
        }

        @Override
        public Boolean deserialize(int version, byte[] serialized) throws IOException {
            check(version);
            return serialized.length == 1 && serialized[0] == 1;
        }
    };

    private static void check(int version) throws IOException {
        if (version != 1) {
            throw new IOException("unknown pod-watch checkpoint version " + version + " (this build reads 1)");
        }
    }
}
