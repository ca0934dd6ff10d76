package io.vigil.models.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The values each hyper-parameter may take. Trials draw one value of each, uniformly; trial 0 is
 * always the base settings (Telemanom's, or the command line's), so tuning can only keep or beat them.
 */
public record SearchSpace(List<Integer> units, List<Integer> layers, List<Double> dropout, List<Double> learningRate,
        List<Integer> sequenceLength, List<Integer> chunks) {

    /**
     * Around Telemanom's 2 x 80, dropout 0.3, Adam 1e-3, l_s 250: half and one and a half times the
     * units, one to three layers, learning rates a factor of about 3 apart, shorter segments.
     */
    public static final SearchSpace DEFAULT = new SearchSpace(List.of(40, 80, 120), List.of(1, 2, 3),
            List.of(0.1, 0.2, 0.3, 0.4), List.of(3e-4, 1e-3, 3e-3), List.of(100, 150, 250), List.of(0, 1, 2, 4));

    /** Draws tried before a trial settles for settings an earlier trial already has. */
    private static final int DRAWS = 100;

    public SearchSpace {
        units = nonEmpty("units", units);
        layers = nonEmpty("layers", layers);
        dropout = nonEmpty("dropout", dropout);
        learningRate = nonEmpty("lr", learningRate);
        sequenceLength = nonEmpty("l_s", sequenceLength);
        chunks = nonEmpty("chunks", chunks);
    }

    /** Distinct settings in the space. */
    public long size() {
        return (long) units.size() * layers.size() * dropout.size() * learningRate.size() * sequenceLength.size()
                * chunks.size();
    }

    /**
     * Settings for trial {@code trial} (from 1; trial 0 is the base), the same for the same seed and
     * trial whatever ran before, unlike any of {@code taken} while the space has others.
     */
    HyperParameters sample(long seed, int trial, Set<HyperParameters> taken) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + trial);
        HyperParameters drawn = null;
        for (int i = 0; i < DRAWS && (drawn == null || taken.contains(drawn)); i++) {
            drawn = new HyperParameters(pick(units, random), pick(layers, random), pick(dropout, random),
                    pick(learningRate, random), pick(sequenceLength, random), pick(chunks, random));
        }
        return drawn;
    }

    /** This space with one parameter's values replaced: {@code name=v1,v2,...}, the names of {@link #describe}. */
    public SearchSpace with(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("--space takes NAME=V1,V2,...: " + assignment);
        }
        String name = assignment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String values = assignment.substring(eq + 1);
        return switch (name) {
            case "units" -> new SearchSpace(ints(name, values), layers, dropout, learningRate, sequenceLength, chunks);
            case "layers" -> new SearchSpace(units, ints(name, values), dropout, learningRate, sequenceLength, chunks);
            case "dropout" -> new SearchSpace(units, layers, doubles(name, values), learningRate, sequenceLength, chunks);
            case "lr" -> new SearchSpace(units, layers, dropout, doubles(name, values), sequenceLength, chunks);
            case "l_s" -> new SearchSpace(units, layers, dropout, learningRate, ints(name, values), chunks);
            case "chunks" -> new SearchSpace(units, layers, dropout, learningRate, sequenceLength, ints(name, values));
            default -> throw new IllegalArgumentException("--space: no parameter " + name
                    + "; the parameters are units, layers, dropout, lr, l_s, chunks");
        };
    }

    /** One line per parameter: {@code units=40,80,120}, ... */
    public String describe() {
        return "units=" + join(units) + " layers=" + join(layers) + " dropout=" + join(dropout) + " lr="
                + join(learningRate) + " l_s=" + join(sequenceLength) + " chunks=" + join(chunks);
    }

    private static <T> T pick(List<T> values, SplittableRandom random) {
        return values.get(random.nextInt(values.size()));
    }

    private static <T> List<T> nonEmpty(String name, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("search space: " + name + " needs at least one value");
        }
        return List.copyOf(values);
    }

    private static List<Integer> ints(String name, String values) {
        return parse(name, values, Integer::valueOf);
    }

    private static List<Double> doubles(String name, String values) {
        return parse(name, values, Double::valueOf);
    }

    private static <T> List<T> parse(String name, String values, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (String v : values.split(",")) {
            try {
                out.add(parser.apply(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--space " + name + ": not a number: '" + v.trim() + "'");
            }
        }
        return out;
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
