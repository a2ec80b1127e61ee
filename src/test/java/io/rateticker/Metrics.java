package io.rateticker;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the Prometheus text exposition at {@code /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().header("Accept", "text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the sample {@code name} whose labels include all of {@code labels} (as {@code key="value"}
     * strings), or null when there is none.
     */
    public static Double value(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(scrape);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.valueOf(m.group(2));
            }
        }
        return null;
    }
}
