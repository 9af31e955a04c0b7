package dev.wasmorch.pipeline.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.stats.window.Lateness;
import dev.wasmorch.pipeline.stats.window.MinuteWindows;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A batch job writing every table of the real PostgreSQL, twice: the second run changes nothing. */
class PostgresOutputTest {

    static TestDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.create("wasmorch_output");
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    @Test
    void writesAllTablesAndRereunsIdempotently() throws Exception {
        run();
        run();

        assertThat(db.count("SELECT count(*) FROM pod_lifecycles")).isEqualTo(5);
        assertThat(db.rows("SELECT scheduled_to_started, flags FROM pod_lifecycles WHERE pod = 'aes-skew'"))
                .containsExactly(java.util.Arrays.asList(null, "negative_interval:scheduled_to_started"));
        assertThat(db.rows("SELECT scheduled_to_started, node, runtime, "
                                + "container_started = timestamptz '2026-11-26T21:24:10.5Z' FROM pod_lifecycles "
                                + "WHERE pod = 'aes-w1'")
                        .get(0))
                .containsExactly(0.5, "agent-1", "wasm", true);

        List<Object> minute = db.rows("SELECT n, mean, p50, p95 FROM minute_windows WHERE runtime = 'wasm' "
                        + "AND minute = '2026-11-26T21:24:00Z'")
                .get(0);
        assertThat((Long) minute.get(0)).isEqualTo(3);
        assertThat((Double) minute.get(1)).isCloseTo(0.7, within(1e-9));
        assertThat((Double) minute.get(2)).isCloseTo(0.7, within(1e-9));
        assertThat((Double) minute.get(3)).isCloseTo(0.88, within(1e-9)); // type 7: 0.7 + 0.9 * 0.2
        assertThat(db.rows("SELECT minute = timestamptz '2026-11-26T21:25:00Z', n FROM minute_windows "
                        + "WHERE runtime = 'container'"))
                .containsExactly(List.of(true, 1L));

        assertThat(db.rows("SELECT name, value FROM job_counters ORDER BY name"))
                .containsExactly(List.of("lines_read", 15L), List.of("rejected:bad_timestamp", 1L));
        assertThat(db.count("SELECT count(*) FROM summary_stats")).isEqualTo(3);
        assertThat(db.rows("SELECT n, mean FROM summary_stats WHERE metric = 'response_time'"))
                .containsExactly(List.of(200L, 0.012));
        assertThat(db.rows("SELECT speedup, p_value FROM comparisons")).containsExactly(List.of(2.1, 1.0E-12));
    }

    @Test
    void textPostgresqlCannotStoreIsWrittenAsEscapesNotLostOrMerged() throws Exception {
        // A NUL made every retry of the batch fail ("invalid byte sequence for encoding UTF8: 0x00"),
        // a poison pill for the streaming job; lone surrogates became '?' and merged distinct pods.
        try (TestDatabase own = TestDatabase.create("wasmorch_text")) {
            writeHostileText(own);
        }
    }

    private static void writeHostileText(TestDatabase own) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        PostgresOutput out = new PostgresOutput(own.target(), PostgresOutput.Settings.defaults("test"));
        out.migrate();
        DataStream<PodLifecycle> pods = env.fromData(
                List.of(
                        Lifecycles.pod("nul\u0000name", Runtime.WASM, "f\u0000n", SampleResults.T0, 0.5, "n", ""),
                        Lifecycles.pod("lone\uD800", Runtime.WASM, "aes", SampleResults.T0, 0.5, "n", ""),
                        Lifecycles.pod("lone\uD801", Runtime.WASM, "aes", SampleResults.T0, 0.5, "n", "")),
                TypeInformation.of(PodLifecycle.class));
        out.lifecycles(pods);
        out.minutes(MinuteWindows.of(pods, Metric.SCHEDULED_TO_STARTED, Lateness.defaults()));
        env.execute("hostile text");

        assertThat(own.rows("SELECT pod, function FROM pod_lifecycles WHERE pod LIKE 'nul%'"))
                .containsExactly(List.of("nul\\u0000name", "f\\u0000n"));
        assertThat(own.rows("SELECT pod FROM pod_lifecycles WHERE pod LIKE 'lone%' ORDER BY pod"))
                .containsExactly(List.of("lone\\ud800"), List.of("lone\\ud801"));
        assertThat(own.rows("SELECT function, n FROM minute_windows ORDER BY function"))
                .containsExactly(List.of("aes", 2L), List.of("f\\u0000n", 1L));
    }

    private static void run() throws Exception {
        SampleResults.write(db.target());
    }
}
