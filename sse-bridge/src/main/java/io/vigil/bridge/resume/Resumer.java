package io.vigil.bridge.resume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.SseClient;
import io.vigil.bridge.web.StreamConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connects each new {@code /events} stream, fresh or resumed, and owns the resume protocol.
 *
 * <h2>Event ids</h2>
 * Every data event's id is a {@link Position}: for every partition of the four streamed topics, the
 * offset of the next record after this event ({@link io.vigil.bridge.events.PositionCodec}, ~40
 * characters). A client's filtered stream interleaves partitions, so the id carries all of them, not
 * just the partition of the last event. The promise an id makes is: every event the client's filter
 * wants below these offsets has been sent to it. Ids come from Kafka, not from this process, so they
 * survive a bridge restart and work on any replica.
 *
 * <h2>Connecting</h2>
 * <ul>
 *   <li>Until the feed has read its look-back, new streams wait (kept open, with keep-alives): the
 *       browser is not turned away while a bridge starts.</li>
 *   <li>No {@code Last-Event-ID} (nor {@code lastEventId} parameter): the client goes live at the
 *       hub's frontier and is told that frontier at once as a bare {@code id:}, so even a client that
 *       disconnects before its first event resumes without a gap.</li>
 *   <li>With one, at position F, the stream first gets a {@code resume} event saying how. F comes from
 *       the client, so it is trusted only as far as it agrees with the bridge: it is cut to the
 *       partitions the bridge reads (what it costs per event is then the bridge's partition count, not
 *       the client's), and an F that lists more partitions of a wanted topic than the bridge reads, or
 *       lies beyond the frontier anywhere, goes to step 3, where Kafka's log ends tell a replica ahead
 *       of this one from an id of a recreated topic ({@link CatchUpReader}: {@code "reset"}):
 *     <ol>
 *       <li><b>nothing missed</b> ({@code "via":"none"}; F at the frontier on every partition of the
 *           wanted types): live at once;</li>
 *       <li><b>from memory</b> ({@code "via":"memory","missed":n}): if the hub's history still holds
 *           every event after F, the client's cursor is placed at the start of the history with F as
 *           its floor, under the same lock as publishing. It reads the missed events from memory and
 *           then everything published later: no event can fall between the two, and none below F is
 *           sent again;</li>
 *       <li><b>from Kafka</b> ({@code "via":"kafka","lost":n}): otherwise a {@link CatchUpReader} (at
 *           most {@code concurrency} at a time, one per resuming client, in polls of 500 records, paced
 *           by how fast the client takes them) reads from F, sending each wanted event with its own
 *           catch-up id, and after every poll tries step 2 again with its advanced position. The hub's
 *           history is the hand-over buffer that keeps live events for the client meanwhile: once the
 *           reader has reached what memory still holds, the rest comes from memory and live events
 *           follow, exactly once. Where the reader ran ahead of the hub (it reads the log end, the hub
 *           may be a poll behind), the floor keeps those events from being sent again and raises ids
 *           to it, so a later resume does not step back either.</li>
 *     </ol></li>
 *   <li>Events that expired from Kafka before a resume reached them are lost ({@code lost} counts
 *       them). A resume that would scan more than {@code maxRecords} records gives up and goes live at
 *       the frontier ({@code "gaveUp":true}, and a comment).</li>
 *   <li>A client that falls too far behind later loses its oldest events like any other
 *       ({@link io.vigil.bridge.events.FanOutHub}); its next id then lies past them.</li>
 * </ul>
 * Order is per partition (Kafka's): a channel's events arrive in order; events of different
 * partitions may interleave differently on a resumed stream than on a live one.
 */
public final class Resumer implements StreamConnector, AutoCloseable {

    public static final String RESUMES = "vigil.bridge.resumes";

    private final FanOutHub hub;
    private final CatchUpReader.Factory readers;
    private final ExecutorService pool;
    private final Counter viaMemory;
    private final Counter viaKafka;
    private final Counter upToDate;
    private final List<Pending> pending = new ArrayList<>();
    private boolean ready; // guarded by pending

    private record Pending(SseClient client, Position from) {
    }

    public Resumer(FanOutHub hub, CatchUpReader.Factory readers, int concurrency, MeterRegistry registry) {
        this.hub = hub;
        this.readers = readers;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "bridge-resume-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.viaMemory = counter(registry, "memory");
        this.viaKafka = counter(registry, "kafka");
        this.upToDate = counter(registry, "none");
    }

    /** Connects a new stream; {@code from} is its resume position, or null for a fresh stream. */
    @Override
    public void connect(SseClient client, Position from) {
        synchronized (pending) {
            if (!ready) {
                client.offer(Frame.comment("waiting for the bridge to read Kafka"));
                pending.add(new Pending(client, from));
                return;
            }
        }
        start(client, from);
    }

    /** The feed is live: connects every stream that was waiting. */
    public void ready() {
        List<Pending> waiting;
        synchronized (pending) {
            ready = true;
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : waiting) {
            start(p.client(), p.from());
        }
    }

    private void start(SseClient client, Position from) {
        if (client.isClosed()) {
            return;
        }
        if (from == null) {
            hub.attachFresh(client);
            return;
        }
        Position frontier = hub.frontier();
        if (!from.atOrBefore(frontier, client.filter().types())) {
            // Taken at face value, an id from before a topic was recreated would hand the client over
            // with a floor far above every offset it will see: its events would be skipped unannounced.
            fromKafka(client, from);
            return;
        }
        // The frontier only grows, so the clipped position stays at or before it.
        int missed = hub.tryHandOver(client, from.clippedTo(frontier), n -> Frame.control("resume",
                "{\"via\":\"" + (n == 0 ? "none" : "memory") + "\",\"missed\":" + n + "}"));
        if (missed >= 0) {
            (missed == 0 ? upToDate : viaMemory).increment();
            return;
        }
        fromKafka(client, from);
    }

    private void fromKafka(SseClient client, Position from) {
        viaKafka.increment();
        client.offer(Frame.comment("resuming from Kafka"));
        try {
            pool.execute(readers.create(client, from));
        } catch (RejectedExecutionException e) {
            client.close(); // shutting down
        }
    }

    private static Counter counter(MeterRegistry registry, String via) {
        return Counter.builder(RESUMES).tag("via", via).description("Streams resumed from a Last-Event-ID")
                .register(registry);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
