package io.vigil.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 quoting: a field in double quotes may hold commas, and
 * {@code ""} inside it is one quote). Fields are trimmed. Quoted fields spanning lines are not
 * supported: none of the layouts has them. A malformed line is a {@link DataFormatException} naming the
 * file and line.
 */
public final class CsvFields {

    private CsvFields() {}

    public static List<String> split(Path file, int lineNumber, String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                if (!field.toString().isBlank() || wasQuoted) {
                    throw new DataFormatException(file, lineNumber, "a quote in the middle of field "
                            + (fields.size() + 1) + " (quote the whole field)");
                }
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) {
                    throw new DataFormatException(file, lineNumber, "text after the closing quote of field "
                            + (fields.size() + 1));
                }
                field.append(c);
            }
        }
        if (quoted) {
            throw new DataFormatException(file, lineNumber, "unterminated quote in field " + (fields.size() + 1));
        }
        fields.add(field.toString().strip());
        return fields;
    }

    /** The line without a leading UTF-8 byte-order mark. */
    public static String withoutBom(String line) {
        return line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
