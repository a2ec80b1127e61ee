package io.rateticker.source;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application with every bank served by {@link UpstreamStub}. */
public class UpstreamProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(UpstreamStub.class));
    }

    /**
     * The same banks in an application of its own, whose clock its tests move forward: each states its results
     * relative to the clock and to its own writes, so that they hold in any order ({@link FedDocumentsTest},
     * {@link NextDayRateTest}).
     */
    public static class MovingClock extends UpstreamProfile {
    }
}
