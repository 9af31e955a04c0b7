package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.sink.postgres.JdbcTarget;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where PostgreSQL output goes (a picocli mixin for every command that writes the results tables).
 * The password is never a flag (flags show in process lists): URL parameter or environment.
 */
public final class JdbcOptions {

    @Option(
            names = "--jdbc-url",
            paramLabel = "URL",
            description =
                    "PostgreSQL for the results tables, e.g. jdbc:postgresql://localhost:5432/wasmorch. "
                            + "Credentials: URL parameters, --jdbc-user, WASMORCH_JDBC_USER/WASMORCH_JDBC_PASSWORD or PGUSER/PGPASSWORD.")
    String url;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user (password from the environment).")
    String user;

    @Option(
            names = "--job-name",
            paramLabel = "NAME",
            defaultValue = "wasmorch",
            description = "Label of this run's counters in job_counters (default: ${DEFAULT-VALUE}).")
    String jobName;

    boolean given() {
        return url != null;
    }

    JdbcTarget target(Map<String, String> env) {
        return JdbcTarget.of(url, user, null, env);
    }

    /** The output, or {@code null} when no --jdbc-url was given. */
    PostgresOutput output(Map<String, String> env) {
        return given() ? new PostgresOutput(target(env), PostgresOutput.Settings.defaults(jobName)) : null;
    }
}
