package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new champion mid-stream: it scores from the channel's next point, and the channel restarts as
 * documented in docs/scoring.md (zero recurrent state, no pending forecast, empty error window, an
 * open segment closed under the old version).
 */
class HotSwapTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 8);

    @TempDir
    Path stateDir;

    private ScoringFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ScoringFixture(stateDir, Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void publish(int version, byte[] parameters) {
        fixture.publish(TestModels.champion("ch", version, SHAPE, parameters, -1.5, 1.5, TestModels.SMALL).build());
    }

    @Test
    void aNewChampionScoresFromTheNextPointStartingFromZeroState() {
        byte[] v1 = TestModels.persistenceParameters(SHAPE, 1, 0.05);
        byte[] v2 = TestModels.persistenceParameters(SHAPE, 2, 0.05);
        double[] values = LstmScoringTest.series(250, 8, 0, 0);
        long[] times = LstmScoringTest.times(values.length, 9);
        int swapAt = 150;
        publish(1, v1);
        for (int i = 0; i < swapAt; i++) {
            fixture.send("ch", times[i], values[i]);
        }
        assertFalse(fixture.windowKeys("ch").isEmpty());
        publish(2, v2);
        fixture.send("ch", times[swapAt], values[swapAt]);
        assertTrue(fixture.windowKeys("ch").isEmpty(), "the old model's error window is dropped");
        assertEquals(1, fixture.channel("ch").lstmSteps());
        for (int i = swapAt + 1; i < values.length; i++) {
            fixture.send("ch", times[i], values[i]);
        }

        List<ChannelScore> scores = fixture.scores();
        assertEquals(values.length, scores.size());
        for (int i = 0; i < values.length; i++) {
            assertEquals(i < swapAt ? 1 : 2, scores.get(i).getModelVersion(), "version at " + i);
            assertEquals(Detector.LSTM, scores.get(i).getDetector());
        }
        ChannelScore first = scores.get(swapAt);
        assertTrue(Double.isNaN(first.getForecast()) && Double.isNaN(first.getError()),
                "no forecast carries over from the old model");
        double[] after = Arrays.copyOfRange(values, swapAt, values.length);
        ReferenceScoring.Run ref = ReferenceScoring.run(LstmForwardPasses.scalar(), SHAPE, v2, -1.5, 1.5, after);
        for (int k = 1; k < after.length; k++) {
            assertEquals(ref.forecasts()[k], scores.get(swapAt + k).getForecast(), 3e-5, "forecast " + (swapAt + k));
            assertEquals(k < TestModels.SMALL.lS(), Double.isNaN(scores.get(swapAt + k).getSmoothedError()),
                    "the new model warms up before its errors count, " + (swapAt + k));
        }
        // The window restarted: the first threshold of the new model comes h points after its warm-up.
        int firstThreshold = swapAt + TestModels.SMALL.lS() + TestModels.SMALL.windowLength() - 1;
        assertTrue(Double.isNaN(scores.get(firstThreshold - 1).getThreshold()));
        assertFalse(Double.isNaN(scores.get(firstThreshold).getThreshold()));
        assertEquals(1.0, fixture.count("vigil.scoring.state.resets", "reason", "model"));
    }

    @Test
    void aSegmentOpenAtTheSwapIsClosedUnderTheOldVersion() {
        publish(1, TestModels.persistenceParameters(SHAPE, 1, 0.01));
        double[] values = LstmScoringTest.series(2000, 10, 0.8, 400, 200);
        long[] times = LstmScoringTest.times(values.length, 11);
        int i = 0;
        while (fixture.anomalies().isEmpty()) {
            fixture.send("ch", times[i], values[i]);
            i++;
            assertTrue(i < values.length, "the burst opens a segment");
        }
        AnomalyEvent open = fixture.anomalies().get(0);
        assertEquals(AnomalyStatus.OPEN, open.getStatus());
        assertTrue(fixture.channel("ch").segmentOpen());

        publish(2, TestModels.persistenceParameters(SHAPE, 2, 0.01));
        fixture.send("ch", times[i], values[i]);
        List<AnomalyEvent> events = fixture.anomalies();
        assertEquals(2, events.size());
        AnomalyEvent closed = events.get(1);
        assertEquals(AnomalyStatus.CLOSED, closed.getStatus());
        assertEquals(open.getStart(), closed.getStart());
        assertTrue(closed.getEnd().isAfter(closed.getStart()) && closed.getEnd().toEpochMilli() < times[i]);
        assertEquals(1, closed.getModelVersion(), "the segment belongs to the model that found it");
        assertEquals(Detector.LSTM, closed.getDetector());
        assertFalse(fixture.channel("ch").segmentOpen());
        List<ChannelScore> scores = fixture.scores();
        assertEquals(2, scores.get(scores.size() - 1).getModelVersion());
        assertFalse(scores.get(scores.size() - 1).getAnomalous());
    }
}
