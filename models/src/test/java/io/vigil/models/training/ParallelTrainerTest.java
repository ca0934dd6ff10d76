package io.vigil.models.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import io.vigil.models.export.ParameterExport;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelTrainerTest {

    @TempDir
    Path out;

    @Test
    void trainsChannelsInParallelWritesCandidatesAndReportsFailuresInTheTable() {
        List<ChannelData> channels = List.of(Series.sine("pump/1", 200, 5, 1), Series.sine("pump-2", 150, -5, 3),
                Series.sine("tiny", 3, 0, 1));
        List<String> progress = new ArrayList<>();
        List<ParallelTrainer.Outcome> outcomes = ParallelTrainer.trainAll(channels, c -> Series.tiny(Scheme.TBPTT, 2), 2,
                new ParallelTrainer.Output(out, "fixtures", "csv"), progress::add);
        assertEquals(List.of("pump-2", "pump/1", "tiny"), outcomes.stream().map(ParallelTrainer.Outcome::channelId).toList());
        assertTrue(outcomes.get(0).ok() && outcomes.get(1).ok());
        assertFalse(outcomes.get(2).ok());
        assertTrue(outcomes.get(2).error().contains("too few"), outcomes.get(2).error());
        assertFalse(progress.isEmpty(), "progress lines were written");

        String table = ParallelTrainer.summary(outcomes, 2, MemoryBudget.peakRssBytes());
        System.out.print(table);
        assertTrue(table.lines().findFirst().orElseThrow().matches("channel\\s+points\\s+epochs\\s+best\\s+val loss\\s+seconds.*"), table);
        assertTrue(table.contains("FAILED"), table);
        assertTrue(table.contains("2 of 3 channels trained"), table);

        List<ModelRelease> candidates = CandidateFiles.readAll(out);
        assertEquals(List.of("pump-2", "pump/1"), candidates.stream().map(ModelRelease::getChannelId).toList());
        ModelRelease c = candidates.get(1);
        assertEquals(0, c.getVersion());
        assertNull(c.getAlias());
        ByteBuffer params = c.getParameters();
        byte[] bytes = new byte[params.remaining()];
        params.duplicate().get(bytes);
        assertEquals(ParameterExport.sha256Hex(bytes), c.getChecksum());
        assertEquals(channels.get(0).trainHash(), c.getDataHash());
        assertEquals(Scaling.fit(channels.get(0).train()), c.getScaling());
        assertEquals("tbptt", c.getTrainingInfo().get("scheme"));
        assertEquals("200", c.getTrainingInfo().get("trainPoints"));
        List<Float> q = c.getValueQuantiles();
        assertEquals(io.vigil.topology.scoring.drift.DriftReference.QUANTILES, q.size(), "the release carries the sketch");
        assertEquals(-1f, q.get(0), 1e-6f, "of the scaled training series, whose minimum scales to -1");
        assertEquals(1f, q.get(q.size() - 1), 1e-6f, "and maximum to +1");
        assertEquals(40, c.getSettings().getLS());
        assertTrue(c.getMetrics().get("val_mse") > 0);
        assertTrue(outcomes.get(1).file().getFileName().toString().startsWith("pump_1-"), "unsafe ids get a hashed file name");
    }
}
