package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Not a {@code @QuarkusTest}: README and the pages of docs/ link to each other, to their images and to sections by
 * anchor; a page moved or a heading renamed must not leave a reader at a dead link.
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)|<img src=\"([^\"]+)\"");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    @Test
    void everyRelativeLinkOfTheDocsLeadsSomewhere() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> dead = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(withoutCode(Files.readString(page)));
            while (m.find()) {
                String link = m.group(1) != null ? m.group(1) : m.group(2);
                if (link.matches("^[a-z]+:.*")) {
                    continue; // another site: not ours to check here
                }
                links++;
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                Path target = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(target)) {
                    dead.add(page + ": " + link + " (no file " + target + ")");
                } else if (hash >= 0 && target.toString().endsWith(".md")
                        && !anchors(target).contains(link.substring(hash + 1))) {
                    dead.add(page + ": " + link + " (no such heading in " + target + ")");
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(20);
        assertThat(dead).as("dead links").isEmpty();
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : withoutCode(Files.readString(page)).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String anchor = heading.group(1).trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
                int n = seen.merge(anchor, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? anchor : anchor + "-" + n);
            }
        }
        return anchors;
    }

    /** The page without its fenced code blocks, where a '#' or a '](' is code, not Markdown. */
    private static String withoutCode(String page) {
        return page.replaceAll("(?s)```.*?```", "");
    }
}
