package dev.wasmorch.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.sink.postgres.JdbcTarget;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    /**
     * A role that may write the tables but not create temporary ones (the database's TEMPORARY
     * privilege revoked): the warm-up fails in its sinks, says so, and leaves the job to start cold.
     */
    @Test
    void aWarmUpThatPostgresRefusesIsReportedAndLeftOut(@TempDir Path tmp) throws Exception {
        String role = "wasmorch_no_temp_" + UUID.randomUUID().toString().replace("-", "");
        try {
            try (TestDatabase db = TestDatabase.create("wasmorch_warmup")) {
                settings(tmp, db).output().migrate();
                try (Connection c = db.connect();
                        Statement st = c.createStatement()) {
                    st.execute("CREATE ROLE " + role + " LOGIN");
                    st.execute("DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',"
                            + " current_database()); END $$");
                    st.execute("GRANT CREATE ON SCHEMA public TO " + role);
                    st.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO " + role);
                }
                JdbcTarget restricted = new JdbcTarget(db.target().url(), role, null);
                ByteArrayOutputStream log = new ByteArrayOutputStream();

                Optional<Duration> took = JitWarmUp.runOrReport(
                        new Configuration(),
                        1,
                        TestStreamSettings.following(tmp, restricted, false, "warm-up-test"),
                        50,
                        new PrintStream(log, true, StandardCharsets.UTF_8));

                assertThat(took).isEmpty();
                assertThat(log.toString(StandardCharsets.UTF_8))
                        .startsWith("wasmorch stream: the JIT warm-up failed (")
                        .contains("permission denied to create temporary tables")
                        .endsWith("; starting cold\n");
                for (String table : TABLES) {
                    assertThat(db.count("SELECT count(*) FROM " + table))
                            .as(table)
                            .isZero();
                }
            }
        } finally {
            try (Connection c =
                            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
                    Statement st = c.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + role); // its grants went with the database
            }
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
