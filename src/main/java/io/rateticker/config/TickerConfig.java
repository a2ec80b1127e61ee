package io.rateticker.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every {@code ticker.*} setting. Each key can be overridden by its environment variable
 * ({@code ticker.stream.max-clients} → {@code TICKER_STREAM_MAX_CLIENTS}).
 */
@ConfigMapping(prefix = "ticker")
public interface TickerConfig {

    /** Tracked currencies (ISO 4217 codes, quoted against USD), in the order the API lists them. */
    @WithDefault("KGS,KZT,TJS,UZS,TMT")
    @NotEmpty
    List<@Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter upper-case ISO 4217 code") String> currencies();

    Sources sources();

    Freshness freshness();

    Http http();

    Stream stream();

    Admin admin();

    interface Sources {
        /**
         * Source ids from most to least preferred. For each currency and date the served value comes from
         * the first source in this list that has one; sources not listed rank after all listed ones.
         */
        @WithDefault("manual,bundled")
        List<String> preference();
    }

    interface Freshness {
        /** A rate is stale when it was received from its source longer ago than this. */
        @WithDefault("36h")
        Duration maxAge();
    }

    interface Http {
        /** {@code Cache-Control: public, max-age} of the rates JSON. */
        @WithDefault("30s")
        Duration maxAge();
    }

    interface Stream {
        /** The {@code retry:} (milliseconds) sent first on every stream: how long a browser waits before reconnecting. */
        @WithDefault("5000")
        @Min(0)
        long retry();

        /** How often an idle stream gets a {@code : keep-alive} comment, so proxies do not time it out. */
        @WithDefault("15s")
        Duration heartbeat();

        /** How many past {@code rate} events are kept for clients that resume with {@code Last-Event-ID}. */
        @WithDefault("1000")
        @Min(0)
        int replaySize();

        /** Open streams above this number are refused with 503 and {@code Retry-After}. */
        @WithDefault("20000")
        @Min(1)
        int maxClients();

        /** Bytes a client may have waiting to be sent; a client that lets more pile up is disconnected. */
        @WithDefault("65536")
        @Min(1024)
        @Max(16777216)
        int queueBytes();
    }

    interface Admin {
        /** Bearer token of the admin (write) API; without one the admin API answers 403. */
        Optional<String> token();
    }
}
