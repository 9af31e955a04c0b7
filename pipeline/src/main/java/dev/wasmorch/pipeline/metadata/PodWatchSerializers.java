package dev.wasmorch.pipeline.metadata;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint forms of the pod watch's split (no content) and enumerator state (assigned or not). */
final class PodWatchSerializers {

    private PodWatchSerializers() {}

    static final SimpleVersionedSerializer<PodWatchSplit> SPLIT = new SimpleVersionedSerializer<>() {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PodWatchSplit split) {
            return new byte[0];
        }

        @Override
        public PodWatchSplit deserialize(int version, byte[] serialized) throws IOException {
            check(version);
            return new PodWatchSplit();
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
