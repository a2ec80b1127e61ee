package io.rateticker.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Every {@code ticker.*} setting. Each key can be overridden by its environment variable
 * ({@code ticker.stream.max-clients} → {@code TICKER_STREAM_MAX_CLIENTS}). The ranges stated here are checked at
 * start by {@link ConfigChecks}.
 */
@ConfigMapping(prefix = "ticker")
public interface TickerConfig {

    /** Tracked currencies (at least one; three-letter upper-case ISO 4217 codes, quoted against USD), in API order. */
    @WithDefault("KGS,KZT,TJS,UZS,TMT")
    List<String> currencies();

    /**
     * Which rows of each bank's table are kept besides its dollar rate (three-letter codes): the bank's own currency
     * per unit of each, served against that currency as a base ({@code ?base=KZT}: {@code EUR/KZT}). The tracked
     * currencies are always kept too.
     */
    @WithDefault("USD,EUR,RUB,CNY")
    List<String> quotes();

    Sources sources();

    Freshness freshness();

    Http http();

    Stream stream();

    Admin admin();

    Guard guard();

    Cluster cluster();

    Store store();

    interface Sources {
        /**
         * Source ids from most to least preferred. For each currency and date the served value comes from
         * the first source in this list that has one; sources not listed rank after all listed ones. The issuing
         * bank comes first, the Bank of Russia's cross rates only where its value for a date is missing.
         */
        @WithDefault("manual,nbkr,nbk,cbu,nbt,cbt,cbr,bundled")
        List<String> preference();

        /** Per-currency override of {@link #preference()}: {@code ticker.sources.currency-preference.TMT=manual,cbt}. */
        Map<String, List<String>> currencyPreference();

        /**
         * At start (and whenever this replica takes over fetching), the publication days among this many last days
         * (0 to 3650) for which a source that takes a date has given nothing are fetched from it, in the background,
         * newest first. Per source: {@code ticker.sources.<id>.backfill-days}.
         */
        @WithDefault("10")
        int backfillDays();

        /** Requests per second (above 0, at most 1000) a backfill sends to one bank at most. */
        @WithDefault("1")
        double backfillRate();

        /**
         * The earliest effective date taken from a bank's document (fetched or fed): anything before is a broken or
         * hostile date. The latest is two days after today in the bank's own time zone.
         */
        @WithDefault("1992-01-01")
        LocalDate earliest();

        /** How long to wait for a connection to a bank. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * How long a whole request to a bank may take, from sending it to the last byte of the document: a bank that
         * drips its answer is cut off at this point however steadily it sends.
         */
        @WithDefault("20s")
        Duration readTimeout();

        /**
         * The largest document (after decompression) taken from a bank, 1 KiB to 64 MiB; the connection is closed as
         * soon as more arrives. The banks' documents are 30 KB at most.
         */
        @WithDefault("1048576")
        int maxDocumentBytes();

        /** Retries (0 or more) of a failed request (connection failure, timeout, 5xx), with exponential backoff. */
        @WithDefault("2")
        int retries();

        /** First retry delay; each next one doubles. */
        @WithDefault("1s")
        Duration retryDelay();

        /** How long an open circuit breaker (after 3 of the last 4 requests to a bank failed) waits before a trial. */
        @WithDefault("30s")
        Duration breakerDelay();

        /** Sent with every request; some banks refuse clients that do not look like a browser. */
        @WithDefault("Mozilla/5.0 (compatible; rate-ticker/1.0)")
        String userAgent();

        /**
         * Per source: {@code ticker.sources.<id>.url}, {@code .schedule}, {@code .enabled}, {@code .holidays} and
         * {@code .backfill-days}.
         */
        @WithParentName
        Map<String, Source> source();
    }

    interface Source {
        /** Base URL; default: the bank's own. */
        Optional<String> url();

        /** Cron (second minute hour day month weekday) in the bank's time zone, or {@code off}; default per bank. */
        Optional<String> schedule();

        /** Whether the source is fetched at all; default true (false for {@code simulated}). */
        Optional<Boolean> enabled();

        /**
         * Dates (in the bank's calendar) on which the bank publishes no rate of its own, besides its weekly days off:
         * a rate is not stale for missing them. None by default.
         */
        Optional<List<LocalDate>> holidays();

        /** This source's {@code ticker.sources.backfill-days} (0 to 3650). */
        Optional<Integer> backfillDays();
    }

    interface Guard {
        /** An automatic value moving more than this from its reference is held back unless confirmed. */
        @WithDefault("15")
        BigDecimal maxChangePercent();

