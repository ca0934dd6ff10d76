package io.vigil.replay.prometheus;

import io.vigil.replay.event.EventSink;
import io.vigil.replay.event.EventSource;
import io.vigil.replay.source.Series;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus series as they grow: every {@code step} of wall time, range queries from where the last
 * successful poll ended to a step before now, on a grid of whole steps since the epoch so that every
 * poll sees the same instants, and the samples after each channel's last one sent. A step before now:
 * a range query answers an instant with the latest sample at or before it that Prometheus has stored,
 * and a scrape taken just before the instant may be stored just after it, so an instant read at once
 * could carry the sample before and would never be read again. Nothing is sent twice, and a
 * poll that fails (Prometheus away) loses nothing: the next one starts where the last good one ended,
 * in as many queries as the {@link RangePlan} needs. A channel is declared when its first sample
 * comes. Paced in real time: event time is wall time here.
 */
public final class PrometheusLive implements EventSource {

    private static final Logger log = LoggerFactory.getLogger(PrometheusLive.class);

    private final RangeQueries client;
    private final List<String> queries;
    private final long step;
    private final String source;
    private final LongSupplier clock;
    private final long started;
    private final Map<String, Integer> handles = new HashMap<>();
    private final Map<String, Long> lastSent = new HashMap<>();
    /** Kept across polls: a channel stays with the query that first gave it. */
    private final ChannelNaming.Claims claims;
    private long covered;
    private long nextPoll;
    private long failures;

    /**
     * Polls from {@code from} (epoch ms; usually now, or earlier to fill in the recent past first); the
     * points carry {@code source}.
     */
    public PrometheusLive(RangeQueries client, List<String> queries, long step, ChannelNaming naming, String source,
                          long from, LongSupplier clock) {
        if (step < 1) {
            throw new IllegalArgumentException("the Prometheus step must be positive");
        }
        this.client = client;
        this.queries = List.copyOf(queries);
        this.step = step;
        this.claims = naming.claims();
        this.source = source;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.covered = Math.floorDiv(from, step) * step - step;
        this.nextPoll = started;
    }

    @Override
    public long startTime() {
        return started;
    }

    @Override
    public void open(EventSink sink) {
        // Channels are declared as their first samples come.
    }

    @Override
    public long nextTime() {
        return nextPoll;
    }

    @Override
    public void emitNext(EventSink sink) {
        long now = Math.max(clock.getAsLong(), nextPoll);
        long until = Math.floorDiv(now - step, step) * step;
        if (until > covered) {
            try {
                poll(sink, covered + step, until);
                covered = until;
                failures = 0;
            } catch (IOException e) {
                if (failures++ == 0) {
                    log.atWarn().addKeyValue("from", covered + step).log("polling Prometheus failed; retrying from there: {}",
                            e.getMessage());
                }
            }
        }
        nextPoll += step;
    }

    /** Channels seen so far. */
    public int channels() {
        return handles.size();
    }

    private void poll(EventSink sink, long from, long until) throws IOException {
        // Every query first, then the points: a poll that fails half-way sends nothing, and is redone.
        List<Series> fresh = new ArrayList<>();
        for (String query : queries) {
            for (long[] window : new RangePlan(from, until, step).windows()) {
                for (PrometheusClient.Samples s : client.queryRange(query, window[0], window[1], step)) {
                    String channel = claims.channel(query, s.metric());
                    if (s.times().length > 0) {
                        fresh.add(new Series(channel, source, s.times(), s.values(), List.of()));
                    }
                }
            }
        }
        for (Series s : fresh) {
            Integer handle = handles.get(s.channelId());
            if (handle == null) {
                handle = sink.channel(s.channelId(), source);
                handles.put(s.channelId(), handle);
            }
            long last = lastSent.getOrDefault(s.channelId(), Long.MIN_VALUE);
            for (int i = 0; i < s.size(); i++) {
                if (s.times()[i] > last && Double.isFinite(s.values()[i])) {
                    sink.point(handle, s.times()[i], s.values()[i]);
                    last = s.times()[i];
                }
            }
            lastSent.put(s.channelId(), last);
        }
    }
}
