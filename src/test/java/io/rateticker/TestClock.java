package io.rateticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The application's clock in tests: pinned at {@link #START}, moved only forward and only by tests that run in a
 * profile of their own.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestClock extends Clock {

    /** 30 hours after the bundled KGS rate's date: KGS is fresh (max age 36h), the other bundled rates are stale. */
    public static final Instant START = Instant.parse("2026-05-25T06:00:00Z");
    /** The latest asOf the admin API accepts at {@link #START}; tests write there so that their values are served. */
    public static final String LATEST_AS_OF = "2026-05-27";

    private volatile Instant now = START;

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }
}
