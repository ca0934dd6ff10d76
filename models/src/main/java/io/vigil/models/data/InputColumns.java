package io.vigil.models.data;

import java.util.List;
import java.util.Objects;

/**
 * A channel's input features beside its value (Telemanom's command columns, a setpoint), column by
 * column: what the model takes at network inputs 1.. and points carry in {@code TelemetryPoint.inputs}.
 * Arrays are not copied: treat them as read-only.
 *
 * @param names one per input, in the order points carry them
 * @param train {@code [input][point]}, aligned with the channel's training series
 * @param test {@code [input][point]}, aligned with its test series
 */
public record InputColumns(List<String> names, double[][] train, double[][] test) {

    /** A channel of the value alone. */
    public static final InputColumns NONE = new InputColumns(List.of(), new double[0][], new double[0][]);

    public InputColumns {
        names = List.copyOf(names);
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.length != names.size() || test.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " input names for " + train.length + " training and "
                    + test.length + " test columns");
        }
    }

    public int count() {
        return names.size();
    }
}
