package dev.wasmorch.pipeline.sink.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the schema this build writes: applies the versioned scripts under
 * {@code db/migration/} that the {@code wasmorch_schema_version} table does not list yet, all in
 * one transaction, under an advisory lock so concurrent jobs do not race. A script that was
 * changed after it was applied (checksum mismatch) stops the job: the tables would not be what the
 * code expects.
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    /** Every migration in order; a new schema version is a new line here and a new script. */
    static final List<Migration> ALL = List.of(new Migration(1, "schema", "db/migration/V1__schema.sql"));

    /** An arbitrary constant: the advisory-lock id of wasmorch migrations. */
    private static final long LOCK_ID = 0x7761736d6f726368L;

    record Migration(int version, String description, String resource) {

        String script() {
            try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration " + resource + " is missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long checksum() {
            CRC32 crc = new CRC32();
            crc.update(script().getBytes(StandardCharsets.UTF_8));
            return crc.getValue();
        }
    }

    private SchemaMigrations() {}

    /** @return the versions applied by this call (empty when the schema was current) */
    public static List<Integer> migrate(JdbcTarget target) throws SQLException {
        try (Connection c = target.connect()) {
            return migrate(c);
        }
    }

    static List<Integer> migrate(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
            s.execute("CREATE TABLE IF NOT EXISTS wasmorch_schema_version ("
                    + "version integer PRIMARY KEY, description text NOT NULL, checksum bigint NOT NULL, "
                    + "applied_at timestamptz NOT NULL DEFAULT now())");
            Map<Integer, Long> applied = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT version, checksum FROM wasmorch_schema_version")) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getLong(2));
                }
            }
            List<Integer> done = new java.util.ArrayList<>();
            for (Migration m : ALL) {
                Long checksum = applied.get(m.version());
                if (checksum != null) {
                    if (checksum != m.checksum()) {
                        throw new SQLException("schema version " + m.version() + " (" + m.resource()
                                + ") was changed after it was applied to this database; restore the script or "
                                + "use a new database");
                    }
                    continue;
                }
                s.execute(m.script());
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO wasmorch_schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setLong(3, m.checksum());
                    ps.executeUpdate();
                }
                done.add(m.version());
                LOG.info("applied schema version {} ({})", m.version(), m.description());
            }
            int newest = ALL.get(ALL.size() - 1).version();
            for (int v : applied.keySet()) {
                if (v > newest) {
                    throw new SQLException("the database has schema version " + v + ", newer than this build's "
                            + newest + "; use a newer wasmorch");
                }
            }
            c.commit();
            return done;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }
}
