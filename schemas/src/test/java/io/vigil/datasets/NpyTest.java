package io.vigil.datasets;

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

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void readsColumnZeroOfVersion1To3Arrays() throws Exception {
        double[][] rows = {{0.5, 1, 0}, {-0.25, 0, 1}, {1.0, 0, 0}};
        for (int major : new int[] {1, 2, 3}) {
            Npy.Table c = Npy.read(NpyFiles.write(dir.resolve("v" + major + ".npy"), rows, major));
            assertEquals(3, c.rows());
            assertEquals(3, c.columns().length);
            assertArrayEquals(new double[] {0.5, -0.25, 1.0}, c.values(), "version " + major);
            assertArrayEquals(new double[] {1, 0}, c.inputRows()[0], "version " + major);
        }
    }

    @Test
    void readsEveryColumnInCAndFortranOrder() throws Exception {
        double[][] rows = {{0.5, 1, 0}, {-0.25, 0, 1}, {1.0, 0, 0}, {2.0, 1, 1}};
        Npy.Table c = Npy.read(Npy.write(dir.resolve("c.npy"), rows));
        assertEquals(4, c.rows());
        assertArrayEquals(new double[] {1, 0, 0, 1}, c.columns()[1]);
        assertArrayEquals(new double[] {0, 1, 0, 1}, c.columns()[2]);
        ByteBuffer fortran = ByteBuffer.allocate(4 * 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int col = 0; col < 3; col++) {
            for (double[] row : rows) {
                fortran.putDouble(row[col]);
            }
        }
        Npy.Table f = Npy.read(NpyFiles.writeRaw(dir.resolve("f.npy"),
                "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 3), }", fortran.array(), 1));
        for (int col = 0; col < 3; col++) {
            assertArrayEquals(c.columns()[col], f.columns()[col], "column " + col);
        }
    }

    @Test
    void readsOneDimensionalFortranAndFloat32Arrays() throws Exception {
        ByteBuffer f8 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(2).putDouble(3);
        Npy.Table flat = Npy.read(NpyFiles.writeRaw(dir.resolve("flat.npy"),
                "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f8.array(), 1));
        assertArrayEquals(new double[] {1, 2, 3}, flat.values());
        assertEquals(1, flat.columns().length);
        assertEquals(0, flat.inputRows().length, "a 1-D array has no inputs");

        // Fortran order, 3 rows x 2 columns: column 0 is stored first.
        ByteBuffer fortran = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {7, 8, 9, 0, 0, 0}) {
            fortran.putDouble(v);
        }
        assertArrayEquals(new double[] {7, 8, 9}, Npy.read(NpyFiles.writeRaw(dir.resolve("f.npy"),
                "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 2), }", fortran.array(), 1)).values());

        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f);
        assertArrayEquals(new double[] {1.5, -2}, Npy.read(NpyFiles.writeRaw(dir.resolve("f4.npy"),
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4.array(), 1)).values());
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndTheProblem() throws Exception {
        assertRefused(Files.write(dir.resolve("text.npy"), "timestamp,value\n".getBytes()), "no \\x93NUMPY magic");
        Path good = NpyFiles.write(dir.resolve("good.npy"), new double[][] {{0, 0}, {1, 1}, {2, 0}, {3, 1}}, 1);
        byte[] bytes = Files.readAllBytes(good);
        assertRefused(Files.write(dir.resolve("short.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 5)), "truncated");
        assertRefused(Files.write(dir.resolve("long.npy"), java.util.Arrays.copyOf(bytes, bytes.length + 8)), "trailing bytes");
        byte[] header = NpyFiles.header("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), }", 1);
        assertRefused(Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(header, header.length - 10)),
                "runs past the end");
        assertRefused(NpyFiles.writeRaw(dir.resolve("int.npy"), "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                new byte[8], 1), "element type '<i8'");
        assertRefused(NpyFiles.writeRaw(dir.resolve("cube.npy"), "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }",
                new byte[8], 1), "3 dimensions");
        assertRefused(NpyFiles.writeRaw(dir.resolve("noshape.npy"), "{'descr': '<f8', 'fortran_order': False}",
                new byte[8], 1), "'shape'");
        byte[] v9 = Files.readAllBytes(good);
        v9[6] = 9;
        assertRefused(Files.write(dir.resolve("v9.npy"), v9), "version 9");
        assertRefused(dir.resolve("missing.npy"), "no such file");
    }

    @Test
    void valuesComeAsStoredNanIncluded() throws Exception {
        // Whether a NaN is an error is the caller's rule: a replay sends it on to be dead-lettered.
        Path nan = NpyFiles.write(dir.resolve("nan.npy"), new double[][] {{1, 0}, {Double.NaN, 0}}, 1);
        assertArrayEquals(new double[] {1, Double.NaN}, Npy.read(nan).values());
    }

    private static void assertRefused(Path file, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