        /**
         * The reference of a new value is the latest earlier publication of the currency by any bank at most this
         * much older (whole days, at least 1); without one only the bands apply.
         */
        @WithDefault("10d")
        Duration referenceMaxAge();

        /**
         * A second source within this of a held-back value for the same date confirms it, as does the same source's
         * next publication within this of a value held back for a jump.
         */
        @WithDefault("1")
        BigDecimal confirmPercent();

        /** Sources further apart than this for the same currency and date are flagged in /api/v1/sources. */
        @WithDefault("2")
        BigDecimal divergencePercent();

        /** Optional per-currency plausible range of perUsd: {@code ticker.guard.bands.TMT.min=3.3}, {@code .max=3.7}. */
        Map<String, Band> bands();
    }

    interface Band {
        BigDecimal min();

        BigDecimal max();
    }

    interface Freshness {
        /**
         * A bank's rate is stale once the rate of a later publication day is overdue by its calendar
         * (docs/sources.md) by more than this: the bank, or the service, has missed a publication.
         */
        @WithDefault("6h")
        Duration grace();

        /**
         * Rates of sources without a publication calendar ({@code manual}, {@code simulated}) are stale when they
         * were received longer ago than this. Bundled rates are always stale.
         */
        @WithDefault("36h")
        Duration maxAge();
    }

    interface Http {
        /** {@code Cache-Control: public, max-age} of the rates JSON. */
        @WithDefault("30s")
        Duration maxAge();

        /**
         * Proxies (IP addresses or CIDR ranges) whose {@code X-Forwarded-For} (or {@code Forwarded}) is believed:
         * behind them the client is the right-most address that is not one of them. None by default: the TCP peer
         * is the client.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Stream {
        /** The {@code retry:} (ms, 0 or more) sent first on every stream: how long a browser waits to reconnect. */
        @WithDefault("5000")
        long retry();

        /**
         * How often every stream gets a {@code ping} event (and one as it opens, saying this interval), so that
         * proxies do not time it out and clients can tell a quiet stream from a dead one.
         */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * How many past {@code rate} events (0 or more), those against every base, are kept for clients that resume
         * with {@code Last-Event-ID}.
         */
        @WithDefault("1000")
        int replaySize();

        /**
         * Bytes (0 to 1073741824) of rebuilt resumes kept for clients that come back with the same old id (readers of
         * a replica that went away come back at once, mostly with the same id).
         */
        @WithDefault("8388608")
        int resumeCacheBytes();

        /**
         * Resumes from an id the replay buffer no longer holds (rebuilt from the change log) one client address may
         * ask for in a minute (at least 1); beyond, 429 with {@code Retry-After}. Resumes already rebuilt do not count.
         */
        @WithDefault("60")
        int maxRebuildsPerMinute();

        /** Open streams above this number (at least 1) are refused with 503 and {@code Retry-After}. */
        @WithDefault("20000")
        int maxClients();

        /** Open streams from one client address above this number (at least 1) are refused with 429. */
        @WithDefault("20")
        int maxClientsPerAddress();

        /** Bytes (1024 to 16777216) a client may have waiting to be sent; one that lets more pile up is disconnected. */
        @WithDefault("65536")
        int queueBytes();
    }

    interface Admin {
        /** Bearer token of the admin (write) API; without it (or a token file) the admin API answers 403. */
        Optional<String> token();

        /** A file of further valid tokens, one per line, read at each admin request: rotation without a restart. */
        Optional<Path> tokenFile();

        /** Wrong tokens one client address may send in a minute (at least 1); then it gets 429 until the minute ends. */
        @WithDefault("10")
        int maxFailuresPerMinute();
    }

    interface Cluster {
        /**
         * How often every replica reads the change log for changes it has not applied, whatever notifications it
         * got (a safety net), and how often a replica that does not fetch tries to take over fetching. Also the
         * bound of a PostgreSQL connection gone dark: the listener finds it out within this (at least 4 s; the
         * fetcher stands down), the server ends that session within this (at least 10 s) of its last round trip
         * (the fetcher lock is free), and another replica takes the lock within half of it more.
         */
        @WithDefault("30s")
        Duration pollInterval();
    }

    interface Store {
        /**
         * How often a write nobody reads checks that the store takes writes, so that an outage shows (the well check
         * {@code store}, {@code ticker_store_up}), and its end clears, even while nothing else is written.
         */
        @WithDefault("10s")
        Duration probeInterval();
    }
}
