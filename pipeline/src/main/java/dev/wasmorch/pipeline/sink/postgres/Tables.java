package dev.wasmorch.pipeline.sink.postgres;

import static dev.wasmorch.pipeline.sink.postgres.Upsert.number;
import static dev.wasmorch.pipeline.sink.postgres.Upsert.text;
import static dev.wasmorch.pipeline.sink.postgres.Upsert.time;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.MinuteStats;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.PodsFile;
import dev.wasmorch.pipeline.results.StatsFile;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The upsert statement and parameter binding of each table of db/migration (prepared statements
 * only: every value from logs or the API is a parameter, never SQL text). The tables' columns are
 * the result files' (results), so a new column is named once.
 */
final class Tables {

    private Tables() {}

    /** Fills a prepared statement's parameters from a record. */
    @FunctionalInterface
    interface Binder<T> extends Serializable {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /**
     * A table's upsert, how a record fills its parameters, and the record's primary key (rows with
     * equal keys are merged before writing: the last wins, as it would in the table).
     */
    record Table<T>(String name, String sql, Binder<T> binder, SerializableFunction<T, Object> key)
            implements Serializable {}

    static final Table<PodLifecycle> LIFECYCLES = new Table<>(
            "pod_lifecycles",
            Upsert.sql("pod_lifecycles", List.of("namespace", "pod", "uid"), lifecycleValues(), true),
            Tables::bindLifecycle,
            p -> Arrays.asList(p.namespace(), p.pod(), uidColumn(p)));

    /** The uid key column: the empty string when neither logs nor metadata gave a UID. */
    private static String uidColumn(PodLifecycle p) {
        return p.uid() == null ? "" : p.uid();
    }

    /** pods.csv's columns after the key (namespace, pod, uid): one vocabulary for the file and the table. */
    private static List<String> lifecycleValues() {
        return PodsFile.COLUMNS.subList(3, PodsFile.COLUMNS.size());
    }

    private static void bindLifecycle(PreparedStatement ps, PodLifecycle p) throws SQLException {
        int i = 1;
        text(ps, i++, p.namespace());
        text(ps, i++, p.pod());
        text(ps, i++, uidColumn(p));
        text(ps, i++, p.node());
        text(ps, i++, p.runtime() == null ? null : p.runtime().label());
        text(ps, i++, p.function());
        text(ps, i++, p.scenario());
        text(ps, i++, p.runtimeClass());
        time(ps, i++, p.created());
        time(ps, i++, p.scheduled());
        time(ps, i++, p.seen());
        time(ps, i++, p.sandboxReady());
        time(ps, i++, p.containerCreated());
        time(ps, i++, p.containerStarted());
        time(ps, i++, p.ready());
        time(ps, i++, p.deleted());
        for (Metric m : Metric.values()) {
            number(ps, i++, p.isFlagged(m) ? null : p.seconds(m));
        }
        ps.setInt(i++, p.duplicates());
        ps.setBoolean(i++, p.complete());
        text(ps, i, p.flags());
    }

    static final Table<SummaryStats> STATS = new Table<>(
            "summary_stats",
            Upsert.sql(
                    "summary_stats",
                    StatsFile.COLUMNS.subList(0, 4),
                    StatsFile.COLUMNS.subList(4, StatsFile.COLUMNS.size()),
                    true),
            (ps, s) -> {
                text(ps, 1, s.scenario());
                text(ps, 2, s.function());
                text(ps, 3, s.runtime().label());
                text(ps, 4, s.metric());
                ps.setLong(5, s.n());
                double[] v = {
                    s.mean(),
                    s.median(),
                    s.p90(),
                    s.p95(),
                    s.p99(),
                    s.min(),
                    s.max(),
                    s.sd(),
                    s.cv(),
                    s.ci95Low(),
                    s.ci95High()
                };
                for (int k = 0; k < v.length; k++) {
                    ps.setDouble(6 + k, v[k]);
                }
            },
            s -> Arrays.asList(s.scenario(), s.function(), s.runtime(), s.metric()));

    static final Table<Comparison> COMPARISONS = new Table<>(
            "comparisons",
            Upsert.sql(
                    "comparisons",
                    ComparisonsFile.COLUMNS.subList(0, 3),
                    ComparisonsFile.COLUMNS.subList(3, ComparisonsFile.COLUMNS.size()),
                    true),
            (ps, c) -> {
                text(ps, 1, c.scenario());
                text(ps, 2, c.function());
                text(ps, 3, c.metric());
                ps.setLong(4, c.nWasm());
                ps.setLong(5, c.nContainer());
                double[] v = {
                    c.meanWasm(), c.meanContainer(), c.speedup(), c.u(), c.z(), c.pValue(), c.log10P(), c.effectSize()
                };
                for (int k = 0; k < v.length; k++) {
                    ps.setDouble(6 + k, v[k]);
                }
            },
            c -> Arrays.asList(c.scenario(), c.function(), c.metric()));

    static final Table<MinuteStats> MINUTES = new Table<>(
            "minute_windows",
            Upsert.sql(
                    "minute_windows",
                    List.of("minute", "scenario", "function", "runtime", "metric"),
                    List.of("n", "mean", "p50", "p95"),
                    true),
            (ps, m) -> {
                time(ps, 1, m.minute());
                text(ps, 2, m.scenario());
                text(ps, 3, m.function());
                text(ps, 4, m.runtime().label());
                text(ps, 5, m.metric());
                ps.setLong(6, m.n());
                ps.setDouble(7, m.mean());
                ps.setDouble(8, m.p50());
                ps.setDouble(9, m.p95());
            },
            m -> Arrays.asList(m.minute(), m.scenario(), m.function(), m.runtime(), m.metric()));

    static final Table<CounterTotal> COUNTERS = new Table<>(
            "job_counters",
            Upsert.sql("job_counters", List.of("job", "name"), List.of("value"), true),
            (ps, c) -> {
                text(ps, 1, c.job());
                text(ps, 2, c.name());
                ps.setLong(3, c.total());
            },
            c -> Arrays.asList(c.job(), c.name()));

    static final Table<CounterTotal> COUNTER_HISTORY = new Table<>(
            "job_counter_history",
            Upsert.sql("job_counter_history", List.of("job", "name", "at"), List.of("value"), false),
            (ps, c) -> {
                text(ps, 1, c.job());
                text(ps, 2, c.name());
                time(ps, 3, c.at());
                ps.setLong(4, c.total());
            },
            c -> Arrays.asList(c.job(), c.name(), c.at()));
}
