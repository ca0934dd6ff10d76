package io.vigil.topology.release;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Everything about a channel's champion except its weights: small enough to read on every point, so
 * the scorer learns of a new champion from the very next point without touching the 311 KB of
 * parameters (those sit in their own store and, decoded, in the {@link ModelCache}).
 *
 * @param version the release's version; with the checksum it identifies the weights
 * @param checksum SHA-256 of the parameter bytes, lower-case hex, as verified on release
 * @param architecture the network's shape
 * @param scaleMin training value mapped to -1
 * @param scaleMax training value mapped to +1
 * @param settings how this model's errors are thresholded
 * @param releasedAt when the release was made, epoch milliseconds
 */
public record ModelDescriptor(int version, String checksum, LstmArchitecture architecture, double scaleMin,
                              double scaleMax, ThresholdSettings settings, long releasedAt) {

    /** Min-max scaling to [-1, 1] with the training bounds; values outside them are not clipped. */
    public double scale(double value) {
        return 2 * (value - scaleMin) / (scaleMax - scaleMin) - 1;
    }

    /** The inverse of {@link #scale}: a forecast back in the channel's units. */
    public double unscale(double scaled) {
        return scaleMin + (scaled + 1) * (scaleMax - scaleMin) / 2;
    }

    /**
     * Values the LSTM consumes after a (re)start before its errors are thresholded: the model's lS,
     * as Telemanom's first forecast follows lS inputs; at least 1, since the first value has no
     * forecast at all.
     */
    public int warmupSteps() {
        return Math.max(1, settings.lS());
    }

    private static final byte FORMAT_V1 = 1;

    /** The store's binary form: a format byte, then the fields in order (about 180 bytes). */
    public byte[] toBytes() {
        byte[] sum = checksum.getBytes(StandardCharsets.UTF_8);
        ThresholdSettings s = settings;
        LstmArchitecture a = architecture;
        return ByteBuffer.allocate(1 + 4 + 4 + sum.length + 4 * 4 + 2 * 8 + 4 * 4 + 2 * 8 + 8)
                .put(FORMAT_V1)
                .putInt(version)
                .putInt(sum.length).put(sum)
                .putInt(a.getInputSize()).putInt(a.getLayers()).putInt(a.getUnits()).putInt(a.getOutputSize())
                .putDouble(scaleMin).putDouble(scaleMax)
                .putInt(s.batchSize()).putInt(s.windowSize()).putInt(s.errorBuffer()).putInt(s.lS())
                .putDouble(s.smoothingPerc()).putDouble(s.pruneP())
                .putLong(releasedAt)
                .array();
    }

    /**
     * Reads {@link #toBytes()}'s form.
     *
     * @throws IllegalArgumentException if the bytes are not a version-1 descriptor
     */
    public static ModelDescriptor fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != FORMAT_V1) {
                throw new IllegalArgumentException("format " + bytes[0]);
            }
            int version = b.getInt();
            byte[] sum = new byte[b.getInt()];
            b.get(sum);
            LstmArchitecture a = new LstmArchitecture(b.getInt(), b.getInt(), b.getInt(), b.getInt());
            double min = b.getDouble();
            double max = b.getDouble();
            int batch = b.getInt();
            int window = b.getInt();
            int buffer = b.getInt();
            int lS = b.getInt();
            ThresholdSettings s = new ThresholdSettings(batch, window, b.getDouble(), buffer, b.getDouble(), lS);
            return new ModelDescriptor(version, new String(sum, StandardCharsets.UTF_8), a, min, max, s, b.getLong());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable model descriptor (" + bytes.length + " bytes)", e);
        }
    }
}
