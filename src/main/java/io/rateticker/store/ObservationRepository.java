package io.rateticker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;

import io.rateticker.Observation;

/** Observations and their change log in the relational store, over plain JDBC. */
@ApplicationScoped
public class ObservationRepository {

    /** What storing one observation did. {@code sequence} is the change sequence it was given. */
    public enum Outcome {
        INSERTED, UPDATED, REFRESHED
    }

    public record Stored(Observation observation, Outcome outcome, long sequence) {
    }

    private final DataSource dataSource;

    /** The one active datasource of the two built in: H2 or PostgreSQL, as TICKER_DATABASE chose. */
    ObservationRepository(@Any InjectableInstance<AgroalDataSource> dataSources) {
        this.dataSource = dataSources.getActive();
    }

    public List<Observation> findAll() {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT currency, as_of, per_usd, source, fetched_at, rejected FROM observation"
                                + " ORDER BY currency, as_of, source");
                ResultSet rs = ps.executeQuery()) {
            List<Observation> all = new ArrayList<>();
            while (rs.next()) {
                all.add(new Observation(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getBigDecimal(3),
                        rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6)));
            }
            return all;
        } catch (SQLException e) {
            throw StoreException.failed("could not read the stored observations", e);
        }
    }

    /** The highest change sequence ever given, 0 for an empty store. */
    public long latestSequence() {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM change_log");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw StoreException.failed("could not read the change sequence", e);
        }
    }

    /**
     * Stores all observations in one transaction: a new key is inserted, a different value (or a change between
     * rejected and accepted) replaces the old one, the same value only refreshes {@code fetchedAt}. Each gets the
     * next change sequence.
     */
    public List<Stored> store(List<Observation> observations) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                List<Stored> stored = new ArrayList<>(observations.size());
                for (Observation o : observations) {
                    stored.add(store(c, o));
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

    private Stored store(Connection c, Observation o) throws SQLException {
        Outcome outcome = Outcome.INSERTED;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT per_usd, rejected FROM observation WHERE currency = ? AND as_of = ? AND source = ? FOR UPDATE")) {
            bindKey(ps, o);
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
                ? "INSERT INTO observation (per_usd, fetched_at, seq, rejected, currency, as_of, source)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE observation SET per_usd = ?, fetched_at = ?, seq = ?, rejected = ?"
                        + " WHERE currency = ? AND as_of = ? AND source = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBigDecimal(1, o.perUsd());
            ps.setObject(2, o.fetchedAt().atOffset(ZoneOffset.UTC));
            ps.setLong(3, seq);
            ps.setString(4, o.rejected());
            ps.setString(5, o.currency());
            ps.setObject(6, o.asOf());
            ps.setString(7, o.source());
            ps.executeUpdate();
        }
        return new Stored(o, outcome, seq);
    }

    private static long appendChange(Connection c, Observation o, Outcome outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO change_log (kind, currency, as_of, source, per_usd, fetched_at, rejected)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, outcome.name().toLowerCase());
            ps.setString(2, o.currency());
            ps.setObject(3, o.asOf());
            ps.setString(4, o.source());
            ps.setBigDecimal(5, o.perUsd());
            ps.setObject(6, o.fetchedAt().atOffset(ZoneOffset.UTC));
            ps.setString(7, o.rejected());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void bindKey(PreparedStatement ps, Observation o) throws SQLException {
        ps.setString(1, o.currency());
        ps.setObject(2, o.asOf());
        ps.setString(3, o.source());
    }
}
