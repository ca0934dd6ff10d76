package io.vigil.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.TelemanomLabels.Row;
import io.vigil.datasets.TelemanomLabels.Sequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemanomLabelsTest {

    /**
     * The shape of NASA's SMAP/MSL file: its header, quoted lists, sequences not always in order, and P-2
     * listed twice (lines 14 and 15) with overlapping sequences.
     */
    static final String NASA_LIKE = """
            chan_id,spacecraft,anomaly_sequences,class,num_values
            P-1,SMAP,"[[2149, 2349], [4536, 4844], [3539, 3779]]","[contextual, contextual, contextual]",8505
            S-1,SMAP,"[[5300, 5747]]",[point],7331
            E-1,SMAP,"[[5000, 5030], [5610, 6086]]","[contextual, contextual]",8516
            E-2,SMAP,"[[5598, 5934]]",[point],8532
            E-3,SMAP,"[[5094, 8306]]",[point],8307
            E-4,SMAP,"[[5450, 5491]]",[point],8354
            E-5,SMAP,"[[5600, 5800]]",[point],8294
            E-6,SMAP,"[[5550, 5590]]",[point],8300
            E-7,SMAP,"[[5000, 5100], [6000, 6200]]","[point, point]",8310
            E-8,SMAP,"[[5400, 5460]]",[point],8532
            E-9,SMAP,"[[5300, 5350]]",[point],8505
            E-10,SMAP,"[[5660, 5710]]",[point],8500
            P-2,SMAP,"[[5300, 6575]]",[point],8209
            P-2,SMAP,"[[5000, 5400], [7000, 7100]]","[contextual, point]",8209
            M-6,MSL,"[[1850, 2030]]",[point],2049
            """;

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve(TelemanomLabels.FILE), content);
    }

    @Test
    void aChannelListedTwiceIsOneChannelWithTheUnionOfItsSequencesAndANote() throws IOException {
        Path file = file(NASA_LIKE);
        TelemanomLabels labels = TelemanomLabels.read(file);

        assertEquals(14, labels.rows().size(), "P-2 is one channel");
        assertEquals(List.of("P-1", "S-1", "E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-7", "E-8", "E-9", "E-10", "P-2",
                "M-6"), List.copyOf(labels.rows().keySet()), "in the order channels are first listed");
        Row p2 = labels.rows().get("P-2");
        assertEquals(List.of(14, 15), p2.lines());
        assertEquals(14, p2.line());
        assertEquals(8209, p2.numValues());
        assertEquals("SMAP", p2.spacecraft());
        // [5000, 5400] and [5300, 6575] overlap: one sequence, both kinds; [7000, 7100] stays apart.
        assertEquals(List.of(new Sequence(5000, 6575, "contextual/point"), new Sequence(7000, 7100, "point")),
                p2.sequences());
        assertEquals(Map.of("P-2", file + ": P-2 listed 2 times (lines 14, 15): sequences merged (3 listed, 2 after"
                + " joining overlapping or adjacent ones)"), labels.notes());

        // A channel listed once is read as before: its own sequences, sorted, and no note.
        Row p1 = labels.rows().get("P-1");
        assertEquals(List.of(2), p1.lines());
        assertEquals(List.of(2149, 3539, 4536), p1.sequences().stream().map(Sequence::first).toList());
    }

    @Test
    void adjacentSequencesOfARepeatedChannelAreJoinedAndEveryListingCounts() throws IOException {
        Path file = file("""
                chan_id,spacecraft,anomaly_sequences,class,num_values
                P-2,SMAP,"[[10, 14]]",[point],100
                A-1,SMAP,[],[],100
                P-2,SMAP,"[[15, 19], [40, 45]]","[point, point]",100
                P-2,SMAP,"[[41, 42]]",[point],100
                """);
        TelemanomLabels labels = TelemanomLabels.read(file);
        Row p2 = labels.rows().get("P-2");
        assertEquals(List.of(2, 4, 5), p2.lines());
        assertEquals(List.of(new Sequence(10, 19, "point"), new Sequence(40, 45, "point")), p2.sequences());
        assertTrue(labels.notes().get("P-2").contains("P-2 listed 3 times (lines 2, 4, 5): sequences merged (4 listed, 2"),
                labels.notes().toString());
        assertEquals(List.of("P-2"), List.copyOf(labels.notes().keySet()));
    }

    @Test
    void aRepeatedChannelWhoseRowsDisagreeOnItsSeriesIsRefusedNamingBothLines() throws IOException {
        Path file = file(NASA_LIKE.replace("[[5000, 5400], [7000, 7100]]\",\"[contextual, point]\",8209",
                "[[5000, 5400], [7000, 7100]]\",\"[contextual, point]\",8210"));
        DataFormatException length = assertThrows(DataFormatException.class, () -> TelemanomLabels.read(file));
        assertEquals(15, length.line());
        assertEquals(file + ":15: channel 'P-2' has num_values 8210 here but 8209 on line 14; a channel has one test"
                + " series, so its rows must agree", length.getMessage());

        Path craft = file("chan_id,spacecraft,anomaly_sequences,class,num_values\nP-2,SMAP,[],[],10\nP-2,MSL,[],[],10\n");
        DataFormatException spacecraft = assertThrows(DataFormatException.class, () -> TelemanomLabels.read(craft));
        assertTrue(spacecraft.getMessage().startsWith(craft + ":3: channel 'P-2' is of spacecraft 'MSL' here but 'SMAP'"
                + " on line 2"), spacecraft.getMessage());
    }

    @Test
    void aFileWithoutRepeatsHasNoNotes() throws IOException {
        TelemanomLabels labels = TelemanomLabels.read(file(NASA_LIKE.replace("P-2,SMAP,\"[[5000", "P-3,SMAP,\"[[5000")));
        assertEquals(15, labels.rows().size());
        assertEquals(Map.of(), labels.notes());
    }
}
