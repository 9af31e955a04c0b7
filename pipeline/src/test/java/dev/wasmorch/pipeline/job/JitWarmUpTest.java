package dev.wasmorch.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream job's JIT warm-up against the local PostgreSQL: the whole graph runs, and nothing of it stays. */
class JitWarmUpTest {

    private static final int PODS = 400;

    private static final List<String> TABLES = List.of(
            "pod_lifecycles", "summary_stats", "comparisons", "minute_windows", "job_counters", "job_counter_history");

    @Test
    void runsThePodsThroughTheGraphIntoTemporaryTablesThatVanish(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = TestDatabase.create("wasmorch_warmup")) {
            StreamingAnalysis.Settings settings = settings(tmp, db);
            settings.output().migrate();
            long insertedBefore = rowsInserted(db);

            // The real job's configuration: checkpoints, and a restore from a checkpoint that does
            // not exist. The warm-up must take neither (it would fail on the restore).
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
            conf.set(
                    StateRecoveryOptions.SAVEPOINT_PATH,
                    tmp.resolve("no-such-checkpoint").toUri().toString());
            JitWarmUp.run(conf, 2, settings, PODS);

            for (String table : TABLES) {
                assertThat(db.count("SELECT count(*) FROM " + table)).as(table).isZero();
            }
            assertThat(db.count("SELECT count(*) FROM pg_class WHERE relpersistence = 't'"))
                    .as("temporary tables left behind")
                    .isZero();
            // The rows went somewhere: each pod's lifecycle at least was inserted, into the
            // temporary copies (the database's statistics count those too; a backend reports them
            // when it ends, so they may take a moment).
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (rowsInserted(db) - insertedBefore < PODS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(rowsInserted(db) - insertedBefore).isGreaterThanOrEqualTo(PODS);
        }
    }

    @Test
    void refusesAWarmUpWithoutPods(@TempDir Path tmp) throws Exception {
        try (TestDatabase db = TestDatabase.create("wasmorch_warmup")) {
            assertThatThrownBy(() -> JitWarmUp.run(new Configuration(), 1, settings(tmp, db), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one pod");
        }
    }

    private static StreamingAnalysis.Settings settings(Path tmp, TestDatabase db) {
        // Metadata expected, as with --kube: the warm-up must not wait for any.
        return TestStreamSettings.following(tmp, db.target(), true, "warm-up-test");
    }

    private static long rowsInserted(TestDatabase db) throws Exception {
        return db.count("SELECT tup_inserted FROM pg_stat_database WHERE datname = current_database()");
    }
}
