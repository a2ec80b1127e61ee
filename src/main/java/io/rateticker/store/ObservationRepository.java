package io.rateticker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.scheduler.Scheduled;

import io.rateticker.Observation;
import io.rateticker.Observation.Key;

/**
 * Observations and their change log in the relational store, over plain JDBC.
 * <p>
 * On PostgreSQL several replicas write to one store. Writes take a transaction-scoped advisory lock first, so change
 * sequences are handed out and committed in the same order cluster-wide: whoever has seen change N has seen every
 * change before it, and "the changes after my last one" is gap-free. Each write ends with a {@code pg_notify} on
 * {@link #CHANNEL} carrying only its highest sequence, delivered at commit.
 */
@ApplicationScoped
public class ObservationRepository {

    /** The PostgreSQL notification channel of committed writes. */
    public static final String CHANNEL = "ticker_changes";
    /** Advisory lock keys (one key space per database): writes, and the one replica that fetches. */
    static final long WRITE_LOCK = 0x7469636b65720001L;
    static final long FETCHER_LOCK = 0x7469636b65720002L;

    private static final String COLUMNS = "currency, quote, as_of, per_usd, source, fetched_at, rejected, released";

    /** What storing one observation did. {@code sequence} is the change sequence it was given. */
    public enum Outcome {
        INSERTED, UPDATED, REFRESHED, DELETED
    }

    private static final String DELETED = "deleted";

    public record Stored(Observation observation, Outcome outcome, long sequence) {
    }

    /** Everything in the store, read in one transaction: the observations as of change {@code sequence}. */
    public record Contents(List<Observation> observations, long sequence) {
    }

    /**
     * One stored change: the value of its key from then on (or, {@code deleted}, the value it no longer has), and the
     * highest sequence of the write it was part of.
     */
    public record Change(long sequence, long write, Observation observation, boolean deleted) {
    }

    private static final String BY_KEY = "currency = ? AND quote = ? AND as_of = ? AND source = ?";

    private final DataSource dataSource;
    private final boolean postgresql;
    private volatile String writeFailure;

    /** The one active datasource of the two built in: H2 or PostgreSQL, as TICKER_DATABASE chose. */
    @Inject
    ObservationRepository(@Any InjectableInstance<AgroalDataSource> dataSources,
            @ConfigProperty(name = "quarkus.datasource.postgresql.active", defaultValue = "false") boolean postgresql) {
        this(dataSources.getActive(), postgresql);
    }

    ObservationRepository(DataSource dataSource, boolean postgresql) {
        this.dataSource = dataSource;
        this.postgresql = postgresql;
    }

    /** Whether the store is PostgreSQL, shared by replicas (rather than an H2 of this process alone). */
    public boolean shared() {
        return postgresql;
    }

