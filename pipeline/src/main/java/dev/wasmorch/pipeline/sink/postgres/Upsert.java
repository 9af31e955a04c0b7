package dev.wasmorch.pipeline.sink.postgres;

import dev.wasmorch.pipeline.model.EncodableText;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds {@code INSERT ... ON CONFLICT (key) DO UPDATE} statements and binds nullable and untrusted values. */
final class Upsert {

    private Upsert() {}

    /**
     * An upsert of {@code key} and {@code values} columns (in that order of parameters) that
     * replaces every value column and stamps {@code updated_at} when the table has one.
     */
    static String sql(String table, List<String> key, List<String> values, boolean stamped) {
        List<String> all = Stream.concat(key.stream(), values.stream()).toList();
        String updates = values.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        if (stamped) {
            updates += ", updated_at = now()";
        }
        return "INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES ("
                + all.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + String.join(", ", key) + ") DO UPDATE SET " + updates;
    }

    /** Text from logs, made storable ({@link EncodableText}): PostgreSQL refuses NUL, UTF-8 lone surrogates. */
    static void text(PreparedStatement ps, int index, String s) throws SQLException {
        ps.setString(index, EncodableText.of(s));
    }

    static void time(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    static void number(PreparedStatement ps, int index, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }
}
