package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingThresholdTest {

    private static final ThresholdSettings DEFAULT = ThresholdSettings.DEFAULT;

    /** A series of raw errors and values with known anomalous stretches [from, to). */
    record Series(double[] errors, double[] values, int[][] injected) {}

    /**
     * 8,000 points: a sine with noise as values, half-normal noise as errors, and four injected
     * anomalies placed so each has a window without the others: a burst inside the first window, a
     * level shift, a drop of the errors to near zero (only the inverted errors can see it) and a
     * burst still running when the series ends.
     */
    static Series telemetry() {
        int n = 8000;
        Random random = new Random(42);
        double[] errors = new double[n];
        double[] values = new double[n];
        int[][] injected = {{1200, 1260}, {3700, 3950}, {6200, 6320}, {7880, 8000}};
        for (int i = 0; i < n; i++) {
            values[i] = Math.sin(2 * Math.PI * i / 250) + 0.05 * random.nextGaussian();
            double e = Math.abs(0.2 * random.nextGaussian());
            if (i >= 1200 && i < 1260) {
                e += 1.0;
            }
            if (i >= 3700 && i < 3950) {
                e += 0.4;
            }
            if (i >= 6200 && i < 6320) {
                e *= 0.05;
            }
            if (i >= 7880) {
                e += 1.0;
            }
            errors[i] = e;
        }
        return new Series(errors, values, injected);
    }

    /** What a stream reported for a whole series. */
    record Run(List<StreamingThreshold.Report> reports, List<AnomalySequence> sequences, List<Long> opened) {}

    /** Event time of index i in the test series: irregular, so a time taken from the wrong slot shows. */
    static long timeOf(long i) {
        return 1_700_000_000_000L + 1_000 * i + (i * i) % 7;
    }

    static Run stream(ThresholdSettings settings, ChunkStore store, Series series) {
        return stream(settings, store, series, false);
    }

    /** @param storedForm whether the state goes through its stored form after every record */
    static Run stream(ThresholdSettings settings, ChunkStore store, Series series, boolean storedForm) {
        StreamingThreshold detector = new StreamingThreshold(settings);
        StreamState state = new StreamState(settings);
        List<StreamingThreshold.Report> reports = new ArrayList<>(series.errors().length);
        List<AnomalySequence> sequences = new ArrayList<>();
        List<Long> opened = new ArrayList<>();
        for (int i = 0; i < series.errors().length; i++) {
            StreamingThreshold.Report r = detector.accept(state, store, series.errors()[i], series.values()[i], timeOf(i));
            if (storedForm) {
                state = StreamState.restore(settings, state.saved());
            }
            reports.add(r);
            for (SegmentEvent e : r.events()) {
                assertEquals(timeOf(e.start()), e.startTime(), e.toString());
                assertEquals(timeOf(e.end()), e.endTime(), e.toString());
                if (e.kind() == SegmentEvent.Kind.OPEN) {
                    opened.add(e.start());
                } else {
                    sequences.add(new AnomalySequence(e.start(), e.end(), e.severity()));
                }
            }
        }
        AnomalySequence open = state.openSequence();
        if (open != null) {
            assertEquals(timeOf(open.end()), state.openEndTime());
            sequences.add(open);
        }
        return new Run(reports, sequences, opened);
    }

    @Test
    void streamingDecidesExactlyWhatTheBatchDecides() {
        Series series = telemetry();
        BatchTelemanom.Result batch = new BatchTelemanom(DEFAULT).detect(series.errors(), series.values());
        Run run = stream(DEFAULT, new InMemoryChunkStore(DEFAULT), series);

        assertEquals(batch.sequences(), run.sequences());
        assertEquals(batch.anomalous(), covered(run.sequences()));
        // Not a vacuous agreement: every injected anomaly is found.
        for (int[] anomaly : series.injected()) {
            assertTrue(batch.sequences().stream().anyMatch(s -> s.start() < anomaly[1] && s.end() >= anomaly[0]),
                    "missed " + anomaly[0] + ".." + anomaly[1] + " in " + batch.sequences());
        }
        assertEquals(4, batch.sequences().size(), batch.sequences().toString());
        checkReports(DEFAULT, run, batch);
    }

    @Test
    void streamingMatchesBatchOnRandomSeriesWithSmallWindows() {
        // h = 60 in batches of 10, buffer 5, lS 10: many windows, sequences crossing batch boundaries,
        // runs cut to one index. 2,600 values, so the batch also ignores 2 lS in its first window.
        ThresholdSettings small = new ThresholdSettings(10, 6, 0.05, 5, 0.13, 10);
        int total = 0;
        for (int seed = 1; seed <= 20; seed++) {
            Series series = randomSeries(seed, 2600);
            BatchTelemanom.Result batch = new BatchTelemanom(small).detect(series.errors(), series.values());
            Run run = stream(small, new InMemoryChunkStore(small), series);
            assertEquals(batch.sequences(), run.sequences(), "seed " + seed);
            checkReports(small, run, batch);
            total += batch.sequences().size();
        }
        assertTrue(total > 40, "only " + total + " sequences over all seeds");
    }

    @Test
    void everyRecordRewritesAtMostOneChunk() {
        Series series = telemetry();
        CountingStore store = new CountingStore(new InMemoryChunkStore(DEFAULT));
        StreamingThreshold detector = new StreamingThreshold(DEFAULT);
        StreamState state = new StreamState(DEFAULT);
        for (int i = 0; i < series.errors().length; i++) {
            store.reset();
            detector.accept(state, store, series.errors()[i], series.values()[i], timeOf(i));
            boolean decides = (i + 1) % DEFAULT.batchSize() == 0 && i + 1 >= DEFAULT.windowLength();
            assertEquals(1, store.chunkWrites, "chunk writes at " + i);
            assertEquals(decides ? 1 + DEFAULT.windowSize() : 1, store.chunkReads, "chunk reads at " + i);
        }
    }

    @Test
    void aStoreKeepingOnlyBytesResumesExactly() {
        Series series = telemetry();
        Run inMemory = stream(DEFAULT, new InMemoryChunkStore(DEFAULT), series);
        Run serialised = stream(DEFAULT, new BytesStore(DEFAULT), series, true);
        assertEquals(inMemory.reports(), serialised.reports());
        assertEquals(inMemory.sequences(), serialised.sequences());
    }

    @Test
    void rejectsWhatItCannotSmooth() {
        StreamingThreshold detector = new StreamingThreshold(DEFAULT);
        InMemoryChunkStore store = new InMemoryChunkStore(DEFAULT);
        StreamState state = new StreamState(DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> detector.accept(state, store, -0.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> detector.accept(state, store, Double.NaN, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> detector.accept(state, store, Double.POSITIVE_INFINITY, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> detector.accept(state, store, 0.1, Double.NaN, 0));
        assertEquals(0, state.count(), "a rejected record leaves no state");
        assertEquals(null, store.chunk(0), "nor a chunk");
    }

    @Test
    void aStateIsOnlyUsedWithTheSettingsItWasMadeFor() {
        StreamState.Saved saved = new StreamState(DEFAULT).saved();
        ThresholdSettings other = new ThresholdSettings(60, 30, 0.05, 100, 0.13, 250);
        assertThrows(IllegalArgumentException.class, () -> StreamState.restore(other, saved));
        assertEquals(0, StreamState.restore(DEFAULT, saved).count());
        StreamState foreign = new StreamState(other);
        assertThrows(IllegalArgumentException.class,
                () -> new StreamingThreshold(DEFAULT).accept(foreign, new InMemoryChunkStore(DEFAULT), 0.1, 1, 0));
    }

    /**
     * The per-record contract, checked against the batch result: verdicts exist only from the first
     * full window on, events only on records completing a batch and only about decided indices,
     * {@code anomalous} is the open/closed state at the last decided index, each sequence is opened
     * exactly once, and smoothed errors are the batch's (which replaces the start-up values).
     */
    private static void checkReports(ThresholdSettings s, Run run, BatchTelemanom.Result batch) {
        int h = s.windowLength();
        int b = s.batchSize();
        for (StreamingThreshold.Report r : run.reports()) {
            long t = r.index();
            long decided = t + 1 >= h ? (t + 1) / b * b - 1 : -1;
            assertEquals(decided, r.decidedThrough(), "decided at " + t);
            assertEquals(t + 1 < h, Double.isNaN(r.threshold()), "threshold at " + t);
            assertEquals(t + 1 < h, Double.isNaN(r.lowerThreshold()), "lower threshold at " + t);
            boolean completesBatch = (t + 1) % b == 0 && t + 1 >= h;
            assertTrue(completesBatch || r.events().isEmpty(), "events off a batch end at " + t);
            for (SegmentEvent e : r.events()) {
                assertTrue(e.start() >= s.startupIgnored() && e.start() < e.end() && e.end() <= decided, e.toString());
            }
            boolean inSequence = batch.sequences().stream().anyMatch(q -> q.start() < decided && decided <= q.end());
            assertEquals(inSequence, r.anomalous(), "anomalous at " + t);
            if (t >= s.lS() && t < batch.smoothed().length) {
                assertEquals(batch.smoothed()[(int) t], r.smoothedError(), 0.0, "smoothed at " + t);
            }
        }
        assertEquals(batch.sequences().stream().map(AnomalySequence::start).toList(), run.opened());
        assertFalse(run.reports().isEmpty());
    }

    private static BitSet covered(List<AnomalySequence> sequences) {
        BitSet bits = new BitSet();
        sequences.forEach(q -> bits.set((int) q.start(), (int) q.end() + 1));
        return bits;
    }

    /** Noise with bursts, level shifts and drops of random place, length and size. */
    private static Series randomSeries(int seed, int n) {
        Random random = new Random(seed);
        double[] errors = new double[n];
        double[] values = new double[n];
        double[] gain = new double[n];
        double[] offset = new double[n];
        java.util.Arrays.fill(gain, 1.0);
        for (int k = 0; k < 12; k++) {
            int from = 30 + random.nextInt(n - 60);
            int to = Math.min(n, from + 1 + random.nextInt(40));
            boolean drop = random.nextInt(4) == 0;
            double size = 0.3 + 2 * random.nextDouble();
            for (int i = from; i < to; i++) {
                if (drop) {
                    gain[i] = 0.05;
                } else {
                    offset[i] += size;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            values[i] = Math.sin(i / 15.0) + 0.1 * random.nextGaussian();
            errors[i] = gain[i] * Math.abs(0.3 * random.nextGaussian()) + offset[i];
        }
        return new Series(errors, values, new int[0][]);
    }

    /** Counts what the detector touches per record. */
    private static final class CountingStore implements ChunkStore {
        private final ChunkStore delegate;
        int chunkReads;
        int chunkWrites;

        CountingStore(ChunkStore delegate) {
            this.delegate = delegate;
        }

        void reset() {
            chunkReads = 0;
            chunkWrites = 0;
        }

        @Override
        public Chunk chunk(int index) {
            chunkReads++;
            return delegate.chunk(index);
        }

        @Override
        public void putChunk(int index, Chunk chunk) {
            chunkWrites++;
            delegate.putChunk(index, chunk);
        }
    }

    /** Keeps only copies, as a store of bytes would: no chunk object survives a record. */
    private static final class BytesStore implements ChunkStore {
        private final Chunk[] chunks;

        BytesStore(ThresholdSettings settings) {
            this.chunks = new Chunk[settings.windowSize()];
        }

        @Override
        public Chunk chunk(int index) {
            return chunks[index] == null ? null : copy(chunks[index]);
        }

        @Override
        public void putChunk(int index, Chunk chunk) {
            chunks[index] = copy(chunk);
        }

        private static Chunk copy(Chunk chunk) {
            int n = chunk.size();
            double[] errors = new double[n];
            double[] values = new double[n];
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                errors[i] = chunk.error(i);
                values[i] = chunk.value(i);
                times[i] = chunk.time(i);
            }
            return Chunk.of(errors, values, times);
        }
    }
}
