package io.vigil.topology.scoring;

import java.nio.ByteBuffer;

/**
 * Everything the scorer remembers of one channel between points, as one small record of the
 * {@code channel-state} store rewritten once per point: the last scored event time, the recent
 * cadence, the open anomaly run, and the state of whichever detector scores the channel now (the
 * baseline's 48 bytes or the LSTM's recurrent state, pending forecast and threshold header, about
 * 1.7 KB for 2x80). The LSTM's error window is not in here: it lives in chunks in its own store.
 *
 * <p>Binary form: format byte 2, last time, cadence, run, then a detector byte and its part. Format
 * 1, the 49-byte baseline state written before models existed, is still read, so a changelog
 * written by an older scorer restores.
 */
final class ChannelState {

    private static final byte FORMAT_V2 = 2;
    private static final byte BASELINE = 0;
    private static final byte LSTM = 1;
    private static final int BASELINE_SIZE = 6 * 8;

    long lastTime;
    final Cadence cadence;
    final AnomalyRun run;
    /** Exactly one of the two is set after a point is scored. */
    BaselineDetector.State baseline;
    LstmChannel lstm;

    private ChannelState(long lastTime, Cadence cadence, AnomalyRun run) {
        this.lastTime = lastTime;
        this.cadence = cadence;
        this.run = run;
    }

    /** A channel seen for the first time. */
    static ChannelState fresh() {
        return new ChannelState(Long.MIN_VALUE, new Cadence(), new AnomalyRun());
    }

    byte[] toBytes() {
        byte[] lstmPart = lstm == null ? null : lstm.toBytes();
        int size = 1 + Long.BYTES + cadence.serializedSize() + AnomalyRun.serializedSize() + 1
                + (lstmPart == null ? BASELINE_SIZE : lstmPart.length);
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT_V2).putLong(lastTime);
        cadence.writeTo(out);
        run.writeTo(out);
        if (lstmPart != null) {
            out.put(LSTM).put(lstmPart);
        } else {
            BaselineDetector.State b = baseline;
            out.put(BASELINE).putLong(b.count()).putLong(b.lastTime()).putDouble(b.lastValue())
                    .putDouble(b.smoothedError()).putDouble(b.errorMean()).putDouble(b.errorVariance());
        }
        return out.array();
    }

    static ChannelState fromBytes(byte[] bytes) {
        if (bytes[0] == 1) {
            BaselineDetector.State legacy = new BaselineStateSerde().deserializer().deserialize("", bytes);
            ChannelState s = new ChannelState(legacy.lastTime(), new Cadence(), new AnomalyRun());
            s.baseline = legacy;
            return s;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != FORMAT_V2) {
            throw new IllegalArgumentException("unknown channel state format " + bytes[0]);
        }
        ChannelState s = new ChannelState(in.getLong(), Cadence.readFrom(in), AnomalyRun.readFrom(in));
        if (in.get() == LSTM) {
            s.lstm = LstmChannel.readFrom(in);
        } else {
            s.baseline = new BaselineDetector.State(in.getLong(), in.getLong(), in.getDouble(), in.getDouble(),
                    in.getDouble(), in.getDouble());
        }
        return s;
    }
}
