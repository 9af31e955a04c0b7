package dev.wasmorch.pipeline.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versioned migrations against the real PostgreSQL. */
class SchemaMigrationsTest {

    TestDatabase db;

    @BeforeEach
    void database() throws SQLException {
        db = TestDatabase.create("wasmorch_migrations");
    }

    @AfterEach
    void drop() throws SQLException {
        db.close();
    }

    @Test
    void appliesEachVersionOnceAndRecordsIt() throws SQLException {
        assertThat(SchemaMigrations.migrate(db.target())).containsExactly(1);
        assertThat(SchemaMigrations.migrate(db.target())).isEmpty();
        assertThat(db.rows("SELECT version, description FROM wasmorch_schema_version"))
                .containsExactly(java.util.List.of(1, "schema"));
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                        + "('pod_lifecycles','summary_stats','comparisons','minute_windows','job_counters',"
                        + "'job_counter_history')"))
                .isEqualTo(6);
    }

    @Test
    void refusesADatabaseWhoseAppliedScriptDiffers() throws SQLException {
        SchemaMigrations.migrate(db.target());
        exec("UPDATE wasmorch_schema_version SET checksum = checksum + 1 WHERE version = 1");
        assertThatThrownBy(() -> SchemaMigrations.migrate(db.target()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("was changed after it was applied");
    }

    @Test
    void refusesADatabaseFromANewerBuild() throws SQLException {
        SchemaMigrations.migrate(db.target());
        exec("INSERT INTO wasmorch_schema_version (version, description, checksum) VALUES (99, 'future', 0)");
        assertThatThrownBy(() -> SchemaMigrations.migrate(db.target()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("newer than this build's 1");
    }

    @Test
    void aFailedMigrationLeavesNothingBehind() throws SQLException {
        exec("CREATE TABLE pod_lifecycles (x int)"); // in the way of version 1
        assertThatThrownBy(() -> SchemaMigrations.migrate(db.target())).isInstanceOf(SQLException.class);
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                        + "('wasmorch_schema_version','summary_stats')"))
                .isZero();
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
