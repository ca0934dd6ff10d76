package io.vigil.topology.bench;

import io.vigil.schemas.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The least a stateful Kafka Streams topology can do per point, to measure what Streams, the broker
 * and exactly-once cost on this machine apart from scoring: read a telemetry record (not decoded),
 * count it per key in a cached RocksDB store (the scorer's kind of store, so the same record cache,
 * RocksDB writes and changelog) and forward the count to {@link #OUTPUT}. What the scorer does more
 * is decoding, the LSTM step and its own state.
 */
final class CountingTopology {

    /** Where the counts go: keyed like telemetry, one record per point as the scorer's scores are. */
    static final String OUTPUT = "bench.counts";
    private static final String SOURCE = "telemetry-source";
    private static final String COUNTER = "counter";
    private static final String SINK = "counts-sink";
    private static final String STORE = "counts";

    private CountingTopology() {}

    static Topology build() {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.TELEMETRY.name());
        topology.addProcessor(COUNTER, Counter::new, SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.Long()).withCachingEnabled(), COUNTER);
        topology.addSink(SINK, OUTPUT, new ByteArraySerializer(), new LongSerializer(), COUNTER);
        return topology;
    }

    private static final class Counter implements Processor<byte[], byte[], byte[], Long> {
        private ProcessorContext<byte[], Long> context;
        private KeyValueStore<Bytes, Long> counts;

        @Override
        public void init(ProcessorContext<byte[], Long> context) {
            this.context = context;
            this.counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Bytes key = Bytes.wrap(record.key());
            Long before = counts.get(key);
            long count = before == null ? 1 : before + 1;
            counts.put(key, count);
            context.forward(record.withValue(count));
        }
    }
}
