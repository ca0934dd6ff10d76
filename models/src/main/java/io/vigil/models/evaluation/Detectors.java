package io.vigil.models.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The detectors an evaluation can run, by the names the command line uses. */
public final class Detectors {

    /** Every name {@link #named} knows, in report order. */
    public static final List<String> NAMES = List.of("lstm", "lstm-half", "baseline", "rcf");

    private Detectors() {}

    public static List<Detector> named(List<String> names, long seed) {
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("detectors named twice: " + names);
        }
        List<Detector> out = new ArrayList<>();
        for (String name : names) {
            out.add(switch (name) {
                case "lstm" -> new TopologyDetector(name, true, Map.of());
                case "lstm-half" -> new TopologyDetector(name, true, Map.of("scoring.model.precision", "half"));
                case "baseline" -> new TopologyDetector(name, false, Map.of());
                case "rcf" -> new RcfDetector(seed);
                default -> throw new IllegalArgumentException("unknown detector '" + name + "'; known: " + NAMES);
            });
        }
        return out;
    }
}
