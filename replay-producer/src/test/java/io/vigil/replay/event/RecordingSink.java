package io.vigil.replay.event;

import io.vigil.avro.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps everything a source emits, in order, with names instead of handles; a publisher that never fails. */
public final class RecordingSink implements Publisher {

    public sealed interface Event permits Point, Label, Beat, Barrier {}

    /** A point and its input features, as a list so that points compare by value. */
    public record Point(String channel, long time, double value, List<Double> inputs) implements Event {
        public Point(String channel, long time, double value) {
            this(channel, time, value, List.of());
        }
    }

    public record Label(String channel, long publishedAt, long start, long end, String kind) implements Event {}

    public record Beat(String node, long time, NodeState state, String target) implements Event {}

    public record Barrier() implements Event {}

    public final List<Event> events = new ArrayList<>();
    public final List<String> channels = new ArrayList<>();
    public final List<String> sources = new ArrayList<>();
    public final List<String> nodes = new ArrayList<>();
    private final CountDownLatch firstPoint = new CountDownLatch(1);

    @Override
    public int channel(String channelId, String source) {
        channels.add(channelId);
        sources.add(source);
        return channels.size() - 1;
    }

    @Override
    public int node(String nodeId) {
        nodes.add(nodeId);
        return nodes.size() - 1;
    }

    @Override
    public void point(int channel, long eventTime, double value, double[] inputs) {
        events.add(new Point(channels.get(channel), eventTime, value, java.util.Arrays.stream(inputs).boxed().toList()));
        firstPoint.countDown();
    }

    /** Waits, from another thread, until the first point has been emitted. */
    public boolean awaitFirstPoint(Duration timeout) throws InterruptedException {
        return firstPoint.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void label(int channel, long publishedAt, long start, long end, String kind) {
        events.add(new Label(channels.get(channel), publishedAt, start, end, kind));
    }

    @Override
    public void heartbeat(int node, long time, NodeState state, String target) {
        events.add(new Beat(nodes.get(node), time, state, target));
    }

    @Override
    public void barrier() {
        events.add(new Barrier());
    }

    public List<Point> points() {
        return events.stream().filter(Point.class::isInstance).map(Point.class::cast).toList();
    }

    public List<Point> points(String channel) {
        return points().stream().filter(p -> p.channel().equals(channel)).toList();
    }

    /** Points grouped by channel, each list in emission order. */
    public java.util.Map<String, List<Point>> pointsByChannel() {
        return points().stream().collect(java.util.stream.Collectors.groupingBy(Point::channel));
    }

    public List<Label> labels() {
        return events.stream().filter(Label.class::isInstance).map(Label.class::cast).toList();
    }

    public List<Beat> beats(String node) {
        return events.stream().filter(Beat.class::isInstance).map(Beat.class::cast).filter(b -> b.node().equals(node)).toList();
    }

    /** Emits everything {@code source} has, at most {@code maxSteps} steps. */
    public static RecordingSink drain(EventSource source, int maxSteps) {
        RecordingSink sink = new RecordingSink();
        source.open(sink);
        for (int i = 0; i < maxSteps && source.nextTime() != EventSource.END; i++) {
            source.emitNext(sink);
        }
        return sink;
    }

    /** Emits everything up to and including event time {@code until}. */
    public static RecordingSink drainUntil(EventSource source, long until) {
        RecordingSink sink = new RecordingSink();
        source.open(sink);
        while (source.nextTime() <= until) {
            source.emitNext(sink);
        }
        return sink;
    }

    @Override
    public SendCounts counts() {
        long points = points().size();
        long labels = labels().size();
        long beats = events.stream().filter(Beat.class::isInstance).count();
        return new SendCounts(points, labels, beats, points + labels + beats);
    }

    @Override
    public long pointsSent() {
        return points().size();
    }

    @Override
    public Throwable failure() {
        return null;
    }

    @Override
    public void flush() {
    }
}
