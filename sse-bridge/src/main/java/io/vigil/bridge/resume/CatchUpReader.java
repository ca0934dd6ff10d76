package io.vigil.bridge.resume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.bridge.events.EventFilter;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.events.SseClient;
import io.vigil.bridge.kafka.Decoded;
import io.vigil.bridge.kafka.Lookback;
import io.vigil.bridge.kafka.RecordDecoder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A short-lived Kafka reader that brings one resuming client from its position up to what the hub
 * still holds in memory, then hands it over (protocol: {@link Resumer}). It reads only the partitions
 * of the types the client wants, at most one poll of 500 records ahead of what the client has taken,
 * and never more than {@code maxRecords} in all. Each event it sends carries the reader's own
 * position as id, so a client that drops out mid-way resumes from there.
 *
 * <p>It is also where a client's position meets Kafka's log ends, so it decides whether the position
 * is stale: a topic of which the id lists more partitions than the bridge reads, or an offset beyond
 * a partition's log end, can only come from before the topic was recreated (or from elsewhere). Its
 * offsets mean nothing in this incarnation, and trusting them would skip every event below them
 * without a word, so the whole topic is read from the {@link Lookback} instead, and the client is told
 * ({@code "reset":[topics]} in the {@code resume} event, a comment) and {@value #STALE} counts it.
 */
public final class CatchUpReader implements Runnable {

    /** Creates readers; one per resuming client. */
    public interface Factory {
        Runnable create(SseClient client, Position from);
    }

    public static final String STALE = "vigil.bridge.resumes.stale";
    static final Duration POLL = Duration.ofMillis(200);
    static final int AHEAD = 500;

    private static final Logger log = LoggerFactory.getLogger(CatchUpReader.class);

    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final RecordDecoder decoder;
    private final Function<String, String> sourceOfChannel;
    private final FanOutHub hub;
    private final SseClient client;
    private final Position from;
    private final Lookback lookback;
    private final long maxRecords;
    private final Duration metadataTimeout;
    private final Counter stale;

    public CatchUpReader(Supplier<? extends Consumer<byte[], byte[]>> consumers, RecordDecoder decoder,
                         Function<String, String> sourceOfChannel, FanOutHub hub, SseClient client,
                         Position from, Lookback lookback, long maxRecords, Duration metadataTimeout,
                         Counter stale) {
        this.consumers = consumers;
        this.decoder = decoder;
        this.sourceOfChannel = sourceOfChannel;
        this.hub = hub;
        this.client = client;
        this.from = from;
        this.lookback = lookback;
        this.maxRecords = maxRecords;
        this.metadataTimeout = metadataTimeout;
        this.stale = stale;
    }

    /** The counter of stale resume ids, registered once with the bridge's other meters. */
    public static Counter staleCounter(MeterRegistry registry) {
        return Counter.builder(STALE)
                .description("Resumes whose id named partitions or offsets the topics no longer have (recreated)")
                .register(registry);
    }

    @Override
    public void run() {
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            catchUp(consumer);
        } catch (InterruptException e) {
            client.close(); // the bridge is stopping
        } catch (RuntimeException e) {
            log.atWarn().log("resume from Kafka failed; the client continues live: {}", String.valueOf(e));
            giveUp("failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        }
    }

    private void catchUp(Consumer<byte[], byte[]> consumer) throws InterruptedException {
        EventFilter filter = client.filter();
        Position frontier = hub.frontier();
        List<TopicPartition> partitions = new ArrayList<>();
        for (EventType type : filter.types()) {
            for (int p = 0; p < frontier.partitions(type); p++) {
                partitions.add(new TopicPartition(type.topic(), p));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, metadataTimeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, metadataTimeout);
        Set<EventType> reset = staleTypes(filter.types(), frontier, ends);
        // Whatever the client listed, the reader's position is no larger than the bridge's own.
        Position at = from.clippedTo(frontier);
        long lost = 0;
        for (TopicPartition tp : partitions) {
            EventType type = EventType.byTopic(tp.topic()).orElseThrow();
            long want = from.next(type, tp.partition());
            long oldest = first.getOrDefault(tp, 0L);
            long start = want;
            if (reset.contains(type)) {
                start = lookback.startOf(type, oldest, ends.getOrDefault(tp, 0L));
            } else if (want < oldest) {
                lost += oldest - want; // expired from retention before we got to them
                start = oldest;
            }
            at = at.with(type, tp.partition(), start);
            consumer.seek(tp, start);
        }
        if (!reset.isEmpty()) {
            stale.increment();
            client.offer(Frame.comment("resume id is stale for " + names(reset)
                    + " (recreated since?); those are resumed from the look-back"));
        }
        client.offer(Frame.control("resume", "{\"via\":\"kafka\",\"lost\":" + lost
                + (reset.isEmpty() ? "" : ",\"reset\":[" + quotedNames(reset) + "]") + "}"));
        long scanned = 0;
        while (!client.isClosed()) {
            if (hub.tryHandOver(client, at, null) >= 0) {
                return;
            }
            if (scanned >= maxRecords) {
                giveUp("too far behind");
                return;
            }
            if (!client.awaitRoom(AHEAD, POLL.toMillis())) {
                continue;
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (scanned >= maxRecords) {
                    break; // the next round gives up
                }
                EventType type = EventType.byTopic(record.topic()).orElseThrow();
                at = at.with(type, record.partition(), record.offset() + 1);
                scanned++;
                Decoded decoded = decoder.decode(type, record);
                if (decoded == null) {
                    continue;
                }
                String source = type == EventType.ANOMALY ? sourceOfChannel.apply(decoded.channel()) : decoded.source();
                if (filter.matches(type, decoded.channel(), source)) {
                    client.offer(Frame.event(type.eventName(), PositionCodec.encode(at), decoded.json()));
                }
            }
        }
    }

    /**
     * The wanted types whose offsets in {@code from} belong to another incarnation of their topic: more
     * partitions than it has, or an offset beyond a log end. One such partition condemns the whole
     * topic: the others' offsets may merely not have been overtaken yet.
     */
    private Set<EventType> staleTypes(Set<EventType> wanted, Position frontier, Map<TopicPartition, Long> ends) {
        Set<EventType> stale = EnumSet.noneOf(EventType.class);
        for (EventType type : wanted) {
            if (from.partitions(type) > frontier.partitions(type)) {
                stale.add(type);
                continue;
            }
            for (int p = 0; p < frontier.partitions(type); p++) {
                Long end = ends.get(new TopicPartition(type.topic(), p));
                if (end != null && from.next(type, p) > end) {
                    stale.add(type);
                    break;
                }
            }
        }
        return stale;
    }

    private static String names(Set<EventType> types) {
        return types.stream().map(EventType::topic).collect(Collectors.joining(", "));
    }

    private static String quotedNames(Set<EventType> types) {
        return types.stream().map(t -> "\"" + t.eventName() + "\"").collect(Collectors.joining(","));
    }

    private void giveUp(String why) {
        if (client.isClosed()) {
            return;
        }
        client.offer(Frame.comment("resume gave up (" + why + "); events in between are not sent"));
        client.offer(Frame.control("resume", "{\"via\":\"kafka\",\"gaveUp\":true}"));
        hub.attachFresh(client);
    }
}
