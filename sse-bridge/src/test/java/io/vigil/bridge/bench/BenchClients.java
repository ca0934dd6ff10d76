package io.vigil.bridge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Many SSE clients on one selector thread, as cheap as a client can be: every client reads everything
 * the bridge sends as fast as the socket delivers it; one in {@code sampleEvery} also parses it,
 * taking each event's {@code "recordTime":} (the Kafka record timestamp, set by the producer at send
 * time) to measure delivery latency at the moment its bytes are read, and counting events and drop
 * notices. Parsing every client's stream would cost this JVM more CPU than the bridge under test.
 */
final class BenchClients implements AutoCloseable {

    private static final byte[] TIME = "\"recordTime\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED = "event: dropped".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector = Selector.open();
    private final List<Client> clients = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] bytes = new byte[256 * 1024];
    private final Thread thread;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private volatile boolean measuring;
    private volatile boolean stopping;
    private long bytesRead;
    private long eventsSampled;
    private long dropNotices;

    private static final class Client {
        final SocketChannel channel;
        final boolean sampled;
        final ByteBuffer request;
        boolean responded;
        int timeMatch;
        int dropMatch;
        boolean inNumber;
        long number;
        long events;

        Client(SocketChannel channel, boolean sampled, ByteBuffer request) {
            this.channel = channel;
            this.sampled = sampled;
            this.request = request;
        }
    }

    BenchClients(InetSocketAddress bridge, String path, int count, int sampleEvery) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(bridge);
            Client client = new Client(channel, i % sampleEvery == 0, ByteBuffer.wrap(request));
            clients.add(client);
            channel.register(selector, SelectionKey.OP_CONNECT, client);
        }
        thread = new Thread(this::run, "bench-clients");
        thread.start();
    }

    /** Clients whose response has started. */
    synchronized int responded() {
        return (int) clients.stream().filter(c -> c.responded).count();
    }

    void measure(boolean on) {
        measuring = on;
    }

    synchronized LatencyHistogram histogram() {
        return histogram;
    }

    synchronized long bytesRead() {
        return bytesRead;
    }

    synchronized long eventsSampled() {
        return eventsSampled;
    }

    synchronized long dropNotices() {
        return dropNotices;
    }

    /** Clients whose connection is still open. */
    synchronized int open() {
        return (int) clients.stream().filter(c -> c.channel.isOpen()).count();
    }

    /** Events each sampled client has parsed: min and max over them. */
    synchronized long[] sampledSpread() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Client c : clients) {
            if (c.sampled) {
                min = Math.min(min, c.events);
                max = Math.max(max, c.events);
            }
        }
        return new long[] {min, max};
    }

    int sampledClients() {
        return (int) clients.stream().filter(c -> c.sampled).count();
    }

    private void run() {
        try {
            while (!stopping) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                e.printStackTrace();
            }
        }
    }

    private void handle(SelectionKey key) throws IOException {
        Client client = (Client) key.attachment();
        try {
            if (key.isConnectable() && client.channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                client.channel.write(client.request);
                if (!client.request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                read(client, key);
            }
        } catch (IOException e) {
            key.cancel();
            client.channel.close();
        }
    }

    private void read(Client client, SelectionKey key) throws IOException {
        buffer.clear();
        int n = client.channel.read(buffer);
        if (n < 0) {
            key.cancel();
            client.channel.close();
            return;
        }
        long now = System.currentTimeMillis();
        synchronized (this) {
            bytesRead += n;
            client.responded = true;
            if (client.sampled) {
                buffer.flip();
                buffer.get(bytes, 0, n);
                scan(client, n, now);
            }
        }
    }

    private void scan(Client c, int n, long now) {
        for (int i = 0; i < n; i++) {
            byte b = bytes[i];
            if (c.inNumber) {
                if (b >= '0' && b <= '9') {
                    c.number = c.number * 10 + (b - '0');
                    continue;
                }
                c.inNumber = false;
                eventsSampled++;
                c.events++;
                if (measuring) {
                    histogram.record(now - c.number);
                }
            }
            c.timeMatch = b == TIME[c.timeMatch] ? c.timeMatch + 1 : (b == TIME[0] ? 1 : 0);
            if (c.timeMatch == TIME.length) {
                c.timeMatch = 0;
                c.inNumber = true;
                c.number = 0;
            }
            c.dropMatch = b == DROPPED[c.dropMatch] ? c.dropMatch + 1 : (b == DROPPED[0] ? 1 : 0);
            if (c.dropMatch == DROPPED.length) {
                c.dropMatch = 0;
                dropNotices++;
            }
        }
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        selector.wakeup();
        thread.join(5000);
        for (Client c : clients) {
            c.channel.close();
        }
        selector.close();
    }
}