    public Contents load() {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long sequence;
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM change_log");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sequence = rs.getLong(1);
                }
                List<Observation> all = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM observation"
                        + " ORDER BY currency, quote, as_of, source");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(observation(rs));
                    }
                }
                return new Contents(all, sequence);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw StoreException.failed("could not read the stored observations", e);
        }
    }

    /**
     * The changes after sequence {@code after} up to {@code upTo} (inclusive), in order; at most {@code limit}. A
     * write's changes commit together, so without a limit this never ends inside a write.
     */
    public List<Change> changes(long after, long upTo, int limit) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT seq, COALESCE(write_seq, seq), kind, " + COLUMNS
                        + " FROM change_log WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Change> changes = new ArrayList<>();
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getLong(2), observation(rs, 4), DELETED.equals(rs.getString(3))));
                }
                return changes;
            }
        } catch (SQLException e) {
            throw StoreException.failed("could not read the change log", e);
        }
    }

    /** The value each key had right after change {@code sequence}; keys that had none then are left out. */
    public List<Observation> valuesAt(long sequence, Collection<Key> keys) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", kind FROM change_log"
                        + " WHERE " + BY_KEY + " AND seq <= ? ORDER BY seq DESC")) {
            ps.setMaxRows(1);
            List<Observation> values = new ArrayList<>();
            for (Key key : keys) {
                bindKey(ps, 1, key);
                ps.setLong(5, sequence);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !DELETED.equals(rs.getString(9))) {
                        values.add(observation(rs));
                    }
                }
            }
            return values;
        } catch (SQLException e) {
            throw StoreException.failed("could not read the change log", e);
        }
    }

    /**
     * Stores all observations in one transaction: a new key is inserted, a different value (or a change between
     * rejected and accepted) replaces the old one, the same value only refreshes {@code fetchedAt}. Each gets the
     * next change sequence.
     */
    public List<Stored> store(List<Observation> observations) {
        if (observations.isEmpty()) {
            return List.of();
        }
        try {
            List<Stored> stored = write(observations);
            writeFailure = null;
            return stored;
        } catch (StoreException e) {
            recordFailure(e);
            throw e;
        }
    }

    /**
     * Removes the observation of {@code key}, recorded in the change log like any write (so every replica and every
     * stream applies it); empty if there is none.
     */
    public Optional<Stored> delete(Key key) {
        try {
            Optional<Stored> deleted = inWrite(c -> {
                Observation old;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM observation"
                        + " WHERE " + BY_KEY + " FOR UPDATE")) {
                    bindKey(ps, 1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return List.of();
                        }
                        old = observation(rs);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM observation WHERE " + BY_KEY)) {
                    bindKey(ps, 1, key);
                    ps.executeUpdate();
                }
                return List.of(new Stored(old, Outcome.DELETED, appendChange(c, old, Outcome.DELETED)));
            }).stream().findFirst();
            writeFailure = null;
            return deleted;
        } catch (StoreException e) {
            recordFailure(e);
            throw e;
        }
    }

    /**
     * How long each held-back observation has been held back with its present value: the first {@code fetchedAt} of
     * the unbroken run of such changes that ends with it.
     */
    public Instant heldSince(Observation held) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT per_usd, rejected, fetched_at"
                + " FROM change_log WHERE " + BY_KEY + " ORDER BY seq DESC")) {
            bindKey(ps, 1, held.key());
            Instant since = held.fetchedAt();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && rs.getString(2) != null && rs.getBigDecimal(1).compareTo(held.perUsd()) == 0) {
                    since = rs.getObject(3, OffsetDateTime.class).toInstant();
                }
            }
            return since;
        } catch (SQLException e) {
            throw StoreException.failed("could not read the change log", e);
        }
    }

    /**
     * Why the last write failed for want of a working database (unreachable, or a full or read-only disk under H2),
     * or null once a write has succeeded since: what readiness reports (StoreHealthCheck).
     */
    public String writeFailure() {
        return writeFailure;
    }

    /**
     * Every {@code ticker.store.probe-interval}, a write nobody reads (one row of its own table): whether the store
     * takes writes, so that an outage shows (and its end clears) even while nothing else is written. A failure is
     * recorded, not thrown.
     */
    @Scheduled(every = "${ticker.store.probe-interval}", delayed = "${ticker.store.probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void probe() {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE store_probe SET probed_at = CURRENT_TIMESTAMP WHERE id = 1")) {
            ps.executeUpdate();
            writeFailure = null;
        } catch (SQLException e) {
            recordFailure(StoreException.failed("could not write to the store", e));
        } catch (StoreException e) {
            recordFailure(e);
        }
    }

    private void recordFailure(StoreException e) {
        if (e.unavailable()) {
            // Connections that saw the failure may be dead for good (H2 closes its store when a write to the file
            // fails, and every statement on it then fails) while still passing validation: all are replaced.
            if (dataSource instanceof AgroalDataSource agroal) {
                agroal.flush(AgroalDataSource.FlushMode.GRACEFUL);
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            writeFailure = e.getMessage() + ": " + root.getMessage();
        }
    }

    private List<Stored> write(List<Observation> observations) {
        return inWrite(c -> {
            List<Stored> stored = new ArrayList<>(observations.size());
            for (Observation o : observations) {
                stored.add(store(c, o));
            }
            return stored;
        });
    }

    /** What a write does inside its transaction; returns what it stored, each with its change sequence. */
    private interface WriteBody {
        List<Stored> run(Connection c) throws SQLException;
    }

    /**
     * One write: a transaction holding the cluster-wide write lock, whose changes are marked as one write and
     * announced at commit. Nothing stored, nothing committed.
     */
    private List<Stored> inWrite(WriteBody body) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                if (postgresql) {
                    execute(c, "SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                }
                List<Stored> stored = body.run(c);
                if (stored.isEmpty()) {
                    c.rollback();
                    return stored;
                }
                long first = stored.get(0).sequence();
                long last = stored.get(stored.size() - 1).sequence();
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE change_log SET write_seq = ? WHERE seq >= ? AND seq <= ?")) {
                    ps.setLong(1, last);
                    ps.setLong(2, first);
                    ps.setLong(3, last);
                    ps.executeUpdate();
                }
                if (postgresql) {
                    execute(c, "SELECT pg_notify('" + CHANNEL + "', '" + last + "')");
                }
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("could not store the observations", e);
        }
    }

    /** Any failure to get a connection (refused, pool exhausted, timed out) means the database is unavailable. */
    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreException("the database is unreachable", e, true);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Observation observation(ResultSet rs) throws SQLException {
        return observation(rs, 1);
    }

    /** The observation in the {@link #COLUMNS} starting at column {@code first}. */
    private static Observation observation(ResultSet rs, int first) throws SQLException {
        return new Observation(rs.getString(first), rs.getString(first + 1), rs.getObject(first + 2, LocalDate.class),
                rs.getBigDecimal(first + 3), rs.getString(first + 4),
                rs.getObject(first + 5, OffsetDateTime.class).toInstant(), rs.getString(first + 6),
                rs.getString(first + 7));
    }

    private static void bindKey(PreparedStatement ps, int first, Key key) throws SQLException {
        ps.setString(first, key.currency());
        ps.setString(first + 1, key.quote());
        ps.setObject(first + 2, key.asOf());
        ps.setString(first + 3, key.source());
    }

    private Stored store(Connection c, Observation o) throws SQLException {
        Outcome outcome = Outcome.INSERTED;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT per_usd, rejected FROM observation WHERE " + BY_KEY + " FOR UPDATE")) {
            bindKey(ps, 1, o.key());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    boolean same = rs.getBigDecimal(1).compareTo(o.perUsd()) == 0
                            && (rs.getString(2) == null) == (o.rejected() == null);
                    outcome = same ? Outcome.REFRESHED : Outcome.UPDATED;
                }
            }
        }
        long seq = appendChange(c, o, outcome);
        String sql = outcome == Outcome.INSERTED
                ? "INSERT INTO observation (per_usd, fetched_at, seq, rejected, released, currency, quote, as_of, source)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE observation SET per_usd = ?, fetched_at = ?, seq = ?, rejected = ?, released = ?"
                        + " WHERE " + BY_KEY;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBigDecimal(1, o.perUsd());
            ps.setObject(2, o.fetchedAt().atOffset(ZoneOffset.UTC));
            ps.setLong(3, seq);
            ps.setString(4, o.rejected());
            ps.setString(5, o.released());
            bindKey(ps, 6, o.key());
            ps.executeUpdate();
        }
        return new Stored(o, outcome, seq);
    }

    private static long appendChange(Connection c, Observation o, Outcome outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO change_log (kind, currency, quote, as_of, source, per_usd, fetched_at, rejected, released)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, outcome.name().toLowerCase());
            bindKey(ps, 2, o.key());
            ps.setBigDecimal(6, o.perUsd());
            ps.setObject(7, o.fetchedAt().atOffset(ZoneOffset.UTC));
            ps.setString(8, o.rejected());
            ps.setString(9, o.released());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
