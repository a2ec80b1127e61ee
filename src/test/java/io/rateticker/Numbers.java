package io.rateticker;

import java.math.BigDecimal;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matches a JSON number by value, whatever type the JSON reader chose for it (1000, 1E+3 and 1000.0 are equal). */
public final class Numbers {

    private Numbers() {
    }

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
