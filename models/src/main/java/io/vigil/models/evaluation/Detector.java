package io.vigil.models.evaluation;

import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;

/** One way of finding anomalies, run the same way on every channel of an evaluation. */
public interface Detector {

    /** The name in reports, e.g. {@code lstm}. */
    String name();

    /** True if it scores with the channel's trained model (and cannot run without one). */
    boolean needsModel();

    /**
     * @param model the channel's trained model, or null
     */
    Detection detect(ChannelData channel, ReplayStream stream, ModelRelease model);
}
