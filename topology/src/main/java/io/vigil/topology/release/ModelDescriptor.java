package io.vigil.topology.release;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about a channel's champion except its weights: small enough to read on every point, so
 * the scorer learns of a new champion from the very next point without touching the 311 KB of
 * parameters (those sit in their own store and, decoded, in the {@link ModelCache}).
 *
 * @param version the release's version; with the checksum it identifies the weights
 * @param checksum SHA-256 of the parameter bytes, lower-case hex, as verified on release
 * @param architecture the network's shape
 * @param scaling how the value is scaled to the network and its forecast back
 * @param inputs how each input feature is scaled, in the order points carry them; empty for a model
 *     of the value alone ({@code architecture.inputSize == 1 + inputs.size()})
 * @param settings how this model's errors are thresholded
 * @param releasedAt when the release was made, epoch milliseconds
 * @param drift the training values' quantile sketch the channel's drift is measured against; null for a
 *     release without one
 */
public record ModelDescriptor(int version, String checksum, LstmArchitecture architecture, ScaleRange scaling,
                              List<ScaleRange> inputs, ThresholdSettings settings, long releasedAt,
                              DriftReference drift) {

    public ModelDescriptor {
        inputs = List.copyOf(inputs);
        if (architecture.getInputSize() != 1 + inputs.size()) {
            throw new IllegalArgumentException("the network takes " + architecture.getInputSize() + " features per"
                    + " step, but " + inputs.size() + " inputs are named beside the value");
        }
    }

    /**
     * Values the LSTM consumes after a (re)start before its errors are thresholded: the model's lS,
     * as Telemanom's first forecast follows lS inputs; at least 1, since the first value has no
     * forecast at all.
     */
    public int warmupSteps() {
        return Math.max(1, settings.lS());
    }

    /** Without inputs, written before models took input features; still read from restored stores. */
    private static final byte FORMAT_V1 = 1;
    /** V1's fields, then the input count and each input's min and max. */
    private static final byte FORMAT_V2 = 2;
    /** V2's fields, then the sketch's quantile count and its quantiles. */
    private static final byte FORMAT_V3 = 3;

    /**
     * The store's binary form: a format byte, then the fields in order (about 180 bytes, + 16k with k
     * inputs, + 408 with a sketch of 101). A descriptor without a sketch is written as version 2, which a
     * scorer from before drift can read.
     */
    public byte[] toBytes() {
        byte[] sum = checksum.getBytes(StandardCharsets.UTF_8);
        ThresholdSettings s = settings;
        LstmArchitecture a = architecture;
        int quantiles = drift == null ? 0 : drift.quantiles().length;
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + 4 + sum.length + 4 * 4 + 2 * 8 + 4 * 4 + 2 * 8 + 8
                        + 4 + inputs.size() * 2 * 8 + (drift == null ? 0 : 4 + quantiles * 4))
                .put(drift == null ? FORMAT_V2 : FORMAT_V3)
                .putInt(version)
                .putInt(sum.length).put(sum)
                .putInt(a.getInputSize()).putInt(a.getLayers()).putInt(a.getUnits()).putInt(a.getOutputSize())
                .putDouble(scaling.min()).putDouble(scaling.max())
                .putInt(s.batchSize()).putInt(s.windowSize()).putInt(s.errorBuffer()).putInt(s.lS())
                .putDouble(s.smoothingPerc()).putDouble(s.pruneP())
                .putLong(releasedAt)
                .putInt(inputs.size());
        for (ScaleRange input : inputs) {
            out.putDouble(input.min()).putDouble(input.max());
        }
        if (drift != null) {
            out.putInt(quantiles);
            for (float v : drift.quantiles()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /**
     * Reads {@link #toBytes()}'s form, or an earlier version's.
     *
     * @throws IllegalArgumentException if the bytes are not a version-1, 2 or 3 descriptor
     */
    public static ModelDescriptor fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte format = b.get();
            if (format != FORMAT_V1 && format != FORMAT_V2 && format != FORMAT_V3) {
                throw new IllegalArgumentException("format " + format);
            }
            int version = b.getInt();
            byte[] sum = new byte[b.getInt()];
            b.get(sum);
            LstmArchitecture a = new LstmArchitecture(b.getInt(), b.getInt(), b.getInt(), b.getInt());
            ScaleRange scaling = new ScaleRange(b.getDouble(), b.getDouble());
            int batch = b.getInt();
            int window = b.getInt();
            int buffer = b.getInt();
            int lS = b.getInt();
            ThresholdSettings s = new ThresholdSettings(batch, window, b.getDouble(), buffer, b.getDouble(), lS);
            long releasedAt = b.getLong();
            List<ScaleRange> inputs = new ArrayList<>();
            if (format >= FORMAT_V2) {
                int count = b.getInt();
                if (count < 0 || count > b.remaining() / 16) {
                    throw new IllegalArgumentException(count + " inputs");
                }
                for (int i = 0; i < count; i++) {
                    inputs.add(new ScaleRange(b.getDouble(), b.getDouble()));
                }
            }
            DriftReference drift = null;
            if (format == FORMAT_V3) {
                int count = b.getInt();
                if (count < 2 || count > b.remaining() / 4) {
                    throw new IllegalArgumentException(count + " quantiles");
                }
                float[] q = new float[count];
                for (int i = 0; i < count; i++) {
                    q[i] = b.getFloat();
                }
                drift = new DriftReference(q);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
            return new ModelDescriptor(version, new String(sum, StandardCharsets.UTF_8), a, scaling, inputs, s,
                    releasedAt, drift);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable model descriptor (" + bytes.length + " bytes)", e);
        }
    }
}
