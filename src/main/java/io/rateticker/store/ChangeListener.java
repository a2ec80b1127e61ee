package io.rateticker.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One replica's own PostgreSQL connection, outside the pool: it LISTENs for committed writes and may hold the
 * session-scoped fetcher lock, which PostgreSQL releases by itself when this connection ends (the replica died, the
 * network or the database went away), so another replica can take it.
 */
public final class ChangeListener implements AutoCloseable {

    private final Connection connection;
    private final PGConnection notifications;

    private ChangeListener(Connection connection) throws SQLException {
        this.connection = connection;
        this.notifications = connection.unwrap(PGConnection.class);
        execute("LISTEN " + ObservationRepository.CHANNEL);
    }

    /** Connects and starts listening. */
    public static ChangeListener open(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // A half-open connection (a cable pulled, not a process stopped) must still end in an error, not a wait.
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "rate-ticker listener");
        Connection connection = DriverManager.getConnection(url, properties);
        try {
            return new ChangeListener(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Waits up to {@code timeout} for a notification; returns the highest sequence notified, or 0 for none. */
    public long await(Duration timeout) throws SQLException {
        PGNotification[] received = notifications.getNotifications((int) Math.max(1, timeout.toMillis()));
        long highest = 0;
        if (received != null) {
            for (PGNotification notification : received) {
                try {
                    highest = Math.max(highest, Long.parseLong(notification.getParameter()));
                } catch (NumberFormatException e) {
                    // Not ours to interpret: the change log, not the payload, is what gets applied.
                }
            }
        }
        return highest;
    }

    /** Takes the fetcher lock if no other session holds it. */
    public boolean tryFetcherLock() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + ObservationRepository.FETCHER_LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A round trip, so that a connection that died while holding the lock is noticed (session locks stack, so the
     * holder does not simply take it again). */
    public void check() throws SQLException {
        execute("SELECT 1");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // already broken: closing it is all that was left to do
        }
    }
}
