package io.vigil.bridge.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.avro.TelemetryPoint;
import io.vigil.datasets.Timestamps;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ingest request body, {@code {"points":[{"channel":"...","time":...,"value":1.0},...]}},
 * into telemetry points, all or nothing: either every row is a point, or the batch is refused with one
 * error per refused row and nothing is written.
 *
 * <ul>
 *   <li>{@code channel}: a non-empty string (the record key; the scorer's own id bounds apply to it);</li>
 *   <li>{@code time}: epoch milliseconds as an integer, or a string in one of the spellings the data sets
 *       use (ISO-8601 with or without a zone, UTC when without; epoch milliseconds);</li>
 *   <li>{@code value}: a finite number;</li>
 *   <li>{@code source}: optional free text, {@code http} when absent;</li>
 *   <li>{@code inputs}: optional, an array of finite numbers: the input features the channel's model
 *       takes beside the value, in its release's order ({@code TelemetryPoint.inputs}); none when
 *       absent, null or an empty object (what clients sent before points carried inputs).</li>
 * </ul>
 */
public final class PointBatch {

    /** What {@code TelemetryPoint.source} says when a row names none. */
    public static final String DEFAULT_SOURCE = "http";

    // Duplicate keys would make a row mean two things; a number too large for a double is refused as
    // non-finite below rather than read as infinity without a word.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** What a body comes to. */
    public sealed interface Parsed permits Malformed, Refused, Accepted {}

    /** Not a batch at all (not JSON, no {@code points} array, an empty one): 400. */
    public record Malformed(String reason) implements Parsed {}

    /** A batch of {@code rows} points with refused ones: 422, nothing written. */
    public record Refused(int rows, List<RowError> errors) implements Parsed {
        public Refused {
            errors = List.copyOf(errors);
        }
    }

    /** Every row a point. */
    public record Accepted(List<TelemetryPoint> points) implements Parsed {
        public Accepted {
            points = List.copyOf(points);
        }
    }

    private PointBatch() {}

    public static Parsed parse(byte[] body, int maxPoints) {
        JsonNode root;
        try {
            // From the bytes, so that a body that is not UTF-8 is refused, not read with replacement characters.
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Where, never what: Jackson's message quotes the body.
            return new Malformed("not JSON: a syntax error" + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            return new Malformed("not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Malformed("the body must be a JSON object {\"points\":[...]}");
        }
        JsonNode rows = root.get("points");
        if (rows == null || !rows.isArray()) {
            return new Malformed("the body needs a \"points\" array");
        }
        if (rows.isEmpty()) {
            return new Malformed("empty batch: \"points\" holds no point");
        }
        List<RowError> errors = new ArrayList<>();
        List<TelemetryPoint> points = new ArrayList<>(rows.size());
        if (rows.size() > maxPoints) {
            errors.add(new RowError(maxPoints, "points", "too many points: " + rows.size() + " rows, at most " + maxPoints
                    + " per request"));
        }
        for (int i = 0; i < Math.min(rows.size(), maxPoints); i++) {
            TelemetryPoint point = point(i, rows.get(i), errors);
            if (point != null) {
                points.add(point);
            }
        }
        return errors.isEmpty() ? new Accepted(points) : new Refused(rows.size(), errors);
    }

    /** The row as a point, or null with its errors added. */
    private static TelemetryPoint point(int row, JsonNode node, List<RowError> errors) {
        if (!node.isObject()) {
            errors.add(new RowError(row, "point", "a point must be a JSON object"));
            return null;
        }
        int before = errors.size();
        JsonNode channel = node.get("channel");
        if (channel == null || channel.isNull()) {
            errors.add(new RowError(row, "channel", "missing channel"));
        } else if (!channel.isTextual() || channel.textValue().isEmpty()) {
            errors.add(new RowError(row, "channel", "channel must be a non-empty string"));
        }
        Long time = time(row, node.get("time"), errors);
        JsonNode value = node.get("value");
        if (value == null || value.isNull()) {
            errors.add(new RowError(row, "value", "missing value"));
        } else if (!value.isNumber()) {
            errors.add(new RowError(row, "value", "value must be a number"));
        } else if (!Double.isFinite(value.doubleValue())) {
            errors.add(new RowError(row, "value", "non-finite value: " + value.asText()));
        }
        JsonNode source = node.get("source");
        if (source != null && !source.isNull() && !source.isTextual()) {
            errors.add(new RowError(row, "source", "source must be a string"));
        }
        List<Double> inputs = inputs(row, node.get("inputs"), errors);
        if (errors.size() > before) {
            return null;
        }
        String from = source == null || source.isNull() ? DEFAULT_SOURCE : source.textValue();
        return new TelemetryPoint(channel.textValue(), from, Instant.ofEpochMilli(time), value.doubleValue(), inputs);
    }

    private static List<Double> inputs(int row, JsonNode inputs, List<RowError> errors) {
        if (inputs == null || inputs.isNull() || inputs.isObject() && inputs.isEmpty()) {
            return List.of();
        }
        if (!inputs.isArray()) {
            errors.add(new RowError(row, "inputs", "inputs must be an array of numbers"));
            return List.of();
        }
        List<Double> out = new ArrayList<>(inputs.size());
        for (int k = 0; k < inputs.size(); k++) {
            JsonNode v = inputs.get(k);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                errors.add(new RowError(row, "inputs", "input " + k + " must be a finite number"));
                return List.of();
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    private static Long time(int row, JsonNode time, List<RowError> errors) {
        if (time == null || time.isNull()) {
            errors.add(new RowError(row, "time", "missing time"));
            return null;
        }
        if (time.isIntegralNumber() && time.canConvertToLong()) {
            return time.longValue();
        }
        if (time.isTextual()) {
            try {
                return Timestamps.parse(time.textValue());
            } catch (IllegalArgumentException e) {
                errors.add(new RowError(row, "time", "bad time: " + e.getMessage()));
                return null;
            }
        }
        errors.add(new RowError(row, "time", "bad time: epoch milliseconds as an integer, or an ISO-8601 string"));
        return null;
    }
}
