package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.testing.ClientInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random requests, byte for byte, to the real handlers of a running bridge (without and with a bearer
 * token): methods, routes, query strings (percent-encoded or raw), resume ids, tokens and other
 * headers. Every answer is a success or a 4xx that says why; never a 5xx.
 *
 * <p>The one 4xx without a reason is Undertow's own bare 400 for what is not well-formed HTTP (a broken
 * percent-escape, headers beyond {@code bridge.http.max.header.bytes}): it never reaches a handler.
 */
class HttpRequestPropertyTest {

    static final String TOKEN = "s3cret-token-of-enough-length";
    /** Keep-alives at every tick, so streams whose client reset the socket close at once. */
    private static final HubSettings HUB = new HubSettings(100, 1000, Duration.ofMillis(1), Duration.ofSeconds(60), 100_000);
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection", "host",
            "expect", "upgrade", "te", "trailer");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServer open;
    private static TestServer guarded;

    @BeforeContainer
    static void start() {
        open = new TestServer(HUB, WebSettings.local(0));
        guarded = new TestServer(HUB, new WebSettings("127.0.0.1", 0, TOKEN, Set.of("https://ops.example"), 100, 200));
        for (TestServer t : List.of(open, guarded)) {
            t.health.set(new Health("ready", true, java.util.Map.of())); // "starting" is a 503 by design
            t.publish(t.events.score(0, "A", "{\"n\":1}"), t.events.score(1, "B", "{\"n\":2}"));
        }
    }

    @AfterContainer
    static void stop() {
        open.close();
        guarded.close();
    }

    /** A request as sent: method, target bytes, and headers as name and value bytes. */
    record Request(String method, byte[] target, List<byte[][]> headers) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(method).append(' ').append(shown(target));
            for (byte[][] h : headers) {
                s.append(" | ").append(shown(h[0])).append(": ").append(shown(h[1]));
            }
            return s.toString();
        }

        private static String shown(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + ")" : text;
        }
    }

    @Property(tries = 1000)
    void anyRequestToTheOpenBridgeIsASuccessOrA4xxWithAReason(@ForAll("requests") Request request) throws Exception {
        answer(open, request);
    }

    @Property(tries = 1000)
    void anyRequestToABridgeWithATokenIsASuccessOrA4xxWithAReason(@ForAll("requests") Request request) throws Exception {
        RawHttp.Response response = answer(guarded, request);
        String target = new String(request.target(), StandardCharsets.ISO_8859_1);
        boolean dataRoute = target.startsWith("/events?") || target.equals("/events") || target.startsWith("/api/")
                || target.startsWith("/metrics");
        boolean tokenSent = request.toString().contains(TOKEN);
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        if (read && dataRoute && !tokenSent && response.status() != 400 && response.status() != 404) {
            assertEquals(401, response.status(), "a data route without the token");
        }
    }

    private static RawHttp.Response answer(TestServer t, Request request) throws Exception {
        RawHttp.Response response = RawHttp.send(t.server.port(), request.method(), request.target(), request.headers());
        try {
            int status = response.status();
            assertTrue(status >= 200 && status < 500, "status " + status + ": " + response.body());
            // A HEAD answer has the status and headers of the GET, but never a body to hold the reason.
            if (status >= 400 && status != 404 && !request.method().equals("HEAD")) {
                if (response.header("Content-Type").equals("application/json")) {
                    JsonNode error = JSON.readTree(response.body()).get("error");
                    assertFalse(error == null || error.textValue().isBlank(), "no reason in " + response.body());
                } else {
                    assertEquals(400, status, "only Undertow's refusal of malformed HTTP comes without a reason");
                    assertEquals("", response.body());
                }
            }
            return response;
        } finally {
            t.kafkaResumes.clear();
            t.hub.tick();
        }
    }

    @Provide
    static Arbitrary<Request> requests() {
        Arbitrary<String> methods = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("GET")),
                Tuple.of(3, Arbitraries.just("HEAD")), Tuple.of(1, Arbitraries.of("OPTIONS", "POST", "PUT", "DELETE",
                        "get", "PATCH", "G3T", "TRACE")));
        Arbitrary<String> paths = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("/events")),
                Tuple.of(5, Arbitraries.of("/api/channels", "/api/nodes", "/api/anomalies", "/api/labels", "/api/history")),
                Tuple.of(2, Arbitraries.of("/metrics", "/health", "/", "/dashboard.js",
                        "/webjars/uplot/dist/uPlot.iife.min.js", "/nope", "/events/", "//events", "/%65vents",
                        "/..%2f..%2fetc/passwd", "/api/channels/../nodes", "/api", "*")));
        // Most requests are well-formed HTTP, so that they reach the handlers; the rest are raw bytes.
        Arbitrary<Boolean> wellFormed = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        return Combinators.combine(methods, paths, wellFormed).flatAs(
                (method, path, clean) -> Combinators.combine(parameter(clean).list().ofMaxSize(3),
                        header(clean).list().ofMaxSize(5)).as((parameters, hs) -> {
                            ByteArrayOutputStream target = new ByteArrayOutputStream();
                            target.writeBytes(RawHttp.latin1(path));
                            for (int i = 0; i < parameters.size(); i++) {
                                target.write(i == 0 ? '?' : '&');
                                target.writeBytes(parameters.get(i));
                            }
                            return new Request(method, target.toByteArray(), hs);
                        }));
    }

    /** {@code name=value}: percent-encoded as a browser would, or half-encoded, or as raw bytes. */
    static Arbitrary<byte[]> parameter(boolean wellFormed) {
        Arbitrary<Integer> modes = wellFormed ? Arbitraries.integers().between(0, 5) : Arbitraries.integers().between(6, 9);
        return Combinators.combine(ClientInput.names(), ClientInput.values(), modes).as((name, value, mode) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(encoded(name, mode));
            if (mode != 9) { // and sometimes a name alone
                out.write('=');
                out.writeBytes(encoded(value, mode));
            }
            return out.toByteArray();
        });
    }

    private static byte[] encoded(String text, int mode) {
        if (mode <= 5) {
            return RawHttp.latin1(URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c > 0x20 && c < 0x7F && c != '#' && c != '&' && c != '=';
            if (mode <= 7 && !plain) {
                out.writeBytes(RawHttp.latin1(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8)));
            } else if (c != '\r' && c != '\n' && c != ' ') {
                out.writeBytes(raw(String.valueOf(c)));
            }
        }
        return out.toByteArray();
    }

    /** A header the bridge reads, or any other; well-formed ones hold printable ASCII only. */
    static Arbitrary<byte[][]> header(boolean wellFormed) {
        Arbitrary<String> authorization = Arbitraries.oneOf(Arbitraries.of("Bearer " + TOKEN, "bearer " + TOKEN,
                        "Bearer  " + TOKEN + " ", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", TOKEN),
                Arbitraries.strings().ofMaxLength(80).map(s -> "Bearer " + s), Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("x").ofMinLength(1000).ofMaxLength(30_000).map(s -> "Bearer " + s));
        Arbitrary<byte[][]> known = Arbitraries.frequencyOf(
                Tuple.of(5, ClientInput.ids().map(v -> pair("Last-Event-ID", v, wellFormed))),
                Tuple.of(3, authorization.map(v -> pair("Authorization", v, wellFormed))),
                Tuple.of(2, Arbitraries.of("https://ops.example", "https://evil.example", "null", "")
                        .map(v -> pair("Origin", v, wellFormed))),
                Tuple.of(1, Arbitraries.of("GET", "POST", "").map(v -> pair("Access-Control-Request-Method", v, wellFormed))),
                Tuple.of(1, Arbitraries.of("text/event-stream", "*/*", "application/json")
                        .map(v -> pair("Accept", v, wellFormed))));
        if (wellFormed) {
            return known;
        }
        Arbitrary<byte[][]> any = Combinators.combine(
                Arbitraries.strings().withCharRange('!', '~').excludeChars(':').ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(200)).as((name, value) -> FRAMING.contains(name.toLowerCase(Locale.ROOT))
                        ? pair("X-" + name, value, false) : pair(name, value, false));
        return Arbitraries.frequencyOf(Tuple.of(4, known), Tuple.of(1, any));
    }

    private static byte[][] pair(String name, String value, boolean wellFormed) {
        return new byte[][] {raw(name), wellFormed ? RawHttp.latin1(value.replaceAll("[^ -~]", "")) : raw(value)};
    }

    /** Chars below 256 as single bytes, others as their UTF-8 bytes; never a line break. */
    private static byte[] raw(String text) {
        List<Byte> bytes = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            byte[] encoded = c < 256 ? new byte[] {(byte) c} : String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            for (byte b : encoded) {
                bytes.add(b);
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
