package dev.wasmorch.pipeline.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink's writer against the local PostgreSQL, without Flink around it. */
class UpsertWriterTest {

    private static final Instant AT = Instant.parse("2026-11-27T03:00:00Z");
    private static final UpsertSink.WriteOptions OPTIONS = new UpsertSink.WriteOptions(
            1000,
            Duration.ofMillis(100),
            10_000,
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            false);

    private static TestDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.create("wasmorch_writer");
        SchemaMigrations.migrate(db.target());
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    private static UpsertWriter<CounterTotal> writer() {
        return new UpsertWriter<>(db.target(), Tables.COUNTERS, OPTIONS, "test");
    }

    @Test
    void aSingleRowIsWrittenAfterTheBatchIntervalWithoutAFlush() throws Exception {
        UpsertWriter<CounterTotal> w = writer();
        try {
            w.write(new CounterTotal("interval", "lines_read", 7, AT), null);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (db.count("SELECT count(*) FROM job_counters WHERE job = 'interval'") == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(db.rows("SELECT name, value FROM job_counters WHERE job = 'interval'"))
                    .containsExactly(List.of("lines_read", 7L));
        } finally {
            w.close();
        }
    }

    @Test
    void rowsOfOneKeyAreMergedTheLastWinning() throws Exception {
        UpsertWriter<CounterTotal> w = writer();
        try {
            for (long total = 1; total <= 5_000; total++) {
                w.write(new CounterTotal("merge", "events", total, AT), null);
                w.write(new CounterTotal("merge", "lines_read", 2 * total, AT), null);
            }
            w.flush(false);
            assertThat(db.rows("SELECT name, value FROM job_counters WHERE job = 'merge' ORDER BY name"))
                    .containsExactly(List.of("events", 5_000L), List.of("lines_read", 10_000L));
        } finally {
            w.close();
        }
    }

    @Test
    void anErrorARetryCannotFixFailsTheNextFlushAtOnce() throws Exception {
        UpsertWriter<CounterTotal> w = writer();
        try {
            w.write(new CounterTotal("bad", null, 1, AT), null); // name is NOT NULL: SQLSTATE 23502
            long start = System.nanoTime();
            assertThatThrownBy(() -> w.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("job_counters")
                    .satisfies(e -> assertThat(e.getCause())
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("null value"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(OPTIONS.retryFor());
        } finally {
            w.close();
        }
    }
}
