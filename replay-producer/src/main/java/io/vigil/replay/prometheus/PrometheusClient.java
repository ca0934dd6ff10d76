package io.vigil.replay.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' HTTP query API, the range query only ({@code GET /api/v1/query_range}): what the server
 * answered, or an {@link IOException} that says what it refused and why (its own {@code error}).
 */
public final class PrometheusClient implements RangeQueries {

    /** One series of a range query: its labels, and its samples in time order. */
    public record Samples(Map<String, String> metric, long[] times, double[] values) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public PrometheusClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    @Override
    public List<Samples> queryRange(String query, long start, long end, long step) throws IOException {
        URI uri = base.resolve("api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + seconds(step));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying Prometheus", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("Prometheus at " + base + " answered " + response.statusCode() + " with no JSON", e);
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus refused '" + query + "' (" + response.statusCode() + " "
                    + body.path("errorType").asText() + "): " + body.path("error").asText());
        }
        List<Samples> out = new ArrayList<>();
        for (JsonNode series : body.path("data").path("result")) {
            Map<String, String> metric = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                metric.put(label.getKey(), label.getValue().asText());
            }
            JsonNode values = series.path("values");
            long[] times = new long[values.size()];
            double[] v = new double[values.size()];
            for (int i = 0; i < values.size(); i++) {
                times[i] = Math.round(values.get(i).get(0).asDouble() * 1000);
                v[i] = value(values.get(i).get(1).asText());
            }
            out.add(new Samples(metric, times, v));
        }
        return out;
    }

    /** Prometheus writes sample values as text, infinities as {@code +Inf} and {@code -Inf}. */
    static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }
}
