/**
 * Telemanom's non-parametric dynamic thresholding (Hundman et al., KDD 2018) in plain Java, in two
 * forms that decide the same indices: {@link io.vigil.topology.scoring.telemanom.BatchTelemanom} over
 * a whole series, and {@link io.vigil.topology.scoring.telemanom.StreamingThreshold} one record at a
 * time, its window in chunks ({@link io.vigil.topology.scoring.telemanom.ChunkStore}) so a Kafka
 * processor stores a batch of the window once, when it is complete.
 *
 * <p>The pieces: {@link io.vigil.topology.scoring.telemanom.Ewma} smooths the errors;
 * {@link io.vigil.topology.scoring.telemanom.ThresholdSearch} decides one window (threshold search on
 * normal and inverted errors, significance rules, flagging, widening, pruning, severity) with
 * {@link io.vigil.topology.scoring.telemanom.Pruning}; the two detectors slide the window and join the
 * flags into {@link io.vigil.topology.scoring.telemanom.AnomalySequence}s.
 *
 * <p>The rules follow Telemanom's paper and reference implementation. Where they left room, the
 * choice is documented on the class that makes it.
 */
package io.vigil.topology.scoring.telemanom;
