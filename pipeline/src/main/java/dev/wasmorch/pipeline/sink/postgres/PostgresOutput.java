package dev.wasmorch.pipeline.sink.postgres;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.MinuteStats;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes a job's results to PostgreSQL, batch or streaming alike: migrates the schema, then
 * upserts lifecycles, statistics (response_time included), comparisons, per-minute statistics and
 * counter totals. It computes nothing but the counter totals it keeps per name. Rows are keyed, so the at-least-once replay after a restart rewrites the same
 * rows. A PostgreSQL outage is ridden out by the sink's retries (reconnecting, with exponential
 * backoff, for {@code retryFor}) and beyond that by Flink's restart from the last checkpoint; rows
 * are not lost, because a checkpoint completes only after the sink flushed everything before it.
 */
public final class PostgresOutput implements Serializable {

    private final JdbcTarget target;
    private final Settings settings;
    private final boolean temporaryTables;

    /**
     * @param job            the label of this job's counters in job_counters
     * @param batchSize      rows that start a write at once (under load writes take more)
     * @param batchInterval  longest time a row waits before it is written
     * @param retryFor       how long a failing write is retried (PostgreSQL down) before the task
     *                       fails and Flink restarts the job from its last checkpoint
     */
    public record Settings(String job, int batchSize, Duration batchInterval, Duration retryFor)
            implements Serializable {

        public static Settings defaults(String job) {
            return new Settings(job, 1000, Duration.ofMillis(100), Duration.ofMinutes(5));
        }
    }

    public PostgresOutput(JdbcTarget target, Settings settings) {
        this(target, settings, false);
    }

    private PostgresOutput(JdbcTarget target, Settings settings, boolean temporaryTables) {
        this.target = target;
        this.settings = settings;
        this.temporaryTables = temporaryTables;
    }

    /**
     * The same output into temporary copies of the tables, which PostgreSQL drops with each
     * writer's connection: every statement runs as for the real tables, and nothing stays (the
     * stream job's JIT warm-up). Needs the TEMPORARY privilege, which PostgreSQL grants to every
     * role by default, and the migrated schema (the copies are made from it).
     */
    public PostgresOutput withTemporaryTables() {
        return new PostgresOutput(target, settings, true);
    }

    /** Creates or migrates the schema; called once when the job is built, before it runs. */
    public void migrate() throws SQLException {
        SchemaMigrations.migrate(target);
    }

    public void lifecycles(DataStream<PodLifecycle> lifecycles) {
        write(lifecycles, Tables.LIFECYCLES);
    }

    public void minutes(DataStream<MinuteStats> minutes) {
        write(minutes, Tables.MINUTES);
    }

    public void stats(DataStream<SummaryStats> stats) {
        write(stats, Tables.STATS);
    }

    public void comparisons(DataStream<Comparison> comparisons) {
        write(comparisons, Tables.COMPARISONS);
    }

    public void counts(DataStream<Count> counts) {
        DataStream<CounterTotal> totals = counts.keyBy(Count::name)
                .process(new CounterTotals(settings.job(), 1000), TypeInformation.of(CounterTotal.class))
                .name("counter-totals");
        write(totals, Tables.COUNTERS);
        write(totals, Tables.COUNTER_HISTORY);
    }

    private <T> void write(DataStream<T> stream, Tables.Table<T> table) {
        UpsertSink.WriteOptions options = new UpsertSink.WriteOptions(
                settings.batchSize(),
                settings.batchInterval(),
                10 * settings.batchSize(),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                settings.retryFor(),
                temporaryTables);
        stream.sinkTo(new UpsertSink<>(target, table, options))
                .name("postgres-" + table.name())
                .uid("postgres-" + table.name());
    }
}
