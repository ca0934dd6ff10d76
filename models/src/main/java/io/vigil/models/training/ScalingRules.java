package io.vigil.models.training;

import io.vigil.avro.ScalingBounds;
import io.vigil.avro.ScalingSource;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which channels are scaled with bounds an operator gives rather than bounds learned from their
 * training series. Learned bounds follow the training data, so a retrain on data with a new extreme
 * moves every scaled value and the errors the threshold was set on; an operator who knows a sensor's
 * range (a voltage between 200 and 260 V, a percentage) fixes it, and every model of those channels
 * scales alike. The first rule whose pattern matches the channel id wins; channels no rule matches are
 * learned ({@link Scaling#fit}).
 */
public record ScalingRules(List<Rule> rules) {

    /** No rule: every channel's bounds are learned. */
    public static final ScalingRules LEARNED = new ScalingRules(List.of());

    /**
     * Channels matching {@code pattern} are scaled with [{@code min}, {@code max}]. In the pattern
     * {@code *} stands for any characters but {@code /}, {@code **} for any characters, {@code ?} for one
     * character but {@code /}; everything else stands for itself ({@code grid/*}{@code /voltage_v}).
     */
    public record Rule(String pattern, double min, double max) {
        public Rule {
            if (pattern == null || pattern.isEmpty()) {
                throw new IllegalArgumentException("a scaling rule needs a channel pattern");
            }
            if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min) || !Double.isFinite(max - min)) {
                throw new IllegalArgumentException("scaling rule " + pattern + ": bounds must be finite with max > min, were ["
                        + min + ", " + max + "]");
            }
        }

        boolean matches(String channelId) {
            return regex(pattern).matcher(channelId).matches();
        }

        /**
         * {@code PATTERN=MIN:MAX}, as the command line gives it; the last {@code =} splits, so a pattern
         * may hold one.
         */
        public static Rule parse(String text) {
            int eq = text.lastIndexOf('=');
            int colon = text.indexOf(':', eq + 1);
            if (eq <= 0 || colon < 0) {
                throw new IllegalArgumentException("a fixed scaling is PATTERN=MIN:MAX, e.g. 'grid/*/voltage_v=200:260', was '"
                        + text + "'");
            }
            try {
                return new Rule(text.substring(0, eq), Double.parseDouble(text.substring(eq + 1, colon)),
                        Double.parseDouble(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a fixed scaling's bounds are numbers: '" + text + "'");
            }
        }
    }

    public ScalingRules {
        rules = List.copyOf(rules);
    }

    /** The bounds of {@code channelId}: the first matching rule's, else learned from {@code train}. */
    public ScalingBounds boundsFor(String channelId, double[] train) {
        for (Rule r : rules) {
            if (r.matches(channelId)) {
                return ScalingBounds.newBuilder().setMin(r.min()).setMax(r.max()).setSource(ScalingSource.FIXED).build();
            }
        }
        return Scaling.fit(train);
    }

    private static Pattern regex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
