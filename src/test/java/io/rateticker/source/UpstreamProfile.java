package io.rateticker.source;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application with every bank served by {@link UpstreamStub}. */
public class UpstreamProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(UpstreamStub.class));
    }
}
