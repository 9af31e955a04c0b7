package dev.wasmorch.pipeline.job;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/** Where the streaming job keeps its state (the join's pods, the windows, the statistics' samples). */
public enum StateBackend {
    /** On the heap: fastest per access; each checkpoint copies all of it. */
    HASHMAP,
    /**
     * RocksDB on local disk with incremental checkpoints: each checkpoint uploads only the files
     * written since the last one, so its cost follows the rate of change, not the size of the state.
     */
    ROCKSDB;

    /** Sets the backend, and for RocksDB incremental checkpoints, in a job's configuration. */
    public void configure(Configuration conf) {
        conf.set(StateBackendOptions.STATE_BACKEND, name().toLowerCase(java.util.Locale.ROOT));
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, this == ROCKSDB);
    }
}
