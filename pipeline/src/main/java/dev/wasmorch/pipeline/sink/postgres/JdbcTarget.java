package dev.wasmorch.pipeline.sink.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where results go: a PostgreSQL JDBC URL and, optionally, credentials. Credentials come from the
 * URL's own parameters, from flags, or from {@code WASMORCH_JDBC_USER}/{@code WASMORCH_JDBC_PASSWORD}
 * (or libpq's {@code PGUSER}/{@code PGPASSWORD}); never from code. {@link #toString()} hides the
 * password.
 *
 * @param url      {@code jdbc:postgresql://host:port/db[?...]}
 * @param user     user, or {@code null} to leave it to the URL/driver
 * @param password password, or {@code null}
 */
public record JdbcTarget(String url, String user, String password) implements Serializable {

    public JdbcTarget {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), was "
                            + (url == null ? "missing" : "'" + url.replaceAll("password=[^&]*", "password=***") + "'"));
        }
    }

    /** Flags first, then the environment. */
    public static JdbcTarget of(String url, String user, String password, Map<String, String> env) {
        return new JdbcTarget(
                url,
                user != null ? user : env.getOrDefault("WASMORCH_JDBC_USER", env.get("PGUSER")),
                password != null ? password : env.getOrDefault("WASMORCH_JDBC_PASSWORD", env.get("PGPASSWORD")));
    }

    public Connection connect() throws SQLException {
        return connect(new Properties());
    }

    /** Connects with extra driver properties (the URL's own parameters still apply). */
    public Connection connect(Properties extra) throws SQLException {
        Properties props = new Properties();
        props.putAll(extra);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + url.replaceAll("password=[^&]*", "password=***") + ", user=" + user
                + (password == null ? "" : ", password=***") + "]";
    }
}
