package io.vigil.topology.scoring.telemanom;

import java.util.ArrayList;
import java.util.List;

/**
 * Telemanom's dynamic threshold for one channel, fed one error at a time, deciding exactly what
 * {@link BatchTelemanom} decides for the same series (at least max(h, 2,500) values long).
 *
 * <p><b>When a verdict exists.</b> Telemanom judges errors a batch at a time: index i is decided when
 * its batch completes, at the record with index ceil((i + 1) / batchSize) batchSize - 1, by the
 * window of the h smoothed errors ending there, and nothing is decided before the first complete
 * window (record h - 1 = 2,099). That first window decides indices 2 lS (500) to h - 1 at once; every
 * later one decides its newest batch. So a verdict lags its record by up to batchSize - 1 records
 * (up to h - 1 - 2 lS for the first window), and indices below 2 lS are never flagged.
 *
 * <p><b>What each record reports</b> ({@link Report}): its own smoothed error; the thresholds of the
 * last decided window (NaN before the first); {@code anomalous}, true while an anomalous sequence is
 * open as of the last decided index, i.e. the verdict of the last completed batch carried forward to
 * this record; the last decided index; and the events decided at this record, which are non-empty
 * only on the record that completes a batch. Events carry true indices: OPEN when a sequence has two
 * decided indices (a one-index run is never reported, so an OPEN is never retracted), CLOSED with
 * the final start, end and severity when its first nominal index is decided. A sequence that reaches
 * the end of a batch stays open until the next batch is decided.
 *
 * <p><b>Start-up transient.</b> The reference replaces the first lS smoothed errors by the mean of
 * the first 2 lS. The stream learns that mean at index 2 lS - 1, so it keeps a running sum in the
 * state and substitutes the mean for indices below lS whenever it assembles a window (only the first
 * ceil(lS / batchSize) windows contain them); stored chunks and reported smoothed errors keep the raw
 * EWMA. No window is assembled before the mean is known, because h >= 2 lS.
 *
 * <p><b>State and cost.</b> The caller owns the channel's {@link StreamState}, updated in place, and
 * its window's {@link Chunk}s in a {@link ChunkStore}: per record the one chunk holding the new index
 * is read and rewritten, with no allocation beyond the report (with an in-memory store); once per
 * batch all chunks are read and the window is decided ({@link ThresholdSearch}), which allocates
 * freely. Stateless itself and safe to share; a state and its store are used by one thread at a time.
 */
public final class StreamingThreshold {

    /**
     * The outcome of one record.
     *
     * @param index the record's 0-based index in the channel
     * @param smoothedError its smoothed error (the raw EWMA even within the start-up transient)
     * @param threshold epsilon of the last decided window, NaN before the first
     * @param lowerThreshold the last decided window's inverted threshold in smoothed-error units
     *     (2 mu - epsilon_inv), NaN before the first
     * @param anomalous whether an anomalous sequence is open as of {@code decidedThrough}
     * @param decidedThrough the last index whose verdict is final, -1 before the first window
     * @param events the sequence events decided at this record, in index order
     */
    public record Report(long index, double smoothedError, double threshold, double lowerThreshold,
                         boolean anomalous, long decidedThrough, List<SegmentEvent> events) {}

    private final ThresholdSettings settings;
    private final ThresholdSearch search;

    public StreamingThreshold(ThresholdSettings settings) {
        this.settings = settings;
        this.search = new ThresholdSearch(settings);
    }

    public ThresholdSettings settings() {
        return settings;
    }

