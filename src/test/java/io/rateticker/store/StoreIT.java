package io.rateticker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

import io.rateticker.Observation;
import io.rateticker.PostgresServer;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.Observation.Key;
import io.rateticker.store.ObservationRepository.Outcome;
import io.rateticker.store.ObservationRepository.Stored;

/**
 * One suite, both databases: the Flyway migrations give H2 and PostgreSQL the same schema, and the repository
 * behaves the same on each (outcomes, change sequence, write boundaries, the change log read back, all or nothing).
 */
class StoreIT {

    private static final Instant AT = Instant.parse("2026-05-27T10:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-05-27");

    /** One kind of database; {@link #open()} makes a new one, so that without PostgreSQL only its tests skip. */
    record Database(String name, boolean postgresql, Callable<DataSource> make) {

        DataSource open() throws Exception {
            return migrated(make.call(), postgresql ? "postgresql" : "h2");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Database> databases() {
        return Stream.of(new Database("H2", false, () -> {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:store-it-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            return h2;
        }), new Database("PostgreSQL", true, () -> {
            PGSimpleDataSource postgresql = new PGSimpleDataSource();
            postgresql.setURL(PostgresServer.shared().createDatabase());
            postgresql.setUser(PostgresServer.USER);
            return postgresql;
        }));
    }

    /** With the locations application.properties gives the datasource of this kind. */
    private static DataSource migrated(DataSource dataSource, String kind) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/" + kind)
                .load().migrate();
        return dataSource;
    }

