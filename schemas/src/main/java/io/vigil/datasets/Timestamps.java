package io.vigil.datasets;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * The timestamp spellings of the data sets Vigil reads (NAB's series and label windows, plain CSV,
 * label files), as epoch milliseconds: {@code YYYY-MM-DD HH:MM:SS[.ffffff]} without a zone is UTC,
 * ISO-8601 with a {@code T} and optionally a zone ({@code 2018-01-01T00:00:00Z}), or plain epoch
 * milliseconds. One parser for the trainer and the replay producer, so a point and its label mean the
 * same instant in both.
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
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static long parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw unreadable(text);
            }
        }
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException zoned) {
                throw unreadable(text);
            }
        }
    }

    /** {@code millis} as ISO-8601 in UTC, for messages. */
    public static String format(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static IllegalArgumentException unreadable(String text) {
        return new IllegalArgumentException("unreadable timestamp '" + text + "' (expected 'YYYY-MM-DD HH:MM:SS[.f]',"
                + " ISO-8601 or epoch milliseconds)");
    }
}
