package io.rateticker;

import java.math.BigDecimal;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;

/** Exact JSON numbers in tests: no float ever stands between the service's decimals and the assertion. */
public final class Numbers {

    private Numbers() {
    }

    /** RestAssured reads non-integer JSON numbers as {@code BigDecimal} rather than float. */
    public static RestAssuredConfig exact() {
        return RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** Matches a JSON number by value, whatever type the reader chose for it (1000, 1E+3 and 1000.0 are equal). */
    public static Matcher<Object> number(String expected) {
        BigDecimal value = new BigDecimal(expected);
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object actual) {
                return actual instanceof Number && new BigDecimal(actual.toString()).compareTo(value) == 0;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a number equal to " + expected);
            }
        };
    }
}
