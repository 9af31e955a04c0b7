package dev.wasmorch.pipeline.sink.postgres;

import static dev.wasmorch.pipeline.sink.postgres.Lifecycles.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A batch job writing every table of the real PostgreSQL, twice: the second run changes nothing. */
class PostgresOutputTest {

    static TestDatabase db;

    static final Instant T0 = Instant.parse("2026-11-26T21:24:00Z");

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
                + "WHERE pod = 'aes-w1'").get(0))
                .containsExactly(0.5, "agent-1", "wasm", true);

        List<Object> minute = db.rows("SELECT n, mean, p50, p95 FROM minute_windows WHERE runtime = 'wasm' "
                + "AND minute = '2026-11-26T21:24:00Z'").get(0);
        assertThat((Long) minute.get(0)).isEqualTo(3);
        assertThat((Double) minute.get(1)).isCloseTo(0.7, within(1e-9));
        assertThat((Double) minute.get(2)).isCloseTo(0.7, within(1e-9));
        assertThat((Double) minute.get(3)).isCloseTo(0.88, within(1e-9)); // type 7: 0.7 + 0.9 * 0.2
        assertThat(db.rows("SELECT minute = timestamptz '2026-11-26T21:25:00Z', n FROM minute_windows "
                + "WHERE runtime = 'container'")).containsExactly(List.of(true, 1L));

        assertThat(db.rows("SELECT name, value FROM job_counters ORDER BY name")).containsExactly(
                List.of("lines_read", 15L), List.of("rejected:bad_timestamp", 1L));
        assertThat(db.rows("SELECT n, mean FROM summary_stats WHERE metric = 'response_time'"))
                .containsExactly(List.of(200L, 0.012));
        assertThat(db.rows("SELECT speedup, p_value FROM comparisons")).containsExactly(List.of(2.1, 1.0E-12));
    }

    private static void run() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        PostgresOutput out = new PostgresOutput(db.target(), PostgresOutput.Settings.defaults("test"));
        out.migrate();
        out.lifecycles(env.fromData(List.of(
                pod("aes-w1", Runtime.WASM, "aes", T0.plusSeconds(10), 0.5, "agent-1", ""),
                pod("aes-w2", Runtime.WASM, "aes", T0.plusSeconds(20), 0.7, "agent-1", ""),
                pod("aes-w3", Runtime.WASM, "aes", T0.plusSeconds(59), 0.9, "agent-2", ""),
                pod("aes-skew", Runtime.WASM, "aes", T0.plusSeconds(30), -0.1, "agent-2",
                        "negative_interval:scheduled_to_started"),
                pod("aes-c1", Runtime.CONTAINER, "aes", T0.plusSeconds(61), 1.7, "agent-1", "")),
                TypeInformation.of(PodLifecycle.class)));
        out.stats(env.fromData(List.of(new SummaryStats("serial", "aes", Runtime.WASM, "response_time", 200, 0.012,
                0.011, 0.02, 0.025, 0.03, 0.005, 0.04, 0.004, 0.3, 0.0114, 0.0126)),
                TypeInformation.of(SummaryStats.class)));
        out.comparisons(env.fromData(List.of(new Comparison("instantiation", "aes", "scheduled_to_started", 100,
                100, 0.8, 1.68, 2.1, 120, -11.2, 1e-12, -12, -0.976)), TypeInformation.of(Comparison.class)));
        out.counts(env.fromData(List.of(new Count("lines_read", 10), new Count("rejected:bad_timestamp", 1),
                new Count("lines_read", 5)), TypeInformation.of(Count.class)));
        env.execute("postgres-output-test");
    }
}
