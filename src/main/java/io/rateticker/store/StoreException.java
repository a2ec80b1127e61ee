package io.rateticker.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Set;

/** The store could not be read or written; what was asked has not happened. */
public class StoreException extends RuntimeException {

    /** The database takes no writes: PostgreSQL's read_only_sql_transaction, H2's "database is read only". */
    private static final Set<String> READ_ONLY = Set.of("25006", "90097");

    private final boolean unavailable;

    StoreException(String message, SQLException cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** For a failed statement: unavailable when the connection, not the statement, was the problem. */
    static StoreException failed(String message, SQLException cause) {
        return new StoreException(message, cause, isConnectionFailure(cause));
    }

    /** Whether the database could not be reached or written (worth a retry), rather than refusing the statement. */
    public boolean unavailable() {
        return unavailable;
    }

    private static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // IOException: the file under H2 cannot be written (disk full, read-only); it passes when that is mended
            if (t instanceof IOException || t instanceof SQLTransientException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLException s && s.getSQLState() != null && (s.getSQLState().startsWith("08")
                            || READ_ONLY.contains(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