    @Test
    void theMigrationsGiveBothDatabasesTheSameSchema() throws Exception {
        List<Database> both = databases().toList();
        DataSource h2 = both.get(0).open();
        DataSource postgresql = both.get(1).open();
        assertThat(schema(h2)).containsKeys("observation.per_usd", "change_log.seq", "change_log.write_seq",
                "observation.released", "change_log.released", "observation.quote", "change_log.quote");
        assertThat(schema(postgresql)).isEqualTo(schema(h2));
        Map<String, DataSource> opened = Map.of("H2", h2, "PostgreSQL", postgresql);
        opened.forEach((name, database) -> assertThat(Flyway.configure().dataSource(database).load().info().applied())
                .extracting(m -> m.getVersion().getVersion()).as(name).containsExactly("1", "2", "3", "4", "5", "6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storesRefreshesAndReplacesWithOneSequenceAndWriteBoundaries(Database database) throws Exception {
        ObservationRepository repository = new ObservationRepository(database.open(), database.postgresql());
        List<Stored> first = repository.store(List.of(kgs("88.5", AT), tjs("9.5")));
        assertThat(first).extracting(Stored::outcome).containsExactly(Outcome.INSERTED, Outcome.INSERTED);
        assertThat(first.get(1).sequence()).isEqualTo(first.get(0).sequence() + 1);

        List<Stored> again = repository.store(List.of(kgs("88.50", AT.plusSeconds(60))));
        assertThat(again.get(0).outcome()).isEqualTo(Outcome.REFRESHED);
        List<Stored> changed = repository.store(List.of(kgs("88.6", AT.plusSeconds(120))));
        assertThat(changed.get(0).outcome()).isEqualTo(Outcome.UPDATED);
        long last = changed.get(0).sequence();

        List<Change> changes = repository.changes(0, Long.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(changes).extracting(Change::sequence).isSorted().doesNotHaveDuplicates().hasSize(4);
        long firstWrite = first.get(1).sequence();
        assertThat(changes).extracting(Change::write)
                .containsExactly(firstWrite, firstWrite, again.get(0).sequence(), last);
        assertThat(changes.get(3).observation().perUsd()).isEqualByComparingTo("88.6");
        assertThat(repository.changes(firstWrite, last, 1)).extracting(Change::sequence)
                .containsExactly(again.get(0).sequence());

        // The value a key had as of an older change: what resuming a stream from the change log starts from.
        assertThat(repository.valuesAt(firstWrite, List.of(kgs("1", AT).key(), new Key("UZS", "USD", DAY, "manual"))))
                .singleElement().satisfies(o -> {
                    assertThat(o.perUsd()).isEqualByComparingTo("88.5");
                    assertThat(o.fetchedAt()).isEqualTo(AT);
                });

        ObservationRepository.Contents contents = repository.load();
        assertThat(contents.sequence()).isEqualTo(last);
        assertThat(contents.observations()).hasSize(2)
                .anySatisfy(o -> assertThat(o.perUsd()).isEqualByComparingTo("88.6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReleaseIsRecordedAndADeletionIsAChangeOfItsOwn(Database database) throws Exception {
        ObservationRepository repository = new ObservationRepository(database.open(), database.postgresql());
        repository.store(List.of(kgs("88.5", AT).withRejected("moves 20 %")));
        long stored = repository.store(List.of(kgs("88.5", AT).withReleased("released by an operator"))).get(0)
                .sequence();
        assertThat(repository.load().observations()).singleElement().satisfies(o -> {
            assertThat(o.isRejected()).isFalse();
            assertThat(o.released()).isEqualTo("released by an operator");
        });

        Stored deleted = repository.delete(kgs("1", AT).key()).orElseThrow();
        assertThat(deleted.outcome()).isEqualTo(Outcome.DELETED);
        assertThat(deleted.sequence()).isGreaterThan(stored);
        assertThat(repository.load().observations()).isEmpty();
        assertThat(repository.load().sequence()).isEqualTo(deleted.sequence());
        assertThat(repository.changes(stored, Long.MAX_VALUE, Integer.MAX_VALUE)).singleElement().satisfies(c -> {
            assertThat(c.deleted()).isTrue();
            assertThat(c.write()).isEqualTo(deleted.sequence());
            assertThat(c.observation().perUsd()).isEqualByComparingTo("88.5");
        });
        // as of before the deletion the key had its value; as of after, none
        assertThat(repository.valuesAt(stored, List.of(kgs("1", AT).key()))).hasSize(1);
        assertThat(repository.valuesAt(deleted.sequence(), List.of(kgs("1", AT).key()))).isEmpty();
        // nothing to delete: nothing written
        assertThat(repository.delete(kgs("1", AT).key())).isEmpty();
        assertThat(repository.load().sequence()).isEqualTo(deleted.sequence());
    }

    /** A store of the version before tables keeps every value, each a dollar rate, and takes tables after. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anUpgradedStoreKeepsItsValuesAsDollarRates(Database database) throws Exception {
        DataSource dataSource = database.make().call();
        String kind = database.postgresql() ? "postgresql" : "h2";
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/" + kind)
                .target("5").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO change_log (kind, currency, as_of, source, per_usd, fetched_at)"
                    + " VALUES ('inserted', 'KZT', DATE '2026-05-27', 'nbk', 478.77, TIMESTAMP WITH TIME ZONE"
                    + " '2026-05-27 10:00:00+00')");
            s.execute("INSERT INTO observation (currency, as_of, source, per_usd, fetched_at, seq)"
                    + " VALUES ('KZT', DATE '2026-05-27', 'nbk', 478.77, TIMESTAMP WITH TIME ZONE"
                    + " '2026-05-27 10:00:00+00', 1)");
        }
        migrated(dataSource, kind);
        ObservationRepository repository = new ObservationRepository(dataSource, database.postgresql());
        Observation kept = new Observation("KZT", DAY, new BigDecimal("478.77"), "nbk", AT);
        assertThat(repository.load().observations()).containsExactly(kept);
        assertThat(repository.changes(0, Long.MAX_VALUE, Integer.MAX_VALUE)).singleElement()
                .satisfies(c -> assertThat(c.observation()).isEqualTo(kept));
        Observation eur = new Observation("KZT", "EUR", DAY, new BigDecimal("548.62"), "nbk", AT);
        assertThat(repository.store(List.of(eur))).extracting(Stored::outcome).containsExactly(Outcome.INSERTED);
        assertThat(repository.load().observations()).containsExactlyInAnyOrder(kept, eur);
    }

    /** A bank's table: one currency, date and source, a row per quote, each a key of its own. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eachQuoteOfATableIsAKeyOfItsOwn(Database database) throws Exception {
        ObservationRepository repository = new ObservationRepository(database.open(), database.postgresql());
        Observation usd = new Observation("KZT", DAY, new BigDecimal("478.77"), "nbk", AT);
        Observation eur = new Observation("KZT", "EUR", DAY, new BigDecimal("548.62"), "nbk", AT);
        assertThat(repository.store(List.of(usd, eur))).extracting(Stored::outcome)
                .containsExactly(Outcome.INSERTED, Outcome.INSERTED);
        long first = repository.load().sequence();
        Observation eurAgain = new Observation("KZT", "EUR", DAY, new BigDecimal("550"), "nbk", AT);
        assertThat(repository.store(List.of(eurAgain))).extracting(Stored::outcome).containsExactly(Outcome.UPDATED);
        assertThat(repository.load().observations()).extracting(o -> o.quote() + " " + o.perUsd().toPlainString())
                .containsExactlyInAnyOrder("USD 478.77", "EUR 550");
        assertThat(repository.changes(first, Long.MAX_VALUE, Integer.MAX_VALUE)).singleElement()
                .satisfies(c -> assertThat(c.observation()).isEqualTo(eurAgain));
        assertThat(repository.valuesAt(first, List.of(eur.key()))).containsExactly(eur);

        assertThat(repository.delete(eur.key())).isPresent();
        assertThat(repository.load().observations()).containsExactly(usd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aWriteIsAllOrNothing(Database database) throws Exception {
        ObservationRepository repository = new ObservationRepository(database.open(), database.postgresql());
        repository.store(List.of(kgs("88.5", AT)));
        long before = repository.load().sequence();
        // The second item does not fit the schema (a source id longer than 32 characters): the first is not kept.
        Observation tooLong = new Observation("TJS", DAY, new BigDecimal("9.5"), "x".repeat(40), AT);
        assertThatThrownBy(() -> repository.store(List.of(kgs("90", AT), tooLong)))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).unavailable()).isFalse());
        assertThat(repository.load().observations()).singleElement()
                .satisfies(o -> assertThat(o.perUsd()).isEqualByComparingTo("88.5"));
        assertThat(repository.changes(before, Long.MAX_VALUE, Integer.MAX_VALUE)).isEmpty();
    }

    private static Observation kgs(String perUsd, Instant fetchedAt) {
        return new Observation("KGS", DAY, new BigDecimal(perUsd), "manual", fetchedAt);
    }

    private static Observation tjs(String perUsd) {
        return new Observation("TJS", DAY, new BigDecimal(perUsd), "manual", AT);
    }

    /** Every column of the two tables: its JDBC type, size, scale and nullability; plus the indexed columns. */
    private static Map<String, String> schema(DataSource dataSource) throws SQLException {
        Map<String, String> columns = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            for (String table : List.of("observation", "change_log")) {
                String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rs = meta.getColumns(null, null, name, null)) {
                    while (rs.next()) {
                        int type = rs.getInt("DATA_TYPE");
                        boolean sized = type == java.sql.Types.VARCHAR || type == java.sql.Types.NUMERIC;
                        // pgjdbc reports timestamptz as Types.TIMESTAMP; its type name says what it is
                        String described = rs.getString("TYPE_NAME").matches("(?i)timestamptz|timestamp with time zone")
                                ? "timestamp with time zone" : String.valueOf(type);
                        columns.put(table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                described + (sized ? "(" + rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS") + ")" : "")
                                        + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : ""));
                    }
                }
                List<String> indexed = new ArrayList<>();
                try (ResultSet rs = meta.getIndexInfo(null, null, name, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("COLUMN_NAME") != null) {
                            indexed.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + "@"
                                    + rs.getShort("ORDINAL_POSITION"));
                        }
                    }
                }
                columns.put(table + " indexes", indexed.stream().sorted().toList().toString());
            }
        }
        return columns;
    }
}
