package io.vigil.models.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One channel as the trainer and the evaluation see it: a nominal training series and a test series
 * with its labeled anomalies. Arrays are not copied: treat them as read-only.
 *
 * @param channelId the channel id telemetry carries (Telemanom's {@code chan_id}, a CSV file's name
 *     without {@code .csv}), and so the key of the channel's model
 * @param source where it came from, e.g. {@code nab/realKnownCause} or {@code telemanom/SMAP}
 * @param train the nominal series the model learns from (column 0 of multivariate files)
 * @param test the series the model is evaluated on; the labels index it
 * @param trainTimes event times (epoch ms) of {@code train}, or {@code null} when the layout has indices
 *     only (Telemanom)
 * @param testTimes event times of {@code test}, or {@code null} like {@code trainTimes}
 * @param labels labeled anomalies of {@code test}, in order of {@code first}
 * @param notes things the loader decided that a user should know (skipped rows, a shortened training
 *     part), one sentence each
 * @param inputs the input features beside the value, aligned with {@code train} and {@code test};
 *     {@link InputColumns#NONE} for a channel of the value alone
 */
public record ChannelData(String channelId, String source, double[] train, double[] test, long[] trainTimes,
        long[] testTimes, List<LabelRange> labels, List<String> notes, InputColumns inputs) {

    /** A channel of the value alone. */
    public ChannelData(String channelId, String source, double[] train, double[] test, long[] trainTimes,
                       long[] testTimes, List<LabelRange> labels, List<String> notes) {
        this(channelId, source, train, test, trainTimes, testTimes, labels, notes, InputColumns.NONE);
    }

    public ChannelData {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(inputs, "inputs");
        for (int i = 0; i < inputs.count(); i++) {
            if (inputs.train()[i].length != train.length || inputs.test()[i].length != test.length) {
                throw new IllegalArgumentException(channelId + ": input '" + inputs.names().get(i)
                        + "' and the values differ in length");
            }
        }
        if (channelId.isBlank()) {
            throw new IllegalArgumentException("a channel needs an id");
        }
        if (trainTimes != null && trainTimes.length != train.length
                || testTimes != null && testTimes.length != test.length) {
            throw new IllegalArgumentException(channelId + ": times and values differ in length");
        }
        for (LabelRange label : labels) {
            if (label.last() >= test.length) {
                throw new IllegalArgumentException(channelId + ": label " + label + " beyond the test series of "
                        + test.length + " points");
            }
        }
        labels = List.copyOf(labels);
        notes = List.copyOf(notes);
        source = source == null ? "" : source;
    }

    /** The same channel without its input features, for a model of the value alone. */
    public ChannelData withoutInputs() {
        return new ChannelData(channelId, source, train, test, trainTimes, testTimes, labels, notes, InputColumns.NONE);
    }

    /**
     * SHA-256 (lower-case hex) of the training values as little-endian float64, then each input's
     * training column the same way, exactly the numbers the model learned from before scaling: two
     * releases with equal hashes saw the same data.
     */
    public String trainHash() {
        ByteBuffer bytes = ByteBuffer.allocate((1 + inputs.count()) * train.length * Double.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(train);
        for (int i = 0; i < inputs.count(); i++) {
            bytes.position((1 + i) * train.length * Double.BYTES);
            bytes.asDoubleBuffer().put(inputs.train()[i]);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ChannelData[" + channelId + ", " + source + ", train " + train.length + ", test " + test.length
                + ", labels " + labels.size() + (inputs.count() > 0 ? ", inputs " + inputs.count() : "") + "]";
    }
}
