package io.rateticker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.source.UpstreamProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The API examples of README and of the reference it links to ({@link #PAGES}, in that order: an admin write of one
 * is read back by a later one), sent as written to the service with the banks answering their real documents: every
 * answer has the status, the fields and (for problems) the very body that the page shows. An example abbreviated with
 * {@code ...} is checked up to the abbreviation; streams and examples that need files or other hosts are not sent.
 */
@QuarkusTest
@TestProfile(ReadmeTest.Profile.class)
class ReadmeTest {

    /** The banks of {@link UpstreamProfile}, in an application of its own: this test moves the clock. */
    public static class Profile extends UpstreamProfile {
    }

    /** README's examples are dated on this day (the admin API takes an asOf up to two days ahead of the clock). */
    private static final Instant README_DAY = Instant.parse("2026-11-27T06:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> PAGES = List.of("README.md", "docs/api.md", "docs/sources.md");

    @Inject
    TestClock clock;

    @Test
    void everyExampleAnswersAsReadmeShows() throws Exception {
        clock.advance(Duration.between(clock.instant(), README_DAY));
        List<String> checked = new ArrayList<>();
        for (String page : PAGES) {
            Matcher blocks = BLOCK.matcher(Files.readString(Path.of(page)));
            while (blocks.find()) {
                Example example = Example.parse(blocks.group(1));
                if (example != null) {
                    example.check();
                    checked.add(example.method + " " + example.url);
                }
            }
        }
        assertThat(checked).as("the examples checked").hasSizeGreaterThanOrEqualTo(9);
    }

    /** One {@code $ curl ...} command and the answer README shows for it. */
    private record Example(String method, String url, Map<String, String> headers, String body, boolean withHead,
            String shown) {

        /** The example in a code block, or null when the block is none or cannot be sent here. */
        static Example parse(String block) {
            if (!block.startsWith("$ curl ")) {
                return null;
            }
            List<String> lines = new ArrayList<>(List.of(block.split("\n")));
            StringBuilder command = new StringBuilder(lines.remove(0));
            while (command.toString().endsWith("\\")) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.remove(0).trim());
            }
            while (!lines.isEmpty() && !lines.get(0).startsWith("$ ")
                    && command.chars().filter(c -> c == '\'').count() % 2 == 1) {
                command.append('\n').append(lines.remove(0)); // a quoted body spread over lines
            }
            if (lines.stream().anyMatch(line -> line.startsWith("$ "))) {
                return null; // several commands: a walk-through, not one request
            }
            List<String> words = words(command.toString().replaceFirst("\\s{2,}#.*", ""));
            String method = "GET";
            String url = null;
            String body = null;
            boolean withHead = false;
            Map<String, String> headers = new LinkedHashMap<>();
            for (Iterator<String> it = words.subList(2, words.size()).iterator(); it.hasNext();) {
                String word = it.next();
                switch (word) {
                    case "-s" -> { }
                    case "-si", "-is", "-i" -> withHead = true;
                    case "-X" -> method = it.next();
                    case "-H" -> {
                        String[] header = it.next().split(":\\s*", 2);
                        headers.put(header[0], header[1].replace("dev-token", Admin.TOKEN));
                    }
                    case "-d" -> body = it.next();
                    default -> {
                        if (!word.startsWith("localhost:8080/")) {
                            return null; // -N (a stream), -o, @file, another host
                        }
                        url = word.substring("localhost:8080".length());
                    }
                }
            }
            return url == null ? null : new Example(method, url, headers, body, withHead, String.join("\n", lines));
        }

        void check() throws Exception {
            RequestSpecification request = given().headers(headers).urlEncodingEnabled(false);
            if (body != null) {
                request.body(body);
            }
            Response response = request.request(method, url);
            String what = method + " " + url + " answered " + response.statusCode() + " " + response.asString();
            String shownBody = shown;
            int status = 200;
            if (withHead) {
                status = Integer.parseInt(shown.lines().findFirst().orElseThrow().split(" ")[1]);
                shownBody = shown.substring(shown.indexOf("\n\n") + 2);
                for (String header : shown.substring(0, shown.indexOf("\n\n")).lines().skip(1).toList()) {
                    String[] pair = header.split(":\\s*", 2);
                    assertThat(response.header(pair[0])).as(what + ": header " + pair[0]).isEqualTo(pair[1]);
                }
            }
            assertThat(response.statusCode()).as(what).isEqualTo(status);
            String type = String.valueOf(response.contentType());
            if (type.startsWith("text/csv")) {
                // the header README shows, and rows of as many fields (README's rows hold no quoted commas)
                List<String> shownLines = shownBody.lines().toList();
                List<String> answered = response.asString().lines().toList();
                assertThat(answered.get(0)).as(what + ": the CSV header").isEqualTo(shownLines.get(0));
                int columns = shownLines.get(0).split(",", -1).length;
                assertThat(answered.subList(1, answered.size())).as(what + ": rows").isNotEmpty()
                        .allMatch(row -> row.split(",", -1).length == columns);
                assertThat(shownLines).as("README's rows").allMatch(row -> row.split(",", -1).length == columns);
                return;
            }
            if (type.startsWith("application/x-ndjson")) {
                Set<String> shownFields = fields(JSON.readTree(shownBody.lines().findFirst().orElseThrow()), "",
                        new TreeSet<>());
                List<String> answered = response.asString().lines().toList();
                assertThat(answered).as(what + ": lines").isNotEmpty();
                for (String line : answered) {
                    assertThat(fields(JSON.readTree(line), "", new TreeSet<>())).as(what + ": the fields README shows")
                            .isEqualTo(shownFields);
                }
                return;
            }
            JsonNode expected = JSON.readTree(shownBody.replace(",...]", "]").replace(", ...]", "]")
                    .replace("[...]", "[]"));
            JsonNode actual = JSON.readTree(response.asString());
            if (status >= 400) {
                assertThat(actual).as(what).isEqualTo(expected);
                return;
            }
            Set<String> abbreviated = new TreeSet<>();
            Set<String> shownFields = fields(expected, "", abbreviated);
            Set<String> answeredFields = fields(actual, "", new TreeSet<>());
            answeredFields.removeIf(field -> abbreviated.stream().anyMatch(field::startsWith));
            assertThat(answeredFields).as(what + ": the fields README shows").isEqualTo(shownFields);
        }

        /** Every field's path ({@code rates[].pair}); arrays README shows empty are abbreviated, not empty. */
        private static Set<String> fields(JsonNode node, String path, Set<String> abbreviated) {
            Set<String> fields = new TreeSet<>();
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(name -> {
                    String field = path.isEmpty() ? name : path + "." + name;
                    fields.add(field);
                    fields.addAll(fields(node.get(name), field, abbreviated));
                });
            } else if (node.isArray()) {
                if (node.isEmpty()) {
                    abbreviated.add(path + "[]");
                }
                node.forEach(element -> fields.addAll(fields(element, path + "[]", abbreviated)));
            }
            return fields;
        }

        /** The words of a shell command: whitespace separates, single and double quotes group. */
        private static List<String> words(String command) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            char quote = 0;
            boolean inWord = false;
            for (char c : command.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
