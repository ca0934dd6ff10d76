package io.vigil.topology.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.topology.property.Harness.Escape;
import io.vigil.topology.property.HeartbeatPropertiesTest.Advance;
import io.vigil.topology.property.HeartbeatPropertiesTest.Beat;
import io.vigil.topology.property.Specs.Encoded;
import io.vigil.topology.property.Specs.ReleaseSpec;
import io.vigil.topology.property.Specs.TelemetrySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property 2: whatever arrives on the three input topics, in either liveness time mode, and however
 * the wall clock moves, no exception (and no endless loop) reaches the driver: in the deployed scorer
 * such a record kills the stream thread, which is replaced and retries the same record, for ever.
 */
class NoEscapePropertiesTest {

    /** One input on any topic, or a step of the wall clock. */
    record Input(Object what) {
        @Override
        public String toString() {
            String kind = what instanceof TelemetrySpec ? "telemetry " : what instanceof ReleaseSpec ? "models " : "";
            return kind + what;
        }
    }

    @Provide
    Arbitrary<List<Input>> anyInputs() {
        Arbitrary<Object> any = Arbitraries.frequencyOf(
                Tuple.of(6, Generators.telemetry()),
                Tuple.of(2, Generators.releases(Generators.channelIds())),
                Tuple.of(3, HeartbeatPropertiesTest.steps(Generators.nodeIds())));
        return any.map(Input::new).list().ofMinSize(1).ofMaxSize(50)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of(HeartbeatPropertiesTest.MODES);
    }

    @Property(tries = 100)
    void noInputMakesAnExceptionReachTheDriver(@ForAll("modes") String mode, @ForAll("anyInputs") List<Input> inputs) {
        try (Harness h = new Harness(Map.of("liveness.time.mode", mode, "baseline.warmup", "5"))) {
            List<Escape> escaped = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Object what = inputs.get(i).what();
                if (what instanceof TelemetrySpec t) {
                    Encoded e = Specs.encode(h, t, i);
                    h.pipeTelemetry(e.key(), e.value(), e.timestamp(), escaped);
                } else if (what instanceof ReleaseSpec r) {
                    Encoded e = Specs.encode(h, r);
                    h.pipeModel(e.key(), e.value(), e.timestamp(), escaped);
                } else if (what instanceof Beat b) {
                    Encoded e = Specs.encode(h, b.beat(), i, b.timestamp());
                    h.pipeHeartbeat(e.key(), e.value(), e.timestamp(), escaped);
                } else {
                    h.advanceWallClock(((Advance) what).ms(), escaped);
                }
                if (!escaped.isEmpty()) {
                    int at = i;
                    Escape x = escaped.get(0);
                    Statistics.label("escape").collect(x.error().getClass().getSimpleName());
                    assertTrue(false, () -> "mode " + mode + ": " + TelemetryPropertiesTest.report(List.of("input " + at
                            + " " + inputs.get(at) + ": " + Harness.describe(x.error())), inputs.subList(0, at + 1)));
                }
            }
            Statistics.label("escape").collect("none");
            TelemetryPropertiesTest.collectProcessingErrors(h);
        }
    }
}
