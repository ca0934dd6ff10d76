package io.vigil.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsColumnZeroOfVersion1And2Arrays() throws Exception {
        double[][] rows = {{0.5, 1, 0}, {-0.25, 0, 1}, {1.0, 0, 0}};
        for (int major : new int[] {1, 2, 3}) {
            NpyReader.Column c = NpyReader.readFirstColumn(Fixtures.npy(dir.resolve("v" + major + ".npy"), rows, major));
            assertEquals(3, c.rows());
            assertEquals(3, c.columns());
            assertArrayEquals(new double[] {0.5, -0.25, 1.0}, c.values(), "version " + major);
        }
    }

    @Test
    void readsOneDimensionalFortranAndFloat32Arrays() throws Exception {
        ByteBuffer f8 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(2).putDouble(3);
        NpyReader.Column flat = NpyReader.readFirstColumn(Fixtures.npyRaw(dir.resolve("flat.npy"),
                "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f8.array(), 1));
        assertArrayEquals(new double[] {1, 2, 3}, flat.values());
        assertEquals(1, flat.columns());

        // Fortran order, 3 rows x 2 columns: column 0 is stored first.
        ByteBuffer fortran = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {7, 8, 9, 0, 0, 0}) {
            fortran.putDouble(v);
        }
        assertArrayEquals(new double[] {7, 8, 9}, NpyReader.readFirstColumn(Fixtures.npyRaw(dir.resolve("f.npy"),
                "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 2), }", fortran.array(), 1)).values());

        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f);
        assertArrayEquals(new double[] {1.5, -2}, NpyReader.readFirstColumn(Fixtures.npyRaw(dir.resolve("f4.npy"),
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4.array(), 1)).values());
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndTheProblem() throws Exception {
        assertRefused(Files.write(dir.resolve("text.npy"), "timestamp,value\n".getBytes()), "no \\x93NUMPY magic");
        Path good = Fixtures.npy(dir.resolve("good.npy"), Fixtures.ramp(4, 0), 1);
        byte[] bytes = Files.readAllBytes(good);
        assertRefused(Files.write(dir.resolve("short.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 5)), "truncated");
        assertRefused(Files.write(dir.resolve("long.npy"), java.util.Arrays.copyOf(bytes, bytes.length + 8)), "trailing bytes");
        byte[] header = Fixtures.header("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), }", 1);
        assertRefused(Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(header, header.length - 10)),
                "runs past the end");
        assertRefused(Fixtures.npyRaw(dir.resolve("int.npy"), "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                new byte[8], 1), "element type '<i8'");
        assertRefused(Fixtures.npyRaw(dir.resolve("cube.npy"), "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }",
                new byte[8], 1), "3 dimensions");
        assertRefused(Fixtures.npyRaw(dir.resolve("noshape.npy"), "{'descr': '<f8', 'fortran_order': False}",
                new byte[8], 1), "'shape'");
        byte[] v9 = Files.readAllBytes(good);
        v9[6] = 9;
        assertRefused(Files.write(dir.resolve("v9.npy"), v9), "version 9");
        assertRefused(Fixtures.npy(dir.resolve("nan.npy"), new double[][] {{1, 0}, {Double.NaN, 0}}, 1), "row 1 (0-based)");
        assertRefused(dir.resolve("missing.npy"), "no such file");
    }

    private static void assertRefused(Path file, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.readFirstColumn(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
