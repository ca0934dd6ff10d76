package io.vigil.replay.source;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * The timestamp spellings Vigil's data files use, read as epoch milliseconds: {@code YYYY-MM-DD
 * HH:MM:SS[.ffffff]} without a zone is UTC (NAB's data and labels), ISO-8601 with a {@code T} and
 * optionally a zone ({@code 2018-01-01T00:00:00Z}), or plain epoch milliseconds.
 */
public final class Timestamps {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /** Epoch milliseconds of {@code text}; an {@link IllegalArgumentException} names the text otherwise. */
    public static long parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unreadable timestamp '" + text + "'");
            }
        }
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException zoned) {
                throw new IllegalArgumentException("unreadable timestamp '" + text + "'");
            }
        }
    }
}
