package io.vigil.replay.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them on a command line: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 2h},
 * {@code 3d} (a number with a unit, decimals allowed), or ISO-8601 ({@code PT1M}, {@code P1D}). A bare
 * number is refused: whether it meant seconds or minutes is exactly the mistake to avoid.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            return Duration.ofMillis(Math.round(amount * unitMillis));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 90s, 5m, 2h, 3d or PT1M)");
        }
    }
}
