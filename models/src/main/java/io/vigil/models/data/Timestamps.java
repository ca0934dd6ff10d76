package io.vigil.models.data;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Timestamps as the CSV layouts write them, all read as UTC: {@code 2014-04-10 07:15:00},
 * {@code 2014-04-10 07:15:00.000000} (NAB's label windows), ISO-8601 with a {@code T} and optionally an
 * offset or {@code Z}, or epoch milliseconds (digits only). The replay producer accepts the same forms,
 * so a point and its label mean the same instant in both.
 */
public final class Timestamps {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {}

    /**
     * Epoch milliseconds of {@code text}.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static long parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("epoch milliseconds out of range: '" + text + "'");
            }
        }
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("'" + text + "' is not a timestamp (expected 'YYYY-MM-DD HH:MM:SS[.f]',"
                        + " ISO-8601, or epoch milliseconds)");
            }
        }
    }

    /** {@code millis} as {@code YYYY-MM-DDTHH:MM:SSZ}, for messages. */
    public static String format(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