    /**
     * Takes the next record of the channel whose state is {@code state} and whose window is in
     * {@code store}. A record refused with an exception changes neither.
     *
     * @param error the record's absolute prediction error, finite and >= 0
     * @param value the record's observed value, finite
     * @param time the record's event time, kept with its slot
     */
    public Report accept(StreamState state, ChunkStore store, double error, double value, long time) {
        if (!(error >= 0 && error < Double.POSITIVE_INFINITY) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("error " + error + " / value " + value);
        }
        if (!state.settings().equals(settings)) {
            throw new IllegalArgumentException("a state of " + state.settings() + " given to a threshold of " + settings);
        }
        int batch = settings.batchSize();
        long index = state.count;
        double smoothed = state.ewma.update(error);
        if (index < settings.startupIgnored()) {
            state.startupSum += smoothed;
        }
        int chunkIndex = (int) ((index / batch) % settings.windowSize());
        Chunk chunk = store.chunk(chunkIndex);
        if (chunk == null) {
            chunk = new Chunk(batch);
        }
        chunk.set((int) (index % batch), smoothed, value, time);
        store.putChunk(chunkIndex, chunk);
        // The bit now belongs to the new index; what it said was about one that left the window.
        state.flag(index, false);
        state.count = index + 1;

        List<SegmentEvent> events = List.of();
        if (state.count % batch == 0 && state.count >= settings.windowLength()) {
            events = decideWindow(store, state);
        }
        return new Report(index, smoothed, state.threshold, state.lowerThreshold, state.anomalous(),
                state.decidedThrough(), events);
    }

    private List<SegmentEvent> decideWindow(ChunkStore store, StreamState state) {
        int h = settings.windowLength();
        int batch = settings.batchSize();
        long start = state.count - h;
        double[] errors = new double[h];
        double[] values = new double[h];
        long[] times = new long[h];
        for (int k = 0; k < settings.windowSize(); k++) {
            int chunkIndex = (int) ((start / batch + k) % settings.windowSize());
            Chunk chunk = store.chunk(chunkIndex);
            if (chunk == null || chunk.size() != batch) {
                throw new IllegalStateException("chunk " + chunkIndex + " of a complete window is missing");
            }
            chunk.copyTo(errors, values, times, k * batch);
        }
        int lS = settings.lS();
        if (start < lS) {
            double startupMean = state.startupSum / (2 * lS);
            for (int i = 0; i < lS - start; i++) {
                errors[i] = startupMean;
            }
        }
        int first = start == 0 ? settings.startupIgnored() : h - batch;
        WindowVerdict verdict = search.evaluate(errors, values, 0, h, first, i -> state.flagged(start + i));
        state.threshold = verdict.epsilon();
        state.lowerThreshold = verdict.lowerThreshold();
        return track(state, verdict, start, first, times);
    }

    /**
     * Marks the decided indices [start + first, start + h) and turns runs of flags into events.
     *
     * @param times the event times of the window's h indices
     */
    static List<SegmentEvent> track(StreamState state, WindowVerdict verdict, long start, int first, long[] times) {
        int h = times.length;
        List<SegmentEvent> events = new ArrayList<>(2);
        // An OPEN reports the sequence as decided by the end of this window, so its slot is filled last.
        int openSlot = -1;
        int[] flagged = verdict.flagged();
        double[] severity = verdict.severity();
        int next = 0;
        for (int i = first; i < h; i++) {
            long index = start + i;
            if (next < flagged.length && flagged[next] == i) {
                double s = severity[next++];
                state.flag(index, true);
                if (state.runStart < 0) {
                    state.runStart = index;
                    state.runStartTime = times[i];
                    state.runSeverity = s;
                } else {
                    state.runSeverity = Math.max(state.runSeverity, s);
                }
                state.runEnd = index;
                state.runEndTime = times[i];
                if (index == state.runStart + 1) {
                    openSlot = events.size();
                    events.add(null);
                }
            } else if (state.runStart >= 0) {
                if (state.runEnd > state.runStart) {
                    fillOpen(events, openSlot, state);
                    openSlot = -1;
                    events.add(SegmentEvent.closed(state.runStart, state.runEnd, state.runSeverity,
                            state.runStartTime, state.runEndTime));
                }
                state.runStart = StreamState.NONE;
                state.runEnd = StreamState.NONE;
                state.runSeverity = Double.NaN;
                state.runStartTime = StreamState.NONE;
                state.runEndTime = StreamState.NONE;
            }
        }
        fillOpen(events, openSlot, state);
        return events.isEmpty() ? List.of() : List.copyOf(events);
    }

    private static void fillOpen(List<SegmentEvent> events, int slot, StreamState state) {
        if (slot >= 0) {
            events.set(slot, SegmentEvent.open(state.runStart, state.runEnd, state.runSeverity,
                    state.runStartTime, state.runEndTime));
        }
    }
}
