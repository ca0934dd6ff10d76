package io.vigil.replay.source;

import static io.vigil.replay.source.NpyFixture.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private String error(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> Npy.readColumn(file, 0)).getMessage();
    }

    @Test
    void readsColumnsOfVersionOneAndTwoFiles() throws IOException {
        double[][] rows = {{0.5, 1, 0}, {-0.25, 0, 1}, {1e-3, 0, 0}};
        for (int version : new int[] {1, 2}) {
            Path file = write("v" + version + ".npy", npy(version, rows));
            assertArrayEquals(new double[] {0.5, -0.25, 1e-3}, Npy.readColumn(file, 0));
            assertArrayEquals(new double[] {0, 1, 0}, Npy.readColumn(file, 2));
        }
        Path flat = write("flat.npy", npy(1, "<f8", "(3,)", new double[] {1, 2, 3}));
        assertArrayEquals(new double[] {1, 2, 3}, Npy.readColumn(flat, 0));
    }

    @Test
    void refusesWhatItCannotReadNamingTheFile() throws IOException {
        byte[] good = npy(1, new double[][] {{1, 2}, {3, 4}});

        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        Path magic = write("magic.npy", badMagic);
        assertTrue(error(magic).startsWith(magic + ": not a .npy file"), error(magic));

        Path truncated = write("truncated.npy", Arrays.copyOf(good, good.length - 5));
        assertTrue(error(truncated).startsWith(truncated + ": truncated: the header promises 2 x 2 float64 values (32 bytes) but only 27"),
                error(truncated));

        Path headerCut = write("header.npy", Arrays.copyOf(good, 30));
        assertTrue(error(headerCut).contains("truncated .npy header"), error(headerCut));

        Path trailing = write("trailing.npy", Arrays.copyOf(good, good.length + 3));
        assertTrue(error(trailing).contains("3 unexpected bytes"), error(trailing));

        Path floats = write("f4.npy", npy(1, "<f4", "(2,)", new double[] {1}));
        assertTrue(error(floats).contains("dtype '<f4' is not supported"), error(floats));

        Path cube = write("cube.npy", npy(1, "<f8", "(1, 1, 1)", new double[] {1}));
        assertTrue(error(cube).contains("shape [1, 1, 1] is not supported"), error(cube));

        Path version = write("v9.npy", good.clone());
        byte[] v9 = Files.readAllBytes(version);
        v9[6] = 9;
        Files.write(version, v9);
        assertTrue(error(version).contains("version 9 is not supported"), error(version));

        Path good2 = write("good.npy", good);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.readColumn(good2, 2)).getMessage()
                .contains("has 2 column(s), no column 2"));
    }
}
