package io.vigil.bridge.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte, as any client could (no URI or header validation on the
 * way), and the response's status, headers and body. An event stream's body is not read: the socket
 * is reset instead, so the bridge notices at its next write.
 */
final class RawHttp {

    /** A response; header names in lower case. */
    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_BODY = 1 << 20;

    /** {@code target} and header bytes are sent as they are, ISO-8859-1 for chars below 256. */
    static Response send(int port, String method, byte[] target, List<byte[][]> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(request(method, target, headers));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: '" + statusLine + "'");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> responseHeaders = new HashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            Response head = new Response(status, responseHeaders, "");
            if (head.header("Content-Type").startsWith("text/event-stream") || method.equals("HEAD")
                    || status == 204 || status == 304) {
                return head;
            }
            return new Response(status, responseHeaders, body(in, head.header("Content-Length")));
        }
    }

    private static byte[] request(String method, byte[] target, List<byte[][]> headers) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(latin1(method + " "));
        request.writeBytes(target);
        request.writeBytes(latin1(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"));
        for (byte[][] header : headers) {
            request.writeBytes(header[0]);
            request.writeBytes(latin1(": "));
            request.writeBytes(header[1]);
            request.writeBytes(latin1("\r\n"));
        }
        request.writeBytes(latin1("\r\n"));
        return request.toByteArray();
    }

    /**
     * An open event stream read straight from the socket (no client library's buffering or delays in
     * between): each {@link #next} is an event or a comment.
     */
    static final class Stream implements AutoCloseable {

        /** One dispatched event with the id of its own frame (null if it had none). */
        record Event(String event, String id, String data) {}

        private final Socket socket;
        private final InputStream in;
        final int status;

        private Stream(Socket socket, InputStream in, int status) {
            this.socket = socket;
            this.in = in;
            this.status = status;
        }

        /** The next event, or the text of the next comment. */
        Object next() throws IOException {
            String event = null;
            String id = null;
            StringBuilder data = null;
            while (true) {
                String line = line(in);
                if (line.isEmpty()) {
                    if (data != null) {
                        return new Event(event == null ? "message" : event, id, data.toString());
                    }
                    continue;
                }
                if (line.startsWith(":")) {
                    return line.substring(1).trim();
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
                switch (field) {
                    case "event" -> event = value;
                    case "id" -> id = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Opens {@code GET target} with the headers; the stream's status says whether it is one. */
    static Stream stream(int port, String target, List<byte[][]> headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        try {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setSoLinger(true, 0);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(request("GET", latin1(target), headers));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String[] statusLine = line(in).split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            while (!line(in).isEmpty()) {
                // headers: not needed here
            }
            return new Stream(socket, in, status);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String body(InputStream in, String contentLength) throws IOException {
        int length = contentLength.isEmpty() ? MAX_BODY : Math.min(MAX_BODY, Integer.parseInt(contentLength));
        byte[] body = in.readNBytes(length);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line: '" + line + "'");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private RawHttp() {}
}
