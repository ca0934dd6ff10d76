package io.vigil.bridge.resume;

import io.vigil.bridge.events.EventFilter;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.events.SseClient;
import io.vigil.bridge.kafka.Decoded;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A short-lived Kafka reader that brings one resuming client from its position up to what the hub
 * still holds in memory, then hands it over (protocol: {@link Resumer}). It reads only the partitions
 * of the types the client wants, at most one poll of 500 records ahead of what the client has taken,
 * and never more than {@code maxRecords} in all. Each event it sends carries the reader's own
 * position as id, so a client that drops out mid-way resumes from there.
 */
public final class CatchUpReader implements Runnable {

    /** Creates readers; one per resuming client. */
    public interface Factory {
        Runnable create(SseClient client, Position from);
    }

    static final Duration POLL = Duration.ofMillis(200);
    static final int AHEAD = 500;

    private static final Logger log = LoggerFactory.getLogger(CatchUpReader.class);

    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final RecordDecoder decoder;
    private final Function<String, String> sourceOfChannel;
    private final FanOutHub hub;
    private final SseClient client;
    private final Position from;
    private final long maxRecords;
    private final Duration metadataTimeout;

    public CatchUpReader(Supplier<? extends Consumer<byte[], byte[]>> consumers, RecordDecoder decoder,
                         Function<String, String> sourceOfChannel, FanOutHub hub, SseClient client,
                         Position from, long maxRecords, Duration metadataTimeout) {
        this.consumers = consumers;
        this.decoder = decoder;
        this.sourceOfChannel = sourceOfChannel;
        this.hub = hub;
        this.client = client;
        this.from = from;
        this.maxRecords = maxRecords;
        this.metadataTimeout = metadataTimeout;
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
        Position at = from;
        long lost = 0;
        for (TopicPartition tp : partitions) {
            EventType type = EventType.byTopic(tp.topic()).orElseThrow();
            long want = from.next(type, tp.partition());
            long oldest = first.getOrDefault(tp, 0L);
            long start = want;
            if (want < oldest) {
                lost += oldest - want; // expired from retention before we got to them
                start = oldest;
            } else if (want > ends.getOrDefault(tp, 0L)) {
                start = oldest; // past the log end: the topic was recreated; its offsets started over
            }
            at = at.with(type, tp.partition(), start);
            consumer.seek(tp, start);
        }
        client.offer(Frame.control("resume", "{\"via\":\"kafka\",\"lost\":" + lost + "}"));
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

    private void giveUp(String why) {
        if (client.isClosed()) {
            return;
        }
        client.offer(Frame.comment("resume gave up (" + why + "); events in between are not sent"));
        client.offer(Frame.control("resume", "{\"via\":\"kafka\",\"gaveUp\":true}"));
        hub.attachFresh(client);
    }
}
