package io.rateticker.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Currency codes in requests: checked against the tracked ones, case-insensitive. */
public final class Symbols {

    private static final Pattern CODE = Pattern.compile("[A-Za-z]{3}");
    private static final int MAX_SHOWN = 40;

    private Symbols() {
    }

    /**
     * The tracked currencies a {@code symbols} parameter selects, in configured order; all of them when it is absent
     * or blank. An unknown or untracked code is a 400 naming it and the tracked codes.
     */
    public static List<String> select(String symbols, List<String> tracked) {
        if (symbols == null || symbols.isBlank()) {
            return tracked;
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String part : symbols.split(",", -1)) {
            String code = part.trim().toUpperCase(Locale.ROOT);
            if (code.isEmpty()) {
                continue;
            }
            if (tracked.contains(code)) {
                wanted.add(code);
            } else {
                unknown.add(code);
            }
        }
        if (!unknown.isEmpty()) {
            throw new RequestException(400, "symbols: " + describe(unknown) + " not tracked; tracked currencies are "
                    + String.join(",", tracked));
        }
        if (wanted.isEmpty()) {
            return tracked;
        }
        return tracked.stream().filter(wanted::contains).toList();
    }

    /** A tracked currency code from a path or parameter: malformed → 400, not tracked → 404. */
    public static String tracked(String code, List<String> tracked, String what) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new RequestException(400, what + ": '" + shorten(code) + "' is not a three-letter currency code");
        }
        String upper = code.toUpperCase(Locale.ROOT);
        if (!tracked.contains(upper)) {
            throw new RequestException(404, what + ": " + upper + " is not tracked; tracked currencies are "
                    + String.join(",", tracked));
        }
        return upper;
    }

    private static String describe(List<String> unknown) {
        List<String> shown = unknown.stream().distinct().limit(MAX_SHOWN).map(Symbols::shorten).toList();
        String list = String.join(",", shown) + (unknown.stream().distinct().count() > MAX_SHOWN ? ",..." : "");
        return (shown.size() == 1 ? "'" + list + "' is" : "'" + list + "' are");
    }

    /** Echoes user input in an error detail without letting a huge value flood the answer. */
    public static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
