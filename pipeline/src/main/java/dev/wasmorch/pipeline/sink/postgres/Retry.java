package dev.wasmorch.pipeline.sink.postgres;

import java.sql.SQLException;

/** Which PostgreSQL errors a later attempt of the same write can overcome. */
final class Retry {

    private Retry() {}

    /**
     * True for lost or refused connections (SQLSTATE class 08), a server shutting down or starting
     * up (57P01-57P03), insufficient resources (class 53) and transaction rollbacks such as
     * deadlocks (class 40); false for errors in the statement or the data, which would fail again.
     */
    static boolean worthRetrying(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null
                    && (state.startsWith("08")
                            || state.startsWith("57P")
                            || state.startsWith("53")
                            || state.startsWith("40"))) {
                return true;
            }
        }
        return false;
    }
}
