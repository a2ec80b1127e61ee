package io.rateticker.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;

/** The store could not be read or written; what was asked has not happened. */
public class StoreException extends RuntimeException {

    private final boolean unavailable;

    StoreException(String message, SQLException cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** For a failed statement: unavailable when the connection, not the statement, was the problem. */
    static StoreException failed(String message, SQLException cause) {
        return new StoreException(message, cause, isConnectionFailure(cause));
    }

    /** Whether the database could not be reached (worth a retry), rather than refusing the statement. */
    public boolean unavailable() {
        return unavailable;
    }

    private static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
