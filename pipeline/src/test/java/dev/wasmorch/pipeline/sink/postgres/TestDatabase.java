package dev.wasmorch.pipeline.sink.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A uniquely named database on the machine's PostgreSQL (127.0.0.1:5432, trust auth), created for
 * one test class and dropped after it, so parallel test runs never see each other's rows.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String SERVER = System.getProperty("wasmorch.test.pg", "jdbc:postgresql://127.0.0.1:5432/");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "")).toLowerCase();
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", null);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(name);
    }

    public JdbcTarget target() {
        return new JdbcTarget(SERVER + name, "postgres", null);
    }

    public Connection connect() throws SQLException {
        return target().connect();
    }

    /** The rows of a query, each as a list of its column values (as JDBC returns them). */
    public List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    public long count(String sql) throws SQLException {
        return ((Number) rows(sql).get(0).get(0)).longValue();
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", null);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
