package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.source.EmptySource;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** In-memory inputs as bounded streams; an empty list becomes an {@link EmptySource}. */
final class BoundedCollections {

    private BoundedCollections() {}

    static <T> DataStream<T> of(StreamExecutionEnvironment env, List<T> data, Class<T> type, String name) {
        TypeInformation<T> info = TypeInformation.of(type);
        if (!data.isEmpty()) {
            return env.fromData(data, info).name(name);
        }
        // One subtask: a second one of an empty source is one more task to deploy.
        return env.fromSource(new EmptySource<>(info), WatermarkStrategy.noWatermarks(), name)
                .setParallelism(1);
    }

    /** {@code stream} with {@code data} added, or {@code stream} itself when there is none. */
    static <T> DataStream<T> unionWith(DataStream<T> stream, List<T> data, Class<T> type, String name) {
        return data.isEmpty() ? stream : stream.union(of(stream.getExecutionEnvironment(), data, type, name));
    }
}
