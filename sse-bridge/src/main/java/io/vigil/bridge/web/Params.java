package io.vigil.bridge.web;

import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates query parameters, so nothing a user sends reaches the bridge unchecked: only
 * known parameter names, list values either repeated ({@code ?channel=a&channel=b}) or comma-separated
 * ({@code ?channel=a,b}), at most {@code maxValues} per parameter, each at most {@code maxLength}
 * characters and free of control characters.
 */
final class Params {

    private static final int SHOWN_NAME_LENGTH = 40;

    private final Map<String, Deque<String>> query;
    private final int maxValues;
    private final int maxLength;

    Params(Map<String, Deque<String>> query, Collection<String> allowed, int maxValues, int maxLength)
            throws BadRequest {
        this.query = query;
        this.maxValues = maxValues;
        this.maxLength = maxLength;
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw new BadRequest("unknown parameter '" + shorten(name) + "'; allowed: " + String.join(", ", allowed));
            }
        }
    }

    /**
     * Every value of a list parameter, in order, without duplicates; empty if absent. Values are cut out
     * of the raw text only once their bounds are checked, so a parameter of a million commas or one
     * endless value costs a scan, not an array of a million parts or a copy of the value.
     */
    Set<String> list(String name) throws BadRequest {
        Set<String> values = new LinkedHashSet<>();
        Deque<String> given = query.get(name);
        for (String raw : given == null ? List.<String>of() : given) {
            int start = 0;
            while (start <= raw.length()) {
                int comma = raw.indexOf(',', start);
                int end = comma < 0 ? raw.length() : comma;
                int from = start;
                int to = end;
                while (from < to && Character.isWhitespace(raw.charAt(from))) {
                    from++;
                }
                while (to > from && Character.isWhitespace(raw.charAt(to - 1))) {
                    to--;
                }
                if (to > from) {
                    if (to - from > maxLength) {
                        throw tooLong(name);
                    }
                    String value = raw.substring(from, to);
                    check(name, value);
                    values.add(value);
                    if (values.size() > maxValues) {
                        throw new BadRequest("too many values for '" + name + "': at most " + maxValues);
                    }
                }
                start = end + 1;
            }
        }
        return values;
    }

    /** A single-valued parameter, or null if absent. */
    String single(String name) throws BadRequest {
        Deque<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadRequest("'" + name + "' may be given once");
        }
        String value = values.getFirst().trim();
        if (value.isEmpty()) {
            throw new BadRequest("'" + name + "' must not be empty");
        }
        return value;
    }

    /** A validated single value (length and characters checked). */
    String text(String name) throws BadRequest {
        String value = single(name);
        if (value != null) {
            check(name, value);
        }
        return value;
    }

    int integer(String name, int defaultValue, int min, int max) throws BadRequest {
        String value = single(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new BadRequest("'" + name + "' must be " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + name + "' must be a whole number");
        }
    }

    private void check(String name, String value) throws BadRequest {
        if (value.length() > maxLength) {
            throw tooLong(name);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new BadRequest("a value of '" + name + "' contains a control character");
            }
        }
    }

    private BadRequest tooLong(String name) {
        return new BadRequest("a value of '" + name + "' is longer than " + maxLength + " characters");
    }

    /** A name fit to quote in a message: printable, and short whatever was sent. */
    private static String shorten(String s) {
        int keep = Math.min(s.length(), SHOWN_NAME_LENGTH);
        if (keep > 0 && keep < s.length() && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--; // half a character would not survive encoding
        }
        String printable = s.substring(0, keep).replaceAll("\\p{Cntrl}", "?");
        return keep < s.length() ? printable + "..." : printable;
    }
}
