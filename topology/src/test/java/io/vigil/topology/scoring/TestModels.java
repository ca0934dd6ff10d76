package io.vigil.topology.scoring;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.topology.release.ReleaseCheck;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/** Releases with random weights of a given shape, as the models topic carries them. */
public final class TestModels {

    /** Small windows so thresholds decide often in short tests: h = 60, batches of 10, lS = 10. */
    public static final ThresholdSettings SMALL = new ThresholdSettings(10, 6, 0.05, 5, 0.13, 10);

    private TestModels() {}

    public static LstmArchitecture shape(int layers, int units) {
        return LstmArchitecture.newBuilder().setInputSize(1).setLayers(layers).setUnits(units).setOutputSize(1).build();
    }

    /** DL4J-layout weights scaled like Xavier initialisation, distinct per seed. */
    public static byte[] randomParameters(LstmArchitecture a, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = (int) io.vigil.topology.scoring.lstm.LstmParameters.parameterCount(a);
        double scale = Math.sqrt(6.0 / (5.0 * a.getUnits()));
        ByteBuffer out = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out.putFloat((float) ((random.nextDouble() * 2 - 1) * scale));
        }
        return out.array();
    }

    /**
     * A network built to forecast roughly "the next value equals this one" (so its errors are small on
     * a smooth series and large where the series jumps), plus noise of {@code noise} on every weight
     * so that each seed is a distinct model. Each LSTM unit carries 0.1 x through a near-linear tanh
     * with the input gate open, the forget gate shut and no recurrence; the dense layer scales back.
     */
    public static byte[] persistenceParameters(LstmArchitecture a, long seed, double noise) {
        SplittableRandom random = new SplittableRandom(seed);
        int h = a.getUnits();
        int g = 4 * h;
        float[] flat = new float[(int) io.vigil.topology.scoring.lstm.LstmParameters.parameterCount(a)];
        int at = 0;
        for (int l = 0; l < a.getLayers(); l++) {
            int nIn = l == 0 ? a.getInputSize() : h;
            for (int unit = 0; unit < h; unit++) {
                // W is column-major [nIn, 4H]: (row, col) at at + row + col * nIn; candidate columns first.
                int row = l == 0 ? 0 : unit;
                flat[at + row + unit * nIn] = l == 0 ? 0.1f : 1f;
            }
            at += nIn * g + h * g;
            for (int unit = 0; unit < h; unit++) {
                flat[at + h + unit] = -6f;     // forget
                flat[at + 2 * h + unit] = 6f;  // output
                flat[at + 3 * h + unit] = 6f;  // input
            }
            at += g;
        }
        for (int unit = 0; unit < h; unit++) {
            flat[at + unit] = 10f / h;
        }
        ByteBuffer out = ByteBuffer.allocate(flat.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float w : flat) {
            out.putFloat((float) (w + noise * (random.nextDouble() * 2 - 1)));
        }
        return out.array();
    }

    public static TelemanomSettings avro(ThresholdSettings s) {
        return TelemanomSettings.newBuilder().setBatchSize(s.batchSize()).setWindowSize(s.windowSize())
                .setSmoothingPerc(s.smoothingPerc()).setErrorBuffer(s.errorBuffer()).setPruneP(s.pruneP())
                .setLS(s.lS()).build();
    }

    /** A champion release of {@code parameters} with a correct checksum and scaling [min, max]. */
    public static ModelRelease.Builder champion(String channel, int version, LstmArchitecture a, byte[] parameters,
                                                double min, double max, ThresholdSettings settings) {
        return ModelRelease.newBuilder()
                .setChannelId(channel)
                .setVersion(version)
                .setAlias(ReleaseCheck.CHAMPION)
                .setArchitecture(a)
                .setParameters(ByteBuffer.wrap(parameters))
                .setScaling(ScalingBounds.newBuilder().setMin(min).setMax(max).build())
                .setSettings(avro(settings))
                .setTrainingInfo(Map.of())
                .setMetrics(Map.of())
                .setChecksum(ReleaseCheck.sha256Hex(parameters))
                .setReleasedAt(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
