package dev.wasmorch.pipeline.sink.postgres;

import static dev.wasmorch.pipeline.sink.postgres.Lifecycles.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Streaming jobs writing to PostgreSQL through faults: the server stops mid-stream and comes back
 * (no row lost, and no job restart: the sink retries), and the job itself fails and restarts from
 * a checkpoint (no count doubled).
 */
class PostgresFaultsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T21:00:00Z");
    private static final int PODS = 1_500;

    @Test
    void aPostgresOutageMidStreamLosesNoRow() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            PostgresOutput out = new PostgresOutput(pg.target(), PostgresOutput.Settings.defaults("outage"));
            out.migrate();
            // No restarts: the sink itself must ride out the outage (retrying with backoff).
            StreamExecutionEnvironment env = streaming("none");
            DataGeneratorSource<PodLifecycle> pods = new DataGeneratorSource<>(
                    i -> pod(
                            "p-" + i,
                            i % 2 == 0 ? Runtime.WASM : Runtime.CONTAINER,
                            "aes",
                            T0.plusMillis(i * 100),
                            0.5 + (i % 10) / 10.0,
                            "agent-1",
                            ""),
                    PODS,
                    RateLimiterStrategy.perSecond(250),
                    TypeInformation.of(PodLifecycle.class));
            out.lifecycles(env.fromSource(pods, WatermarkStrategy.noWatermarks(), "pods"));
            JobClient job = env.executeAsync("outage");

            awaitRows(pg.target(), 100);
            pg.stopServer();
            Thread.sleep(3_000);
            pg.startServer();
            job.getJobExecutionResult().get();

            try (var c = pg.target().connect();
                    var s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*), count(DISTINCT pod) FROM pod_lifecycles")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(PODS);
                assertThat(rs.getLong(2)).isEqualTo(PODS);
            }
        }
    }

    /** Fails the job once, after some records, so it restarts from its last checkpoint. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void aRestartFromACheckpointCountsNothingTwice() throws Exception {
        try (TestDatabase db = TestDatabase.create("wasmorch_restart")) {
            PostgresOutput out = new PostgresOutput(db.target(), PostgresOutput.Settings.defaults("restart"));
            out.migrate();
            StreamExecutionEnvironment env = streaming("fixed-delay");
            DataGeneratorSource<Count> counts = new DataGeneratorSource<>(
                    i -> new Count(i % 3 == 0 ? "rejected:bad_timestamp" : "lines_read", 1),
                    3_000,
                    RateLimiterStrategy.perSecond(600),
                    TypeInformation.of(Count.class));
            out.counts(env.fromSource(counts, WatermarkStrategy.noWatermarks(), "counts")
                    .map(
                            c -> {
                                if (c.name().startsWith("rejected")
                                        && Math.random() < 0.01
                                        && !FAILED.getAndSet(true)) {
                                    throw new IllegalStateException("injected failure");
                                }
                                return c;
                            },
                            TypeInformation.of(Count.class)));
            env.execute("restart");
            assertThat(FAILED).isTrue();
            assertThat(db.rows("SELECT name, value FROM job_counters ORDER BY name"))
                    .containsExactly(
                            java.util.List.of("lines_read", 2_000L),
                            java.util.List.of("rejected:bad_timestamp", 1_000L));
        }
    }

    private static StreamExecutionEnvironment streaming(String restartStrategy) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restartStrategy);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 40);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(300);
        return env;
    }

    private static void awaitRows(JdbcTarget target, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = target.connect();
                    var s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM pod_lifecycles")) {
                rs.next();
                if (rs.getLong(1) >= n) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + n + " rows after 60 s");
    }
}
