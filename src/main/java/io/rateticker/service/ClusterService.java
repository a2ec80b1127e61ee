package io.rateticker.service;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ChangeListener;
import io.rateticker.store.ObservationRepository;
import io.rateticker.store.StoreException;

/**
 * Keeps this replica in step with the others on a shared PostgreSQL store: applies every change another replica
 * commits (told by LISTEN/NOTIFY, and by a poll of the change log as a safety net), and makes exactly one replica
 * the fetcher, the holder of a PostgreSQL advisory lock. On H2 the store belongs to this process alone: it fetches,
 * and only the poll runs.
 */
@ApplicationScoped
public class ClusterService {

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final TickerConfig config;
    private final ObservationRepository repository;
    private final RateWriter writer;
    private final FetchScheduler fetch;
    private final MeterRegistry registry;
    private final String url;
    private final String user;
    private final String password;

    private volatile boolean fetcher;
    private volatile boolean running = true;
    private volatile ChangeListener listener;
    private Thread thread;

    ClusterService(TickerConfig config, ObservationRepository repository, RateWriter writer, FetchScheduler fetch,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.postgresql.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.postgresql.username") String user,
            @ConfigProperty(name = "quarkus.datasource.postgresql.password") Optional<String> password) {
        this.config = config;
        this.repository = repository;
        this.writer = writer;
        this.fetch = fetch;
        this.registry = registry;
        this.url = url;
        this.user = user;
        this.password = password.orElse("");
    }

    /** After the store is loaded and the fetch schedules exist. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 2000) StartupEvent event) {
        Gauge.builder("ticker.cluster.fetcher", () -> fetcher ? 1 : 0)
                .description("1 on the replica that runs the scheduled fetches").register(registry);
        Gauge.builder("ticker.cluster.sequence", writer, RateWriter::appliedSequence)
                .description("The last change sequence this replica has applied and published").register(registry);
        if (!repository.shared()) {
            elected();
            return;
        }
        thread = new Thread(this::listen, "ticker-cluster");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lets the fetcher lock go at once, so another replica takes over without waiting for a timeout. */
    void onStop(@Observes ShutdownEvent event) {
        running = false;
        ChangeListener current = listener;
        if (current != null) {
            current.close();
        }
    }

    @Scheduled(every = "${ticker.cluster.poll-interval}", delayed = "${ticker.cluster.poll-interval}",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        try {
            writer.catchUp();
        } catch (StoreException e) {
            Log.debugf("Change log poll failed: %s", e.getMessage());
        }
    }

    /** The listener loop: connect, catch up, then wait for notifications; on any failure reconnect with backoff. */
    private void listen() {
        Duration retry = FIRST_RETRY;
        boolean lost = false;
        while (running) {
            try (ChangeListener current = ChangeListener.open(url, user, password, slice())) {
                listener = current;
                retry = FIRST_RETRY;
                lost = false;
                // Whatever was committed while not listening: notifications are not queued for absent listeners.
                writer.catchUp();
                Log.infof("Listening for changes on %s from change %d", ObservationRepository.CHANNEL,
                        writer.appliedSequence());
                while (running) {
                    if (fetcher) {
                        current.check();
                    } else if (current.tryFetcherLock()) {
                        elected();
                    }
                    if (current.await(slice()) > 0) {
                        writer.catchUp();
                    }
                }
            } catch (SQLException | StoreException e) {
                if (running && !lost) {
                    Log.warnf("Lost the change listener's database connection (%s); reconnecting with backoff",
                            e.getMessage());
                } else {
                    Log.debugf("Reconnecting the change listener failed (%s); next try in %d ms", e.getMessage(),
                            retry.toMillis());
                }
                lost = true;
            } finally {
                listener = null;
                if (fetcher) {
                    fetcher = false;
                    fetch.standDown();
                    Log.info("No longer the fetcher: the fetcher lock went with the connection");
                }
            }
            sleep(retry);
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    /**
     * Half the poll interval: the listener makes a round trip at least this often and gives each one this long, so
     * that a connection that goes dark is found out within the poll interval (and the fetcher stands down), while
     * the server, hearing nothing for a whole poll interval, ends the session and lets the fetcher lock go.
     */
    private Duration slice() {
        return config.cluster().pollInterval().dividedBy(2);
    }

    private void elected() {
        fetcher = true;
        Log.info("This replica is the fetcher: it runs the scheduled source fetches");
        fetch.takeOver();
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
