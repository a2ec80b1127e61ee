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

    private static final long MIN_IDLE_SESSION_SECONDS = 10;

    private final Connection connection;
    private final PGConnection notifications;

    private ChangeListener(Connection connection) throws SQLException {
        this.connection = connection;
        this.notifications = connection.unwrap(PGConnection.class);
        execute("LISTEN " + ObservationRepository.CHANNEL);
    }

    /**
     * Connects and starts listening, each round trip bounded by {@code timeout} (whole seconds, at least 2: a busy
     * machine must not look like a dead connection), connecting and logging in by that and at least 5 s. The server
     * is told to end this session once it has heard nothing from it for twice that, and at least 10 s (its own
     * idle-session timeout, and TCP keepalives for a peer that is gone from the network), which lets the fetcher lock
     * go: the listener makes a round trip at least every {@code timeout}.
     */
    public static ChangeListener open(String url, String user, String password, Duration timeout) throws SQLException {
        long seconds = Math.max(2, timeout.toSeconds());
        long connecting = Math.max(5, seconds);
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", String.valueOf(connecting));
        properties.setProperty("loginTimeout", String.valueOf(connecting));
        // A connection that goes dark (a partition, a blackholing load balancer) ends in an error within this, not in
        // a wait of the kernel's ~15 minutes of retransmissions
        properties.setProperty("socketTimeout", String.valueOf(seconds));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "rate-ticker listener");
        Connection connection = DriverManager.getConnection(url, properties);
        try {
            ChangeListener listener = new ChangeListener(connection);
            listener.execute("SET tcp_keepalives_idle = " + seconds);
            listener.execute("SET tcp_keepalives_interval = " + Math.max(1, seconds / 3));
            listener.execute("SET tcp_keepalives_count = 3");
            // at least 10 s: a catch-up on the listener's thread after a long absence must not cost it its session
            listener.idleSessionTimeout(Math.max(2 * seconds, MIN_IDLE_SESSION_SECONDS));
            return listener;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * PostgreSQL 14 and later end a session idle for longer than this, however alive its TCP connection looks (behind
     * a proxy that still answers, keepalives do not tell); older servers do not know the setting and keep only the
     * keepalives.
     */
    private void idleSessionTimeout(long seconds) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT set_config('idle_session_timeout', '" + seconds + "s', false)");
        } catch (SQLException e) {
            if (!"42704".equals(e.getSQLState())) { // undefined_object: a server before 14
                throw e;
            }
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
