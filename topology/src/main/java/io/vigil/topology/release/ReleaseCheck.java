package io.vigil.topology.release;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelInput;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Decides whether a release, on its own, is a model the scorer can run; whether it may replace the
 * channel's current champion is {@link ChampionRule}'s decision. A release passes when:
 *
 * <ul>
 *   <li>its alias is {@value #CHAMPION}: the models topic carries champions only (on a compacted
 *       topic any other record of the channel would replace the champion); an archived version,
 *       alias unset, written there by mistake must not become the model;</li>
 *   <li>the SHA-256 of {@code parameters} equals {@code checksum} (hex, either case);</li>
 *   <li>{@link LstmParameters} reads the parameters for the architecture: byte count, finite values;</li>
 *   <li>the network takes the value and the release's inputs: {@code inputSize == 1 + inputs}, since
 *       the scorer feeds exactly those;</li>
 *   <li>the value's and every input's scaling bounds are {@link ScaleRange#usable()}: finite with
 *       {@code max > min};</li>
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
        ScaleRange scaling = usable(release.getScaling(), "the value");
        List<ScaleRange> inputs = new ArrayList<>();
        for (ModelInput input : release.getInputs()) {
            inputs.add(usable(input.getScaling(), "input '" + input.getName() + "'"));
        }
        try {
            // The descriptor's constructor holds the rule that the network takes the value and the inputs.
            ModelDescriptor descriptor = new ModelDescriptor(release.getVersion(), actual, architecture, scaling, inputs,
                    settings, release.getReleasedAt().toEpochMilli(), DriftReference.fromRelease(release.getValueQuantiles()));
            return new Checked(descriptor, parameters, weights);
        } catch (IllegalArgumentException e) {
            throw new BadRelease(e.getMessage());
        }
    }

    private static ScaleRange usable(ScalingBounds bounds, String what) throws BadRelease {
        ScaleRange range = ScaleRange.of(bounds);
        if (!range.usable()) {
            throw new BadRelease("scaling bounds of " + what + " must be finite with max > min: " + range);
        }
        return range;
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
