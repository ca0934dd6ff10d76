package io.vigil.topology.release;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Decides whether a release, on its own, is a model the scorer can run; whether it may replace the
 * channel's current champion is {@link ChampionRule}'s decision. A release passes when:
 *
 * <ul>
 *   <li>its alias is {@value #CHAMPION}: the models topic carries champions only (on a compacted
 *       topic any other record of the channel would replace the champion); an archived version,
 *       alias unset, written there by mistake must not become the model;</li>
 *   <li>the SHA-256 of {@code parameters} equals {@code checksum} (hex, either case);</li>
 *   <li>{@link LstmParameters} reads the parameters for the architecture: byte count, finite values,
 *       and one input feature, because the scorer feeds the value alone;</li>
 *   <li>the scaling bounds are finite with {@code max > min};</li>
 *   <li>the threshold settings are valid {@link ThresholdSettings} with at least two batches per
 *       window, so the batch before the newest one is still in the window when its indices are
 *       turned into event times.</li>
 * </ul>
 */
public final class ReleaseCheck {

    /** The alias a release must carry to be scored with. */
    public static final String CHAMPION = "champion";

    /** A release that failed a check; the message says which. */
    public static final class BadRelease extends Exception {
        BadRelease(String message) {
            super(message);
        }
    }

    /** A release that passed: what the stores keep and the decoded weights. */
    public record Checked(ModelDescriptor descriptor, byte[] parameters, LstmParameters weights) {}

    private ReleaseCheck() {}

    public static Checked check(ModelRelease release, LstmParameters.Precision precision) throws BadRelease {
        if (!CHAMPION.equals(release.getAlias())) {
            throw new BadRelease("alias is " + (release.getAlias() == null ? "absent" : "'" + release.getAlias() + "'")
                    + "; the models topic carries '" + CHAMPION + "' records only (archived versions have no alias)");
        }
        byte[] parameters = bytes(release.getParameters());
        String actual = sha256Hex(parameters);
        if (!actual.equalsIgnoreCase(release.getChecksum())) {
            throw new BadRelease("checksum mismatch: release says " + release.getChecksum() + ", parameters hash to "
                    + actual);
        }
        LstmArchitecture architecture = release.getArchitecture();
        if (architecture.getInputSize() != 1) {
            throw new BadRelease("the scorer feeds one value per step, the model takes " + architecture.getInputSize());
        }
        LstmParameters weights;
        ThresholdSettings settings;
        try {
            weights = LstmParameters.fromBytes(architecture, parameters, precision);
            settings = thresholdSettings(release.getSettings());
        } catch (IllegalArgumentException e) {
            throw new BadRelease(e.getMessage());
        }
        if (settings.windowSize() < 2) {
            throw new BadRelease("windowSize must be at least 2, is " + settings.windowSize());
        }
        ScalingBounds bounds = release.getScaling();
        if (!Double.isFinite(bounds.getMin()) || !Double.isFinite(bounds.getMax()) || !(bounds.getMax() > bounds.getMin())) {
            throw new BadRelease("scaling bounds must be finite with max > min: [" + bounds.getMin() + ", "
                    + bounds.getMax() + "]");
        }
        ModelDescriptor descriptor = new ModelDescriptor(release.getVersion(), actual, architecture, bounds.getMin(),
                bounds.getMax(), settings, release.getReleasedAt().toEpochMilli());
        return new Checked(descriptor, parameters, weights);
    }

    static ThresholdSettings thresholdSettings(TelemanomSettings s) {
        return new ThresholdSettings(s.getBatchSize(), s.getWindowSize(), s.getSmoothingPerc(), s.getErrorBuffer(),
                s.getPruneP(), s.getLS());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /** SHA-256 as lower-case hex, the form {@code ModelRelease.checksum} documents. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
