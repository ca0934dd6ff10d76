package io.vigil.models.training;

import io.vigil.avro.ScalingBounds;
import io.vigil.avro.ScalingSource;
import io.vigil.models.data.ChannelData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingRulesTest {

    private static final double[] TRAIN = {228, 231, 229.5, 233};

    private final ScalingRules rules = new ScalingRules(List.of(
            ScalingRules.Rule.parse("grid/*/voltage_v=200:260"),
            ScalingRules.Rule.parse("grid/**=0:100"),
            ScalingRules.Rule.parse("sat-?=-1e3:1e3")));

    @Test
    void theFirstMatchingRuleFixesTheBoundsAndTheRestAreLearned() {
        assertEquals(fixed(200, 260), rules.boundsFor("grid/meter-7/voltage_v", TRAIN));
        assertEquals(fixed(0, 100), rules.boundsFor("grid/meter-7/current_a", TRAIN), "the second rule, ** spans /");
        assertEquals(fixed(0, 100), rules.boundsFor("grid/a/b/voltage_v", TRAIN), "* does not span /, so the first misses");
        assertEquals(fixed(-1000, 1000), rules.boundsFor("sat-A", TRAIN));
        ScalingBounds learned = rules.boundsFor("sat-AB", TRAIN);
        assertEquals(Scaling.fit(TRAIN), learned, "? is one character");
        assertEquals(ScalingSource.LEARNED, learned.getSource());
        assertEquals(228, learned.getMin());
    }

    @Test
    void aPatternStandsForItselfButForItsWildcards() {
        ScalingRules dots = new ScalingRules(List.of(ScalingRules.Rule.parse("a.b(c)=1:2")));
        assertEquals(ScalingSource.FIXED, dots.boundsFor("a.b(c)", TRAIN).getSource());
        assertEquals(ScalingSource.LEARNED, dots.boundsFor("aXb(c)", TRAIN).getSource());
        assertEquals(ScalingSource.FIXED, new ScalingRules(List.of(ScalingRules.Rule.parse("x=y=1:2")))
                .boundsFor("x=y", TRAIN).getSource(), "the last = splits");
    }

    @Test
    void boundsThatCannotScaleAreRefusedWhenGiven() {
        for (String bad : List.of("grid=260:200", "grid=5:5", "grid=0:inf", "grid=NaN:1", "grid=a:b", "grid", "=1:2", "grid=1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalingRules.Rule.parse(bad), bad);
            assertTrue(e.getMessage().contains("grid") || e.getMessage().contains("PATTERN"), e.getMessage());
        }
    }

    @Test
    void aTrainedModelCarriesTheFixedBoundsAndScalesWithThem() {
        ChannelData data = Series.sine("sine-fixed", 200, 0, 1);
        TrainingConfig config = Series.tiny(Scheme.TBPTT, 2).withScaling(new ScalingRules(List.of(
                ScalingRules.Rule.parse("sine-*=-5:5"))));
        TrainedModel m = ChannelTrainer.train(data, config);
        assertEquals(fixed(-5, 5), m.bounds());
    }

    private static ScalingBounds fixed(double min, double max) {
        return ScalingBounds.newBuilder().setMin(min).setMax(max).setSource(ScalingSource.FIXED).build();
    }
}
