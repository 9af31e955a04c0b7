package dev.wasmorch.pipeline.sink.postgres;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * An at-least-once sink that upserts rows into one PostgreSQL table (see {@link UpsertWriter}).
 * Used instead of flink-connector-jdbc 4.0's sink, which after a failed reconnect keeps a closed
 * statement and fails the job with a NullPointerException, and which gives up after its retries
 * without waiting for the server to come back.
 */
final class UpsertSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final JdbcTarget target;
    private final Tables.Table<T> table;
    private final WriteOptions options;

    UpsertSink(JdbcTarget target, Tables.Table<T> table, WriteOptions options) {
        this.target = target;
        this.table = table;
        this.options = options;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new UpsertWriter<>(
                target,
                table,
                options,
                table.name() + "-" + context.getTaskInfo().getIndexOfThisSubtask());
    }

    /**
     * How rows are batched and retried.
     *
     * @param batchSize     rows that start a write at once (under load a write takes whatever has
     *                      accumulated, up to {@code maxPending})
     * @param batchInterval longest time a row waits before it is written
     * @param maxPending    rows buffered beside the write in flight before {@code write} blocks
     *                      (backpressure)
     * @param firstBackoff  pause after the first failed attempt; it doubles per attempt
     * @param maxBackoff    longest pause between attempts
     * @param retryFor      how long a failing write is retried before the job fails (and Flink
     *                      restarts it from its last checkpoint)
     * @param temporaryTables write into a temporary copy of the table that the connection makes
     *                      and PostgreSQL drops with it ({@link PostgresOutput#withTemporaryTables})
     */
    record WriteOptions(
            int batchSize,
            Duration batchInterval,
            int maxPending,
            Duration firstBackoff,
            Duration maxBackoff,
            Duration retryFor,
            boolean temporaryTables)
            implements java.io.Serializable {

        WriteOptions {
            if (batchSize < 1 || maxPending < batchSize) {
                throw new IllegalArgumentException(
                        "need 1 <= batchSize <= maxPending, got " + batchSize + ", " + maxPending);
            }
        }
    }
}
